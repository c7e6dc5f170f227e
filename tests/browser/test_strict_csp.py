"""The pages and their htmx work under the app's own Content-Security-Policy.

The other browser tests bypass the policy so that axe-core can be injected as a script
tag. Here it stays on: a blocked script or style, or htmx stopped by the policy, fails.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from governance.demo import DEMO_PASSWORDS
from tests.browser.support import assert_accessible, is_htmx_response, login, scan_log, visit

pytestmark = pytest.mark.browser


def test_pages_and_htmx_work_under_the_content_security_policy(strict_page: Page):
    page = strict_page
    response = visit(page, "/logg-inn")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    login(page, "admin", DEMO_PASSWORDS["admin"])

    visit(page, "/prosjekter/")
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    with page.expect_response(is_htmx_response("/prosjekter/")):
        page.get_by_role("searchbox", name="Søk i prosjekter").press_sequentially("kodek")
    expect(page.locator("#results-count")).to_have_text("1 prosjekt passer med filteret")
    assert page.evaluate("() => window.__sameDocument") == "ja", "htmx did not run"
    assert_accessible(page)

    visit(page, "/admin/organisasjoner/")
    with page.expect_navigation():
        page.get_by_role("link", name="Klepp kommune", exact=True).click()
    assert_accessible(page)
    figures = page.locator("#figures")
    figures.get_by_label("År", exact=True).fill("")
    with page.expect_response(is_htmx_response("/tall", "POST")) as answer:
        figures.get_by_role("button", name="Lagre tallene").click()
    assert answer.value.status == 422
    expect(figures.locator("[data-error-summary]")).to_contain_text("Skriv et årstall.")
    expect(figures.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page)

    # Plotly draws both charts of the milestone page under the policy (its styles go into
    # the page's nonced <style> elements), and draws them again after an htmx save.
    visit(page, "/prosjekter/EHANDEL-SOGN/milepaler")
    _expect_charts_drawn(page)
    _assert_no_csp_violations(page)
    page.evaluate("() => { window.__sameDocument = 'ja'; document.querySelectorAll("
                  "'#plan-charts .chart__plot').forEach(plot => { plot.__before = true; }); }")
    row_id = page.locator("#milestone-results tbody > tr").filter(
        has=page.get_by_role("link", name="Abonnement på e-handelsplattforma startar",
                             exact=True)).get_attribute("id")
    row = page.locator(f"#{row_id}")
    with page.expect_response(is_htmx_response("/oppdater")):
        row.get_by_role("link", name=re.compile(r"^Oppdater\b")).click()
    # Saved as it is: nothing changes, but the summary and the charts come back.
    with page.expect_response(is_htmx_response("/oppdater", "POST")) as answer:
        row.get_by_role("button", name="Lagre").click()
    assert answer.value.status == 200
    page.wait_for_function(
        "() => [...document.querySelectorAll('#plan-charts .chart__plot')]"
        ".every(plot => !plot.__before)")
    _expect_charts_drawn(page)
    assert page.evaluate("() => window.__sameDocument") == "ja", "htmx did not run"
    _assert_no_csp_violations(page)
    assert_accessible(page)

    # The benefits plan's indicator page: the measurements over time and the achievement.
    visit(page, "/prosjekter/KODEKNEKK/gevinster/")
    with page.expect_navigation():
        page.get_by_role("link", name="Kjøp via e-handel (del av innkjøpa)", exact=True).click()
    _expect_charts_drawn(page, ["#indicator-chart", "#achievement-chart"])
    _assert_no_csp_violations(page)
    assert_accessible(page)

    visit(page, "/prosjekter/nytt")
    visit(page, "/prosjekter/FINNES-IKKE", status=404)


def _expect_charts_drawn(page: Page,
                         charts: tuple[str, ...] | list[str] = ("#trend-chart",
                                                                "#timeline-chart")) -> None:
    for chart in charts:
        plot = page.locator(f"{chart} .chart__plot")
        expect(plot).to_have_attribute("data-drawn", "true")
        expect(plot.locator("svg.main-svg").first).to_be_visible()


def _assert_no_csp_violations(page: Page) -> None:
    """The conftest's listener reports each securitypolicyviolation event; the fixture
    fails the test at the end, this fails it at the page that caused it."""
    page.wait_for_timeout(100)  # the report crosses from the page to the test
    violations = scan_log(page).csp_violations
    assert not violations, f"Content-Security-Policy violations on {page.url}: {violations}"
