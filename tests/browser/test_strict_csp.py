"""The pages and their htmx work under the app's own Content-Security-Policy.

The other browser tests bypass the policy so that axe-core can be injected as a script
tag. Here it stays on: a blocked script or style, or htmx stopped by the policy, fails.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from governance.demo import DEMO_PASSWORDS
from tests.browser.support import assert_accessible, is_htmx_response, login, visit

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

    visit(page, "/prosjekter/nytt")
    visit(page, "/prosjekter/FINNES-IKKE", status=404)
