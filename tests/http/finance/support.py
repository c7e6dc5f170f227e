"""The worlds the finance HTTP tests run in, and how they read the pages and the database.

eHandel i Sogn: two participants (Sogndal and Luster; Leikanger takes no part), a project
leader (Katrine), a municipal lead (Kari) and a steering group member (Ingrid) who may read
but not write, and Olav who has no role in the project. Today is 15.10.2013.

Kongsbergregionen: the seven municipalities with their demo populations for 2008, the
regional coordinator's 700 000 kr to be shared between them.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from governance.extensions import db
from governance.finance import service
from governance.finance.models import (
    ActualCost,
    BudgetLine,
    Category,
    CostKey,
    LineKind,
    Nature,
    SharedCost,
)
from governance.finance.sharing import KeyMethod
from governance.projects.models import Project

TODAY = date(2013, 10, 15)
NBSP = "\u00a0"
KR = 100  # øre per krone


@dataclass
class Sogn:
    project: int
    code: str
    base: str
    sogndal: int
    luster: int
    leikanger: int  # not a participant


@dataclass
class Kongsberg:
    project: int
    code: str
    base: str
    orgs: dict[str, int]  # name -> id


POPULATION_2008 = {
    "Kongsberg kommune": 24_600, "Notodden kommune": 12_400, "Tinn kommune": 6_100,
    "Nore og Uvdal kommune": 2_600, "Flesberg kommune": 2_600, "Hjartdal kommune": 1_600,
    "Rollag kommune": 1_400,
}
SEVEN = sorted(POPULATION_2008)


def signed_in(make_client, username: str):
    browser = make_client()
    assert browser.login(username).status_code == 303
    return browser


# ---- the database --------------------------------------------------------------------------


def add_line(app, project_id: int, name: str, kroner: int, *, year: int = 2013,
             kind: LineKind = LineKind.COST, category: Category | None = None,
             organisation: int | None = None, forecast_kroner: int | None = None) -> int:
    category = category or (Category.MISC if kind == LineKind.COST else Category.GRANT)
    with app.app_context():
        project = db.session.get(Project, project_id)
        [line] = service.save_line(db.session, None, project, service.LineInput(
            year=year, kind=kind, category=category, nature=Nature.OPERATING, name=name,
            amount_ore=kroner * KR, organisation_id=organisation))
        if forecast_kroner is not None:
            line.forecast_ore = forecast_kroner * KR
        db.session.commit()
        return line.id


def add_actual(app, project_id: int, line_id: int, period: str, kroner: int,
               note: str = "") -> None:
    with app.app_context():
        project = db.session.get(Project, project_id)
        service.set_actual(db.session, None, project, db.session.get(BudgetLine, line_id),
                           period=period, amount_ore=kroner * KR, note=note, today=TODAY)
        db.session.commit()


def add_key(app, project_id: int, name: str, method: KeyMethod, equal: Decimal | None = None,
            percents: dict[int, Decimal] | None = None) -> int:
    with app.app_context():
        project = db.session.get(Project, project_id)
        key = service.save_key(db.session, None, project, service.KeyInput(
            name=name, method=method, equal_percent=equal, percents=percents or {}))
        db.session.commit()
        return key.id


def add_shared_cost(app, project_id: int, name: str, kroner: int, year: int = 2008,
                    key: int | None = None) -> int:
    with app.app_context():
        project = db.session.get(Project, project_id)
        cost = service.save_shared_cost(db.session, None, project, service.SharedCostInput(
            year=year, name=name, amount_kroner=kroner, key_id=key))
        db.session.commit()
        return cost.id


def lines(app) -> list[tuple]:
    """Every budget line as (year, kind, category, name, kroner, organisation id), sorted."""
    with app.app_context():
        rows = db.session.execute(select(
            BudgetLine.year, BudgetLine.kind, BudgetLine.category, BudgetLine.name,
            BudgetLine.amount_ore, BudgetLine.organisation_id)).all()
    return sorted(((y, k.value, c.value, n, Decimal(a) / KR, o) for y, k, c, n, a, o in rows),
                  key=repr)


def actuals(app) -> dict[tuple[int, str], tuple[Decimal, str]]:
    """(line id, month) -> (kroner, comment)."""
    with app.app_context():
        rows = db.session.execute(select(ActualCost.line_id, ActualCost.period,
                                         ActualCost.amount_ore, ActualCost.note)).all()
    return {(line, period): (Decimal(amount) / KR, note) for line, period, amount, note in rows}


def forecast_of(app, line_id: int) -> int | None:
    with app.app_context():
        return db.session.get(BudgetLine, line_id).forecast_ore


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def keys(app) -> dict[str, tuple]:
    """name -> (method, equal percent, {organisation id: percent})."""
    with app.app_context():
        found = db.session.scalars(select(CostKey)).all()
        return {k.name: (k.method.value, k.equal_percent,
                         {p.organisation_id: Decimal(p.percent).normalize() for p in k.percents})
                for k in found}


def chosen_key(app, cost_id: int) -> int | None:
    with app.app_context():
        return db.session.get(SharedCost, cost_id).key_id


# ---- the pages -----------------------------------------------------------------------------


def plain(markup: str) -> str:
    """What a reader sees: no tags, entities read, no-break spaces as spaces, one space."""
    words = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", words).strip()


def table(page: str, caption: str) -> str:
    """The <table> whose caption is ``caption``."""
    for match in re.finditer(r"<table\b.*?</table>", page, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", match.group(0), re.S)
        if found and plain(found.group(1)) == caption:
            return match.group(0)
    raise AssertionError(f"no table with the caption {caption!r}")


def rows(markup: str) -> dict[str, list[str]]:
    """A table's rows by their row header: the cells as text."""
    found = {}
    for row in re.findall(r"<tr\b.*?</tr>", markup, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if header is None:
            continue
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        found[plain(header.group(1))] = [plain(cell) for cell in cells]
    return found


def column_heads(markup: str) -> list[str]:
    return [plain(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', markup, re.S)]


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)
