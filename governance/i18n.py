"""Language choice and Norwegian formatting of dates and amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
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


def format_iso_date(value: str) -> str:
    """A date stored as text in the history (2013-04-22) shown as 22.04.2013."""
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
        kroner, rest = divmod(int(value), 100)
        if rest:
            decimal_mark = "." if html_lang() == "en" else ","
            text = f"{group_thousands(kroner)}{decimal_mark}{rest:02d}"
            return f"{text}{NBSP}kr" if html_lang() != "en" else f"NOK{NBSP}{text}"
        value = kroner
    text = group_thousands(int(value))
    return f"NOK{NBSP}{text}" if html_lang() == "en" else f"{text}{NBSP}kr"


def format_number(value: int | None) -> str:
    return "" if value is None else group_thousands(int(value))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["amount"] = format_amount
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
