"""Language switch: <html lang> follows the chosen language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, login, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _switch_language(page: Page, name: str) -> None:
    """Choose the language by its own name and press "Bytt språk".

    On a page in another language the form is found by its place, not its (translated)
    labels, so that a changed translation does not break the test.
    """
    if _html_lang(page) == "nb":
        form = page.get_by_role("banner")
        select = form.get_by_role("combobox", name="Språk")
        button = form.get_by_role("button", name="Bytt språk")
    else:
        form = page.locator("form.language-form")
        select = form.locator("select[name=lang]")
        button = form.locator("button[type=submit]")
    select.select_option(label=name)
    with page.expect_navigation():
        button.click()
    assert_accessible(page)


def _html_lang(page: Page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def test_language_switch_when_signed_out(page: Page):
    visit(page, "/logg-inn")
    assert _html_lang(page) == "nb"

    _switch_language(page, "Nynorsk")
    assert _html_lang(page) == "nn"
    assert "/logg-inn" in page.url, "the switch returns to the page the user was on"
    expect(page.locator("#language-select")).to_have_value("nn")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("form[action='/logg-inn'] input[name=username]")).to_be_visible()

    _switch_language(page, "English")
    assert _html_lang(page) == "en"
    expect(page.locator("#language-select")).to_have_value("en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_signed_in_users_language_is_kept_on_every_page_and_next_sign_in(
    page: Page, make_user
):
    username = make_user(full_name="Nora Nynorsk")
    login(page, username, PASSWORD)
    assert _html_lang(page) == "nb"

    visit(page, "/prosjekter/")
    _switch_language(page, "Nynorsk")
    assert _html_lang(page) == "nn"
    assert "/prosjekter/" in page.url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#results")).to_be_visible()

    visit(page, "/konto")
    assert _html_lang(page) == "nn"

    _switch_language(page, "English")
    assert _html_lang(page) == "en"
    visit(page, "/")
    assert _html_lang(page) == "en"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nora Nynorsk")

    # Sign out and in again: the choice was stored with the user.
    with page.expect_navigation():
        page.locator("form[action='/logg-ut'] button[type=submit]").click()
    assert_accessible(page)
    login(page, username, PASSWORD)
    assert _html_lang(page) == "en"
