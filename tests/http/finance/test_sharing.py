"""Cost sharing over HTTP: keys (equal shares, population, a mix, fixed percentages), shared
costs, the comparison of every key side by side for Kongsbergregionen's 700 000 kr, choosing
the key (refused when a participant has no population for the year), the settlement per
municipality and its CSV and Excel exports, and who may read and write. The world is in
support.py."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from governance.extensions import db
from governance.finance.models import CostKey, SharedCost
from governance.finance.sharing import KeyMethod
from governance.organisations.models import OrganisationYear
from tests.http.finance.support import (
    SEVEN,
    add_key,
    add_line,
    add_shared_cost,
    chosen_key,
    column_heads,
    count,
    keys,
    plain,
    rows,
    table,
)
from tests.pages import field_error, input_value, text

COORDINATOR = "Regional innkjøpskoordinator"
COMPARISON = f"{COORDINATOR} fordelt etter hver nøkkel, i kroner"
FIXED = {"Kongsberg kommune": "40", "Notodden kommune": "20", "Tinn kommune": "12",
         "Nore og Uvdal kommune": "8", "Flesberg kommune": "8", "Hjartdal kommune": "6",
         "Rollag kommune": "6"}

# 700 000 kr among the seven, in whole kroner, by each key (worked out by hand: see
# tests/unit/test_finance.py for the rounding rule).
EXPECTED = {
    "Like deler": dict.fromkeys(SEVEN, 100_000),
    "Folketall": {"Flesberg kommune": 35_478, "Hjartdal kommune": 21_832,
                  "Kongsberg kommune": 335_672, "Nore og Uvdal kommune": 35_478,
                  "Notodden kommune": 169_201, "Rollag kommune": 19_103,
                  "Tinn kommune": 83_236},
    # 50 000 each, and 350 000 by population; the 4 kroner left over go to Tinn (0,93),
    # Flesberg and Nore og Uvdal (0,79 each) and Rollag (0,66).
    "50 % likt, 50 % folketall": {"Flesberg kommune": 67_739, "Hjartdal kommune": 60_916,
                                  "Kongsberg kommune": 217_836,
                                  "Nore og Uvdal kommune": 67_739,
                                  "Notodden kommune": 134_600, "Rollag kommune": 59_552,
                                  "Tinn kommune": 91_618},
    "Faste prosentandeler": {name: 7_000 * int(percent) for name, percent in FIXED.items()},
}


def kr(kroner: int) -> str:
    return f"{kroner:,}".replace(",", " ") + " kr"


def key_data(name: str, method: str, equal: str = "", percents: dict[int, str] | None = None,
             version: str | None = None) -> dict:
    data = {"name": name, "method": method, "equal_percent": equal}
    data.update({f"percent-{org}": value for org, value in (percents or {}).items()})
    if version is not None:
        data["version_id"] = version
    return data


def fixed_percents(kongsberg, **changes) -> dict[int, str]:
    chosen = {**FIXED, **{name.replace("_", " "): value for name, value in changes.items()}}
    return {kongsberg.orgs[name]: value for name, value in chosen.items()}


@pytest.fixture
def four_keys(app, kongsberg) -> dict[str, int]:
    """The demo's four keys, and the coordinator's 700 000 kr for 2008 (no key chosen)."""
    made = {
        "Like deler": add_key(app, kongsberg.project, "Like deler", KeyMethod.EQUAL),
        "Folketall": add_key(app, kongsberg.project, "Folketall", KeyMethod.POPULATION),
        "50 % likt, 50 % folketall": add_key(app, kongsberg.project,
                                             "50 % likt, 50 % folketall", KeyMethod.MIX,
                                             Decimal(50)),
        "Faste prosentandeler": add_key(
            app, kongsberg.project, "Faste prosentandeler", KeyMethod.FIXED,
            percents={kongsberg.orgs[n]: Decimal(p) for n, p in FIXED.items()}),
    }
    made["cost"] = add_shared_cost(app, kongsberg.project, COORDINATOR, 700_000)
    return made


def sharing_page(browser, kongsberg, status: int = 200) -> str:
    response = browser.get(f"{kongsberg.base}/fordeling")
    assert response.status_code == status
    return text(response)


def choose(browser, kongsberg, cost: int, key: int | str, version: str = "1"):
    return browser.post(f"{kongsberg.base}/kostnader/{cost}/nokkel",
                        {f"c{cost}-key_id": str(key), f"c{cost}-version_id": version})


def remove_population(app, kongsberg, name: str, year: int = 2008) -> None:
    with app.app_context():
        db.session.execute(delete(OrganisationYear).where(
            OrganisationYear.organisation_id == kongsberg.orgs[name],
            OrganisationYear.year == year))
        db.session.commit()


# ---- keys -------------------------------------------------------------------------------------


def test_the_leader_makes_the_four_kinds_of_key(app, kongsberg, kristin):
    page = text(kristin.get(f"{kongsberg.base}/nokler/ny"))
    for name in SEVEN:
        assert f'<label class="ds-label" for="percent-{kongsberg.orgs[name]}">{name} (%)' in page
    for data in (key_data("Like deler", "equal"),
                 key_data("Folketall", "population"),
                 key_data("Halvt om halvt", "mix", equal="50"),
                 key_data("Faste prosentandeler", "fixed",
                          percents=fixed_percents(kongsberg, Tinn_kommune="11,5",
                                                  Rollag_kommune="6,5"))):
        response = kristin.post(f"{kongsberg.base}/nokler/ny", data)
        assert response.status_code == 303, field_error(text(response), "percent")
        assert response.headers["Location"] == f"{kongsberg.base}/fordeling"
    saved = keys(app)
    assert saved["Like deler"] == ("equal", None, {})
    assert saved["Folketall"] == ("population", None, {})
    assert saved["Halvt om halvt"][:2] == ("mix", Decimal(50))
    assert saved["Faste prosentandeler"] == ("fixed", None, {
        kongsberg.orgs[name]: Decimal(value.replace(",", "."))
        for name, value in {**FIXED, "Tinn kommune": "11,5", "Rollag kommune": "6,5"}.items()})
    page = sharing_page(kristin, kongsberg)
    assert "Fordelingsnøkkelen er lagret." in page
    listed = plain(re.search(r'<section aria-labelledby="keys-heading".*?</section>', page,
                             re.S).group(0)).replace(" :", ":")
    assert "Like deler: Like deler" in listed
    assert "Folketall: Etter folketall" in listed
    assert "Halvt om halvt: 50 % likt, resten etter folketall" in listed
    assert "Faste prosentandeler: Faste prosentandeler" in listed


@pytest.mark.parametrize("changes, total", [
    ({"Kongsberg_kommune": "39,5"}, "99,5"),
    ({"Kongsberg_kommune": "50"}, "110"),
])
def test_fixed_percentages_that_do_not_add_up_to_100_are_refused(app, kongsberg, kristin,
                                                                 changes, total):
    data = key_data("Faste prosentandeler", "fixed",
                    percents=fixed_percents(kongsberg, **changes))
    response = kristin.post(f"{kongsberg.base}/nokler/ny", data)
    assert response.status_code == 422
    page = text(response)
    message = f"Prosentandelene må bli 100 til sammen; nå blir de {total}."
    assert field_error(page, "percent") == message
    # The fieldset and every percent input point at the message; the summary links to it.
    assert re.search(r'<fieldset[^>]*id="percent-field"[^>]*aria-describedby="percent-error"',
                     page)
    kongsberg_id = kongsberg.orgs["Kongsberg kommune"]
    assert re.search(rf'id="percent-{kongsberg_id}"[^>]*aria-invalid="true"'
                     r'[^>]*aria-describedby="percent-error"', page)
    assert message in plain(re.search(r"data-error-summary.*?</div>", page, re.S).group(0))
    # What was typed is kept.
    assert input_value(page, f"percent-{kongsberg_id}") == changes["Kongsberg_kommune"]
    assert input_value(page, "name") == "Faste prosentandeler"
    assert keys(app) == {}


@pytest.mark.parametrize("data, field, message", [
    (key_data("Faste", "fixed", percents={}), "percent",
     "Mangler prosent for Flesberg kommune, Hjartdal kommune, Kongsberg kommune, "
     "Nore og Uvdal kommune, Notodden kommune, Rollag kommune, Tinn kommune."),
    (key_data("Blanding", "mix"), "equal_percent",
     "Skriv hvor mange prosent som fordeles likt, fra 0 til 100."),
    (key_data("Blanding", "mix", equal="150"), "equal_percent",
     "Skriv hvor mange prosent som fordeles likt, fra 0 til 100."),
    (key_data("Blanding", "mix", equal="halvparten"), "equal_percent",
     "Skriv et tall, for eksempel 15,5."),
    (key_data("", "equal"), "name", "Dette feltet må fylles ut."),
    (key_data("Loddtrekning", "lottery"), "method", "Ugyldig valg."),
])
def test_a_bad_key_is_refused_and_nothing_saved(app, kongsberg, kristin, data, field, message):
    response = kristin.post(f"{kongsberg.base}/nokler/ny", data)
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert keys(app) == {}


def test_a_percentage_that_is_no_number_names_the_municipality(app, kongsberg, kristin):
    response = kristin.post(f"{kongsberg.base}/nokler/ny", key_data(
        "Faste", "fixed", percents=fixed_percents(kongsberg, Tinn_kommune="tolv")))
    assert response.status_code == 422
    assert field_error(text(response), "percent") == (
        "Prosentandelen for Tinn kommune er ikke et tall; skriv for eksempel 12,5.")
    assert keys(app) == {}


def test_two_keys_may_not_have_the_same_name(app, kongsberg, kristin, four_keys):
    response = kristin.post(f"{kongsberg.base}/nokler/ny", key_data("Folketall", "equal"))
    assert response.status_code == 422
    assert field_error(text(response), "name") == (
        "Prosjektet har allerede en nøkkel med dette navnet.")
    assert count(app, CostKey) == 4


def test_a_key_is_edited_and_a_stale_edit_gets_409(app, kongsberg, kristin, four_keys):
    key = four_keys["Faste prosentandeler"]
    form = text(kristin.get(f"{kongsberg.base}/nokler/{key}/rediger"))
    assert input_value(form, f"percent-{kongsberg.orgs['Kongsberg kommune']}") == "40"
    version = input_value(form, "version_id")
    changed = fixed_percents(kongsberg, Kongsberg_kommune="35", Notodden_kommune="25")
    assert kristin.post(f"{kongsberg.base}/nokler/{key}/rediger", key_data(
        "Faste prosentandeler", "fixed", percents=changed, version=version)).status_code == 303
    response = kristin.post(f"{kongsberg.base}/nokler/{key}/rediger", key_data(
        "Faste prosentandeler", "fixed", percents=fixed_percents(kongsberg), version=version))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret endringer i mellomtiden." in page
    assert input_value(page, f"percent-{kongsberg.orgs['Kongsberg kommune']}") == "35"
    assert keys(app)["Faste prosentandeler"][2][kongsberg.orgs["Kongsberg kommune"]] == 35
    assert keys(app)["Faste prosentandeler"][2][kongsberg.orgs["Notodden kommune"]] == 25


def test_deleting_the_chosen_key_leaves_the_cost_without_a_key(app, kongsberg, kristin,
                                                               four_keys):
    cost = four_keys["cost"]
    assert choose(kristin, kongsberg, cost, four_keys["Folketall"]).status_code == 303
    response = kristin.post(f"{kongsberg.base}/nokler/{four_keys['Folketall']}/slett")
    assert response.status_code == 303
    assert chosen_key(app, cost) is None
    page = sharing_page(kristin, kongsberg)
    assert "Fordelingsnøkkelen er slettet." in page
    assert "Ingen nøkkel valgt ennå." in plain(page)
    assert column_heads(table(page, COMPARISON)) == [
        "Deltaker", "Folketall 2008", "Like deler", "50 % likt, 50 % folketall",
        "Faste prosentandeler"]


# ---- shared costs and the comparison --------------------------------------------------------


def test_the_leader_adds_a_shared_cost(app, kongsberg, kristin):
    assert kristin.get(f"{kongsberg.base}/kostnader/ny?ar=2008").status_code == 200
    response = kristin.post(f"{kongsberg.base}/kostnader/ny", {
        "year": "2008", "name": COORDINATOR, "amount_kroner": "700 000", "key_id": "",
        "note": "Sak 072/07"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{kongsberg.base}/fordeling"
    with app.app_context():
        [cost] = db.session.query(SharedCost).all()
        assert (cost.year, cost.name, cost.amount_kroner, cost.key_id, cost.note) == (
            2008, COORDINATOR, 700_000, None, "Sak 072/07")
    page = plain(sharing_page(kristin, kongsberg))
    assert "Den felles kostnaden er lagret." in page
    assert f"{COORDINATOR}, 2008: 700 000 kr" in page
    assert "Lag en fordelingsnøkkel for å se fordelingen." in page


@pytest.mark.parametrize("change, field, message", [
    ({"amount_kroner": "-700 000"}, "amount_kroner", "Skriv et helt tall, for eksempel 27 000."),
    ({"amount_kroner": "700 000,50"}, "amount_kroner",
     "Skriv et helt tall, for eksempel 27 000."),
    ({"amount_kroner": "sjuhundretusen"}, "amount_kroner",
     "Skriv et helt tall, for eksempel 27 000."),
    ({"amount_kroner": ""}, "amount_kroner", "Dette feltet må fylles ut."),
    ({"year": "1800"}, "year", "Skriv et årstall mellom 1990 og 2100."),
    ({"name": ""}, "name", "Dette feltet må fylles ut."),
    ({"key_id": "999999"}, "key_id", "Ugyldig valg."),
])
def test_a_bad_shared_cost_is_refused(app, kongsberg, kristin, change, field, message):
    data = {"year": "2008", "name": COORDINATOR, "amount_kroner": "700 000", "key_id": "",
            **change}
    response = kristin.post(f"{kongsberg.base}/kostnader/ny", data)
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert count(app, SharedCost) == 0


def test_the_seven_municipalities_shares_under_each_key_add_up_to_700_000(app, kongsberg,
                                                                        kristin, four_keys):
    comparison = table(sharing_page(kristin, kongsberg), COMPARISON)
    assert column_heads(comparison) == ["Deltaker", "Folketall 2008", *EXPECTED]
    found = rows(comparison)
    assert list(found) == [*SEVEN, "Sum"]
    populations = {"Kongsberg kommune": "24 600", "Notodden kommune": "12 400",
                   "Tinn kommune": "6 100", "Nore og Uvdal kommune": "2 600",
                   "Flesberg kommune": "2 600", "Hjartdal kommune": "1 600",
                   "Rollag kommune": "1 400"}
    for name in SEVEN:
        assert found[name] == [populations[name], *(kr(EXPECTED[key][name]) for key in EXPECTED)]
    # Each key's column adds up to exactly the cost.
    assert found["Sum"] == ["", "700 000 kr", "700 000 kr", "700 000 kr", "700 000 kr"]
    for key in EXPECTED:
        assert sum(EXPECTED[key].values()) == 700_000


def test_the_shares_chart_has_every_key_and_a_caption(app, kongsberg, kristin, four_keys):
    page = sharing_page(kristin, kongsberg)
    chart = re.search(rf'<figure class="chart" id="shares-chart-{four_keys["cost"]}".*?</figure>',
                      page, re.S)
    assert chart, "no chart of the shares"
    assert (f"Andel per kommune for {COORDINATOR} etter hver nøkkel"
            in plain(chart.group(0).split("<details", 1)[0]))
    data = chart.group(0)
    for key in EXPECTED:
        assert f"&#34;name&#34;:&#34;{key}&#34;" in data
    assert "335672" in data  # Kongsberg by population


def test_a_cost_in_a_year_without_populations_shows_why_a_key_cannot_be_used(
        app, kongsberg, kristin, four_keys):
    remove_population(app, kongsberg, "Rollag kommune")
    found = rows(table(sharing_page(kristin, kongsberg), COMPARISON))
    assert found["Rollag kommune"][0] == "mangler"
    assert found["Rollag kommune"][1:] == ["100 000 kr", "–", "–", "42 000 kr"]
    assert found["Sum"] == ["", "700 000 kr", "Mangler folketall for Rollag kommune.",
                            "Mangler folketall for Rollag kommune.", "700 000 kr"]


# ---- choosing the key -----------------------------------------------------------------------


def test_choosing_a_population_key_without_a_population_is_refused(app, kongsberg, kristin,
                                                                   four_keys):
    cost = four_keys["cost"]
    assert choose(kristin, kongsberg, cost, four_keys["Like deler"]).status_code == 303
    remove_population(app, kongsberg, "Rollag kommune")
    for key in ("Folketall", "50 % likt, 50 % folketall"):
        response = choose(kristin, kongsberg, cost, four_keys[key], version="2")
        assert response.status_code == 422
        page = text(response)
        assert field_error(page, f"c{cost}-key_id") == (
            "Nøkkelen kan ikke brukes for 2008: Mangler folketall for Rollag kommune.")
        assert chosen_key(app, cost) == four_keys["Like deler"]
    with app.app_context():
        assert db.session.get(SharedCost, cost).version_id == 2


def test_a_chosen_key_is_used_in_the_settlement(app, kongsberg, kristin, four_keys):
    cost = four_keys["cost"]
    response = choose(kristin, kongsberg, cost, four_keys["Folketall"])
    assert response.status_code == 303
    assert response.headers["Location"] == f"{kongsberg.base}/fordeling#kostnad-{cost}"
    assert chosen_key(app, cost) == four_keys["Folketall"]
    page = sharing_page(kristin, kongsberg)
    assert f"«Folketall» er valgt for {COORDINATOR}." in page
    assert "Valgt nøkkel: Folketall." in plain(page)
    assert column_heads(table(page, COMPARISON))[3] == "Folketall valgt"

    # Each municipality's own costs for 2008: a local procurement resource, 20 000 kr each;
    # Kongsberg has spent 5 000 kr of it.
    for name, org in kongsberg.orgs.items():
        line = add_line(app, kongsberg.project, "Lokal innkjøpsressurs", 20_000, year=2008,
                        organisation=org)
        if name == "Kongsberg kommune":
            from tests.http.finance.support import add_actual

            add_actual(app, kongsberg.project, line, "2008-03", 5_000)
    # Another cost without a key, and one in another year.
    add_shared_cost(app, kongsberg.project, "Felles anbodsverktøy", 70_000)
    add_shared_cost(app, kongsberg.project, COORDINATOR, 720_000, year=2009,
                    key=four_keys["Like deler"])

    response = kristin.get(f"{kongsberg.base}/oppgjor?ar=2008")
    assert response.status_code == 200
    page = text(response)
    assert "Oppgjør 2008: Innkjøpssamarbeid i Kongsbergregionen" in plain(page)
    settlement = table(page, "Oppgjør per kommune 2008")
    assert column_heads(settlement) == ["Kommune", "Andel av felles kostnader",
                                        "Egne kostnader (budsjett)",
                                        "Egne kostnader (regnskap)", "Sum"]
    found = rows(settlement)
    for name in SEVEN:
        share = EXPECTED["Folketall"][name]
        spent = "5 000 kr" if name == "Kongsberg kommune" else "0 kr"
        assert found[name] == [kr(share), "20 000 kr", spent, kr(share + 20_000)], name
    assert found["Sum"] == ["700 000 kr", "140 000 kr", "5 000 kr", "840 000 kr"]
    assert ("Ikke med i oppgjøret ennå: Felles anbodsverktøy (70 000 kr): ingen nøkkel valgt"
            in plain(page))
    assert f"{COORDINATOR}: 700 000 kr – fordelt etter «Folketall»" in plain(page)
    assert "720 000" not in page
    # 2009's settlement has 2009's cost, in equal shares.
    found_2009 = rows(table(text(kristin.get(f"{kongsberg.base}/oppgjor?ar=2009")),
                            "Oppgjør per kommune 2009"))
    assert found_2009["Sum"] == ["720 000 kr", "0 kr", "0 kr", "720 000 kr"]
    assert found_2009["Tinn kommune"] == ["102 857 kr", "0 kr", "0 kr", "102 857 kr"]


def test_a_key_that_can_no_longer_be_applied_is_left_out_of_the_settlement_with_why(
        app, kongsberg, kristin, four_keys):
    assert choose(kristin, kongsberg, four_keys["cost"], four_keys["Folketall"]).status_code \
        == 303
    remove_population(app, kongsberg, "Hjartdal kommune")
    page = text(kristin.get(f"{kongsberg.base}/oppgjor?ar=2008"))
    assert (f"Ikke med i oppgjøret ennå: {COORDINATOR} (700 000 kr): Mangler folketall for "
            "Hjartdal kommune.") in plain(page)
    assert rows(table(page, "Oppgjør per kommune 2008"))["Sum"][0] == "0 kr"


def test_a_stale_choice_gets_409_with_the_current_one(app, kongsberg, kristin, four_keys):
    cost = four_keys["cost"]
    assert choose(kristin, kongsberg, cost, four_keys["Like deler"]).status_code == 303
    response = choose(kristin, kongsberg, cost, four_keys["Folketall"], version="1")
    assert response.status_code == 409
    page = text(response)
    assert field_error(page, f"c{cost}-key_id") == (
        "Noen andre endret valget i mellomtiden. Her er det gjeldende.")
    selected = re.search(rf'<select[^>]*name="c{cost}-key_id".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="\d+">Like deler</option>', selected)
    assert chosen_key(app, cost) == four_keys["Like deler"]


def test_another_projects_key_cannot_be_chosen(app, kongsberg, kristin, four_keys, sogn):
    other = add_key(app, sogn.project, "Anna nøkkel", KeyMethod.EQUAL)
    response = choose(kristin, kongsberg, four_keys["cost"], other)
    assert response.status_code == 422
    assert field_error(text(response), f"c{four_keys['cost']}-key_id") == "Ugyldig valg."
    assert chosen_key(app, four_keys["cost"]) is None


def test_the_key_is_taken_away_again(app, kongsberg, kristin, four_keys):
    cost = four_keys["cost"]
    assert choose(kristin, kongsberg, cost, four_keys["Folketall"]).status_code == 303
    assert choose(kristin, kongsberg, cost, "", version="2").status_code == 303
    assert chosen_key(app, cost) is None
    assert f"Nøkkelen er fjernet fra {COORDINATOR}." in sharing_page(kristin, kongsberg)


# ---- exports ---------------------------------------------------------------------------------


def test_the_settlement_exports_as_csv(app, kongsberg, kristin, four_keys):
    choose(kristin, kongsberg, four_keys["cost"], four_keys["Folketall"])
    line = add_line(app, kongsberg.project, "Lokal ressurs", 20_000, year=2008,
                    organisation=kongsberg.orgs["Tinn kommune"])
    from tests.http.finance.support import add_actual

    add_actual(app, kongsberg.project, line, "2008-02", 1_234)
    page = text(kristin.get(f"{kongsberg.base}/oppgjor?ar=2008"))
    assert f'href="{kongsberg.base}/oppgjor/2008.csv"' in page
    assert f'href="{kongsberg.base}/oppgjor/2008.xlsx"' in page
    response = kristin.get(f"{kongsberg.base}/oppgjor/2008.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="oppgjor-KONGSBERG-2008.csv"')
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # so that Excel reads it as UTF-8
    table_ = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert table_[0] == ["Organisasjon", "Andel av felles kostnader (kr)",
                         "Egne kostnader, budsjett (kr)", "Egne kostnader, regnskap (kr)",
                         "Sum (kr)"]
    by_name = {row[0]: row[1:] for row in table_[1:]}
    assert list(by_name) == [*SEVEN, "Sum"]
    assert by_name["Kongsberg kommune"] == ["335672", "0", "0", "335672"]
    assert by_name["Tinn kommune"] == ["83236", "20000", "1234", "103236"]
    assert by_name["Sum"] == ["700000", "20000", "1234", "720000"]


def test_the_settlement_exports_as_excel_with_numbers(app, kongsberg, kristin, four_keys):
    choose(kristin, kongsberg, four_keys["cost"], four_keys["Folketall"])
    add_line(app, kongsberg.project, "Lokal ressurs", 0, year=2008,
             organisation=kongsberg.orgs["Tinn kommune"])
    with app.app_context():
        from governance.finance.models import BudgetLine

        db.session.query(BudgetLine).one().amount_ore = 2_000_050  # 20 000,50 kr
        db.session.commit()
    response = kristin.get(f"{kongsberg.base}/oppgjor/2008.xlsx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="oppgjor-KONGSBERG-2008.xlsx"')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "2008"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Organisasjon", "Andel av felles kostnader (kr)",
                         "Egne kostnader, budsjett (kr)", "Egne kostnader, regnskap (kr)",
                         "Sum (kr)"]
    by_name = {row[0]: row[1:] for row in values[1:]}
    assert list(by_name) == [*SEVEN, "Sum"]
    assert by_name["Kongsberg kommune"] == [335672, 0, 0, 335672]
    assert by_name["Tinn kommune"] == [83236, 20000.5, 0, 103236.5]
    assert by_name["Sum"] == [700000, 20000.5, 0, 720000.5]
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            assert cell.data_type == "n", cell.coordinate


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x.example\",\"Klikk\")",
                                  "+47 kommune", "-1 kommune", "@SUM(A1) kommune"])
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
        app, make_org, make_project, make_user, give_role, make_client, name):
    from governance.roles.models import ProjectRoleKind

    tricky = make_org(name=name)
    plain_org = make_org(name="Vanleg kommune")
    project = make_project(code="FORMEL", owners=[plain_org], participants=[tricky, plain_org])
    leader = make_user(username="leiar")
    give_role(leader, project, ProjectRoleKind.PROJECT_LEADER)
    key = add_key(app, project.id, "Like deler", KeyMethod.EQUAL)
    add_shared_cost(app, project.id, "=1+1", 1_000, year=2013, key=key)
    browser = make_client()
    assert browser.login("leiar").status_code == 303
    base = "/prosjekter/FORMEL/okonomi/oppgjor/2013"

    body = browser.get(f"{base}.csv").get_data(as_text=True).lstrip("\ufeff")
    found = {row[0]: row[1:] for row in csv.reader(io.StringIO(body), delimiter=";")}
    assert found["'" + name] == ["500", "0", "0", "500"]
    assert name not in found

    sheet = load_workbook(io.BytesIO(browser.get(f"{base}.xlsx").get_data())).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert "'" + name in cells
    assert cells["'" + name].data_type == "s"
    assert sheet.cell(row=list(cells).index("'" + name) + 2, column=2).value == 500
    # On the page the name is shown as it is, escaped.
    page = text(browser.get("/prosjekter/FORMEL/okonomi/oppgjor?ar=2013"))
    assert name.replace('"', "&#34;") in page or name.replace('"', "&quot;") in page


@pytest.mark.parametrize("path", ["oppgjor/2008.pdf", "oppgjor/1800.csv", "oppgjor/2008.json"])
def test_other_exports_are_no_page(app, kongsberg, kristin, path):
    assert kristin.get(f"{kongsberg.base}/{path}").status_code == 404


# ---- who may read and write ------------------------------------------------------------------


@pytest.fixture
def sogn_sharing(app, sogn) -> dict[str, int]:
    """eHandel i Sogn shares a cost of 2013 equally between Sogndal and Luster."""
    key = add_key(app, sogn.project, "Like deler", KeyMethod.EQUAL)
    cost = add_shared_cost(app, sogn.project, "Felles prosjektleiar", 100_000, year=2013,
                           key=key)
    return {"key": key, "cost": cost}


def sharing_writes(sogn, ids) -> list[tuple[str, dict]]:
    key, cost = ids["key"], ids["cost"]
    return [
        (f"{sogn.base}/nokler/ny", key_data("Ny", "equal")),
        (f"{sogn.base}/nokler/{key}/rediger", key_data("Endra", "equal", version="1")),
        (f"{sogn.base}/nokler/{key}/slett", {}),
        (f"{sogn.base}/kostnader/ny", {"year": "2013", "name": "Ny", "amount_kroner": "1"}),
        (f"{sogn.base}/kostnader/{cost}/rediger",
         {"year": "2013", "name": "Endra", "amount_kroner": "1", "version_id": "1"}),
        (f"{sogn.base}/kostnader/{cost}/slett", {}),
        (f"{sogn.base}/kostnader/{cost}/nokkel", {f"c{cost}-key_id": "",
                                                   f"c{cost}-version_id": "1"}),
    ]


def sharing_unchanged(app, ids) -> None:
    assert keys(app) == {"Like deler": ("equal", None, {})}
    with app.app_context():
        cost = db.session.get(SharedCost, ids["cost"])
        assert (cost.name, cost.amount_kroner, cost.key_id) == (
            "Felles prosjektleiar", 100_000, ids["key"])


@pytest.mark.parametrize("member", ["kari", "ingrid"])
def test_members_read_the_sharing_and_settlement_but_do_not_change_them(
        app, sogn, sogn_sharing, member, request):
    browser = request.getfixturevalue(member)
    page = text(browser.get(f"{sogn.base}/fordeling"))
    assert rows(table(page, "Felles prosjektleiar fordelt etter hver nøkkel, i kroner")) == {
        "Luster kommune": ["mangler", "50 000 kr"], "Sogndal kommune": ["mangler", "50 000 kr"],
        "Sum": ["", "100 000 kr"]}
    assert "Bruk nøkkelen" not in page
    assert "Ny fordelingsnøkkel" not in page
    settlement = text(browser.get(f"{sogn.base}/oppgjor?ar=2013"))
    assert rows(table(settlement, "Oppgjør per kommune 2013"))["Sum"][0] == "100 000 kr"
    for fmt in ("csv", "xlsx"):
        assert browser.get(f"{sogn.base}/oppgjor/2013.{fmt}").status_code == 200
    for path in (f"{sogn.base}/nokler/ny", f"{sogn.base}/nokler/{sogn_sharing['key']}/rediger",
                 f"{sogn.base}/kostnader/ny",
                 f"{sogn.base}/kostnader/{sogn_sharing['cost']}/rediger"):
        assert browser.get(path).status_code == 403, path
    for path, data in sharing_writes(sogn, sogn_sharing):
        assert browser.post(path, data).status_code == 403, path
    sharing_unchanged(app, sogn_sharing)


def test_someone_without_a_role_gets_404_on_the_sharing(app, sogn, sogn_sharing, olav):
    for path in (f"{sogn.base}/fordeling", f"{sogn.base}/oppgjor?ar=2013",
                 f"{sogn.base}/oppgjor/2013.csv", f"{sogn.base}/oppgjor/2013.xlsx",
                 f"{sogn.base}/nokler/ny", f"{sogn.base}/kostnader/ny"):
        assert olav.get(path).status_code == 404, path
    for path, data in sharing_writes(sogn, sogn_sharing):
        assert olav.post(path, data).status_code == 404, path
    sharing_unchanged(app, sogn_sharing)


def test_another_projects_key_and_cost_are_404(app, sogn, sogn_sharing, kongsberg, kristin):
    """Kristin leads Kongsbergregionen's project; eHandel i Sogn's key and cost are not hers,
    not even through her own project's address."""
    key, cost = sogn_sharing["key"], sogn_sharing["cost"]
    base = kongsberg.base
    for path in (f"{base}/nokler/{key}/rediger", f"{base}/kostnader/{cost}/rediger"):
        assert kristin.get(path).status_code == 404, path
    for path, data in [
            (f"{base}/nokler/{key}/rediger", key_data("Kapra", "equal", version="1")),
            (f"{base}/nokler/{key}/slett", {}),
            (f"{base}/kostnader/{cost}/rediger",
             {"year": "2013", "name": "Kapra", "amount_kroner": "1", "version_id": "1"}),
            (f"{base}/kostnader/{cost}/slett", {}),
            (f"{base}/kostnader/{cost}/nokkel", {f"c{cost}-key_id": "",
                                                  f"c{cost}-version_id": "1"})]:
        assert kristin.post(path, data).status_code == 404, path
    for path in (f"{sogn.base}/fordeling", f"{sogn.base}/oppgjor/2013.csv"):
        assert kristin.get(path).status_code == 404, path
    sharing_unchanged(app, sogn_sharing)
