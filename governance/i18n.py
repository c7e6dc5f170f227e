"""Language choice and Norwegian formatting of dates and amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
OSLO = ZoneInfo("Europe/Oslo")
NBSP = "\u00a0"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang() -> str:
    """The value of <html lang>: nb, nn or en."""
    return str(get_locale() or "nb")


def format_date(value: date | datetime | None) -> str:
    """22.04.2013 in Norwegian, 22/04/2013 in English. Empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if html_lang() == "en":
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d.%m.%Y")


def format_iso_date(value: str | None) -> str:
    """A date stored as text (history, snapshots: 2013-04-22) shown as 22.04.2013."""
    if value is None:
        return ""
    try:
        return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def format_iso_datetime(value: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def format_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) time as Oslo local time: 22.04.2013 kl. 14:05."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(OSLO)
    if html_lang() == "en":
        return local.strftime("%d/%m/%Y %H:%M")
    return local.strftime("%d.%m.%Y kl. %H:%M")


def group_thousands(number: int) -> str:
    sign = "-" if number < 0 else ""
    digits = f"{abs(number):d}"
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    separator = "," if html_lang() == "en" else NBSP
    return sign + separator.join(groups)


def format_amount(value: int | Decimal | None, *, ore: bool = False) -> str:
    """85 000 kr (with no-break spaces). ``ore=True`` when the value is in øre."""
    if value is None:
        return ""
    if ore:
        sign = "-" if value < 0 else ""
        kroner, rest = divmod(abs(int(value)), 100)
        if rest:
            decimal_mark = "." if html_lang() == "en" else ","
            text = f"{sign}{group_thousands(kroner)}{decimal_mark}{rest:02d}"
            return f"{text}{NBSP}kr" if html_lang() != "en" else f"NOK{NBSP}{text}"
        value = -kroner if sign else kroner
    text = group_thousands(int(value))
    return f"NOK{NBSP}{text}" if html_lang() == "en" else f"{text}{NBSP}kr"


def format_number(value: int | None) -> str:
    return "" if value is None else group_thousands(int(value))


def format_decimal(value: Decimal | int | None, places: int = 1) -> str:
    """A decimal the Norwegian way: 1 234,5 (rounded half up to ``places``, trailing zeros
    dropped: 15 rather than 15,0)."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = group_thousands(int(whole))
    if fraction:
        text += ("." if html_lang() == "en" else ",") + fraction
    return sign + text


def format_percent(value: Decimal | None, places: int = 1) -> str:
    """15,5 % (a no-break space before the sign)."""
    return "" if value is None else f"{format_decimal(value, places)}{NBSP}%"


def period_name(code: str | None) -> str:
    """A reporting or measuring period as people say it: "mars 2013", "1. kvartal 2013",
    "2. halvår 2013", "2013" (English: "March 2013", "Q1 2013", "H2 2013")."""
    from flask_babel import format_date as babel_date
    from flask_babel import gettext

    text = (code or "").strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = int(text[5:])
        if 1 <= month <= 12:
            return babel_date(date(int(text[:4]), month, 1), "LLLL y")
    if len(text) == 7 and text[4] == "-" and text[5] in "QH" and text[6].isdigit():
        number, year = text[6], text[:4]
        if text[5] == "Q":
            return gettext("%(number)s. kvartal %(year)s", number=number, year=year)
        return gettext("%(number)s. halvår %(year)s", number=number, year=year)
    return text


def init_app(app: Flask) -> None:
    app.jinja_env.filters["period"] = period_name
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["amount"] = format_amount
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["decimal"] = format_decimal
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["isodate"] = format_iso_date
    app.jinja_env.filters["todecimal"] = lambda text: Decimal(str(text))
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
