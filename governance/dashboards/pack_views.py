"""The steering group pack: a printable page, the same as a PDF, and the Excel workbooks of
the milestones, the benefits plan, the risk register and the budget."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from governance import PACKAGE_DIR
from governance.dashboards import pack, workbooks
from governance.extensions import db
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.web import SIGNED_IN, permission, render

bp = Blueprint("pack", __name__, url_prefix="/prosjekter/<code>")

log = logging.getLogger("governance.pack")

PRINT_CSS = PACKAGE_DIR / "static" / "css" / "pack.css"


def _context(code: str) -> dict:
    project, access = load_project(code)
    return {"project": project, "access": access,
            "pack": pack.assemble(db.session, project, today()), **pack.labels()}


@bp.route("/styringsgruppepakke")
@permission(SIGNED_IN)
def printable(code: str):
    """The pack as a page: read on screen, or printed (print CSS drops the app's frame)."""
    return render("dashboards/pack.html", **_context(code))


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF fetches nothing: its CSS is inline and it has no images or fonts to load."""
    raise ValueError(f"the steering group pack fetches nothing ({url[:80]})")


def _pdf_bytes(html: str) -> bytes | None:
    """The PDF of the page, or None when WeasyPrint (or the Pango it needs) is missing."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        log.warning("WeasyPrint cannot be loaded: %s", error)
        return None
    return HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).write_pdf()


@bp.route("/styringsgruppepakke.pdf")
@permission(SIGNED_IN)
def pdf(code: str):
    context = _context(code)
    project = context["project"]
    html = render_template("dashboards/pack_pdf.html",
                           print_css=Path(PRINT_CSS).read_text(encoding="utf-8"), **context)
    body = _pdf_bytes(html)
    if body is None:
        return render("dashboards/pack_unavailable.html", status=503, project=project)
    response = current_app.response_class(body, mimetype="application/pdf")
    filename = f"{project.code}-styringsgruppepakke-{context['pack'].today.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/eksport/<name>.xlsx")
@permission(SIGNED_IN)
def workbook(code: str, name: str):
    sheets_of = pack.WORKBOOKS.get(name)
    if sheets_of is None:
        abort(404)
    project, _access = load_project(code)
    day = today()
    body = workbooks.build(sheets_of(db.session, project, day))
    response = current_app.response_class(body, mimetype=workbooks.XLSX_MIMETYPE)
    filename = f"{project.code}-{name}-{day.isoformat()}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

