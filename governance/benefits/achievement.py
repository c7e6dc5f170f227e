"""Pure arithmetic of the benefits plan: periods, readings, achievement and aggregation.

No Flask, no database. Every value is a Decimal; nothing here rounds, the templates do.
A reading that cannot be computed is None with a reason, never 0 % or infinity.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from governance.benefits.models import Frequency, Unit
from governance.errors import N_, RuleViolation

HUNDRED = Decimal(100)

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0?[1-9]|1[0-2])|([Hh][12])|([Qq][1-4])))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date


def parse_period(text: str) -> Period:
    """2013 (a year), 2013-H1 (a half), 2013-Q2 (a quarter) or 2013-03 (a month)."""
    raw = (text or "").strip()
    match = _PERIOD.match(raw)
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise RuleViolation(
            N_("Skriv perioden som 2013 (år), 2013-H1 (halvår), 2013-Q2 (kvartal) eller "
               "2013-03 (måned)."), "period")
    year = int(match.group(1))
    month, half, quarter = match.group(2), match.group(3), match.group(4)
    if month:
        m = int(month)
        return Period(f"{year}-{m:02d}", date(year, m, 1),
                      date(year, m, calendar.monthrange(year, m)[1]))
    if half:
        h = int(half[1])
        start_month = 1 if h == 1 else 7
        end = date(year, 6, 30) if h == 1 else date(year, 12, 31)
        return Period(f"{year}-H{h}", date(year, start_month, 1), end)
    if quarter:
        q = int(quarter[1])
        start_month = 3 * (q - 1) + 1
        end_month = start_month + 2
        return Period(f"{year}-Q{q}", date(year, start_month, 1),
                      date(year, end_month, calendar.monthrange(year, end_month)[1]))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def period_for(frequency: Frequency, day: date) -> Period:
    """The period of the given frequency that contains ``day``."""
    if frequency == Frequency.MONTHLY:
        return parse_period(f"{day.year}-{day.month:02d}")
    if frequency == Frequency.QUARTERLY:
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(str(day.year))


def previous_period(frequency: Frequency, day: date) -> Period:
    """The last whole period of the given frequency that ended before ``day``."""
    current = period_for(frequency, day)
    return period_for(frequency, current.start - timedelta(days=1))


@dataclass(frozen=True)
class Reading:
    """What a value means in the indicator's terms, or why it cannot be read."""

    value: Decimal | None
    reason: str | None = None  # a message id (N_) with %(year)d when value is None
    year: int | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def calculation_base(operating_costs_ore: int | None, factor: Decimal) -> Decimal | None:
    """Operating costs in kroner times the factor (the seed's berekningsgrunnlag)."""
    if operating_costs_ore is None or operating_costs_ore <= 0:
        return None
    return Decimal(operating_costs_ore) / HUNDRED * factor


def year_fraction(start: date, end: date) -> Decimal:
    """The share of a year a period covers, in whole months (a month 1/12, a quarter 1/4)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return Decimal(months) / Decimal(12)


def read(value: Decimal, *, is_ratio: bool, factor: Decimal | None,
         operating_costs_ore: int | None, year: int,
         fraction: Decimal = Decimal(1)) -> Reading:
    """A plain indicator reads as its value. A ratio indicator reads as the value's share
    (in %) of the calculation base of that year, the base scaled to the period's length (a
    month's order volume against a twelfth of the yearly base). Without operating costs for
    the year there is no reading."""
    if not is_ratio:
        return Reading(value)
    base = calculation_base(operating_costs_ore, factor or Decimal(1))
    if base is None:
        return Reading(None, N_("Mangler driftskostnader for %(year)d"), year)
    base = base * fraction
    return Reading(value / base * HUNDRED, numerator=value, denominator=base, year=year)


def share_of_operating_costs(share_of_base: Decimal, factor: Decimal) -> Decimal:
    """15 % of the calculation base with factor 0.25 is 3.75 % of operating costs."""
    return share_of_base * factor


@dataclass(frozen=True)
class TargetPoint:
    target_date: date
    value: Decimal


def next_target(targets: list[TargetPoint], on: date) -> TargetPoint | None:
    """The first target not yet passed on ``on``; after the last one, the last one."""
    ordered = sorted(targets, key=lambda t: t.target_date)
    for target in ordered:
        if target.target_date >= on:
            return target
    return ordered[-1] if ordered else None


def achievement(value: Decimal | None, baseline: Decimal | None,
                target: Decimal | None) -> Decimal | None:
    """(value − baseline) / (target − baseline), as a fraction (1 = target reached). The same
    formula serves lower-is-better indicators: both differences are then negative."""
    if value is None or baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


@dataclass(frozen=True)
class OrgReading:
    """One organisation's reading of an indicator (for aggregation)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def aggregate(unit: Unit, is_ratio: bool, readings: list[OrgReading]) -> Decimal | None:
    """The whole project's reading. Ratios: the sum of numerators over the sum of
    denominators (not an average of percentages). Percentages: the plain average. Amounts,
    counts and hours: the sum. None when any organisation's reading is missing."""
    if not readings or any(r.value is None for r in readings):
        return None
    if is_ratio:
        if any(r.numerator is None or r.denominator is None for r in readings):
            return None
        denominator = sum((r.denominator for r in readings), Decimal(0))
        if denominator == 0:
            return None
        return sum((r.numerator for r in readings), Decimal(0)) / denominator * HUNDRED
    values = [r.value for r in readings]
    if unit == Unit.PERCENT:
        return sum(values, Decimal(0)) / len(values)
    return sum(values, Decimal(0))


def project_target(unit: Unit, is_ratio: bool, target: Decimal, organisations: int) -> Decimal:
    """The whole project's target from the organisations' common target: summed where
    :func:`aggregate` sums their values, the same where it averages or divides."""
    if is_ratio or unit == Unit.PERCENT:
        return target
    return target * organisations


def is_overdue(frequency: Frequency, measured: list[tuple[date, date]], since: date,
               today: date) -> Period | None:
    """The period whose measurement is missing, if any: the last whole period before today
    (a month, quarter or year after ``since``) has no measurement covering it. A measurement
    covers it when it runs to the period's end or beyond, starting no later than that end
    (June covers the second quarter, the year 2013 covers every quarter of it; a later
    measurement does not make up for a missing one)."""
    due = previous_period(frequency, today)
    if due.end < since:
        return None
    if any(start <= due.end <= end for start, end in measured):
        return None
    return due
