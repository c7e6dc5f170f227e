"""Excel workbooks, pure: sheets of rows in, the bytes of an .xlsx file out.

Every sheet has a bold header row that stays in view (frozen), a filter on the header,
column widths, real dates shown as 22.04.2013, amounts as numbers shown as 85 000 kr,
fractions shown as percentages, and every text neutralised against formula injection.
"""

from __future__ import annotations

import enum
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from governance.spreadsheets import safe_cell


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    MONTH = "month"  # a date shown as 03.2013
    AMOUNT = "amount"  # kroner
    PERCENT = "percent"  # a fraction: 0.15 is shown as 15 %
    INTEGER = "integer"
    NUMBER = "number"  # a decimal number as it is


# Excel's own codes: "," groups thousands and "." is the decimal mark in the format; Excel
# shows them with the reader's separators (85 000 kr and 1 234,50 in Norwegian).
FORMATS = {
    Kind.DATE: "DD.MM.YYYY",
    Kind.MONTH: "MM.YYYY",
    Kind.AMOUNT: '#,##0 "kr"',
    Kind.PERCENT: "0 %",
    Kind.INTEGER: "0",
    Kind.NUMBER: "#,##0.##",
}
AMOUNT_WITH_ORE = '#,##0.00 "kr"'

WIDTHS = {Kind.TEXT: 30, Kind.DATE: 12, Kind.MONTH: 10, Kind.AMOUNT: 16, Kind.PERCENT: 12,
          Kind.INTEGER: 10, Kind.NUMBER: 14}

# Excel refuses these in a sheet's name, and allows at most 31 characters.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT
    width: int | None = None


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[Sequence] = field(default_factory=list)


def kroner(ore: int | None) -> Decimal | None:
    """An amount kept in øre as exact kroner (never a float)."""
    return None if ore is None else Decimal(ore) / 100


def _value(kind: Kind, value):
    if value is None or value == "":
        return None
    if kind in (Kind.DATE, Kind.MONTH):
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        if isinstance(value, date):
            return value
        return safe_cell(str(value))
    if kind == Kind.TEXT:
        if isinstance(value, enum.Enum):
            value = value.value
        return safe_cell(str(value))
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal | float):
        return value
    return safe_cell(str(value))


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = " ".join(_BAD_TITLE.sub(" ", title).strip("'").split())[:31].strip() or "Ark"
    candidate, number = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _has_ore(values: Iterable) -> bool:
    return any(isinstance(v, Decimal) and v != v.to_integral_value() for v in values)


def build(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(spec.title, taken))
        sheet.append([safe_cell(str(c.heading)) for c in spec.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = wrap
        for row in spec.rows:
            sheet.append([_value(c.kind, v) for c, v in zip(spec.columns, row, strict=True)])
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width or WIDTHS[column.kind]
            number_format = FORMATS.get(column.kind)
            if column.kind == Kind.AMOUNT and _has_ore(row[index - 1] for row in spec.rows):
                number_format = AMOUNT_WITH_ORE
            if number_format is None:
                continue
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.freeze_panes = "A2"
        if spec.columns:
            last = get_column_letter(len(spec.columns))
            sheet.auto_filter.ref = f"A1:{last}{max(1, len(spec.rows) + 1)}"
    if not workbook.sheetnames:
        workbook.create_sheet("Ark")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
