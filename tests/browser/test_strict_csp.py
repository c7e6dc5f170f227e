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


def test_risk_heat_maps_and_status_charts_work_under_the_content_security_policy(
        strict_page: Page, sign_in):
    page = strict_page
    sign_in("katrine", page=page)

    # Both heat maps of the risk register are drawn under the policy ...
    visit(page, "/prosjekter/EHANDEL-SOGN/risiko/")
    _expect_charts_drawn(page, ["#heat-map", "#residual-map"])
    _assert_no_csp_violations(page)
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    # ... and a click on a cell (probability 3, consequence 4) filters the list with htmx.
    plot = page.locator("#heat-map .chart__plot")
    plot.scroll_into_view_if_needed()
    x, y = plot.evaluate(
        """(plot, [p, c]) => {
          const tick = (cls, v) => [...plot.querySelectorAll(`.${cls} text`)]
              .find(t => Number(t.textContent) === v).getBoundingClientRect();
          const x = tick("xtick", c), y = tick("ytick", p);
          return [x.left + x.width / 2, y.top + y.height / 2];
        }""", [3, 4])
    with page.expect_response(is_htmx_response("/risiko/")) as answer:
        page.mouse.click(x, y)
    assert answer.value.status == 200
    expect(page.locator("#risk-list [data-announce]")).to_contain_text(
        "Viser risikoene med sannsynlighet 3 og konsekvens 4: 2.")
    expect(page.locator("#risk-list tbody tr")).to_have_count(2)
    assert page.evaluate("() => window.__sameDocument") == "ja", "htmx did not run"
    _assert_no_csp_violations(page)
    assert_accessible(page)

    # The history of the project's lights on the reporting overview.
    visit(page, "/prosjekter/EHANDEL-SOGN/status/")
    _expect_charts_drawn(page, ["#light-history"])
    _assert_no_csp_violations(page)

    visit(page, "/prosjekter/EHANDEL-SOGN/status/2013-08")
    with page.expect_navigation():
        page.get_by_role("link", name="publisert", exact=True).click()
    _assert_no_csp_violations(page)
    assert_accessible(page)


def test_budget_charts_work_under_the_content_security_policy(strict_page: Page, sign_in):
    page = strict_page
    sign_in("admin", page=page)
    visit(page, "/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013")
    _expect_charts_drawn(page, ["#budget-chart"])
    _assert_no_csp_violations(page)
    visit(page, "/prosjekter/INNKJOP-KONGSBERG/okonomi/fordeling")
    plots = page.locator("[id^=shares-chart-] .chart__plot")
    expect(plots).to_have_count(1)
    expect(plots.first).to_have_attribute("data-drawn", "true")
    _assert_no_csp_violations(page)
    assert_accessible(page)


def test_dashboard_charts_and_panel_refresh_work_under_the_content_security_policy(
        strict_page: Page, sign_in):
    page = strict_page
    sign_in("ingrid", page=page)
    visit(page, "/prosjekter/EHANDEL-SOGN/dashbord")
    _expect_charts_drawn(page, ["#dashboard-light-history", "#dashboard-timeline-chart",
                                "#dashboard-trend-chart", "#dashboard-heat-map",
                                "#dashboard-budget-chart"])
    _assert_no_csp_violations(page)
    # A panel fetched again by htmx (its domain's event) is drawn again under the policy
    # (its fingerprint made stale, so that the server sends it again rather than 204).
    page.evaluate("""() => document.getElementById('panel-risiko')
        .setAttribute('hx-vals', '{"vist": "utdatert"}')""")
    with page.expect_response(is_htmx_response("/dashbord/risiko")) as answer:
        page.evaluate("() => htmx.trigger(document.body, 'risks-changed')")
    assert answer.value.status == 200
    _expect_charts_drawn(page, ["#dashboard-heat-map"])
    _assert_no_csp_violations(page)
    assert_accessible(page)


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


def test_portfolio_filters_and_comparison_chart_work_under_the_content_security_policy(
        strict_page: Page, sign_in):
    page = strict_page
    sign_in("admin", page=page)
    visit(page, "/portefolje/")
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    with page.expect_response(is_htmx_response("/portefolje/")):
        page.get_by_label("Status", exact=True).select_option(label="Aktiv")
    # The demo's three projects, and any active one an earlier test made.
    expect(page.locator("#results-count")).to_have_text(
        re.compile(r"^\d+ prosjekter passer med filteret$"))
    expect(page).to_have_url(re.compile(r"[?&]status=active(&|$)"))
    assert page.evaluate("() => window.__sameDocument") == "ja", "htmx did not run"
    _assert_no_csp_violations(page)
    assert_accessible(page)
    visit(page, "/portefolje/sammenligning?indikator=1")
    _expect_charts_drawn(page, ["#comparison-chart"])
    _assert_no_csp_violations(page)
