"""Static files: addresses with a content version, cached for a year when the version is
right, revalidated every time otherwise."""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from flask import url_for

IMMUTABLE = "public, max-age=31536000, immutable"


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _fetch(client, url: str):
    """The response, read and closed (a static file is streamed from disk)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_page_addresses_carry_the_content_version(app, client):
    html = client.get("/logg-inn").get_data(as_text=True)
    urls = _static_urls(html)
    scripts = [u for u in urls if u.split("?")[0].endswith(".js")]
    assert any("/static/vendor/htmx.min.js?v=" in u for u in scripts), urls
    folder = Path(app.static_folder)
    for url in urls:
        path, _, query = url.partition("?")
        assert query == "v=" + _hash(folder / path.removeprefix("/static/")), url


def test_chart_library_address_carries_its_version(app):
    with app.test_request_context():
        url = url_for("static", filename="vendor/plotly.min.js")
    assert url == ("/static/vendor/plotly.min.js?v="
                   + _hash(Path(app.static_folder) / "vendor/plotly.min.js"))


def test_versioned_request_is_cached_for_a_year(app, client):
    with app.test_request_context():
        url = url_for("static", filename="js/app.js")
    response = _fetch(client, url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == (Path(app.static_folder) / "js/app.js").read_bytes()


@pytest.mark.parametrize("query", ["", "?v=0123456789ab", "?v="])
def test_unversioned_or_stale_request_is_revalidated(client, query):
    response = _fetch(client, "/static/js/app.js" + query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers.get("ETag")


def test_missing_file_is_not_found(client):
    assert _fetch(client, "/static/js/finnes-ikke.js?v=0123456789ab").status_code == 404


def test_changed_file_gets_a_new_address(app, client):
    name = f"test-{uuid.uuid4().hex[:8]}.js"
    path = Path(app.static_folder) / name
    try:
        path.write_text("console.log(1);\n")
        with app.test_request_context():
            first = url_for("static", filename=name)
        assert _fetch(client, first).headers["Cache-Control"] == IMMUTABLE

        path.write_text("console.log('endret');\n")
        with app.test_request_context():
            second = url_for("static", filename=name)
        assert second != first
        assert second == f"/static/{name}?v={_hash(path)}"
        fresh = _fetch(client, second)
        assert fresh.headers["Cache-Control"] == IMMUTABLE
        assert fresh.get_data(as_text=True) == "console.log('endret');\n"
        # The old address now names content that is gone: not cached for long.
        assert _fetch(client, first).headers["Cache-Control"] == "no-cache"
    finally:
        path.unlink(missing_ok=True)
