"""The budget over HTTP: shared income and cost lines and each organisation's own costs (also
one line for every participant at once), the year's overview of budget, actual, forecast and
deviation against the project's cost tolerance, actual costs per month (entered, replaced,
deleted, imported from CSV or Excel with a checked preview), forecasts, stale edits, and who
may read and write. The world is in support.py."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook

from governance.extensions import db
from governance.finance.models import ActualCost, BudgetLine, Category, LineKind
from governance.projects.models import Project
from tests.http.finance.support import (
    NBSP,
    actuals,
    add_actual,
    add_line,
    column_heads,
    count,
    forecast_of,
    lines,
    plain,
    rows,
    section,
    table,
)
from tests.pages import field_error, input_value, text


def line_data(name: str = "Reise- og møteutgifter", amount: str = "50 000", *,
              year: str = "2013", kind: str = "cost", category: str = "travel_meetings",
              nature: str = "operating", organisation: str = "", note: str = "",
              version: str | None = None) -> dict:
    data = {"year": year, "kind": kind, "category": category, "nature": nature, "name": name,
            "amount_ore": amount, "organisation": organisation, "note": note}
    if version is not None:
        data["version_id"] = version
    return data


def overview(browser, sogn, year: int = 2013) -> str:
    response = browser.get(f"{sogn.base}/?ar={year}")
    assert response.status_code == 200
    return text(response)


# ---- budget lines ----------------------------------------------------------------------------


def test_the_leader_makes_shared_income_and_cost_lines(app, sogn, katrine):
    assert katrine.get(f"{sogn.base}/linjer/ny?ar=2013").status_code == 200
    for data in (line_data("Tilskot frå Difi", "300 000", kind="income", category="grant"),
                 line_data("Overføring frå Innkjøpstenesta", "85 000", kind="income",
                           category="transfer"),
                 line_data("Løn prosjektleiar", "300 000", category="salary",
                           note="Prosjektleiar i 100 %")):
        response = katrine.post(f"{sogn.base}/linjer/ny", data)
        assert response.status_code == 303
        assert response.headers["Location"] == f"{sogn.base}/?ar=2013"
    assert lines(app) == sorted([
        (2013, "cost", "salary", "Løn prosjektleiar", Decimal(300_000), None),
        (2013, "income", "grant", "Tilskot frå Difi", Decimal(300_000), None),
        (2013, "income", "transfer", "Overføring frå Innkjøpstenesta", Decimal(85_000), None),
    ], key=repr)
    page = overview(katrine, sogn)
    assert "Budsjettlinjen er lagret." in page
    income = rows(table(page, "Inntekter 2013"))
    assert income["Tilskot frå Difi"][:2] == ["Tilskudd", "300 000 kr"]
    assert income["Overføring frå Innkjøpstenesta"][:2] == ["Overføring", "85 000 kr"]
    assert income["Sum"][0] == "385 000 kr"
    assert rows(table(page, "Felles kostnader 2013"))["Løn prosjektleiar"][:2] == [
        "Lønn", "300 000 kr"]
    # Amounts as Norwegians write them: no-break spaces between the thousands and before kr.
    assert f"85{NBSP}000{NBSP}kr" in page


def test_a_cost_one_organisation_carries_itself(app, sogn, katrine):
    response = katrine.post(f"{sogn.base}/linjer/ny", line_data(
        "Tilknyting til eHandelsplattformen", "60 000", category="connection",
        nature="investment", organisation=str(sogn.sogndal)))
    assert response.status_code == 303
    assert lines(app) == [(2013, "cost", "connection", "Tilknyting til eHandelsplattformen",
                           Decimal(60_000), sogn.sogndal)]
    page = overview(katrine, sogn)
    own = section(page, "own-heading")
    assert rows(table(own, "Egne kostnader per kommune 2013")) == {
        "Sogndal kommune": ["60 000 kr", "0 kr", "60 000 kr"],
        "Sum": ["60 000 kr", "0 kr", "60 000 kr"],
    }
    # Not in the shared budget.
    assert "Ingen linjer i det felles budsjettet for 2013." in plain(page)


def test_one_line_for_each_participant_at_once(app, sogn, katrine):
    page = text(katrine.get(f"{sogn.base}/linjer/ny"))
    assert '<option value="alle">Hver deltaker for seg (én linje per deltaker)</option>' in page
    # Leikanger takes no part in the project and is not offered.
    assert "Leikanger kommune" not in page
    response = katrine.post(f"{sogn.base}/linjer/ny", line_data(
        "Årleg abonnementsavgift", "5 000", category="licences", organisation="alle"))
    assert response.status_code == 303
    assert lines(app) == sorted([
        (2013, "cost", "licences", "Årleg abonnementsavgift", Decimal(5_000), sogn.sogndal),
        (2013, "cost", "licences", "Årleg abonnementsavgift", Decimal(5_000), sogn.luster),
    ], key=repr)
    own = table(overview(katrine, sogn), "Egne kostnader per kommune 2013")
    assert rows(own) == {"Luster kommune": ["5 000 kr", "0 kr", "5 000 kr"],
                         "Sogndal kommune": ["5 000 kr", "0 kr", "5 000 kr"],
                         "Sum": ["10 000 kr", "0 kr", "10 000 kr"]}


def test_a_line_is_edited_and_deleted_with_its_actual_costs(app, sogn, katrine):
    line = add_line(app, sogn.project, "Diverse", 35_000)
    add_actual(app, sogn.project, line, "2013-05", 1_000)
    form = text(katrine.get(f"{sogn.base}/linjer/{line}/rediger"))
    assert input_value(form, "name") == "Diverse"
    assert input_value(form, "amount_ore") == "35000"
    version = input_value(form, "version_id")
    response = katrine.post(f"{sogn.base}/linjer/{line}/rediger", line_data(
        "Diverse utgifter", "40 000,50", category="misc", version=version))
    assert response.status_code == 303
    assert lines(app) == [(2013, "cost", "misc", "Diverse utgifter", Decimal("40000.50"), None)]
    response = katrine.post(f"{sogn.base}/linjer/{line}/slett")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{sogn.base}/?ar=2013"
    page = text(katrine.get(response.headers["Location"]))
    assert "Budsjettlinjen er flyttet til papirkurven." in page
    assert lines(app) == []
    assert count(app, ActualCost) == 0


def test_a_stale_edit_gets_409_with_the_current_values(app, sogn, katrine, make_client):
    line = add_line(app, sogn.project, "Diverse", 35_000)
    version = input_value(text(katrine.get(f"{sogn.base}/linjer/{line}/rediger")), "version_id")
    # Someone else (the project leader in another tab) saves first.
    other = make_client()
    assert other.login("katrine").status_code == 303
    assert other.post(f"{sogn.base}/linjer/{line}/rediger", line_data(
        "Diverse (retta)", "45 000", category="misc", version=version)).status_code == 303
    response = katrine.post(f"{sogn.base}/linjer/{line}/rediger", line_data(
        "Diverse (mi endring)", "99 000", category="misc", version=version))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret endringer i mellomtiden." in page
    assert input_value(page, "name") == "Diverse (retta)"
    assert input_value(page, "amount_ore") == "45000"
    assert input_value(page, "version_id") != version
    assert lines(app) == [(2013, "cost", "misc", "Diverse (retta)", Decimal(45_000), None)]


@pytest.mark.parametrize("change, field, message", [
    ({"amount": "-5 000"}, "amount_ore", "Beløpet kan ikke være negativt."),
    ({"amount": "femti tusen"}, "amount_ore", "Skriv et beløp i kroner, for eksempel 85 000."),
    ({"amount": "12,345"}, "amount_ore", "Skriv et beløp i kroner med høyst to desimaler."),
    ({"amount": ""}, "amount_ore", "Dette feltet må fylles ut."),
    ({"year": "1800"}, "year", "Skriv et årstall mellom 1990 og 2100."),
    ({"year": "tjuetretten"}, "year", "Skriv et helt tall, for eksempel 27 000."),
    ({"name": "  "}, "name", "Dette feltet må fylles ut."),
    ({"kind": "income", "category": "grant", "organisation": "SOGNDAL"}, "organisation",
     "En organisasjons egne linjer er kostnader; inntekter føres i det felles budsjettet."),
    ({"kind": "income", "category": "grant", "organisation": "alle"}, "organisation",
     "En organisasjons egne linjer er kostnader; inntekter føres i det felles budsjettet."),
    ({"kind": "income", "category": "salary"}, "category",
     "Kategorien passer ikke til en inntekt eller en kostnad."),
    ({"kind": "cost", "category": "grant"}, "category",
     "Kategorien passer ikke til en inntekt eller en kostnad."),
    ({"organisation": "LEIKANGER"}, "organisation", "Ugyldig valg."),
    ({"category": "bribes"}, "category", "Ugyldig valg."),
], ids=lambda value: None if isinstance(value, str) else "-".join(map(str, value.values())))
def test_a_bad_line_is_refused_with_the_message_at_the_field(app, sogn, katrine, change, field,
                                                             message):
    ids = {"SOGNDAL": str(sogn.sogndal), "LEIKANGER": str(sogn.leikanger)}
    change = {k: ids.get(v, v) for k, v in change.items()}
    data = line_data(**{k: v for k, v in change.items() if k in ("name", "amount", "year",
                                                                  "kind", "category",
                                                                  "organisation")})
    response = katrine.post(f"{sogn.base}/linjer/ny", data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, field) == message
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"',
                     page), f"{field} is not marked invalid"
    # What was typed is kept.
    assert input_value(page, "amount_ore") == data["amount_ore"]
    assert lines(app) == []


# ---- the overview: budget against actual and forecast --------------------------------------


@pytest.fixture
def budget_2013(app, sogn) -> dict[str, int]:
    """eHandel i Sogn's shared budget for 2013 (and one line for 2014), with actual costs."""
    made = {
        "grant": add_line(app, sogn.project, "Tilskot frå Difi", 300_000, kind=LineKind.INCOME),
        "transfer": add_line(app, sogn.project, "Overføring frå Innkjøpstenesta", 85_000,
                             kind=LineKind.INCOME, category=Category.TRANSFER),
        "salary": add_line(app, sogn.project, "Løn prosjektleiar", 300_000,
                           category=Category.SALARY),
        "travel": add_line(app, sogn.project, "Reise- og møteutgifter", 50_000,
                           category=Category.TRAVEL_MEETINGS, forecast_kroner=60_000),
        "launch": add_line(app, sogn.project, "Skipingsmøte", 15_000,
                           category=Category.TRAVEL_MEETINGS),
        "misc": add_line(app, sogn.project, "Diverse", 35_000),
        "salary_2014": add_line(app, sogn.project, "Løn prosjektleiar", 600_000, year=2014,
                                category=Category.SALARY),
    }
    for month in ("2013-05", "2013-06", "2013-07", "2013-08", "2013-09"):
        add_actual(app, sogn.project, made["salary"], month, 37_500)
    for month, kroner in (("2013-05", 6_200), ("2013-06", 8_150), ("2013-08", 4_300),
                          ("2013-09", 12_900)):
        add_actual(app, sogn.project, made["travel"], month, kroner)
    add_actual(app, sogn.project, made["launch"], "2013-04", 17_450)
    return made


def test_the_year_shows_budget_actual_forecast_and_deviation(app, sogn, katrine, budget_2013):
    page = overview(katrine, sogn)
    assert "Økonomi 2013: eHandel i Sogn" in plain(page)
    costs = table(page, "Felles kostnader 2013")
    assert column_heads(costs) == ["Linje", "Kategori", "Budsjett", "Regnskap", "Prognose",
                                   "Avvik"]
    # Actual: the sum of the months. Forecast: as given, else the larger of budget and actual.
    assert rows(costs) == {
        "Løn prosjektleiar": ["Lønn", "300 000 kr", "187 500 kr", "300 000 kr", "0 kr"],
        "Reise- og møteutgifter": ["Reiser og møter", "50 000 kr", "31 550 kr", "60 000 kr",
                                   "10 000 kr"],
        "Skipingsmøte": ["Reiser og møter", "15 000 kr", "17 450 kr", "17 450 kr", "2 450 kr"],
        "Diverse": ["Diverse", "35 000 kr", "0 kr", "35 000 kr", "0 kr"],
        "Sum": ["400 000 kr", "236 500 kr", "412 450 kr", "12 450 kr"],
    }
    summary = plain(section(page, "summary-heading"))
    assert "Inntekter 385 000 kr" in summary
    assert "Kostnader 400 000 kr" in summary
    assert "Resultat -15 000 kr" in summary
    assert "Prognose for kostnadene 412 450 kr (avvik 3,1 %)" in summary
    assert "Kostnadstoleranse ± 10 %" in summary
    assert "Innenfor toleransen" in summary
    assert "Utenfor toleransen" not in summary
    # The 2014 line is on 2014's page, not on 2013's.
    assert "600 000 kr" not in plain(costs)
    assert rows(table(overview(katrine, sogn, 2014), "Felles kostnader 2014")) == {
        "Løn prosjektleiar": ["Lønn", "600 000 kr", "0 kr", "600 000 kr", "0 kr"],
        "Sum": ["600 000 kr", "0 kr", "600 000 kr", "0 kr"],
    }


def test_the_years_chart_has_a_table_of_each_year_and_the_total(app, sogn, katrine,
                                                                budget_2013):
    page = overview(katrine, sogn)
    chart = re.search(r'<figure class="chart" id="budget-chart".*?</figure>', page, re.S)
    assert chart, "no chart of the years"
    assert "Felles kostnader per år: budsjett, regnskap og prognose" in plain(chart.group(0))
    assert 'data-chart="' in chart.group(0)
    years = re.search(r"<table\b.*?</table>", chart.group(0), re.S).group(0)
    assert rows(years) == {
        "2013": ["400 000 kr", "236 500 kr", "412 450 kr", "12 450 kr"],
        "2014": ["600 000 kr", "0 kr", "600 000 kr", "0 kr"],
        "Totalt": ["1 000 000 kr", "236 500 kr", "1 012 450 kr", "12 450 kr"],
    }
    # The year links: the project's years 2013 to 2015.
    nav = re.search(r'<nav aria-label="Budsjettår".*?</nav>', page, re.S).group(0)
    assert plain(nav) == "2013 2014 2015"
    assert 'href="/prosjekter/EHANDEL/okonomi/?ar=2013" aria-current="page"' in nav


@pytest.mark.parametrize("misc_forecast, tolerance, outside", [
    (80_000, 10, True),  # 457 450 against 400 000: 14,4 % over
    (80_000, 15, False),  # ... within the project's 15 %
    (62_550, 10, False),  # 440 000: exactly 10 % over is within
    (62_551, 10, True),  # one krone more is not
    (0, 10, False),  # 377 450: 5,6 % under
])
def test_a_forecast_outside_the_projects_cost_tolerance_is_flagged(
        app, sogn, katrine, budget_2013, misc_forecast, tolerance, outside):
    with app.app_context():
        db.session.get(Project, sogn.project).cost_tolerance_percent = tolerance
        db.session.get(BudgetLine, budget_2013["misc"]).forecast_ore = misc_forecast * 100
        db.session.commit()
    summary = plain(section(overview(katrine, sogn), "summary-heading"))
    assert f"Kostnadstoleranse ± {tolerance} %" in summary
    if outside:
        assert (f"Utenfor toleransen: prognosen for kostnadene avviker mer enn {tolerance} % "
                "fra budsjettet.") in summary
        assert "Innenfor toleransen" not in summary
    else:
        assert "Innenfor toleransen" in summary
        assert "Utenfor toleransen" not in summary


def test_large_underspending_is_outside_the_tolerance_too(app, sogn, katrine, budget_2013):
    with app.app_context():
        for name in ("salary", "misc"):
            db.session.get(BudgetLine, budget_2013[name]).forecast_ore = 0
        db.session.commit()
    summary = plain(section(overview(katrine, sogn), "summary-heading"))
    assert "Prognose for kostnadene 77 450 kr (avvik -80,6 %)" in summary
    assert "Utenfor toleransen" in summary


def test_the_organisations_own_costs_are_summed_per_organisation(app, sogn, katrine):
    add_line(app, sogn.project, "Tilknyting", 60_000, organisation=sogn.sogndal)
    add_line(app, sogn.project, "Integrasjon", 2_400, organisation=sogn.sogndal)
    luster = add_line(app, sogn.project, "Tilknyting", 60_000, organisation=sogn.luster)
    add_actual(app, sogn.project, luster, "2013-06", 61_000)
    page = overview(katrine, sogn)
    assert rows(table(page, "Egne kostnader per kommune 2013")) == {
        "Sogndal kommune": ["62 400 kr", "0 kr", "62 400 kr"],
        "Luster kommune": ["60 000 kr", "61 000 kr", "61 000 kr"],
        "Sum": ["122 400 kr", "61 000 kr", "123 400 kr"],
    }
    every = rows(table(page, "Hver kommunes egne kostnader 2013"))
    assert every["Sum"] == ["122 400 kr", "61 000 kr", "123 400 kr", "1 000 kr"]
    assert "Tilknyting Luster kommune" in every
    # Own costs are not the shared budget and do not count against its tolerance.
    assert "Kostnader 0 kr" in plain(section(page, "summary-heading"))


# ---- actual costs per month ------------------------------------------------------------------


def actual_data(period: str, amount: str, note: str = "") -> dict:
    return {"period": period, "amount_ore": amount, "note": note}


def month_rows(page: str) -> dict[str, list[str]]:
    found = re.search(r'<table\b.*?</table>', page.split('id="actuals-heading"', 1)[1], re.S)
    return {month: cells[:2] for month, cells in rows(found.group(0)).items()}


def test_an_actual_cost_is_entered_replaced_and_deleted(app, sogn, katrine):
    line = add_line(app, sogn.project, "Reise- og møteutgifter", 50_000)
    path = f"{sogn.base}/linjer/{line}"
    assert "Ingen regnskapstall ennå." in text(katrine.get(path))
    response = katrine.post(f"{path}/regnskap", actual_data("2013-05", "6 200", "Fra Visma"))
    assert response.status_code == 303
    assert response.headers["Location"] == path
    page = text(katrine.get(path))
    assert "Regnskapstallet for 2013-05 er lagret." in page
    assert month_rows(page) == {"mai 2013": ["6 200 kr", "Fra Visma"]}
    assert "Regnskap hittil 6 200 kr" in plain(page)
    assert actuals(app) == {(line, "2013-05"): (Decimal(6_200), "Fra Visma")}

    # The same month again replaces it; another month is added.
    assert katrine.post(f"{path}/regnskap", actual_data("2013-05", "6 450,50",
                                                        "Retta")).status_code == 303
    assert katrine.post(f"{path}/regnskap", actual_data("2013-6", "8 150")).status_code == 303
    assert actuals(app) == {(line, "2013-05"): (Decimal("6450.50"), "Retta"),
                            (line, "2013-06"): (Decimal(8_150), "")}
    page = text(katrine.get(path))
    assert month_rows(page) == {"mai 2013": ["6 450,50 kr", "Retta"],
                                "juni 2013": ["8 150 kr", ""]}
    assert "Regnskap hittil 14 600,50 kr" in plain(page)

    with app.app_context():
        may = db.session.query(ActualCost).filter_by(period="2013-05").one().id
    response = katrine.post(f"{path}/regnskap/{may}/slett")
    assert response.status_code == 303
    page = text(katrine.get(path))
    assert "Regnskapstallet er flyttet til papirkurven." in page
    assert month_rows(page) == {"juni 2013": ["8 150 kr", ""]}
    assert actuals(app) == {(line, "2013-06"): (Decimal(8_150), "")}


@pytest.mark.parametrize("line_year, period, amount, field, message", [
    (2013, "2012-12", "100", "period", "Måneden må være i budsjettåret 2013."),
    (2013, "2099-01", "100", "period", "Måneden må være i budsjettåret 2013."),
    (2099, "2099-01", "100", "period", "Måneden har ikke begynt ennå."),
    (2013, "2013-11", "100", "period", "Måneden har ikke begynt ennå."),  # today 15.10.2013
    (2013, "2013-13", "100", "period", "Skriv måneden som 2013-03."),
    (2013, "2013-Q1", "100", "period", "Skriv måneden som 2013-03."),
    (2013, "2013", "100", "period", "Skriv måneden som 2013-03."),
    (2013, "mai 2013", "100", "period", "Skriv måneden som 2013-03."),
    (2013, "", "100", "period", "Dette feltet må fylles ut."),
    (2013, "2013-05", "-100", "amount_ore", "Beløpet kan ikke være negativt."),
    (2013, "2013-05", "hundre", "amount_ore", "Skriv et beløp i kroner, for eksempel 85 000."),
    (2013, "2013-05", "", "amount_ore", "Dette feltet må fylles ut."),
])
def test_a_bad_actual_cost_is_refused_and_nothing_saved(app, sogn, katrine, line_year, period,
                                                        amount, field, message):
    line = add_line(app, sogn.project, "Reise", 50_000, year=line_year)
    response = katrine.post(f"{sogn.base}/linjer/{line}/regnskap",
                            actual_data(period, amount, "Kommentar"))
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, field) == message
    assert input_value(page, "period") == period
    assert input_value(page, "amount_ore") == amount
    assert actuals(app) == {}


def test_the_forecast_is_saved_and_a_stale_one_gets_409(app, sogn, katrine, make_client):
    line = add_line(app, sogn.project, "Reise", 50_000)
    path = f"{sogn.base}/linjer/{line}"
    page = text(katrine.get(path))
    assert "Prognose for året 50 000 kr (ikke satt: budsjett eller regnskap" in plain(page)
    version = input_value(page, "version_id")
    response = katrine.post(f"{path}/prognose", {"forecast_ore": "55 000",
                                                 "version_id": version})
    assert response.status_code == 303
    page = text(katrine.get(path))
    assert "Prognosen er lagret." in page
    assert "Prognose for året 55 000 kr" in plain(page)
    assert "ikke satt" not in page
    assert forecast_of(app, line) == 5_500_000
    assert rows(table(overview(katrine, sogn), "Felles kostnader 2013"))["Reise"] == [
        "Diverse", "50 000 kr", "0 kr", "55 000 kr", "5 000 kr"]

    # A second tab still has the old version.
    response = katrine.post(f"{path}/prognose", {"forecast_ore": "70 000",
                                                 "version_id": version})
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre endret linjen i mellomtiden." in page
    assert input_value(page, "forecast_ore") == "55000"
    assert forecast_of(app, line) == 5_500_000


@pytest.mark.parametrize("value, message", [
    ("-1", "Beløpet kan ikke være negativt."),
    ("mykje", "Skriv et beløp i kroner, for eksempel 85 000."),
])
def test_a_bad_forecast_is_refused(app, sogn, katrine, value, message):
    line = add_line(app, sogn.project, "Reise", 50_000)
    version = input_value(text(katrine.get(f"{sogn.base}/linjer/{line}")), "version_id")
    response = katrine.post(f"{sogn.base}/linjer/{line}/prognose",
                            {"forecast_ore": value, "version_id": version})
    assert response.status_code == 422
    assert field_error(text(response), "forecast_ore") == message
    assert forecast_of(app, line) is None


# ---- import of actual costs ------------------------------------------------------------------


@pytest.fixture
def import_lines(app, sogn) -> dict[str, int]:
    return {"travel": add_line(app, sogn.project, "Reise- og møteutgifter", 50_000),
            "salary": add_line(app, sogn.project, "Løn prosjektleiar", 300_000),
            "salary_2014": add_line(app, sogn.project, "Løn prosjektleiar", 600_000,
                                    year=2014)}


def upload(browser, path: str, content: bytes, filename: str = "regnskap.csv"):
    return browser.post(path, {"file": (io.BytesIO(content), filename)},
                        content_type="multipart/form-data")


def csv_bytes(lines_: list[str]) -> bytes:
    return ("\n".join(lines_) + "\n").encode("utf-8")


def good_rows(import_lines) -> list[str]:
    return ["linje;periode;beløp;kommentar",
            "Reise- og møteutgifter;2013-05;6 200;Fra Visma",
            "reise- og møteutgifter;2013-06;8 150,50;",
            f"{import_lines['salary']};2013-07;37 500 kr;Juli"]


def expected_import(import_lines) -> dict:
    return {(import_lines["travel"], "2013-05"): (Decimal(6_200), "Fra Visma"),
            (import_lines["travel"], "2013-06"): (Decimal("8150.50"), ""),
            (import_lines["salary"], "2013-07"): (Decimal(37_500), "Juli")}


def test_an_import_with_bad_rows_names_them_and_saves_nothing(app, sogn, katrine,
                                                              import_lines):
    assert katrine.get(f"{sogn.base}/import").status_code == 200
    content = csv_bytes(["linje;periode;beløp;kommentar",
                         "Reise- og møteutgifter;2013-05;6 200;Fra Visma",
                         "Ukjent linje;2013-05;100;",
                         "Reise- og møteutgifter;2013-13;100;",
                         "Reise- og møteutgifter;2013-07;-5;",
                         "Reise- og møteutgifter;2013-08;mange;",
                         "Reise- og møteutgifter;2013-05;300;"])
    response = upload(katrine, f"{sogn.base}/import", content)
    assert response.status_code == 422
    page = plain(text(response))
    assert "5 rader har feil. Ingenting er lagret." in page
    for error in ("Rad 3, kolonne linje: Prosjektet har ingen budsjettlinje som heter "
                  "«Ukjent linje».",
                  "Rad 4, kolonne periode: Skriv måneden som 2013-03.",
                  "Rad 5, kolonne beløp: Beløpet kan ikke være negativt.",
                  "Rad 6, kolonne beløp: «mange» er ikke et tall.",
                  "Rad 7, kolonne periode: Samme linje og måned som rad 2."):
        assert error in page
    assert "Rad 2," not in page
    assert input_value(text(response), "payload") is None
    assert actuals(app) == {}


def test_a_line_name_used_in_two_years_is_found_by_the_month(app, sogn, katrine,
                                                            import_lines):
    """"Løn prosjektleiar" is budgeted in 2013 and 2014: the month says which."""
    response = upload(katrine, f"{sogn.base}/import", csv_bytes([
        "linje;periode;beløp", "Løn prosjektleiar;2013-09;37 500"]))
    assert response.status_code == 200
    payload = input_value(text(response), "payload")
    assert katrine.post(f"{sogn.base}/import/lagre", {"payload": payload}).status_code == 303
    assert actuals(app) == {(import_lines["salary"], "2013-09"): (Decimal(37_500), "")}


def test_an_import_is_previewed_then_saved_all_at_once(app, sogn, katrine, import_lines):
    response = upload(katrine, f"{sogn.base}/import", csv_bytes(good_rows(import_lines)))
    assert response.status_code == 200
    page = text(response)
    assert "Alle 3 rader er sjekket og klare til å lagres." in plain(page)
    assert "Lagre 3 regnskapstall" in page
    assert actuals(app) == {}  # nothing saved by the preview
    payload = input_value(page, "payload")
    assert payload
    response = katrine.post(f"{sogn.base}/import/lagre", {"payload": payload})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{sogn.base}/"
    assert "3 regnskapstall er lagret." in text(katrine.get(f"{sogn.base}/"))
    assert actuals(app) == expected_import(import_lines)


def test_an_excel_file_is_imported(app, sogn, katrine, import_lines):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["Linje", "Periode", "Beløp", "Kommentar"],
                ["Reise- og møteutgifter", "2013-05", 6200, "Fra Visma"],
                ["Reise- og møteutgifter", "2013-06", 8150.5, None],
                [import_lines["salary"], "2013-07", 37500, "Juli"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(katrine, f"{sogn.base}/import", buffer.getvalue(), "regnskap.xlsx")
    assert response.status_code == 200, plain(text(response))
    assert "Alle 3 rader er sjekket og klare til å lagres." in plain(text(response))
    payload = input_value(text(response), "payload")
    assert katrine.post(f"{sogn.base}/import/lagre", {"payload": payload}).status_code == 303
    assert actuals(app) == expected_import(import_lines)


def test_a_bad_excel_row_is_named_and_nothing_saved(app, sogn, katrine, import_lines):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["linje", "periode", "beløp"],
                ["Reise- og møteutgifter", "2013-05", 6200],
                ["Reise- og møteutgifter", "2013-11", 100]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(katrine, f"{sogn.base}/import", buffer.getvalue(), "regnskap.xlsx")
    assert response.status_code == 422
    assert "Rad 3, kolonne periode: Måneden har ikke begynt ennå." in plain(text(response))
    assert actuals(app) == {}


@pytest.mark.parametrize("filename, content, message", [
    ("regnskap.csv", b"linje;kommentar\nReise;x\n",
     "Første rad må ha kolonnene linje, periode og beløp. Mangler: periode, beløp."),
    ("regnskap.csv", b"", "Filen er tom."),
    ("regnskap.pdf", b"%PDF", "Velg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
])
def test_a_file_that_cannot_be_read_is_refused(app, sogn, katrine, import_lines, filename,
                                               content, message):
    response = upload(katrine, f"{sogn.base}/import", content, filename)
    assert response.status_code == 422
    assert field_error(text(response), "file") == message
    assert actuals(app) == {}


def test_a_tampered_payload_is_400_and_saves_nothing(app, sogn, katrine, import_lines):
    payload = input_value(text(upload(katrine, f"{sogn.base}/import",
                                      csv_bytes(good_rows(import_lines)))), "payload")
    body, _, signature = payload.rpartition(".")
    for tampered in (body + "." + signature[::-1], body[:-2] + "AA." + signature, "", "x.y"):
        assert katrine.post(f"{sogn.base}/import/lagre",
                            {"payload": tampered}).status_code == 400
    assert actuals(app) == {}


def test_a_payload_for_another_project_is_400(app, sogn, katrine, import_lines, make_project,
                                             give_role, make_org):
    from governance.roles.models import ProjectRoleKind, User

    other = make_project(code="ANNA", name="Anna prosjekt")
    with app.app_context():
        user = db.session.query(User).filter_by(username="katrine").one()
    give_role(user, other, ProjectRoleKind.PROJECT_LEADER)
    payload = input_value(text(upload(katrine, f"{sogn.base}/import",
                                      csv_bytes(good_rows(import_lines)))), "payload")
    response = katrine.post("/prosjekter/ANNA/okonomi/import/lagre", {"payload": payload})
    assert response.status_code == 400
    assert actuals(app) == {}


def test_a_row_that_went_bad_after_the_preview_saves_none_of_them(app, sogn, katrine,
                                                                  import_lines):
    payload = input_value(text(upload(katrine, f"{sogn.base}/import",
                                      csv_bytes(good_rows(import_lines)))), "payload")
    with app.app_context():  # the line is renamed in the meantime
        db.session.get(BudgetLine, import_lines["travel"]).name = "Reiser"
        db.session.commit()
    response = katrine.post(f"{sogn.base}/import/lagre", {"payload": payload})
    assert response.status_code == 422
    assert ("Rad 2, kolonne linje: Prosjektet har ingen budsjettlinje som heter "
            "«Reise- og møteutgifter».") in plain(text(response))
    assert actuals(app) == {}


# ---- who may read and write ------------------------------------------------------------------


@pytest.fixture
def one_of_each(app, sogn) -> dict[str, int]:
    line = add_line(app, sogn.project, "Reise", 50_000)
    add_actual(app, sogn.project, line, "2013-05", 6_200)
    with app.app_context():
        actual = db.session.query(ActualCost).one().id
    return {"line": line, "actual": actual}


def writes(sogn, ids) -> list[tuple[str, dict]]:
    line = f"{sogn.base}/linjer/{ids['line']}"
    return [
        (f"{sogn.base}/linjer/ny", line_data("Ny", "1 000")),
        (f"{line}/rediger", line_data("Endra", "2 000", version="1")),
        (f"{line}/slett", {}),
        (f"{line}/regnskap", actual_data("2013-06", "500")),
        (f"{line}/regnskap/{ids['actual']}/slett", {}),
        (f"{line}/prognose", {"forecast_ore": "1", "version_id": "1"}),
        (f"{sogn.base}/import", {}),
        (f"{sogn.base}/import/lagre", {"payload": "x.y"}),
    ]


def reads(sogn, ids) -> list[str]:
    return [f"{sogn.base}/", f"{sogn.base}/?ar=2014", f"{sogn.base}/linjer/{ids['line']}"]


def unchanged(app, ids) -> None:
    assert lines(app) == [(2013, "cost", "misc", "Reise", Decimal(50_000), None)]
    assert actuals(app) == {(ids["line"], "2013-05"): (Decimal(6_200), "")}
    assert forecast_of(app, ids["line"]) is None


@pytest.mark.parametrize("member", ["kari", "ingrid"])
def test_members_who_are_not_leaders_read_but_do_not_write(app, sogn, one_of_each, member,
                                                           request):
    browser = request.getfixturevalue(member)
    for path in reads(sogn, one_of_each):
        response = browser.get(path)
        assert response.status_code == 200, path
    page = text(browser.get(f"{sogn.base}/linjer/{one_of_each['line']}"))
    assert "Før regnskap for en måned" not in page
    assert "Lagre prognosen" not in page
    overview_page = text(browser.get(f"{sogn.base}/"))
    assert "Ny budsjettlinje" not in overview_page
    assert "Importer regnskap" not in overview_page
    for path in (f"{sogn.base}/linjer/ny", f"{sogn.base}/linjer/{one_of_each['line']}/rediger",
                 f"{sogn.base}/import"):
        assert browser.get(path).status_code == 403, path
    for path, data in writes(sogn, one_of_each):
        assert browser.post(path, data).status_code == 403, path
    unchanged(app, one_of_each)


def test_someone_without_a_role_in_the_project_gets_404(app, sogn, one_of_each, olav):
    for path in reads(sogn, one_of_each):
        assert olav.get(path).status_code == 404, path
    for path, data in writes(sogn, one_of_each):
        assert olav.post(path, data).status_code == 404, path
    unchanged(app, one_of_each)


def test_another_projects_line_and_actual_are_404(app, sogn, katrine, one_of_each,
                                                 make_project, make_org):
    other = make_project(code="ANNA", name="Anna prosjekt")
    other_line = add_line(app, other.id, "Anna linje", 1_000)
    add_actual(app, other.id, other_line, "2013-05", 10)
    with app.app_context():
        other_actual = db.session.query(ActualCost).filter_by(line_id=other_line).one().id
    line = f"{sogn.base}/linjer/{other_line}"
    for path in (line, f"{line}/rediger"):
        assert katrine.get(path).status_code == 404, path
    for path, data in [(f"{line}/rediger", line_data("Kapra", "1", version="1")),
                       (f"{line}/slett", {}),
                       (f"{line}/regnskap", actual_data("2013-06", "1")),
                       (f"{line}/prognose", {"forecast_ore": "1", "version_id": "1"}),
                       (f"{line}/regnskap/{other_actual}/slett", {}),
                       # an actual of another line, through a line of the project
                       (f"{sogn.base}/linjer/{one_of_each['line']}/regnskap/{other_actual}/slett",
                        {})]:
        assert katrine.post(path, data).status_code == 404, path
    assert count(app, BudgetLine) == 2
    assert count(app, ActualCost) == 2
    assert lines(app)[0][3] == "Anna linje"


def test_an_actual_cost_of_0_kr_is_a_figure_not_a_missing_one(app, sogn, katrine):
    line = add_line(app, sogn.project, "Reise", 50_000)
    response = katrine.post(f"{sogn.base}/linjer/{line}/regnskap", actual_data("2013-07", "0"))
    assert response.status_code == 303
    assert actuals(app) == {(line, "2013-07"): (Decimal(0), "")}
