"""Keyboard: the skip link is the first stop and takes the user to the main content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, focused_element, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("username", "path"),
    [(None, "/logg-inn"), ("per", "/"), ("admin", "/prosjekter/"), ("admin", "/prosjekter/nytt")],
    ids=["login", "start", "project-list", "project-form"],
)
def test_first_tab_reaches_the_skip_link_and_enter_moves_to_main(
    page: Page, sign_in, username, path
):
    if username:
        sign_in(username)
    visit(page, path)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip_link).to_be_focused()
    # Shown when focused: a sighted keyboard user sees where they are.
    box = skip_link.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10, box
    assert box["y"] >= 0 and box["x"] >= 0, box
    assert_accessible(page)

    page.keyboard.press("Enter")
    assert focused_element(page)["id"] == "main"
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    inside_main = page.evaluate(
        "() => document.getElementById('main').contains(document.activeElement)"
    )
    assert inside_main, focused_element(page)
    assert_accessible(page)
