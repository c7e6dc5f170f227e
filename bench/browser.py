"""Browser figures, in headless Debian Chromium through Playwright: the dashboard's largest
contentful paint (LCP) and cumulative layout shift (CLS), median of a few loads, and the bytes
of JavaScript each page type fetches on a first visit and again with the browser's cache.

Called by ``python -m bench`` (unless --skip-browser) with the app it has measured; the app is
served on a free port by werkzeug in a thread. JavaScript bytes are counted at the server, so
a file the browser takes from its cache (or revalidates with a 304) counts nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import threading

from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOADS = 5

# Read after the load settles: a new PerformanceObserver with buffered: true gets every entry
# the page has had (LCP is only final once the page stops painting), plus the paint and
# navigation timings. All times are from the start of the navigation.
READ = """() => new Promise(resolve => {
  let lcp = 0, cls = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      lcp = Math.max(lcp, e.renderTime || e.loadTime || e.startTime);
    }
  }).observe({type: "largest-contentful-paint", buffered: true});
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    resolve([lcp, cls, paint ? paint.startTime : 0, nav ? nav.loadEventEnd : 0]);
  }, 300);
})"""


class Counting:
    """WSGI middleware: the JavaScript bytes sent, and the Cache-Control of static files."""

    def __init__(self, app):
        self.app = app
        self.js_bytes = 0
        self.js_files: list[tuple[str, int, int]] = []
        self.static_cache: dict[str, str] = {}
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.js_bytes = 0
            self.js_files = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        seen = {}

        def start(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            seen["cache"] = dict(headers).get("Cache-Control", "(none)")
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        size = 0
        try:
            for chunk in body:
                size += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
        if path.endswith(".js"):
            with self.lock:
                self.js_bytes += size
                self.js_files.append((path, seen.get("status", 0), size))
                if path.startswith("/static/"):
                    self.static_cache[path] = seen.get("cache", "")


def _chromium() -> str | None:
    return shutil.which(os.environ.get("GOVERNANCE_CHROMIUM", "/usr/bin/chromium"))


def _pages(app, ctx: dict) -> list[tuple[str, str]]:
    code = ctx["code"]
    wanted = [
        ("start page", "main.start", "/"),
        ("project list", "projects.index", "/prosjekter/"),
        ("project", "projects.show", f"/prosjekter/{code}"),
        ("milestones (charts)", "plan.milestones", f"/prosjekter/{code}/milepaler"),
        ("risk register (charts)", "risks.register", f"/prosjekter/{code}/risiko/"),
        ("benefits plan", "benefits.overview", f"/prosjekter/{code}/gevinster/"),
        ("dashboard", "dashboards.project", f"/prosjekter/{code}/dashbord"),
        ("portfolio", "portfolio.index", "/portefolje/"),
    ]
    return [(name, path) for name, endpoint, path in wanted if endpoint in app.view_functions]


def measure(app, ctx: dict) -> list[str]:
    """The browser's figures as printable lines."""
    executable = _chromium()
    if executable is None:
        return ["Browser: no Chromium (install Debian's chromium or set GOVERNANCE_CHROMIUM);"
                " skipped"]
    from playwright.sync_api import sync_playwright

    counting = Counting(app)
    server = make_server("127.0.0.1", 0, counting, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.port}"
    lines = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable,
                                                 args=CHROMIUM_ARGS)
            try:
                lines += _weights(browser, base, _pages(app, ctx), counting)
                lines.append("")
                lines += _paint(browser, base, app, ctx)
            finally:
                browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    caching = sorted({value for value in counting.static_cache.values()})
    lines.append(f"Static files' Cache-Control: {', '.join(caching) or '(none seen)'}")
    return lines


def _signed_in(browser, base: str):
    context = browser.new_context(base_url=base, locale="nb-NO",
                                  viewport={"width": 1280, "height": 900})
    # Signed in through the context's request client (it shares the cookies), so that no
    # page, and none of its scripts, has been loaded before the one measured.
    form = context.request.get("/logg-inn").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = context.request.post("/logg-inn", form={
        "username": "admin", "password": "admin-demo-2026", "csrf_token": token},
        max_redirects=0)
    assert answer.status == 303, f"sign-in failed: {answer.status}"
    return context, context.new_page()


def _weights(browser, base: str, pages, counting: Counting) -> list[str]:
    lines = ["Browser: JavaScript per page type (KiB fetched from the server; "
             "a fresh browser, then the same page again with its cache)",
             f"{'page type':28} {'first':>9} {'cached':>9}  scripts"]
    for name, path in pages:
        context, page = _signed_in(browser, base)  # a fresh cache for every page type
        try:
            counting.reset()
            page.goto(path)
            page.wait_for_load_state("networkidle")
            first, files = counting.js_bytes, list(counting.js_files)
            counting.reset()
            page.goto(path)
            page.wait_for_load_state("networkidle")
            again = counting.js_bytes
            scripts = ", ".join(sorted({f.rsplit("/", 1)[-1] for f, _s, _b in files}))
            lines.append(f"{name:28} {first / 1024:9.1f} {again / 1024:9.1f}  {scripts}")
        finally:
            context.close()
    return lines


def _paint(browser, base: str, app, ctx: dict) -> list[str]:
    code = ctx["code"]
    if "dashboards.project" in app.view_functions:
        path, what = f"/prosjekter/{code}/dashbord", "dashboard"
    else:
        path, what = f"/prosjekter/{code}", "project page (no dashboard in this app)"
    context, page = _signed_in(browser, base)
    lcps, clss, fcps, loads = [], [], [], []
    try:
        for _ in range(LOADS + 1):  # the first load fills the cache and is not counted
            page.goto(path)
            page.wait_for_load_state("networkidle")
            lcp, cls, fcp, load = page.evaluate(READ)
            lcps.append(lcp)
            clss.append(cls)
            fcps.append(fcp)
            loads.append(load)
    finally:
        context.close()
    cold = (f"Browser: {what} {path}, first visit with an empty cache: "
            f"LCP {lcps[0]:.0f} ms, load event {loads[0]:.0f} ms, CLS {clss[0]:.3f}")
    lcps, clss, fcps, loads = lcps[1:], clss[1:], fcps[1:], loads[1:]
    return [cold, f"Browser: {what} {path}, {LOADS} loads with a warm cache: "
            f"first contentful paint median {statistics.median(fcps):.0f} ms, "
            f"load event median {statistics.median(loads):.0f} ms (max {max(loads):.0f}), "
            f"LCP median {statistics.median(lcps):.0f} ms (max {max(lcps):.0f}), "
            f"CLS median {statistics.median(clss):.3f} (max {max(clss):.3f}); "
            f"goals LCP < 2500 ms {'ok' if statistics.median(lcps) < 2500 else 'OVER'}, "
            f"CLS < 0.1 {'ok' if statistics.median(clss) < 0.1 else 'OVER'}"]
