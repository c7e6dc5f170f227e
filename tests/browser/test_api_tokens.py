"""The API token page in a browser: a token made, its secret shown once, the page accessible
with the secret and the list shown, and the token revoked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import assert_accessible, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_make_and_revoke_an_api_token(page: Page, sign_in, make_user):
    username = make_user()
    sign_in(username, PASSWORD)
    visit(page, "/konto")
    with page.expect_navigation():
        page.get_by_role("link", name="API-nøkler for kommunens egne systemer").click()
    expect(page.get_by_text("Du har ingen API-nøkler.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Navn på nøkkelen").fill("Fagsystem Sogndal")
    with page.expect_navigation():
        page.get_by_role("button", name="Lag API-nøkkel").click()
    secret = page.get_by_label("API-nøkkel", exact=True)
    expect(secret).to_have_value(re.compile(r"^sr_.{40,}$"))
    expect(page.get_by_role("row", name="Fagsystem Sogndal")).to_contain_text("Aldri")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Trekk tilbake Fagsystem Sogndal").click()
    expect(page.get_by_role("row", name="Fagsystem Sogndal")).to_contain_text("Trukket tilbake")
    expect(page.get_by_label("API-nøkkel", exact=True)).to_have_count(0)
    assert_accessible(page)
