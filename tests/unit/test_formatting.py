"""Dates and amounts the way Norwegians write them (and the English variant)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import force_locale

from governance import i18n

NBSP = "\u00a0"


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85000, f"85{NBSP}000{NBSP}kr"), (700000, f"700{NBSP}000{NBSP}kr"), (0, f"0{NBSP}kr"),
     (999, f"999{NBSP}kr"), (1234567, f"1{NBSP}234{NBSP}567{NBSP}kr"),
     (-50000, f"-50{NBSP}000{NBSP}kr"), (None, "")],
)
def test_amounts_in_kroner(request_context, value, expected):
    assert i18n.format_amount(value) == expected


def test_amounts_in_ore(request_context):
    assert i18n.format_amount(8500000, ore=True) == f"85{NBSP}000{NBSP}kr"
    assert i18n.format_amount(240050, ore=True) == f"2{NBSP}400,50{NBSP}kr"


def test_dates(request_context):
    assert i18n.format_date(date(2013, 4, 22)) == "22.04.2013"
    assert i18n.format_date(None) == ""
    # Stored times are UTC; shown in Oslo time (summer time: UTC+2).
    assert i18n.format_datetime(datetime(2013, 4, 22, 12, 5)) == "22.04.2013 kl. 14:05"
    assert i18n.format_datetime(datetime(2013, 1, 22, 12, 5)) == "22.01.2013 kl. 13:05"


def test_english_formats(request_context):
    with force_locale("en"):
        assert i18n.format_amount(85000) == f"NOK{NBSP}85,000"
        assert i18n.format_date(date(2013, 4, 22)) == "22/04/2013"


def test_nynorsk_uses_norwegian_formats(request_context):
    with force_locale("nn"):
        assert i18n.format_amount(85000) == f"85{NBSP}000{NBSP}kr"
        assert i18n.format_date(date(2013, 4, 22)) == "22.04.2013"
