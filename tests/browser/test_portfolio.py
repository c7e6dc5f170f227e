"""The portfolio: filtering and sorting in place with htmx, by mouse and by keyboard, with
the address following; the comparison of municipalities with its chart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, focused_element, is_htmx_response, visit

pytestmark = pytest.mark.browser


def _codes(page: Page) -> list[str]:
    return page.locator("#results tbody td:first-child .muted").all_inner_texts()


def _count_text(number: int, filtered: bool) -> str:
    words = f"{number} prosjekt" if number == 1 else f"{number} prosjekter"
    return f"{words} passer med filteret" if filtered else words


def test_filter_and_sort_the_portfolio_in_place(page: Page, sign_in):
    """On the demo data, plus what earlier browser tests made in the shared database."""
    sign_in("admin")
    visit(page, "/portefolje/")
    everything = _codes(page)
    assert {"EHANDEL-SOGN", "KODEKNEKK", "INNKJOP-KONGSBERG"} <= set(everything)
    expect(page.locator("#results-count")).to_have_text(_count_text(len(everything), False))
    page.evaluate("() => { window.__sameDocument = 'ja'; }")

    # A phase chosen with the keyboard: the list updates without a reload.
    phase = page.get_by_label("Fase", exact=True)
    phase.focus()
    with page.expect_response(is_htmx_response("/portefolje/")) as answer:
        phase.select_option(label="Gjennomføre")
    assert answer.value.status == 200
    expect(page.locator("#results-count")).to_contain_text("passer med filteret")
    executing = _codes(page)
    assert "KODEKNEKK" in executing
    assert not {"EHANDEL-SOGN", "INNKJOP-KONGSBERG"} & set(executing)
    expect(page.locator("#results-count")).to_have_text(_count_text(len(executing), True))
    expect(page).to_have_url(re.compile(r"[?&]fase=execution(&|$)"))
    expect(page.locator("#live-status")).to_have_text(_count_text(len(executing), True))
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    assert_accessible(page)

    # Back to all phases, then sort by the latest light with the keyboard (Enter on the link).
    with page.expect_response(is_htmx_response("/portefolje/")):
        phase.select_option(value="")
    expect(page.locator("#results-count")).to_have_text(_count_text(len(everything), False))
    assert_accessible(page)
    header = page.get_by_role("link", name=re.compile(r"^Siste status"))
    header.focus()
    with page.expect_response(is_htmx_response("/portefolje/")):
        page.keyboard.press("Enter")
    column = page.locator("th", has=page.get_by_role("link", name=re.compile(r"^Siste status")))
    expect(column).to_have_attribute("aria-sort", "ascending")
    expect(page).to_have_url(re.compile(r"[?&]sorter=lys(&|$)"))
    assert _codes(page)[-1] != "EHANDEL-SOGN"  # the one with a published report comes first
    assert _codes(page)[0] == "EHANDEL-SOGN"
    # Focus stays on the column's link, so a second Enter reverses the order.
    assert focused_element(page)["text"].startswith("Siste status")
    assert_accessible(page)
    with page.expect_response(is_htmx_response("/portefolje/")):
        page.keyboard.press("Enter")
    expect(column).to_have_attribute("aria-sort", "descending")
    assert _codes(page)[0] == "EHANDEL-SOGN"  # no light sorts last both ways
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    assert_accessible(page)

    # A new filter keeps the sort.
    with page.expect_response(is_htmx_response("/portefolje/")):
        page.get_by_label("Status", exact=True).select_option(label="Aktiv")
    expect(page).to_have_url(re.compile(r"sorter=-lys"))
    expect(column).to_have_attribute("aria-sort", "descending")
    assert_accessible(page)


def test_compare_municipalities_draws_the_chart(page: Page, sign_in):
    sign_in("admin")
    visit(page, "/portefolje/sammenligning")
    page.get_by_label("Indikator").select_option(
        label="Kjøp via e-handel (del av innkjøpa) – Kodeknekk – e-handel i Time, Klepp og Gjesdal")
    with page.expect_navigation():
        page.get_by_role("button", name="Sammenlign").click()
    plot = page.locator("#comparison-chart .chart__plot")
    expect(plot).to_have_attribute("data-drawn", "true")
    page.get_by_text("Vis tallene som tabell").click()
    table = page.locator("#comparison-table")
    expect(table.get_by_role("row", name=re.compile(r"^Time kommune"))).to_contain_text("8 %")
    expect(table.get_by_role("row", name=re.compile(r"^Klepp kommune"))).to_contain_text("18,9 %")
    expect(table.get_by_role("row", name=re.compile(r"^Gjesdal kommune"))).to_contain_text(
        "20,2 %")
    assert_accessible(page)
