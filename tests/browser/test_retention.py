"""The wastebasket in the browser: a milestone moved to the papirkurv from its edit page, the
papirkurv page scanned with axe, and the milestone restored by keyboard; a measurement moved to
the papirkurv from the entry screen by htmx (only its row is swapped) and restored.

The live server's demo database is shared by all browser tests: each test restores what it
deleted before it ends."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, settle, visit

pytestmark = pytest.mark.browser

BASE = "/prosjekter/EHANDEL-SOGN"
MILESTONE = "Styringsdokument klart til godkjenning"


def test_a_milestone_goes_to_the_papirkurv_and_comes_back(page: Page, sign_in):
    sign_in("katrine")
    visit(page, f"{BASE}/milepaler")
    with page.expect_navigation():
        page.get_by_role("link", name=MILESTONE, exact=True).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Rediger").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Flytt «{MILESTONE}» til papirkurven").click()
    assert_accessible(page)
    expect(page.locator("#messages")).to_contain_text(
        f"Milepælen «{MILESTONE}» er flyttet til papirkurven.")
    expect(page.get_by_role("link", name=MILESTONE, exact=True)).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("navigation", name="Prosjektets sider").get_by_role(
            "link", name="Papirkurv").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Papirkurv: eHandel i Sogn")
    row = page.locator("#papirkurv tbody tr", has_text=MILESTONE)
    expect(row).to_contain_text("Katrine Wilson")
    assert_accessible(page)

    row.get_by_role("button", name="Gjenopprett").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(page.locator("#messages")).to_contain_text("Milepæl er gjenopprettet.")
    expect(page.locator("#papirkurv tbody tr", has_text=MILESTONE)).to_have_count(0)
    visit(page, f"{BASE}/milepaler")
    expect(page.get_by_role("link", name=MILESTONE, exact=True)).to_be_visible()


def test_a_measurement_is_moved_to_the_papirkurv_from_the_entry_screen(page: Page, sign_in):
    sign_in("per")
    entry_page = f"{BASE}/gevinster/registrering?periode=2013-02"
    visit(page, entry_page)
    row_id = page.locator("li.entry-row").first.get_attribute("id")
    row = page.locator(f"#{row_id}")
    name = row.get_by_role("heading").inner_text().rsplit(" (", 1)[0]  # without the unit
    row.locator("input[name$='-value']").fill("12")
    row.get_by_role("button", name="Lagre").click()
    settle(page)
    expect(row).to_contain_text(f"Lagret: {name}.")
    assert_accessible(page)

    row.get_by_role("button", name="Flytt til papirkurven").click()
    settle(page)
    expect(row).to_contain_text(f"Flyttet til papirkurven: {name}.")
    expect(row.locator("input[name$='-value']")).to_have_value("")
    expect(row.get_by_role("button", name="Flytt til papirkurven")).to_have_count(0)
    assert_accessible(page)

    visit(page, f"{BASE}/papirkurv")
    entry = page.locator("#papirkurv tbody tr", has_text=name).filter(has_text="2013-02")
    expect(entry).to_contain_text("Per Nes")
    with page.expect_navigation():
        entry.get_by_role("button", name="Gjenopprett").click()
    assert_accessible(page)
    expect(page.locator("#messages")).to_contain_text("Måling er gjenopprettet.")
    visit(page, entry_page)
    expect(row.locator("input[name$='-value']")).to_have_value("12")
    # Leave the demo's entry screen as it was (the value stays in the papirkurv).
    row.get_by_role("button", name="Flytt til papirkurven").click()
    settle(page)
    expect(row).to_contain_text(f"Flyttet til papirkurven: {name}.")
    assert_accessible(page)
