"""Helpers for the browser tests: axe-core scans, waiting for htmx, signing in.

Every page a test visits is scanned with axe-core (WCAG 2.1 A and AA), and so is the
state after each htmx swap the test makes. The ``page`` fixture keeps a log of page
loads and htmx responses and fails a passing test that left a state unscanned.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# htmx is busy while any of these classes is on an element (request, swap, settle).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"

NBSP = "\u00a0"


@functools.cache
def axe_source() -> str:
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core is missing ({AXE_PATH}); run scripts/setup to install it from npm.")
    return AXE_PATH.read_text(encoding="utf-8")


# ---- what a page has shown, and what was scanned -----------------------------------


@dataclass
class ScanLog:
    """Page loads and htmx responses in order, and how far each scan reached."""

    events: list[tuple[str, str]] = field(default_factory=list)
    scans: set[int] = field(default_factory=set)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    strict_csp: bool = False

    def on_load(self, page: Page) -> None:
        self.events.append(("load", page.url))

    def on_response(self, response) -> None:
        if response.request.headers.get("hx-request") == "true":
            self.events.append(("htmx", f"{response.status} {response.url}"))

    def on_csp_violation(self, text: str) -> None:
        self.csp_violations.append(text)

    def unscanned(self) -> list[str]:
        """Each page load, with the htmx swaps made on it, must end in a scan."""
        missing = []
        for index, (kind, where) in enumerate(self.events):
            last_of_page = index + 1 == len(self.events) or self.events[index + 1][0] == "load"
            if last_of_page and index + 1 not in self.scans:
                missing.append(f"{kind}: {where}")
        return missing


def scan_log(page: Page) -> ScanLog | None:
    return getattr(page, "_scan_log", None)


# ---- htmx ----------------------------------------------------------------------------


def settle(page: Page) -> None:
    """Wait until the document has loaded and htmx has no request, swap or settle going."""
    page.wait_for_function(
        "busy => document.readyState === 'complete' && !!window.htmx"
        " && !document.querySelector(busy)",
        arg=HTMX_BUSY,
    )


def is_htmx_response(path: str, method: str = "GET"):
    """Predicate for page.expect_response: an htmx request to ``path`` (without query)."""

    def matches(response) -> bool:
        request = response.request
        return (
            request.headers.get("hx-request") == "true"
            and request.method == method
            and response.url.split("?", 1)[0].endswith(path)
        )

    return matches


# ---- axe-core --------------------------------------------------------------------------

AXE_RUN = """
async tags => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}
"""


def assert_accessible(page: Page) -> None:
    """Scan the page as it is now with axe-core; fail listing every violation."""
    settle(page)
    log = scan_log(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if log is not None and log.strict_csp:
            # The page's own CSP refuses a script tag; evaluation through the DevTools
            # protocol is not subject to it.
            page.evaluate(axe_source())
        else:
            page.add_script_tag(content=axe_source())
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    if log is not None:
        log.scans.add(len(log.events))
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {target}" for target in v["targets"])
        pytest.fail("\n".join(lines), pytrace=False)


def visit(page: Page, path: str, status: int = 200) -> Response:
    """Open ``path``, check the status a user gets, and scan the page."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path}: {response.status}, expected {status}"
    assert_accessible(page)
    return response


# ---- signing in ----------------------------------------------------------------------


def login(page: Page, username: str, password: str) -> None:
    """Sign in through the form and land on the start page ("Mi side")."""
    visit(page, "/logg-inn")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord", exact=True).fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")
    # "Mi side" is the current page in the main menu (found by address: it may be in English).
    expect(page.locator("nav a[href='/'][aria-current='page']")).to_have_count(1)
    assert_accessible(page)


def focused_element(page: Page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim(),"
        " classes: [...e.classList]}; }"
    )
