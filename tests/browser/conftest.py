"""Browser tests: the demo data served by a live server, driven by Debian's Chromium.

Playwright cannot download browsers here; it starts the system Chromium
(/usr/bin/chromium, or GOVERNANCE_CHROMIUM). Without one the tests are skipped, or fail
when GOVERNANCE_REQUIRE_BROWSER=1 (as in CI).

The live server has its own app on its own SQLite file with the demo data. It does not
use the parametrized ``app`` fixture: browser tests run once, on SQLite, and the tables
are not emptied between them.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from governance.demo import DEMO_PASSWORDS
from tests.browser.support import ROOT, ScanLog, login
from tests.conftest import PASSWORD, make_test_app

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-results" / "browser"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# ---- the browser -------------------------------------------------------------------


def chromium_path() -> str:
    """The system Chromium, or skip (fail when GOVERNANCE_REQUIRE_BROWSER=1)."""
    wanted = os.environ.get("GOVERNANCE_CHROMIUM", "/usr/bin/chromium")
    found = shutil.which(wanted)
    if found:
        return found
    reason = (
        f"Chromium not found at {wanted!r}: install Debian's chromium package "
        "or set GOVERNANCE_CHROMIUM to the browser's path."
    )
    if os.environ.get("GOVERNANCE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (GOVERNANCE_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    executable = chromium_path()
    expect.set_options(timeout=10_000)  # a slow CI machine, not a slow app
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---- the live server ---------------------------------------------------------------


@dataclass
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="session")
def live_server(browser, tmp_path_factory) -> Iterator[LiveServer]:
    """The app with the demo data on its own SQLite file, served on a free port."""
    from flask_migrate import upgrade

    from governance import demo
    from governance.extensions import db

    database = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    app = make_test_app(f"sqlite:///{database}")
    with app.app_context():
        upgrade()
        demo.load(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


# ---- one page per test -------------------------------------------------------------


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", event => {
  window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def _new_context(browser, live_server, *, strict_csp: bool):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=not strict_csp, locale="nb-NO",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    return context


def _open_page(request, context, *, strict_csp: bool):
    page = context.new_page()
    log = ScanLog(strict_csp=strict_csp)
    page._scan_log = log
    page.on("load", lambda: log.on_load(page))
    page.on("response", log.on_response)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    if strict_csp:
        page.expose_function("__reportCspViolation", log.on_csp_violation)
        page.add_init_script(CSP_LISTENER)
    yield page
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        _save_artifacts(request.node.name, page)
        return
    if call is not None and call.passed:
        assert not log.page_errors, f"JavaScript errors on the page: {log.page_errors}"
        assert not log.csp_violations, f"Content-Security-Policy violations: {log.csp_violations}"
        missing = log.unscanned()
        assert not missing, (
            "pages or htmx swaps the test did not scan with assert_accessible(page):\n"
            + "\n".join(missing)
        )


@pytest.fixture
def context(browser, live_server):
    """A fresh browser context (no cookies) that ignores the pages' CSP.

    bypass_csp lets add_script_tag inject axe-core. The ``strict_page`` fixture keeps
    the policy, for tests that check the pages work under it.
    """
    context = _new_context(browser, live_server, strict_csp=False)
    yield context
    context.close()


@pytest.fixture
def page(request, context):
    """The test's page. Fails a passing test that left a page or swap unscanned, or
    whose page threw a JavaScript error."""
    yield from _open_page(request, context, strict_csp=False)


@pytest.fixture
def strict_page(request, browser, live_server):
    """Like ``page``, under the pages' own Content-Security-Policy; any violation fails."""
    context = _new_context(browser, live_server, strict_csp=True)
    try:
        yield from _open_page(request, context, strict_csp=True)
    finally:
        context.close()


@pytest.fixture(scope="session")
def _signed_in_cookies() -> dict[str, list]:
    return {}


@pytest.fixture
def sign_in(request, _signed_in_cookies):
    """Sign ``page`` in as a demo user (or one made by make_user).

    The first time for each user goes through the sign-in form; later tests reuse that
    server-side session, as a second browser tab would. Tests that sign out or change
    a user's settings use a user of their own (make_user).
    """

    def sign_in(username: str, password: str | None = None, page=None) -> None:
        page = page or request.getfixturevalue("page")
        cookies = _signed_in_cookies.get(username)
        if cookies is not None:
            page.context.add_cookies(cookies)
            return
        login(page, username, password or DEMO_PASSWORDS[username])
        _signed_in_cookies[username] = page.context.cookies()

    return sign_in


@pytest.fixture
def make_user(live_server):
    """Factory: a user of the test's own in the live server's database."""
    from governance.extensions import db
    from governance.roles import service

    def make(password: str = PASSWORD, **fields) -> str:
        username = fields.pop("username", f"nettleser-{uuid.uuid4().hex[:8]}")
        with live_server.app.app_context():
            service.create_user(
                db.session, None, username=username, password=password,
                full_name=fields.pop("full_name", f"Nettleser Bruker {username}"), **fields,
            )
            db.session.commit()
        return username

    return make


def _save_artifacts(name: str, page) -> None:
    """A screenshot and the HTML of a failed test's page, in test-results/browser/."""
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        (ARTIFACTS / f"{safe}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # artefacts must never hide the failure
        print(f"could not save browser artefacts for {name}: {error}")
