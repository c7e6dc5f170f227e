"""gunicorn settings for a production start (``scripts/serve``), from GOVERNANCE_* variables.

    .venv/bin/gunicorn -c python:governance.gunicorn_conf 'governance:create_app()'

GOVERNANCE_BIND             address to listen on (127.0.0.1:8000; a reverse proxy in front)
GOVERNANCE_WORKERS          worker processes (2 per CPU core + 1)
GOVERNANCE_THREADS          threads per worker (1: gunicorn's sync workers; more: gthread)
GOVERNANCE_TIMEOUT          seconds a request may take before its worker is restarted (60)
GOVERNANCE_GRACEFUL_TIMEOUT seconds running requests get to finish on stop or reload (30)
GOVERNANCE_ACCESS_LOG       access log file, "-" for standard output (the default), "" for none
GOVERNANCE_CONTROL_SOCKET   path of gunicorn's control socket (gunicornc); none by default

The workers share nothing but the database (and Redis when it holds the sign-in throttle):
sessions, throttle counts and CSRF tokens (signed with GOVERNANCE_SECRET_KEY) are the same in
every worker, so a request may go to any of them. The app is loaded once in the master and
its templates compiled there (``when_ready``), so a new worker answers its first request
as fast as its hundredth; each worker opens its own database connections after the fork
(``post_fork`` drops any the master's pool holds without closing them under the master).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be 1 or more, not {raw!r}")
    return value


def default_workers() -> int:
    return 2 * multiprocessing.cpu_count() + 1


bind = os.environ.get("GOVERNANCE_BIND", "127.0.0.1:8000").split(",")
workers = _int("GOVERNANCE_WORKERS", default_workers())
threads = _int("GOVERNANCE_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GOVERNANCE_TIMEOUT", 60)
graceful_timeout = _int("GOVERNANCE_GRACEFUL_TIMEOUT", 30)
keepalive = 5
preload_app = True
accesslog = os.environ.get("GOVERNANCE_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GOVERNANCE_LOG_LEVEL", "info")
# Time in microseconds (%(D)s) after the usual combined format, for reading the log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
proc_name = "styringsrommet"
# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), so
# two servers on one machine would take it from each other: off unless a path is given.
_control_socket = os.environ.get("GOVERNANCE_CONTROL_SOCKET", "").strip()
control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket
# Behind a reverse proxy: the app's ProxyFix (GOVERNANCE_PROXY_FIX=1) reads X-Forwarded-*;
# gunicorn itself only trusts them from these addresses.
forwarded_allow_ips = os.environ.get("GOVERNANCE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def _flask_app(server):
    return getattr(server.app, "callable", None)


def when_ready(server) -> None:
    """In the master, before the workers are forked: compile every template once."""
    app = _flask_app(server)
    if app is None:
        return
    for name in app.jinja_env.list_templates(extensions=("html", "txt", "ics", "xml")):
        app.jinja_env.get_template(name)


def post_fork(server, worker) -> None:
    app = _flask_app(server)
    if app is None:
        return
    from governance.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
