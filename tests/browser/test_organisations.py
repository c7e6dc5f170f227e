"""Yearly figures of an organisation: the htmx form, its errors and its saved rows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import NBSP, assert_accessible, is_htmx_response, visit

pytestmark = pytest.mark.browser


def _open_organisation(page: Page, name: str) -> None:
    visit(page, "/admin/organisasjoner/")
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_accessible(page)


def _save_figures(page: Page, *, year: str, population: str, costs: str) -> int:
    figures = page.locator("#figures")
    figures.get_by_label("År", exact=True).fill(year)
    figures.get_by_label("Folketall").fill(population)
    figures.get_by_label("Driftskostnader (kr)").fill(costs)
    with page.expect_response(is_htmx_response("/tall", "POST")) as answer:
        figures.get_by_role("button", name="Lagre tallene").click()
    return answer.value.status


def _row(page: Page, year: str):
    return page.locator("#figures tbody tr").filter(
        has=page.get_by_role("rowheader", name=year, exact=True)
    )


def _cells(page: Page, year: str) -> list[str]:
    return [text.strip() for text in _row(page, year).locator("td.number").all_text_contents()]


def test_yearly_figures_error_in_place_then_saved_row(page: Page, sign_in):
    sign_in("admin")
    _open_organisation(page, "Luster kommune")
    url = page.url
    page.evaluate("() => { window.__sameDocument = 'ja'; }")

    status = _save_figures(page, year="1850", population="5 200", costs="85 000")
    assert status == 422
    figures = page.locator("#figures")
    summary = figures.locator("[data-error-summary]")
    expect(summary).to_contain_text("År: Året må være mellom 1900 og 2200.")
    expect(summary).to_be_focused()
    expect(figures.get_by_label("År", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(figures.get_by_label("År", exact=True)).to_have_value("1850")
    expect(figures.get_by_label("Driftskostnader (kr)")).to_have_value("85 000")
    expect(_row(page, "1850")).to_have_count(0)
    # Swapped in place: same address, same document, the rest of the page untouched.
    assert page.url == url
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    expect(page.get_by_role("heading", level=2, name="Opplysninger")).to_be_visible()
    assert_accessible(page)

    status = _save_figures(page, year="2024", population="5 200", costs="85 000")
    assert status == 200
    expect(figures.locator("[data-announce]")).to_have_text("Tallene for 2024 er lagret.")
    expect(page.locator("#live-status")).to_have_text("Tallene for 2024 er lagret.")
    # Focus is not lost to the top of the page: it waits in the year field for the next one.
    expect(figures.get_by_label("År", exact=True)).to_be_focused()
    expect(figures.locator("[data-error-summary]")).to_have_count(0)
    expect(_row(page, "2024")).to_have_count(1)
    assert _cells(page, "2024") == [f"5{NBSP}200", f"85{NBSP}000{NBSP}kr"]
    # The form is empty again, ready for the next year.
    expect(figures.get_by_label("År", exact=True)).to_have_value("")
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"
    assert_accessible(page)

    # Saved for real: still there after a reload, and in the organisation list.
    page.reload()
    assert _cells(page, "2024") == [f"5{NBSP}200", f"85{NBSP}000{NBSP}kr"]
    assert_accessible(page)
    visit(page, "/admin/organisasjoner/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Luster kommune"))
    assert [t.strip() for t in row.locator("td").all_text_contents()][-4:] == [
        "2024", f"5{NBSP}200", f"85{NBSP}000{NBSP}kr", "Oversikt over Luster kommune",
    ]
