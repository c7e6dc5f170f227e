"""The Excel builder, without HTTP: formula-looking text neutralised, Excel's rules for sheet
names kept, amounts with øre shown with øre."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from governance.dashboards.workbooks import Column, Kind, Sheet, build
from governance.spreadsheets import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+47 22", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Sogndal kommune", "85 000 kr", "", 12, Decimal("-3.5"),
                                   date(2013, 4, 22), None])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_a_workbook_keeps_types_formats_and_neutralises_text():
    sheets = [Sheet("Ark: 1/2 [utkast]", [Column("Navn"), Column("Dato", Kind.DATE),
                                          Column("Beløp", Kind.AMOUNT),
                                          Column("Andel", Kind.PERCENT)],
                    [["=HYPERLINK(\"http://x\")", date(2013, 4, 22), Decimal("1234.50"),
                      Decimal("0.15")],
                     ["Luster", None, Decimal("85000"), None]]),
              Sheet("Ark: 1/2 [utkast]", [Column("Navn")], [["-1"]])]
    book = load_workbook(io.BytesIO(build(sheets)))
    first, second = book.worksheets
    assert first.title == "Ark 1 2 utkast" and second.title == "Ark 1 2 utkast (2)"
    assert first["A2"].value == "'=HYPERLINK(\"http://x\")" and first["A2"].data_type == "s"
    assert first["B2"].is_date and first["B2"].number_format == "DD.MM.YYYY"
    assert first["C2"].value == 1234.5 and first["C2"].number_format == '#,##0.00 "kr"'
    assert first["D2"].value == 0.15 and first["D2"].number_format == "0 %"
    assert first.freeze_panes == "A2" and first["A1"].font.b
    assert second["A2"].value == "'-1"
