"""Administration of organisations over HTTP: access, validation, optimistic lock, figures."""

from __future__ import annotations

import html
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from governance.extensions import db
from governance.organisations.models import Organisation, OrganisationKind, OrganisationYear
from tests.pages import field_error, input_value, text

BASE = "/admin/organisasjoner"
NBSP = "\u00a0"


# ---- helpers -----------------------------------------------------------------------








def selected_option(page: str, name: str) -> str | None:
    """The value of the chosen option of the <select name=...>, or None."""
    select_tag = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select_tag is None:
        return None
    option = re.search(r'<option[^>]*\bselected\b[^>]*>', select_tag.group(1))
    value = re.search(r'\bvalue="([^"]*)"', option.group(0)) if option else None
    return html.unescape(value.group(1)) if value else None


def history_entries(page: str) -> list[dict]:
    """The history table as read on screen: who, what, and {field: (before, after)}."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    entries: list[dict] = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S):
        first = re.findall(r'<td rowspan="\d+">(.*?)</td>', row, re.S)
        if first:
            what = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(first[2])).split())
            entries.append({"who": html.unescape(first[1]).strip(), "what": what,
                            "fields": {}})
        field = re.search(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
                          row, re.S)
        if field:
            label, before, after = (html.unescape(part).strip() for part in field.groups())
            entries[-1]["fields"][label] = (before, after)
    return entries


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return html.unescape(match.group(1)) if match else ""


def organisations(app) -> list[tuple[str, str | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Organisation.name, Organisation.org_number, Organisation.kind)
            .order_by(Organisation.id)
        )
        return [(name, number, kind.value) for name, number, kind in rows]


def figures(app, organisation_id: int) -> dict[int, tuple[int | None, int | None]]:
    with app.app_context():
        rows = db.session.scalars(
            select(OrganisationYear).where(OrganisationYear.organisation_id == organisation_id)
        )
        return {row.year: (row.population, row.operating_costs_ore) for row in rows}


def add_figures(app, organisation_id: int, year: int, population: int, costs_ore: int | None):
    from governance.organisations import service

    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        service.set_year_figures(db.session, None, organisation, year=year,
                                 population=population, operating_costs_ore=costs_ore)
        db.session.commit()


def signed_in(make_client, make_user, *usernames):
    """A client per administrator, each signed in."""
    clients = []
    for username in usernames:
        make_user(username=username, is_admin=True, full_name=f"{username.title()} Admin")
        browser = make_client()
        assert browser.login(username).status_code == 303
        clients.append(browser)
    return clients


def count_organisations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Organisation))


def organisation_urls(app, organisation_id: int, year: int = 2024) -> list[tuple[str, str]]:
    """(method, url) for every endpoint under /admin/organisasjoner, from the URL map."""
    values = {"organisation_id": organisation_id, "year": year}
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith(BASE):
                continue
            url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
            urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


# Data that would change something if the request got through.
CHANGE = {"name": "Overtatt", "kind": "county", "org_number": "974760673",
          "year": "2024", "population": "1", "operating_costs": "1"}


# ---- list, create, edit ------------------------------------------------------------


def test_admin_sees_the_list_with_the_latest_figures(app, admin_client, make_org):
    first = make_org(name="Hole kommune", org_number="964338531")
    make_org(name="Viken fylkeskommune", kind=OrganisationKind.COUNTY)
    add_figures(app, first.id, 2023, 6_800, 10_000_000)
    add_figures(app, first.id, 2024, 6_900, 8_500_000)
    response = admin_client.get(f"{BASE}/")
    assert response.status_code == 200
    page = text(response)
    assert "Hole kommune" in page and "Viken fylkeskommune" in page
    assert "964338531" in page
    assert "Fylkeskommune" in page
    assert f"6{NBSP}900" in page
    assert f"85{NBSP}000{NBSP}kr" in page
    assert f"100{NBSP}000{NBSP}kr" not in page  # an older year is not the latest
    assert f'href="{BASE}/{first.id}"' in page


def test_admin_creates_an_organisation(app, admin_client):
    assert admin_client.get(f"{BASE}/ny").status_code == 200
    response = admin_client.post(
        f"{BASE}/ny", {"name": "  Ringerike kommune ", "kind": "municipality",
                       "org_number": "974 760 673"},
    )
    assert response.status_code == 303
    assert organisations(app) == [("Ringerike kommune", "974760673", "municipality")]
    page = text(admin_client.get(response.headers["Location"]))
    assert "Ringerike kommune er opprettet." in page
    assert input_value(page, "org_number") == "974760673"


def test_admin_edits_an_organisation(app, admin_client, make_org):
    organisation = make_org(name="Hole kommune")
    page = text(admin_client.get(f"{BASE}/{organisation.id}"))
    assert input_value(page, "name") == "Hole kommune"
    response = admin_client.post(
        f"{BASE}/{organisation.id}",
        {"name": "Hole herred", "kind": "other", "org_number": "958935420",
         "version_id": input_value(page, "version_id")},
    )
    assert response.status_code == 303
    assert organisations(app) == [("Hole herred", "958935420", "other")]
    assert "Endringene er lagret." in text(admin_client.get(response.headers["Location"]))


# ---- who may ------------------------------------------------------------------------


def test_every_organisation_url_is_found_in_the_url_map(app):
    endpoints = {url for _, url in organisation_urls(app, 1)}
    assert len(endpoints) >= 6
    methods = {method for method, _ in organisation_urls(app, 1)}
    assert methods == {"GET", "POST"}


def test_signed_in_non_admin_gets_403_on_every_organisation_url(app, client, make_user,
                                                                 make_org):
    organisation = make_org(name="Hole kommune")
    add_figures(app, organisation.id, 2024, 100, None)
    make_user(username="vanlig", can_create_projects=True)
    assert client.login("vanlig").status_code == 303
    for method, url in organisation_urls(app, organisation.id):
        response = client.get(url) if method == "GET" else client.post(url, CHANGE)
        assert response.status_code == 403, (method, url)
        assert "Du har ikke tilgang" in text(response), (method, url)
    assert organisations(app) == [("Hole kommune", None, "municipality")]
    assert figures(app, organisation.id) == {2024: (100, None)}


def test_non_admin_htmx_figures_request_gets_403_too(app, client, make_user, make_org):
    organisation = make_org()
    make_user(username="vanlig")
    client.login("vanlig")
    response = client.htmx("POST", f"{BASE}/{organisation.id}/tall", CHANGE)
    assert response.status_code == 403
    assert figures(app, organisation.id) == {}


def test_anonymous_is_sent_to_sign_in_from_every_organisation_url(app, client, make_org):
    organisation = make_org(name="Hole kommune")
    add_figures(app, organisation.id, 2024, 100, None)
    for method, url in organisation_urls(app, organisation.id):
        response = client.get(url) if method == "GET" else client.post(url, CHANGE)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/logg-inn"), (method, url)
    assert organisations(app) == [("Hole kommune", None, "municipality")]
    assert figures(app, organisation.id) == {2024: (100, None)}


def test_anonymous_htmx_request_gets_401_with_a_redirect_to_sign_in(client, make_org):
    organisation = make_org()
    response = client.htmx("POST", f"{BASE}/{organisation.id}/tall", CHANGE)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/logg-inn"


def test_unknown_organisation_is_404_everywhere(app, admin_client, make_org):
    make_org()
    urls = [(method, url) for method, url in organisation_urls(app, 999_999) if "999999" in url]
    assert len(urls) >= 5
    for method, url in urls:
        response = admin_client.get(url) if method == "GET" else admin_client.post(url, CHANGE)
        assert response.status_code == 404, (method, url)
        assert "Finner ikke siden" in text(response)
    assert count_organisations(app) == 1


# ---- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Dette feltet må fylles ut."),
        ({"name": "   "}, "name", "Dette feltet må fylles ut."),
        ({"name": "x" * 201}, "name", "Teksten kan ha høyst 200 tegn."),
        ({"org_number": "974760674"}, "org_number", "kontrollsifferet må stemme"),
        ({"org_number": "97476067"}, "org_number", "kontrollsifferet må stemme"),
        ({"org_number": "97476067X"}, "org_number", "kontrollsifferet må stemme"),
        ({"org_number": "974 760 673 1"}, "org_number", "Teksten kan ha høyst 11 tegn."),
        ({"kind": "kingdom"}, "kind", "Ugyldig valg."),
    ],
)
def test_bad_input_on_create_is_422_with_the_message_and_nothing_saved(
    app, admin_client, data, field, message
):
    response = admin_client.post(
        f"{BASE}/ny", {"name": "Ny kommune", "kind": "municipality", **data}
    )
    assert response.status_code == 422
    page = text(response)
    assert message in (field_error(page, field) or "")
    assert "Rett opp dette før du lagrer:" in page
    assert count_organisations(app) == 0


def test_over_long_name_is_refused_but_200_characters_are_fine(app, admin_client):
    response = admin_client.post(f"{BASE}/ny", {"name": "x" * 201, "kind": "municipality"})
    assert response.status_code == 422
    response = admin_client.post(f"{BASE}/ny", {"name": "x" * 200, "kind": "municipality"})
    assert response.status_code == 303
    assert [name for name, _, _ in organisations(app)] == ["x" * 200]


@pytest.mark.parametrize("name", ["Hole kommune", "HOLE KOMMUNE", "hole kommune "])
def test_duplicate_name_on_create_is_422_and_not_saved(app, admin_client, make_org, name):
    make_org(name="Hole kommune")
    response = admin_client.post(f"{BASE}/ny", {"name": name, "kind": "municipality"})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "name") == "Det finnes allerede en organisasjon med dette navnet."
    assert input_value(page, "name") == name  # what was typed stays in the form
    assert count_organisations(app) == 1


def test_duplicate_org_number_on_create_is_422_and_not_saved(app, admin_client, make_org):
    make_org(name="Hole kommune", org_number="974760673")
    response = admin_client.post(
        f"{BASE}/ny", {"name": "Annen", "kind": "county", "org_number": "974 760 673"}
    )
    assert response.status_code == 422
    assert "allerede registrert" in field_error(text(response), "org_number")
    assert count_organisations(app) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Dette feltet må fylles ut."),
        ({"name": "x" * 201}, "name", "Teksten kan ha høyst 200 tegn."),
        ({"name": "JEVNAKER KOMMUNE"}, "name",
         "Det finnes allerede en organisasjon med dette navnet."),
        ({"org_number": "123456789"}, "org_number", "kontrollsifferet må stemme"),
    ],
)
def test_bad_input_on_edit_is_422_and_nothing_changes(app, admin_client, make_org, data,
                                                      field, message):
    organisation = make_org(name="Hole kommune")
    make_org(name="Jevnaker kommune")
    page = text(admin_client.get(f"{BASE}/{organisation.id}"))
    response = admin_client.post(
        f"{BASE}/{organisation.id}",
        {"name": "Hole herred", "kind": "other", "org_number": "",
         "version_id": input_value(page, "version_id"), **data},
    )
    assert response.status_code == 422
    assert message in (field_error(text(response), field) or "")
    assert organisations(app) == [("Hole kommune", None, "municipality"),
                                  ("Jevnaker kommune", None, "municipality")]


# ---- optimistic lock ---------------------------------------------------------------


def test_second_of_two_edits_on_the_same_version_gets_409_with_current_values(
    app, make_client, make_user, make_org
):
    organisation = make_org(name="Hole kommune")
    # Two separate clients (not the `client` fixture, whose kept request context would
    # lend its `g`, and so its CSRF token and user, to the other client's requests).
    admin_client, other_admin = signed_in(make_client, make_user, "anne", "berit")
    url = f"{BASE}/{organisation.id}"

    first_page = text(admin_client.get(url))
    second_page = text(other_admin.get(url))
    version = input_value(first_page, "version_id")
    assert version and version == input_value(second_page, "version_id")

    first = admin_client.post(url, {"name": "Hole herred", "kind": "municipality",
                                    "org_number": "", "version_id": version})
    assert first.status_code == 303
    second = other_admin.post(url, {"name": "Hole by", "kind": "county",
                                    "org_number": "974760673", "version_id": version})
    assert second.status_code == 409
    page = text(second)
    assert "Noen andre lagret endringer i mellomtiden" in page
    assert input_value(page, "name") == "Hole herred"
    assert input_value(page, "org_number") == ""
    assert selected_option(page, "kind") == "municipality"
    assert "Hole by" not in page
    assert organisations(app) == [("Hole herred", None, "municipality")]

    # The form now carries the current version: the second admin can redo the change.
    fresh_version = input_value(page, "version_id")
    assert fresh_version != version
    again = other_admin.post(url, {"name": "Hole by", "kind": "county",
                                   "org_number": "974760673", "version_id": fresh_version})
    assert again.status_code == 303
    assert organisations(app) == [("Hole by", "974760673", "county")]


# ---- yearly figures ----------------------------------------------------------------


def test_figures_by_htmx_return_only_the_fragment_and_a_trigger(app, admin_client, make_org):
    organisation = make_org(name="Hole kommune")
    response = admin_client.htmx(
        "POST", f"{BASE}/{organisation.id}/tall",
        {"year": "2024", "population": "6 900", "operating_costs": "85 000"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "organisations-changed"
    assert "HX-Request" in response.headers["Vary"]
    fragment = text(response).strip()
    assert "<html" not in fragment and "<body" not in fragment
    assert fragment.startswith('<section id="figures"')
    assert fragment.endswith("</section>")
    assert f"85{NBSP}000{NBSP}kr" in fragment
    assert f"6{NBSP}900" in fragment
    assert "Tallene for 2024 er lagret." in fragment
    assert input_value(fragment, "year") == ""  # an empty form for the next year
    assert figures(app, organisation.id) == {2024: (6_900, 8_500_000)}


def test_figures_with_oere_are_shown_with_a_decimal_comma(app, admin_client, make_org):
    organisation = make_org()
    response = admin_client.htmx(
        "POST", f"{BASE}/{organisation.id}/tall",
        {"year": "2024", "population": "", "operating_costs": "1 234 567,5"},
    )
    assert response.status_code == 200
    assert f"1{NBSP}234{NBSP}567,50{NBSP}kr" in text(response)
    assert figures(app, organisation.id) == {2024: (None, 123_456_750)}


def test_figures_for_the_same_year_replace_the_old_ones(app, admin_client, make_org):
    organisation = make_org()
    add_figures(app, organisation.id, 2024, 100, 100)
    response = admin_client.htmx(
        "POST", f"{BASE}/{organisation.id}/tall",
        {"year": "2024", "population": "200", "operating_costs": ""},
    )
    assert response.status_code == 200
    assert figures(app, organisation.id) == {2024: (200, None)}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": ""}, "year", "Skriv et årstall."),
        ({"year": "1899"}, "year", "Året må være mellom 1900 og 2200."),
        ({"year": "2201"}, "year", "Året må være mellom 1900 og 2200."),
        ({"population": "-5"}, "population", "Skriv et helt tall, for eksempel 27 000."),
        ({"population": "mange"}, "population", "Skriv et helt tall, for eksempel 27 000."),
        ({"operating_costs": "85 000,001"}, "operating_costs",
         "Skriv et beløp i kroner med høyst to desimaler."),
        ({"operating_costs": "åtti"}, "operating_costs",
         "Skriv et beløp i kroner, for eksempel 85 000."),
        ({"operating_costs": "-100"}, "operating_costs",
         "Driftskostnadene kan ikke være negative."),
        ({"population": "", "operating_costs": ""}, "population",
         "Fyll ut folketall, driftskostnader eller begge."),
    ],
)
def test_invalid_figures_by_htmx_are_a_422_fragment_with_the_message(
    app, admin_client, make_org, data, field, message
):
    organisation = make_org()
    response = admin_client.htmx(
        "POST", f"{BASE}/{organisation.id}/tall",
        {"year": "2024", "population": "6 900", "operating_costs": "85 000", **data},
    )
    assert response.status_code == 422
    assert "HX-Trigger" not in response.headers
    fragment = text(response).strip()
    assert "<html" not in fragment
    assert fragment.startswith('<section id="figures"')
    assert field_error(fragment, field) == message
    assert figures(app, organisation.id) == {}


def test_figures_by_plain_post_redirect_with_303(app, admin_client, make_org):
    organisation = make_org()
    response = admin_client.post(
        f"{BASE}/{organisation.id}/tall",
        {"year": "2024", "population": "6900", "operating_costs": "85000"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/{organisation.id}"
    page = text(admin_client.get(response.headers["Location"]))
    assert "<html" in page
    assert "Tallene for 2024 er lagret." in page
    assert f"85{NBSP}000{NBSP}kr" in page
    assert figures(app, organisation.id) == {2024: (6_900, 8_500_000)}


def test_invalid_figures_by_plain_post_show_the_whole_page_with_422(app, admin_client,
                                                                    make_org):
    organisation = make_org(name="Hole kommune")
    response = admin_client.post(
        f"{BASE}/{organisation.id}/tall", {"year": "1800", "population": "1"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "<html" in page
    assert field_error(page, "year") == "Året må være mellom 1900 og 2200."
    assert figures(app, organisation.id) == {}


def test_delete_figures(app, admin_client, make_org):
    organisation = make_org()
    add_figures(app, organisation.id, 2023, 100, None)
    add_figures(app, organisation.id, 2024, 200, None)
    response = admin_client.post(f"{BASE}/{organisation.id}/tall/2023/slett")
    assert response.status_code == 303
    assert "Tallene for 2023 er slettet." in text(admin_client.get(response.headers["Location"]))
    assert figures(app, organisation.id) == {2024: (200, None)}
    missing = admin_client.post(f"{BASE}/{organisation.id}/tall/2023/slett")
    assert missing.status_code == 404
    assert figures(app, organisation.id) == {2024: (200, None)}


# ---- history -----------------------------------------------------------------------


def test_history_shows_insert_and_update_with_values_and_who(app, admin_client):
    created = admin_client.post(
        f"{BASE}/ny", {"name": "Hole kommune", "kind": "municipality", "org_number": ""}
    )
    assert created.status_code == 303
    url = created.headers["Location"]
    version = input_value(text(admin_client.get(url)), "version_id")
    updated = admin_client.post(url, {"name": "Hole herred", "kind": "municipality",
                                      "org_number": "974760673", "version_id": version})
    assert updated.status_code == 303
    admin_client.htmx("POST", f"{url}/tall", {"year": "2024", "population": "6 900"})

    response = admin_client.get(f"{url}/historikk")
    assert response.status_code == 200
    page = text(response)
    assert "Hole herred" in heading(page)
    entries = history_entries(page)
    # Newest first: the year's figures (filed under the organisation), the update, the insert.
    assert [entry["who"] for entry in entries] == ["Anne Admin"] * 3
    figures_added, update, insert = entries
    assert figures_added["what"].startswith("Opprettet")
    assert figures_added["fields"]["Folketall"] in (("–", "6900"), ("–", f"6{NBSP}900"))
    assert update["what"] == "Endret"
    assert update["fields"]["Navn"] == ("Hole kommune", "Hole herred")
    assert update["fields"]["Organisasjonsnummer"] == ("–", "974760673")
    assert "Type" not in update["fields"]  # unchanged fields are not listed
    assert insert["what"] == "Opprettet"
    assert insert["fields"]["Navn"] == ("–", "Hole kommune")
