"""Property-based fuzzing helpers: hostile values, a crawler that finds every form and query
parameter of the pages, and checks that what comes back out is escaped.

Used by tests/http/test_fuzzing.py. The settings are reproducible by default (derandomized,
a few examples per form, fit for CI on both databases); a longer, random run:

    GOVERNANCE_FUZZ_EXAMPLES=200 GOVERNANCE_FUZZ_RANDOM=1 pytest tests/http/test_fuzzing.py
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# ---- settings ------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("GOVERNANCE_FUZZ_EXAMPLES", "0") or 0)
RANDOM = os.environ.get("GOVERNANCE_FUZZ_RANDOM") == "1"

settings.register_profile(
    "fuzz-ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "fuzz-long", derandomize=False, database=None, deadline=None, print_blob=True,
    suppress_health_check=list(HealthCheck),
)


def fuzz_settings(default_examples: int) -> settings:
    """Settings for one fuzzed target: ``default_examples`` in CI, more when
    GOVERNANCE_FUZZ_EXAMPLES says so (random rather than derandomized with
    GOVERNANCE_FUZZ_RANDOM=1)."""
    profile = settings.get_profile("fuzz-long" if RANDOM else "fuzz-ci")
    return settings(profile, max_examples=EXAMPLES or default_examples)


# ---- hostile values ------------------------------------------------------------------------

# Markers that only appear in a response when a payload was put out unescaped. The escaped
# form (&lt;script&gt;..., &#34;&gt;&lt;img ...) may appear, these never.
SCRIPT = '<script>alert("F1")</script>'
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg/onload=alert(2)>"
JS_URL = "javascript:alert(3)"
TEMPLATE = "{{ 1031*1031 }}"  # Jinja evaluating user text would show 1062961
TEMPLATE_DOLLAR = "${1031*1031}"
UNESCAPED_MARKERS = ('<script>alert("F1")', "onerror=alert(1)>", "<img src=x", "<svg/onload",
                     'href="javascript:', "1062961")

PAYLOADS = [
    SCRIPT, IMG, SVG, JS_URL, TEMPLATE, TEMPLATE_DOLLAR, "</textarea>" + SCRIPT,
    "</title>" + SCRIPT, "' OR 1=1 --", '"; DROP TABLE project; --', "1; SELECT pg_sleep(0)",
    "%s%s%n", "\\", "../../etc/passwd", "æøåÆØÅ", "Blåbærsyltetøy i Årdal",
    "\u202egnp.exe", "a\u200bb\u200c\u200d\ufeff", "👩‍👩‍👧‍👦🏳️‍🌈🇳🇴", "👍🏽",
    "=HYPERLINK(\"http://x\",\"klikk\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "=1+1", "null", "None", "undefined", "true", "0", "-1",
]

# Control characters, NUL (the one a database refuses) the most often. Lone surrogates
# cannot be sent in a form at all.
CONTROL = st.sampled_from(["\x00", "\x00", "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c",
                           "\x1b", "\x7f", "\r", "\n", "\r\n", "\t", "\x85", "\u2028"])

_TEXT_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_PART = st.one_of(st.sampled_from(PAYLOADS), CONTROL, st.text(_TEXT_ALPHABET, max_size=12))


def long_text() -> st.SearchStrategy[str]:
    """Longer than any column: 10 000 characters and more, with a payload inside."""
    return st.builds(
        lambda payload, n, fill: (fill * n)[:n] + payload,
        st.sampled_from([SCRIPT, "æøå", "=1+1", "x"]), st.sampled_from([301, 1_001, 10_000,
                                                                           70_000]),
        st.sampled_from(["a", "ø", "🙂", "<b>"]),
    )


def hostile_text() -> st.SearchStrategy[str]:
    """Payloads, control characters and odd text, one after the other; long text; nothing."""
    mixed = st.lists(_PART, min_size=1, max_size=4).map("".join)
    return st.one_of(mixed, mixed, st.sampled_from(PAYLOADS), long_text(), st.just(""))


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([
            "0", "-1", "-0", "1e309", "-1e309", "NaN", "nan", "inf", "-Infinity", "1 234,5",
            "1.234,56", "1,234.56", "12abc", "", " ", "9" * 40, "-" + "9" * 40, "2147483648",
            "-2147483649", "9223372036854775808", "0x10", "1_000", "١٢٣", "½", "1e-400",
            "0.0000001", "3,14159265", "+5", "5 kr", "100 %", "\x00", "1\x00",
        ]),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    )


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([
            "31.02.2024", "0000-00-00", "9999-12-31", "10000-01-01", "0001-01-01", "1.1.1",
            "2013-13-01", "2013-02-29", "2024-02-29", "29.02.2023", "2013-04-22T10:00:00",
            "2013-04-22T10:00:00+02:00", "22/04/2013", "", "i går", "2013", "2013-04",
            "2013-Q5", "-2013-01-01", "1900-01-01", "2100-12-31", "99999999", "\x00",
        ]),
        st.dates().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    )


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), hostile_number(), hostile_date())


# ---- pages: links, forms ----------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    method: str
    action: str  # a path with its query string
    page: str  # where it was found
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    htmx: bool = False  # hx-post (or hx-get) on the form

    def shape(self) -> tuple:
        """What makes two forms the same for fuzzing: method, action without ids, names."""
        names = tuple(sorted({re.sub(r"\d+", "#", f.name) for f in self.fields}))
        return self.method, re.sub(r"\d+", "#", urlsplit(self.action).path), names


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.hx_gets: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._alternatives: list[str | None] = []

    def _url(self, value: str | None) -> str | None:
        if value is None:
            return None
        url = urljoin(self.base, value)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attribute in ("hx-get", "data-hx-get"):
            if a.get(attribute):
                url = self._url(a[attribute])
                if url:
                    self.hx_gets.append(url)
        if tag == "a" and a.get("href") and not a["href"].startswith("#"):
            url = self._url(a["href"])
            if url:
                self.links.append(url)
        elif tag == "form":
            action = self._url(a.get("action") or self.base) or self.base
            self._form = Form(method=(a.get("method") or "get").upper(), action=action,
                              page=self.base,
                              htmx=any(k in a for k in ("hx-post", "data-hx-post", "hx-get")))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                self._form.buttons.append((a["name"], a.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                existing = next((f for f in self._form.fields if f.name == a["name"]), None)
                if existing is None:
                    existing = Field(a["name"], kind)
                    self._form.fields.append(existing)
                existing.options.append(a.get("value") or "on")
                if "checked" in a:
                    existing.checked = True
                    existing.value = a.get("value") or "on"
            else:
                self._form.fields.append(Field(a["name"], kind, a.get("value") or ""))
        elif tag == "button" and a.get("name"):
            self._form.buttons.append((a["name"], a.get("value") or ""))
        if self._form is not None and tag in ("button", "input") and a.get("formaction"):
            self._alternatives.append(self._url(a["formaction"]))  # the same form, elsewhere
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = value
                self._select.checked = True
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            for action in filter(None, self._alternatives):
                self.forms.append(Form(self._form.method, action, self.base,
                                       list(self._form.fields), [], self._form.htmx))
            self._alternatives = []
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select.checked and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(html: str, base: str) -> _PageParser:
    parser = _PageParser(base)
    parser.feed(html)
    parser.close()
    return parser


def query_params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


# ---- what comes back out -----------------------------------------------------------------------


def unescaped(body: str) -> list[str]:
    """The payload markers found raw in an HTML body."""
    return [marker for marker in UNESCAPED_MARKERS if marker in body]


def is_html(response) -> bool:
    return response.mimetype in ("text/html", "application/xhtml+xml")


# ---- spreadsheets and CSV ------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d[\d\s\u00a0]*([.,]\d+)?$")


def looks_like_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


# ---- the crawl -----------------------------------------------------------------------------------

SKIP_PREFIXES = ("/static/", "/api/", "/kalender/", "/logg-ut")
SKIP_SUFFIXES = (".xlsx", ".pdf", ".csv", ".ics", ".json")


@dataclass
class Site:
    """What a crawl found: the pages (url -> endpoint), the forms (one of each shape), and
    per GET endpoint a page address and the query parameters seen with their values."""

    pages: dict[str, str] = field(default_factory=dict)
    forms: list[Form] = field(default_factory=list)
    params: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    sample: dict[str, str] = field(default_factory=dict)  # endpoint -> a path of it
    errors: list[str] = field(default_factory=list)


def endpoint_of(app, url: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(url).path, method=method)
    except Exception:  # noqa: BLE001 - not a route of ours (404, 405, redirect)
        return None
    return endpoint


def crawl(app, client, starts: list[str], per_endpoint: int = 4,
          variants_per_endpoint: int = 12, skip_form=lambda form: False) -> Site:
    """Breadth first over the links, hx-get addresses and GET forms of the pages, as the
    signed-in ``client``; at most ``per_endpoint`` paths (and ``variants_per_endpoint`` query
    strings) of each endpoint."""
    site = Site()
    seen_shapes: set[tuple] = set()
    paths: dict[str, set[str]] = {}
    variants: dict[str, int] = {}
    queue: list[tuple[str, bool]] = [(url, False) for url in starts]
    visited: set[tuple[str, bool]] = set()
    while queue:
        url, htmx = queue.pop(0)
        if (url, htmx) in visited or url.startswith(SKIP_PREFIXES) \
                or urlsplit(url).path.endswith(SKIP_SUFFIXES):
            continue
        visited.add((url, htmx))
        endpoint = endpoint_of(app, url)
        if endpoint is None:
            continue
        path = urlsplit(url).path
        known = paths.setdefault(endpoint, set())
        if path not in known and len(known) >= per_endpoint:
            continue
        if urlsplit(url).query:
            if variants.get(endpoint, 0) >= variants_per_endpoint:
                continue
            variants[endpoint] = variants.get(endpoint, 0) + 1
        known.add(path)
        response = client.get(url, headers={"HX-Request": "true"} if htmx else None)
        if response.status_code >= 500:
            site.errors.append(f"GET {url} (htmx={htmx}): {response.status_code}")
        if response.status_code != 200 or not is_html(response):
            continue
        body = response.get_data(as_text=True)
        site.pages.setdefault(url, endpoint)
        site.sample.setdefault(endpoint, path)
        for name, value in query_params(url):
            site.params.setdefault(endpoint, {}).setdefault(name, set()).add(value)
        page = parse_page(body, url)
        for form in page.forms:
            if form.method == "GET":
                target = endpoint_of(app, form.action)
                if target:
                    site.sample.setdefault(target, urlsplit(form.action).path)
                    base = urlsplit(form.action).path
                    for f in form.fields:
                        values = site.params.setdefault(target, {}).setdefault(f.name, set())
                        values.update(f.options or [f.value])
                        # Each choice of a filter is a page of its own (one per option).
                        queue.extend((f"{base}?{urlencode({f.name: option})}", False)
                                     for option in f.options[:6] if option)
                continue
            shape = (endpoint_of(app, form.action, form.method), *form.shape()[2:])
            if shape not in seen_shapes and not skip_form(form):
                seen_shapes.add(shape)
                site.forms.append(form)
        queue.extend((link, False) for link in page.links)
        queue.extend((link, True) for link in page.hx_gets)
    return site
