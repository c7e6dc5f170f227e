"""Shared form pieces: Norwegian messages, a checkbox list and an optional-integer select."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, InputRequired, Length


def required(message=None):
    return DataRequired(message=message or _l("Dette feltet må fylles ut."))


def required_date(message=None):
    """A date that must be given: an unreadable one keeps its own message."""
    return InputRequired(message=message or _l("Dette feltet må fylles ut."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Teksten kan ha høyst %(max)d tegn.", max=limit))


class Form(FlaskForm):
    """Base form: every form carries the CSRF token."""


INVALID_CHOICE = _l("Ugyldig valg.")


def choice_list(pairs) -> list[SelectChoice]:
    """Choices for a select or checkbox list from (value, label) pairs; None becomes ""."""
    return [SelectChoice("" if value is None else value, label) for value, label in pairs]


class ChoiceField(SelectField):
    """A select with a Norwegian message for a value that is not among the choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(*args, **kwargs)


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (easier than a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        kwargs.setdefault("coerce", int_or_invalid)
        super().__init__(*args, **kwargs)


class OptionalIdSelect(ChoiceField):
    """A select of ids where the empty choice means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", optional_int)
        super().__init__(*args, **kwargs)


def int_or_invalid(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a valid choice: gives "Ugyldig valg."


def optional_int(value):
    if value in (None, ""):
        return None
    return int_or_invalid(value)


class NorwegianDateField(DateField):
    """A date input: yyyy-mm-dd from the browser's date picker, or 22.04.2013 typed the
    Norwegian way; a Norwegian error message otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Skriv en gyldig dato, for eksempel 22.04.2013.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


class AmountField(StringField):
    """An amount in kroner written the Norwegian way ("85 000", "1 234,50"); data in øre."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        text = self.raw.strip().replace("\u00a0", "").replace(" ", "").replace("kr", "")
        if not text:
            return
        # 85,000.50 in English; 85 000,50 in Norwegian.
        english = str(get_locale()) == "en"
        text = text.replace(",", "") if english else text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Skriv et beløp i kroner, for eksempel 85 000.")) from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise ValueError(_l("Skriv et beløp i kroner med høyst to desimaler."))
        if abs(amount) >= Decimal("1e13"):
            raise ValueError(_l("Beløpet er for stort."))
        self.data = int(amount * 100)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        kroner, ore = divmod(int(self.data), 100)
        return f"{kroner},{ore:02d}" if ore else str(kroner)


class WholeNumberField(StringField):
    """A non-negative whole number; spaces as thousands separators are accepted."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = None
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if str(get_locale()) == "en":
            text = text.replace(",", "")
        if not text:
            return
        if not text.isdigit() or len(text) > 12:
            raise ValueError(_l("Skriv et helt tall, for eksempel 27 000."))
        self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class DecimalNumberField(StringField):
    """A decimal number written the Norwegian way ("15,5", "1 234,5"; a trailing % or kr is
    ignored); data is an exact Decimal, never a float."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = None
        self.data = parse_decimal(raw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_decimal_input(self.data)


def parse_decimal(raw: str) -> Decimal | None:
    """"15,5" -> Decimal("15.5"); empty -> None; anything else -> ValueError with a message."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("%").removesuffix("kr").strip()
    if not text:
        return None
    english = str(get_locale()) == "en"
    text = text.replace(",", "") if english else text.replace(",", ".")
    if text.count(".") > 1 or len(text) > 30:
        raise ValueError(_l("Skriv et tall, for eksempel 15,5."))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_l("Skriv et tall, for eksempel 15,5.")) from None
    if not value.is_finite():
        raise ValueError(_l("Skriv et tall, for eksempel 15,5."))
    if abs(value) >= Decimal("1e14") or value.as_tuple().exponent < -4:
        raise ValueError(_l("Skriv et tall med høyst 14 sifre før og 4 etter komma."))
    return value


def format_decimal_input(value: Decimal | None) -> str:
    """A Decimal for an input field, the way the user writes it (15,5 in Norwegian)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    if str(get_locale()) != "en":
        text = text.replace(".", ",")
    return text


def attach_error(form, error, default_field: str) -> None:
    """Show a refused rule next to the field it names (or ``default_field``)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        field = getattr(form, default_field)
    field.errors = [*field.errors, error.text()]


def submitted_version(form) -> int:
    """The version the form was loaded with; a missing or garbled one never matches,
    so the save is refused as a conflict instead of overwriting blindly."""
    raw = (form.version_id.data or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else -1
