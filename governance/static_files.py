"""Versioned static files: long browser caching that never serves a stale file.

Every ``url_for('static', filename=...)`` gets ``?v=<short hash of the file's content>``. A
request that carries the file's current version is answered with a year-long, immutable
Cache-Control, so the browser neither fetches nor revalidates it again (plotly.js is 4.7 MB);
a changed file has another hash, hence another address. Requests without the version, or
with an old one, keep Flask's ``no-cache`` (revalidated with the ETag every time).

A file's hash is computed once per process and kept until the file's size or modification
time changes (so an edited file in development gets a new address at once).
"""

from __future__ import annotations

import hashlib
import os
import threading

from flask import Flask, Response, request
from werkzeug.security import safe_join

VERSION_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"
_HASH_LENGTH = 12

_lock = threading.Lock()
# absolute path -> ((size, mtime_ns), version)
_versions: dict[str, tuple[tuple[int, int], str]] = {}


def version(app: Flask, filename: str) -> str | None:
    """The short content hash of a static file; None when there is no such file."""
    if not app.static_folder:
        return None
    path = safe_join(app.static_folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _versions.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:  # a folder, or unreadable
        return None
    found = digest.hexdigest()[:_HASH_LENGTH]
    with _lock:
        _versions[path] = (stamp, found)
    return found


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or VERSION_ARG in values or "filename" not in values:
            return
        found = version(app, values["filename"])
        if found is not None:
            values[VERSION_ARG] = found


def mark_cacheable(app: Flask, filename: str, response: Response) -> Response:
    """The long Cache-Control, when the request asked for the file's current version."""
    asked = request.args.get(VERSION_ARG)
    if asked and response.status_code in (200, 206, 304) and asked == version(app, filename):
        response.headers["Cache-Control"] = IMMUTABLE
    return response
