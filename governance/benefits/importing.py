"""Import of measurements from CSV or Excel (.xlsx): read, check every row, name each error by
row and column. Nothing is saved here; the view saves all rows or none.

Columns (first row, in any order, case and accents as written):
indikator, organisasjon, periode, verdi, kommentar (optional).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from governance.benefits.achievement import parse_period
from governance.benefits.models import Indicator
from governance.errors import N_, RuleViolation
from governance.organisations.models import Organisation

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("indikator", "organisasjon", "periode", "verdi", "kommentar")
REQUIRED = COLUMNS[:4]


class ImportRefused(Exception):
    """The file as a whole cannot be read (wrong type, no header, too big)."""

    def __init__(self, error: RuleViolation):
        super().__init__(error.message)
        self.error = error


@dataclass
class RowError:
    column: str  # one of COLUMNS
    error: RuleViolation


@dataclass
class Row:
    number: int  # the row number in the file (the header is row 1)
    cells: dict[str, str]
    indicator: Indicator | None = None
    organisation: Organisation | None = None
    period: str = ""
    value: Decimal | None = None
    comment: str = ""
    errors: list[RowError] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m")
    return str(value).strip()


MISSING_COLUMNS = N_("Første rad må ha kolonnene indikator, organisasjon, periode og verdi. "
                     "Mangler: %(columns)s.")


def read_table(filename: str, data: bytes, columns: tuple[str, ...] = COLUMNS,
               required: tuple[str, ...] = REQUIRED,
               missing_message: str = MISSING_COLUMNS) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, ; or , separated) or .xlsx file as dicts by column name
    (the measurement columns unless others are given; other imports use it too)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(RuleViolation(N_("Filen er for stor (høyst 2 MB)."), "file"))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise ImportRefused(RuleViolation(
            N_("Velg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."), "file"))
    if not rows:
        raise ImportRefused(RuleViolation(N_("Filen er tom."), "file"))
    header = [_text(cell).lower() for cell in rows[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportRefused(RuleViolation(missing_message, "file", columns=", ".join(missing)))
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ImportRefused(RuleViolation(N_("Filen har flere enn 5000 rader."), "file"))
    table = []
    for cells in body:
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue
        table.append({column: values[index] if index < len(values) else ""
                      for index, column in enumerate(header) if column in columns})
    if not table:
        raise ImportRefused(RuleViolation(N_("Filen har ingen rader under overskriftene."),
                                          "file"))
    return table


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(RuleViolation(
            N_("Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» og prøv igjen."), "file")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell_value(cell):
    """A cell's value; a number formatted as a percentage (Excel keeps 15 % as 0.15) as the
    percentage the user sees."""
    value = getattr(cell, "value", None)
    if (isinstance(value, int | float) and not isinstance(value, bool)
            and "%" in (getattr(cell, "number_format", "") or "")):
        return Decimal(str(value)) * 100
    return value


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same clear answer
        raise ImportRefused(RuleViolation(N_("Excel-filen kan ikke leses."), "file")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_value(cell) for cell in row] for row in sheet.iter_rows()]
    finally:
        workbook.close()


def read_decimal(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if "," in cleaned and "." in cleaned:
        # Both: the last one is the decimal mark ("1.234,5" and "1,234.5" are both 1234.5).
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RuleViolation(N_("«%(text)s» er ikke et tall."), "verdi", text=text[:40]) from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise RuleViolation(N_("«%(text)s» er ikke et tall."), "verdi", text=text[:40])
    return value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value


def check_rows(table: list[dict[str, str]], indicators: list[Indicator],
               organisations: list[Organisation], today: date) -> list[Row]:
    """Check every row against the project's indicators and the organisations the user may
    report for. Each error names its column; a row may have several."""
    by_name = {i.name.strip().lower(): i for i in indicators}
    by_id = {str(i.id): i for i in indicators}
    orgs = {o.name.strip().lower(): o for o in organisations}
    orgs.update({o.org_number: o for o in organisations if getattr(o, "org_number", None)})
    seen: dict[tuple[int, int, str], int] = {}
    rows = []
    for number, cells in enumerate(table, start=2):
        row = Row(number, cells)
        name = cells.get("indikator", "").strip()
        row.indicator = by_name.get(name.lower()) or by_id.get(name)
        if row.indicator is None:
            row.errors.append(RowError("indikator", RuleViolation(
                N_("Prosjektet har ingen indikator som heter «%(name)s»."), "indikator",
                name=name[:80])))
        org_name = cells.get("organisasjon", "").strip()
        row.organisation = orgs.get(org_name.lower()) or orgs.get(org_name.replace(" ", ""))
        if row.organisation is None:
            row.errors.append(RowError("organisasjon", RuleViolation(
                N_("«%(name)s» er ikke en organisasjon du kan rapportere for i prosjektet."),
                "organisasjon", name=org_name[:80])))
        try:
            period = parse_period(cells.get("periode", ""))
            row.period = period.code
            if period.start > today:
                raise RuleViolation(N_("Perioden har ikke begynt ennå."), "periode")
        except RuleViolation as error:
            row.errors.append(RowError("periode", error))
        raw_value = cells.get("verdi", "").strip()
        if not raw_value:
            row.errors.append(RowError("verdi", RuleViolation(N_("Skriv et tall."), "verdi")))
        else:
            try:
                row.value = read_decimal(raw_value)
            except RuleViolation as error:
                row.errors.append(RowError("verdi", error))
        row.comment = cells.get("kommentar", "").strip()
        if len(row.comment) > 1000:
            row.errors.append(RowError("kommentar", RuleViolation(
                N_("Kommentaren kan ha høyst 1000 tegn."), "kommentar")))
        if row.indicator and row.organisation and row.period:
            key = (row.indicator.id, row.organisation.id, row.period)
            if key in seen:
                row.errors.append(RowError("periode", RuleViolation(
                    N_("Samme indikator, organisasjon og periode som rad %(row)d."),
                    "periode", row=seen[key])))
            else:
                seen[key] = number
        rows.append(row)
    return rows
