"""Creating a project through the form, and the live search on the project list."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, focused_element, is_htmx_response, visit

pytestmark = pytest.mark.browser


def _fill_project_form(page: Page, *, name: str, code: str, start: str, end: str,
                       owner: str) -> None:
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Kortnavn").fill(code)
    page.get_by_label("Startdato").fill(start)
    page.get_by_label("Sluttdato").fill(end)
    page.get_by_role("group", name="Eiere").get_by_label(owner, exact=True).check()


def test_project_leader_creates_a_project(page: Page, sign_in):
    sign_in("katrine")
    visit(page, "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nytt prosjekt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt prosjekt")
    assert_accessible(page)

    _fill_project_form(page, name="Felles arkivplan i Sogn", code="ARKIV-SOGN",
                       start="2026-01-05", end="2026-12-18", owner="Sogn regionråd")
    page.get_by_role("button", name="Opprett prosjekt").click()

    page.wait_for_url("**/prosjekter/ARKIV-SOGN")
    expect(page.locator("#messages")).to_have_text(
        "Prosjektet Felles arkivplan i Sogn er opprettet."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Felles arkivplan i Sogn ARKIV-SOGN"
    )
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("05.01.2026 – 18.12.2026")
    expect(facts).to_contain_text("Sogn regionråd")
    # The creator became the project's leader, and may edit it.
    leader = page.locator("dl.facts", has_text="Prosjektleder")
    expect(leader).to_contain_text("Prosjektleder")
    expect(leader).to_contain_text("Katrine Wilson")
    expect(page.get_by_role("link", name="Rediger")).to_be_visible()
    assert_accessible(page)


def test_end_date_before_start_date_shows_the_error_summary(page: Page, sign_in):
    sign_in("katrine")
    visit(page, "/prosjekter/nytt")
    _fill_project_form(page, name="Baklengs prosjekt", code="BAKLENGS",
                       start="2026-06-01", end="2026-01-31", owner="Sogndal kommune")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Opprett prosjekt").click()
    assert navigation.value.status == 422

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Rett opp dette før du lagrer:")
    error_link = summary.get_by_role(
        "link", name="Sluttdato: Sluttdatoen kan ikke være før startdatoen."
    )
    expect(error_link).to_have_attribute("href", "#end_date")
    end_date = page.get_by_label("Sluttdato")
    expect(end_date).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#end_date-error")).to_have_text(
        "Sluttdatoen kan ikke være før startdatoen."
    )
    # What the user typed is still there.
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Baklengs prosjekt")
    expect(end_date).to_have_value("2026-01-31")
    expect(
        page.get_by_role("group", name="Eiere").get_by_label("Sogndal kommune", exact=True)
    ).to_be_checked()
    assert_accessible(page)

    error_link.click()
    assert focused_element(page)["id"] == "end_date"
    assert_accessible(page)


def _results_count(page: Page):
    return page.locator("#results-count")


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def test_live_search_and_phase_filter_update_the_list_in_place(page: Page, sign_in):
    sign_in("admin")
    visit(page, "/prosjekter/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="eHandel i Sogn")).to_be_visible()
    # A marker that a full page load would wipe out.
    page.evaluate("() => { window.__sameDocument = 'ja'; }")

    search = page.get_by_role("searchbox", name="Søk i prosjekter")
    with page.expect_response(is_htmx_response("/prosjekter/")) as answer:
        search.press_sequentially("kong")
    assert answer.value.status == 200
    expect(_results_count(page)).to_have_text("1 prosjekt passer med filteret")
    kongsberg = results.get_by_role("link", name="Innkjøpssamarbeid i Kongsbergregionen")
    expect(kongsberg).to_be_visible()
    expect(results.get_by_role("link", name="eHandel i Sogn")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    expect(page).to_have_url(re.compile(r"[?&]q=kong(&|$)"))
    assert _query(page)["q"] == ["kong"]
    # The count is told to screen readers through the page's lasting live region
    # (a live region swapped in with the results is often not read out).
    live = page.locator("#live-status")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_have_text("1 prosjekt passer med filteret")
    expect(live).to_have_attribute("aria-live", "polite")
    assert_accessible(page)

    # "Planlegge" and "kong" together: nothing matches.
    with page.expect_response(is_htmx_response("/prosjekter/")):
        page.get_by_label("Fase").select_option(label="Planlegge")
    expect(_results_count(page)).to_have_text("0 prosjekter passer med filteret")
    expect(results).to_contain_text("Ingen prosjekter passer med søket.")
    expect(results.get_by_role("table")).to_have_count(0)
    assert_accessible(page)

    # Clearing the search leaves the phase filter: the projects being planned.
    with page.expect_response(is_htmx_response("/prosjekter/")):
        search.fill("")
    expect(results.get_by_role("link", name="eHandel i Sogn")).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("Kodeknekk"))).to_have_count(0)
    expect(results.get_by_role("link", name=re.compile("Kongsberg"))).to_have_count(0)
    expect(_results_count(page)).to_contain_text("passer med filteret")
    phases = results.locator("tbody tr td:nth-child(2)")
    for text in phases.all_inner_texts():
        assert text == "Planlegge"
    assert _query(page).get("fase") == ["planning"]
    assert _query(page).get("q") == [""]
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    assert_accessible(page)


def test_search_from_the_address_bar_shows_the_same_results(page: Page, sign_in):
    """The pushed URL works on its own: a bookmarked or reloaded search."""
    sign_in("admin")
    visit(page, "/prosjekter/?q=kong")
    expect(page.get_by_role("searchbox", name="Søk i prosjekter")).to_have_value("kong")
    expect(_results_count(page)).to_have_text("1 prosjekt passer med filteret")
    expect(page.get_by_role("link", name="Nullstill")).to_be_visible()
