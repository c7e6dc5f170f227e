"""Styringsrommet: project governance for Norwegian municipalities."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    from governance import config, i18n, security
    from governance.extensions import babel, csrf, db, htmx, login_manager, migrate
    from governance.history import recorder
    from governance.retention import filtering as retention_filtering
    from governance.roles import auth
    from governance.web import IdConverter, register_error_handlers

    app = Flask(
        __name__,
        instance_path=str(ROOT_DIR / "instance"),
        template_folder=str(ROOT_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    app.config.update(config.load(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config.get("GOVERNANCE_PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    import governance.models  # noqa: F401  (every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT_DIR / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(PACKAGE_DIR / "translations"))
    htmx.init_app(app)
    recorder.install()
    retention_filtering.install()
    auth.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    register_error_handlers(app)
    app.url_map.converters["int"] = IdConverter  # before the routes are added
    _register_blueprints(app)
    _register_commands(app)
    _declare_static(app)
    if not app.debug:
        logging.getLogger("governance").setLevel(logging.INFO)
    return app


def _register_blueprints(app: Flask) -> None:
    from governance import main
    from governance.api.token_views import bp as api_tokens_bp
    from governance.api.views import bp as api_bp
    from governance.benefits.views import bp as benefits_bp
    from governance.finance.views import bp as finance_bp
    from governance.organisations.views import bp as organisations_bp
    from governance.projects.decision_views import bp as decisions_bp
    from governance.projects.decision_views import feed_bp
    from governance.projects.plan_views import bp as plan_bp
    from governance.projects.views import bp as projects_bp
    from governance.reporting.views import bp as reporting_bp
    from governance.risks.views import bp as risks_bp
    from governance.roles.organisation_views import bp as organisation_bp
    from governance.roles.people_views import bp as people_bp
    from governance.roles.views import admin_bp as users_bp
    from governance.roles.views import bp as auth_bp

    for blueprint in (main.bp, auth_bp, users_bp, organisations_bp, projects_bp,
                      organisation_bp, people_bp, plan_bp, decisions_bp, feed_bp, benefits_bp,
                      risks_bp, reporting_bp, finance_bp, api_bp, api_tokens_bp):
        app.register_blueprint(blueprint)

    from governance.dashboards.pack_views import bp as pack_bp

    app.register_blueprint(pack_bp)

    from governance.dashboards.views import bp as dashboards_bp

    app.register_blueprint(dashboards_bp)

    from governance.dashboards.portfolio_views import bp as portfolio_bp

    app.register_blueprint(portfolio_bp)

    from governance.retention.views import bp as retention_bp

    app.register_blueprint(retention_bp)


def _declare_static(app: Flask) -> None:
    """Static files are public: wrap the built-in view so it carries the declaration. Their
    addresses carry a content version, and a request for the current version may be cached
    for a year (governance/static_files.py)."""
    from governance import static_files
    from governance.web import PUBLIC, permission

    serve = app.view_functions["static"]

    @permission(PUBLIC)
    def static(filename: str):
        return static_files.mark_cacheable(app, filename, serve(filename=filename))

    app.view_functions["static"] = static
    static_files.init_app(app)


def _register_commands(app: Flask) -> None:
    from governance import commands

    commands.register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait when locked."""
    module = type(dbapi_connection).__module__
    if not module.startswith(("sqlite3", "pysqlite")):
        return
    # SQLite's own lower()/upper() only know ASCII; Norwegian names need æ, ø and å.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    dbapi_connection.create_function("upper", 1, _unicode_upper, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _unicode_upper(value):
    return value.upper() if isinstance(value, str) else value
