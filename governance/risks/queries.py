"""Read side of the risk register: the filtered list, the heat map counts, movement since a
date, the top risks. One query per list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.risks.models import Risk, RiskAssessment, RiskKind, RiskMeasure, RiskStatus


@dataclass
class RiskFilter:
    probability: int | None = None
    consequence: int | None = None
    residual: bool = False  # the cell is of the residual matrix
    kind: RiskKind | None = None
    include_closed: bool = False

    @property
    def cell(self) -> tuple[int, int] | None:
        if self.probability is None or self.consequence is None:
            return None
        return self.probability, self.consequence


def all_risks(session: Session, project_id: int) -> list[Risk]:
    return list(session.scalars(
        select(Risk).where(Risk.project_id == project_id)
        .options(selectinload(Risk.owner),
                 selectinload(Risk.measures).selectinload(RiskMeasure.responsible))
        .order_by(Risk.number)))


def _sort_key(risk: Risk):
    return (not risk.is_open, -risk.score, risk.number)


def risks_with_owners(session: Session, project_id: int) -> list[Risk]:
    """The project's risks with their owners, without the measures (the dashboard). One
    query."""
    return list(session.scalars(
        select(Risk).where(Risk.project_id == project_id)
        .options(joinedload(Risk.owner)).order_by(Risk.number)))


def filtered(risks: list[Risk], filters: RiskFilter) -> list[Risk]:
    chosen = [r for r in risks if filters.include_closed or r.is_open]
    if filters.kind is not None:
        chosen = [r for r in chosen if r.kind == filters.kind]
    if filters.cell is not None:
        p, c = filters.cell
        if filters.residual:
            chosen = [r for r in chosen
                      if (r.residual_probability, r.residual_consequence) == (p, c)]
        else:
            chosen = [r for r in chosen if (r.probability, r.consequence) == (p, c)]
    return sorted(chosen, key=_sort_key)


def matrix(risks: list[Risk], residual: bool = False) -> dict[tuple[int, int], int]:
    """(probability, consequence) -> number of open risks in the cell."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        if not risk.is_open:
            continue
        cell = ((risk.residual_probability, risk.residual_consequence) if residual
                else (risk.probability, risk.consequence))
        if None in cell:
            continue
        counts[cell] = counts.get(cell, 0) + 1
    return counts


def top(risks: list[Risk], count: int = 5) -> list[Risk]:
    """The open threats with the highest scores."""
    open_threats = [r for r in risks if r.is_open and r.kind == RiskKind.THREAT]
    return sorted(open_threats, key=_sort_key)[:count]


def scores_on(session: Session, project_id: int, day: date) -> dict[int, int]:
    """Each risk's score as last assessed on or before ``day``."""
    rows = session.execute(
        select(RiskAssessment.risk_id, RiskAssessment.probability, RiskAssessment.consequence,
               RiskAssessment.assessed_on, RiskAssessment.id)
        .where(RiskAssessment.project_id == project_id, RiskAssessment.assessed_on <= day)
        .order_by(RiskAssessment.assessed_on, RiskAssessment.id))
    scores: dict[int, int] = {}
    for risk_id, probability, consequence, _on, _id in rows:
        scores[risk_id] = probability * consequence
    return scores


def assessments(session: Session, risk_id: int) -> list[RiskAssessment]:
    return list(session.scalars(
        select(RiskAssessment).where(RiskAssessment.risk_id == risk_id)
        .options(selectinload(RiskAssessment.assessed_by))
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())))


def by_id(session: Session, project_id: int, risk_id: int) -> Risk | None:
    """The project's risk with its owner and measures (and their responsible people) loaded:
    the risk page needs the same number of queries however many measures it has."""
    return session.scalar(
        select(Risk).where(Risk.id == risk_id, Risk.project_id == project_id)
        .options(selectinload(Risk.owner),
                 selectinload(Risk.measures).selectinload(RiskMeasure.responsible)))


def highest_risks(session: Session, project_ids) -> dict[int, Risk]:
    """project id -> its open threat with the highest score (then the lowest number), for
    many projects in one query."""
    score = Risk.probability * Risk.consequence
    ranked = (
        select(Risk.id, func.row_number().over(
            partition_by=Risk.project_id, order_by=(score.desc(), Risk.number)).label("rank"))
        .where(Risk.project_id.in_(project_ids), Risk.kind == RiskKind.THREAT,
               Risk.status != RiskStatus.NOT_RELEVANT)
        .subquery())
    rows = session.scalars(select(Risk).join(ranked, ranked.c.id == Risk.id)
                           .where(ranked.c.rank == 1))
    return {risk.project_id: risk for risk in rows}


def highest_scores(session: Session, project_ids) -> dict[int, int]:
    """project id -> the score of its highest open threat (what the portfolio sorts by).
    One grouped query."""
    return dict(session.execute(
        select(Risk.project_id, func.max(Risk.probability * Risk.consequence))
        .where(Risk.project_id.in_(project_ids), Risk.kind == RiskKind.THREAT,
               Risk.status != RiskStatus.NOT_RELEVANT)
        .group_by(Risk.project_id)).all())
