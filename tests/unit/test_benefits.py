"""The benefits plan's pure parts: periods, readings (also ratios of operating costs),
achievement against the next target, aggregation for the whole project, overdue measurements,
and reading and checking an import file (CSV or Excel) row by row and column by column."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

import governance.models  # noqa: F401 - every mapper, to make model objects without a database
from governance.benefits import importing
from governance.benefits.achievement import (
    OrgReading,
    TargetPoint,
    achievement,
    aggregate,
    is_overdue,
    next_target,
    parse_period,
    read,
    share_of_operating_costs,
    year_fraction,
)
from governance.benefits.models import Frequency, Indicator, Unit
from governance.errors import RuleViolation
from governance.organisations.models import Organisation

D = date.fromisoformat
PERIOD_MESSAGE = ("Skriv perioden som 2013 (år), 2013-H1 (halvår), 2013-Q2 (kvartal) eller "
                  "2013-03 (måned).")


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# ---- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize("written, code, start, end", [
    ("2013", "2013", "2013-01-01", "2013-12-31"),
    ("2013-H1", "2013-H1", "2013-01-01", "2013-06-30"),
    ("2013-h2", "2013-H2", "2013-07-01", "2013-12-31"),
    ("2013-Q1", "2013-Q1", "2013-01-01", "2013-03-31"),
    ("2013-Q2", "2013-Q2", "2013-04-01", "2013-06-30"),
    ("2013-q4", "2013-Q4", "2013-10-01", "2013-12-31"),
    ("2013-03", "2013-03", "2013-03-01", "2013-03-31"),
    ("2013-3", "2013-03", "2013-03-01", "2013-03-31"),
    ("2013-12", "2013-12", "2013-12-01", "2013-12-31"),
    ("2012-02", "2012-02", "2012-02-01", "2012-02-29"),  # a leap year
    ("2013-02", "2013-02", "2013-02-01", "2013-02-28"),
    ("  2013-Q3 ", "2013-Q3", "2013-07-01", "2013-09-30"),
])
def test_parse_period_reads_years_halves_quarters_and_months(written, code, start, end):
    period = parse_period(written)
    assert (period.code, period.start, period.end) == (code, D(start), D(end))


@pytest.mark.parametrize("written", [
    "", "   ", None, "13", "20133", "2013-13", "2013-00", "2013-0", "2013-Q0", "2013-Q5",
    "2013-H0", "2013-H3", "2013/03", "03.2013", "2013-03-01", "mars 2013", "2013 Q2",
    "1899", "3000", "2013-K2", "2013-",
])
def test_parse_period_refuses_anything_else_with_the_forms_it_takes(written):
    with pytest.raises(RuleViolation) as refused:
        parse_period(written)
    assert str(refused.value) == PERIOD_MESSAGE
    assert refused.value.field == "period"


@pytest.mark.parametrize("start, end, fraction", [
    ("2013-03-01", "2013-03-31", Decimal(1) / 12),
    ("2013-04-01", "2013-06-30", Decimal(1) / 4),
    ("2013-07-01", "2013-12-31", Decimal(1) / 2),
    ("2013-01-01", "2013-12-31", Decimal(1)),
    ("2012-02-01", "2012-02-29", Decimal(1) / 12),  # February counts as a whole month
])
def test_year_fraction_counts_whole_months(start, end, fraction):
    assert year_fraction(D(start), D(end)) == fraction


# ---- readings --------------------------------------------------------------------------------

# Sogndal: operating costs 620 mill. kroner; with the factor 0.25 the calculation base is
# 155 mill. An order volume of 23.25 mill. a year is then 15 % of the base.
SOGNDAL_COSTS_ORE = 620_000_000 * 100
FACTOR = Decimal("0.25")


def test_a_plain_indicator_reads_as_its_value():
    reading = read(Decimal("41.5"), is_ratio=False, factor=None, operating_costs_ore=None,
                   year=2013)
    assert (reading.value, reading.reason) == (Decimal("41.5"), None)


def test_a_ratio_reads_as_a_share_of_the_calculation_base_and_of_operating_costs():
    reading = read(Decimal(23_250_000), is_ratio=True, factor=FACTOR,
                   operating_costs_ore=SOGNDAL_COSTS_ORE, year=2013)
    assert reading.value == Decimal(15)
    assert reading.reason is None
    assert (reading.numerator, reading.denominator) == (Decimal(23_250_000),
                                                        Decimal(155_000_000))
    # 15 % of the calculation base with factor 0.25 is 3.75 % of the operating costs.
    assert share_of_operating_costs(reading.value, FACTOR) == Decimal("3.75")
    assert share_of_operating_costs(Decimal(25), FACTOR) == Decimal("6.25")


def test_a_month_of_a_ratio_is_read_against_a_twelfth_of_the_years_base():
    march = parse_period("2013-03")
    reading = read(Decimal(1_937_500), is_ratio=True, factor=FACTOR,
                   operating_costs_ore=SOGNDAL_COSTS_ORE, year=2013,
                   fraction=year_fraction(march.start, march.end))
    assert reading.value.quantize(Decimal("0.0001")) == Decimal(15)
    # Against the whole year's base the same amount would be only 1.25 %: not what is shown.
    whole_year = read(Decimal(1_937_500), is_ratio=True, factor=FACTOR,
                      operating_costs_ore=SOGNDAL_COSTS_ORE, year=2013)
    assert whole_year.value == Decimal("1.25")


def test_a_quarter_of_a_ratio_is_read_against_a_quarter_of_the_base():
    q2 = parse_period("2013-Q2")
    reading = read(Decimal(5_812_500), is_ratio=True, factor=FACTOR,
                   operating_costs_ore=SOGNDAL_COSTS_ORE, year=2013,
                   fraction=year_fraction(q2.start, q2.end))
    assert reading.value == Decimal(15)


@pytest.mark.parametrize("costs", [None, 0])
def test_without_operating_costs_a_ratio_has_no_reading_but_a_reason(costs):
    reading = read(Decimal(23_250_000), is_ratio=True, factor=FACTOR,
                   operating_costs_ore=costs, year=2013)
    assert reading.value is None
    assert reading.reason % {"year": reading.year} == "Mangler driftskostnader for 2013"
    assert (reading.numerator, reading.denominator) == (None, None)
    # Nothing to aggregate with, either: the project has no reading instead of a wrong one.
    assert aggregate(Unit.NOK, True, [
        OrgReading(Decimal(15), Decimal(15_000_000), Decimal(100_000_000)),
        OrgReading(reading.value, reading.numerator, reading.denominator)]) is None


# ---- achievement -----------------------------------------------------------------------------


@pytest.mark.parametrize("value, baseline, target, expected", [
    # higher is better
    (9, 0, 15, "0.6"),
    (15, 0, 15, "1"),
    (18, 0, 15, "1.2"),  # beyond the target
    (3, 3, 15, "0"),  # no change yet
    (0, 4, 14, "-0.4"),  # worse than the baseline
    (70, 40, 100, "0.5"),
    # lower is better: both differences are negative
    (7, 10, 4, "0.5"),
    (4, 10, 4, "1"),
    (2, 10, 4, "1.333333333333333333333333333"),
    (13, 10, 4, "-0.5"),  # worse than the baseline
    (105, 120, 60, "0.25"),
    # the target equals the baseline: no achievement can be worked out
    (20, 15, 15, None),
    (15, 15, 15, None),
    # something missing
    (None, 0, 15, None),
    (9, None, 15, None),
    (9, 0, None, None),
])
def test_achievement(value, baseline, target, expected):
    assert achievement(dec(value), dec(baseline), dec(target)) == dec(expected)


TARGETS = [TargetPoint(D("2015-04-22"), Decimal(25)), TargetPoint(D("2014-04-22"), Decimal(15))]


@pytest.mark.parametrize("on, expected", [
    ("2013-05-31", ("2014-04-22", 15)),  # the first one ahead (the targets need not be sorted)
    ("2014-04-22", ("2014-04-22", 15)),  # due that very day: still the first
    ("2014-04-23", ("2015-04-22", 25)),  # passed: the next one
    ("2015-04-22", ("2015-04-22", 25)),
    ("2016-01-31", ("2015-04-22", 25)),  # after the last one, the last one
])
def test_next_target(on, expected):
    found = next_target(TARGETS, D(on))
    assert (found.target_date, found.value) == (D(expected[0]), Decimal(expected[1]))


def test_no_targets_no_next_target():
    assert next_target([], D("2013-05-31")) is None


# ---- the whole project -----------------------------------------------------------------------


def test_ratios_aggregate_by_numerators_and_denominators_not_by_averaging_percentages():
    # Sogndal: 15 mill. of a base of 100 mill. (15 %); Luster: 15 mill. of 300 mill. (5 %).
    readings = [OrgReading(Decimal(15), Decimal(15_000_000), Decimal(100_000_000)),
                OrgReading(Decimal(5), Decimal(15_000_000), Decimal(300_000_000))]
    total = aggregate(Unit.NOK, True, readings)
    assert total == Decimal("7.5")  # 30 mill. of 400 mill.
    average = sum(r.value for r in readings) / len(readings)
    assert average == Decimal(10)
    assert total != average


def test_percentages_are_averaged():
    readings = [OrgReading(Decimal(10)), OrgReading(Decimal(20)), OrgReading(Decimal(60))]
    assert aggregate(Unit.PERCENT, False, readings) == Decimal(30)


@pytest.mark.parametrize("unit", [Unit.COUNT, Unit.NOK, Unit.HOURS, Unit.FREE])
def test_counts_amounts_and_hours_are_summed(unit):
    readings = [OrgReading(Decimal(3)), OrgReading(Decimal(4)), OrgReading(Decimal("0.5"))]
    assert aggregate(unit, False, readings) == Decimal("7.5")


@pytest.mark.parametrize("unit, is_ratio, readings", [
    (Unit.COUNT, False, []),
    (Unit.COUNT, False, [OrgReading(Decimal(3)), OrgReading(None)]),
    (Unit.PERCENT, False, [OrgReading(None)]),
    (Unit.NOK, True, [OrgReading(Decimal(5))]),  # a ratio without its parts
    (Unit.NOK, True, [OrgReading(Decimal(0), Decimal(0), Decimal(0))]),
])
def test_no_project_reading_when_an_organisations_reading_is_missing(unit, is_ratio, readings):
    assert aggregate(unit, is_ratio, readings) is None


# ---- overdue measurements --------------------------------------------------------------------


@pytest.mark.parametrize("frequency, measured, since, today, due", [
    # monthly: the last whole month before today is owed
    (Frequency.MONTHLY, [], "2013-01-01", "2013-06-03", "2013-05"),
    (Frequency.MONTHLY, ["2013-04-01/2013-04-30"], "2013-01-01", "2013-06-03", "2013-05"),
    (Frequency.MONTHLY, ["2013-05-01/2013-05-31"], "2013-01-01", "2013-06-03", None),
    (Frequency.MONTHLY, ["2013-05-01/2013-05-31", "2013-06-01/2013-06-30"], "2013-01-01",
     "2013-06-03", None),  # June ahead of time too
    # June entered ahead of time does not make up for a missing May
    (Frequency.MONTHLY, ["2013-06-01/2013-06-30"], "2013-01-01", "2013-06-03", "2013-05"),
    (Frequency.MONTHLY, [], "2013-05-15", "2013-06-03", "2013-05"),  # began mid-month
    (Frequency.MONTHLY, [], "2013-06-01", "2013-06-03", None),  # nothing owed yet
    (Frequency.MONTHLY, [], "2013-01-01", "2014-01-10", "2013-12"),
    # quarterly
    (Frequency.QUARTERLY, [], "2013-01-01", "2013-06-03", "2013-Q1"),
    (Frequency.QUARTERLY, ["2013-01-01/2013-03-31"], "2013-01-01", "2013-06-03", None),
    (Frequency.QUARTERLY, ["2013-03-01/2013-03-31"], "2013-01-01", "2013-06-03", None),
    (Frequency.QUARTERLY, ["2013-02-01/2013-02-28"], "2013-01-01", "2013-07-01", "2013-Q2"),
    (Frequency.QUARTERLY, ["2013-01-01/2013-12-31"], "2013-01-01", "2013-07-01", None),
    # the third quarter measured, the second still missing
    (Frequency.QUARTERLY, ["2013-01-01/2013-03-31", "2013-07-01/2013-09-30"], "2013-01-01",
     "2013-07-01", "2013-Q2"),
    (Frequency.QUARTERLY, [], "2013-04-12", "2013-06-03", None),
    # yearly
    (Frequency.YEARLY, [], "2012-06-01", "2013-06-03", "2012"),
    (Frequency.YEARLY, ["2012-01-01/2012-12-31"], "2012-06-01", "2013-06-03", None),
    (Frequency.YEARLY, [], "2013-04-12", "2013-06-03", None),
    (Frequency.YEARLY, ["2012-01-01/2012-12-31"], "2013-04-12", "2014-01-02", "2013"),
])
def test_is_overdue(frequency, measured, since, today, due):
    spans = [tuple(D(part) for part in span.split("/")) for span in measured]
    found = is_overdue(frequency, spans, D(since), D(today))
    assert (found.code if found else None) == due


# ---- import: reading the file ----------------------------------------------------------------

HEADER = "indikator;organisasjon;periode;verdi;kommentar"


def refused(filename: str, data: bytes) -> str:
    with pytest.raises(importing.ImportRefused) as caught:
        importing.read_table(filename, data)
    assert caught.value.error.field == "file"
    return str(caught.value.error)


def test_csv_with_semicolons():
    data = (f"{HEADER}\n"
            "Ordrevolum via e-handel;Sogndal kommune;2013-03;1 937 500,50;Fra Visma\n"
            "Avtalelojalitet;Luster kommune;2013-Q1;70;\n").encode()
    assert importing.read_table("maalinger.csv", data) == [
        {"indikator": "Ordrevolum via e-handel", "organisasjon": "Sogndal kommune",
         "periode": "2013-03", "verdi": "1 937 500,50", "kommentar": "Fra Visma"},
        {"indikator": "Avtalelojalitet", "organisasjon": "Luster kommune", "periode": "2013-Q1",
         "verdi": "70", "kommentar": ""},
    ]


def test_csv_with_commas_quotes_any_column_order_and_no_comment_column():
    data = (b'Verdi,Periode,Indikator,Organisasjon,Merknad\r\n'
            b'"15,5",2013-Q2,Avtalelojalitet,Sogndal kommune,ignorert\r\n'
            b'\r\n'
            b'80,2013,"Avtalelojalitet, snitt",Luster kommune,\r\n')
    assert importing.read_table("MAALINGER.CSV", data) == [
        {"verdi": "15,5", "periode": "2013-Q2", "indikator": "Avtalelojalitet",
         "organisasjon": "Sogndal kommune"},
        {"verdi": "80", "periode": "2013", "indikator": "Avtalelojalitet, snitt",
         "organisasjon": "Luster kommune"},
    ]


def test_csv_in_utf8_with_a_byte_order_mark_as_excel_saves_it():
    data = "\ufeff" + HEADER + "\nAvtalelojalitet;Årdal kommune;2013;70;Økt\n"
    rows = importing.read_table("maalinger.csv", data.encode("utf-8"))
    assert rows == [{"indikator": "Avtalelojalitet", "organisasjon": "Årdal kommune",
                     "periode": "2013", "verdi": "70", "kommentar": "Økt"}]


def test_csv_not_in_utf8_is_refused():
    data = (HEADER + "\nAvtalelojalitet;Årdal kommune;2013;70;Økt\n").encode("latin-1")
    assert refused("maalinger.csv", data) == (
        "Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» og prøv igjen.")


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_file_built_with_openpyxl():
    data = workbook_bytes([
        ["Indikator", "Organisasjon", "Periode", "Verdi", "Kommentar"],
        ["Ordrevolum via e-handel", "Sogndal kommune", "2013-03", 1937500.5, "Fra Visma"],
        ["Avtalelojalitet", "Luster kommune", 2013, 70, None],
        [None, None, None, None, None],  # an empty row is skipped
        ["Fakturafeil", "964968519", datetime(2013, 5, 1), 105, "Mai"],
    ])
    assert importing.read_table("maalinger.xlsx", data) == [
        {"indikator": "Ordrevolum via e-handel", "organisasjon": "Sogndal kommune",
         "periode": "2013-03", "verdi": "1937500.5", "kommentar": "Fra Visma"},
        {"indikator": "Avtalelojalitet", "organisasjon": "Luster kommune", "periode": "2013",
         "verdi": "70", "kommentar": ""},
        {"indikator": "Fakturafeil", "organisasjon": "964968519", "periode": "2013-05",
         "verdi": "105", "kommentar": "Mai"},
    ]


def test_an_excel_cell_formatted_as_a_percentage_reads_as_the_percentage_shown():
    """Excel keeps "15,5 %" as 0.155 with a percentage format; the user typed 15,5."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Organisasjon", "Periode", "Verdi"])
    sheet.append(["Avtalelojalitet", "Luster kommune", "2013-Q1", 0.155])
    sheet.append(["Avtalelojalitet", "Sogndal kommune", "2013-Q1", 0.7])
    sheet["D2"].number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = importing.read_table("maalinger.xlsx", buffer.getvalue())
    assert [Decimal(row["verdi"]) for row in table] == [Decimal("15.5"), Decimal("0.7")]


def test_an_unreadable_excel_file_is_refused():
    assert refused("maalinger.xlsx", b"PK\x03\x04 dette er ikke en arbeidsbok") == (
        "Excel-filen kan ikke leses.")


def test_other_file_types_are_refused():
    assert refused("maalinger.pdf", b"%PDF-1.4") == (
        "Velg en CSV-fil (.csv) eller en Excel-fil (.xlsx).")


@pytest.mark.parametrize("header, missing", [
    ("indikator;organisasjon;verdi", "periode"),
    ("indikator;organisasjon", "periode, verdi"),
    ("indicator;organisation;period;value", "indikator, organisasjon, periode, verdi"),
])
def test_missing_columns_are_named(header, missing):
    data = f"{header}\nAvtalelojalitet;Sogndal kommune;70\n".encode()
    assert refused("maalinger.csv", data) == (
        "Første rad må ha kolonnene indikator, organisasjon, periode og verdi. "
        f"Mangler: {missing}.")


def test_missing_columns_in_an_excel_file_are_named():
    data = workbook_bytes([["Indikator", "Verdi"], ["Avtalelojalitet", 70]])
    assert refused("maalinger.xlsx", data) == (
        "Første rad må ha kolonnene indikator, organisasjon, periode og verdi. "
        "Mangler: organisasjon, periode.")


@pytest.mark.parametrize("filename, data", [
    ("tom.csv", b""),
    ("tom.xlsx", None),
])
def test_an_empty_file_is_refused(filename, data):
    if data is None:
        data = workbook_bytes([])
    assert refused(filename, data) == "Filen er tom."


def test_a_file_with_only_the_header_is_refused():
    assert refused("maalinger.csv", f"{HEADER}\n;;;;\n".encode()) == (
        "Filen har ingen rader under overskriftene.")


def test_at_most_5000_rows():
    row = "Avtalelojalitet;Sogndal kommune;2013;70;\n"
    assert len(importing.read_table("maalinger.csv", (HEADER + "\n" + row * 5000).encode())
               ) == 5000
    assert refused("maalinger.csv", (HEADER + "\n" + row * 5001).encode()) == (
        "Filen har flere enn 5000 rader.")


def test_at_most_2_mb():
    data = (HEADER + "\n").encode() + b"x" * (2 * 1024 * 1024)
    assert refused("maalinger.csv", data) == "Filen er for stor (høyst 2 MB)."


# ---- import: checking the rows ---------------------------------------------------------------

TODAY = D("2013-06-03")


@pytest.fixture
def plan():
    indicators = [Indicator(id=1, name="Ordrevolum via e-handel"),
                  Indicator(id=2, name="Avtalelojalitet")]
    organisations = [Organisation(id=10, name="Sogndal kommune", org_number="964968519"),
                     Organisation(id=11, name="Luster kommune", org_number=None)]
    return indicators, organisations


def cells(indikator="Avtalelojalitet", organisasjon="Sogndal kommune", periode="2013-Q1",
          verdi="70", kommentar=""):
    return {"indikator": indikator, "organisasjon": organisasjon, "periode": periode,
            "verdi": verdi, "kommentar": kommentar}


def errors(rows) -> list[tuple[int, str, str]]:
    return [(row.number, e.column, str(e.error)) for row in rows for e in row.errors]


def test_good_rows_are_read_into_indicator_organisation_period_value_and_comment(plan):
    indicators, organisations = plan
    rows = importing.check_rows([
        cells(indikator="Ordrevolum via e-handel", periode="2013-3", verdi="1 937 500,50",
              kommentar="  Fra Visma "),
        cells(indikator="2", organisasjon="964 968 519", periode="2013-q1", verdi="15,5 %"),
        cells(indikator="avtalelojalitet", organisasjon="LUSTER KOMMUNE", periode="2013",
              verdi="1.234,5"),
        cells(organisasjon="Luster kommune", periode="2012-H2", verdi="-3"),
    ], indicators, organisations, TODAY)
    assert errors(rows) == []
    assert [(r.number, r.indicator.id, r.organisation.id, r.period, r.value, r.comment)
            for r in rows] == [
        (2, 1, 10, "2013-03", Decimal("1937500.50"), "Fra Visma"),
        (3, 2, 10, "2013-Q1", Decimal("15.5"), ""),
        (4, 2, 11, "2013", Decimal("1234.5"), ""),
        (5, 2, 11, "2012-H2", Decimal(-3), ""),
    ]


def test_each_error_is_named_by_row_and_column(plan):
    indicators, organisations = plan
    rows = importing.check_rows([
        cells(),  # row 2: fine
        cells(indikator="Sykefravær"),  # row 3
        cells(organisasjon="Leikanger kommune"),  # row 4: not one the user reports for
        cells(periode="2013-13"),  # row 5
        cells(periode="2013-07"),  # row 6: not begun
        cells(periode="2012-01", verdi="femten"),  # row 7
        cells(periode="2012-02", verdi=""),  # row 8
        cells(periode="2012-03", verdi="NaN"),  # row 9
        cells(periode="2012-04", verdi="1e20"),  # row 10: too big
        cells(periode="2013-q1", verdi="71"),  # row 11: the same as row 2
        cells(periode="2012-05", kommentar="k" * 1001),  # row 12
        cells(indikator="", organisasjon="", periode="", verdi="x"),  # row 13: everything
    ], indicators, organisations, TODAY)
    assert [e.column for e in rows[-1].errors] == ["indikator", "organisasjon", "periode",
                                                   "verdi"]
    assert errors(rows[:-1]) == [
        (3, "indikator", "Prosjektet har ingen indikator som heter «Sykefravær»."),
        (4, "organisasjon", "«Leikanger kommune» er ikke en organisasjon du kan rapportere "
                            "for i prosjektet."),
        (5, "periode", PERIOD_MESSAGE),
        (6, "periode", "Perioden har ikke begynt ennå."),
        (7, "verdi", "«femten» er ikke et tall."),
        (8, "verdi", "Skriv et tall."),
        (9, "verdi", "«NaN» er ikke et tall."),
        (10, "verdi", "«1e20» er ikke et tall."),
        (11, "periode", "Samme indikator, organisasjon og periode som rad 2."),
        (12, "kommentar", "Kommentaren kan ha høyst 1000 tegn."),
    ]


def test_the_same_period_for_another_organisation_or_indicator_is_no_duplicate(plan):
    indicators, organisations = plan
    rows = importing.check_rows([
        cells(), cells(organisasjon="Luster kommune"),
        cells(indikator="Ordrevolum via e-handel"), cells(periode="2013-Q2"),
    ], indicators, organisations, TODAY)
    assert errors(rows) == []


@pytest.mark.parametrize("written", ["1,234.5", "1,234,567.25"])
def test_a_number_written_the_english_way_is_not_misread(plan, written):
    """A thousands comma and a decimal point: either read right or refused, never read as a
    number a thousand times smaller."""
    indicators, organisations = plan
    [row] = importing.check_rows([cells(verdi=written)], indicators, organisations, TODAY)
    right = Decimal(written.replace(",", ""))
    assert row.value == right or [e.column for e in row.errors] == ["verdi"], (
        f"{written} read as {row.value}")
