"""Cost sharing keys (fordelingsnøkler): how a shared cost is split between participants.

Pure: no database. Weights are exact fractions; shares are whole kroner that always add up
to the total. The rounding rule (largest remainder): everyone first gets their exact share
rounded down to whole kroner; the kroner left over go one at a time to the participants whose
exact share lost the most in the rounding, and on equal loss to the one with the larger
weight, then to the name first in the alphabet.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from governance.errors import N_, RuleViolation


class KeyMethod(enum.Enum):
    EQUAL = "equal"  # like shares
    POPULATION = "population"  # by population (folketall)
    MIX = "mix"  # a percentage in equal shares, the rest by population
    FIXED = "fixed"  # fixed percentages per participant


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    population: int | None = None
    fixed_percent: Decimal | None = None


HUNDRED = Decimal(100)


def weights(method: KeyMethod, participants: list[Participant],
            equal_percent: Decimal | None = None) -> dict[int, Fraction]:
    """Each participant's part of the whole, as exact fractions adding up to 1. Refused (with
    a message naming who is missing what) when the key cannot be applied."""
    if not participants:
        raise RuleViolation(N_("Prosjektet har ingen deltakere å fordele på."), "key")
    count = len(participants)
    if method == KeyMethod.EQUAL:
        return {p.id: Fraction(1, count) for p in participants}
    if method == KeyMethod.FIXED:
        missing = [p.name for p in participants if p.fixed_percent is None]
        if missing:
            raise RuleViolation(N_("Mangler prosent for %(names)s."), "percent",
                                names=", ".join(missing))
        if any(p.fixed_percent < 0 for p in participants):
            raise RuleViolation(N_("En prosentandel kan ikke være negativ."), "percent")
        total = sum((p.fixed_percent for p in participants), Decimal(0))
        if total != HUNDRED:
            raise RuleViolation(
                N_("Prosentandelene må bli 100 til sammen; nå blir de %(total)s."), "percent",
                total=_plain(total))
        return {p.id: Fraction(p.fixed_percent) / 100 for p in participants}
    by_population = _population_weights(participants)
    if method == KeyMethod.POPULATION:
        return by_population
    if equal_percent is None or not Decimal(0) <= equal_percent <= HUNDRED:
        raise RuleViolation(N_("Skriv hvor mange prosent som fordeles likt, fra 0 til 100."),
                            "equal_percent")
    equal = Fraction(equal_percent) / 100
    return {p.id: equal / count + (1 - equal) * by_population[p.id] for p in participants}


def _population_weights(participants: list[Participant]) -> dict[int, Fraction]:
    missing = [p.name for p in participants if p.population is None]
    if missing:
        raise RuleViolation(N_("Mangler folketall for %(names)s."), "population",
                            names=", ".join(missing))
    if any(p.population < 0 for p in participants):
        raise RuleViolation(N_("Folketallet kan ikke være negativt."), "population")
    total = sum(p.population for p in participants)
    if total == 0:
        raise RuleViolation(N_("Folketallet er 0 for alle deltakerne."), "population")
    return {p.id: Fraction(p.population, total) for p in participants}


def split(total_kroner: int, participants: list[Participant],
          shares: dict[int, Fraction]) -> dict[int, int]:
    """The total in whole kroner by the weights; the parts always add up to the total
    (largest remainder, see the module's docstring)."""
    if total_kroner < 0:
        raise RuleViolation(N_("Beløpet kan ikke være negativt."), "amount")
    exact = {p.id: total_kroner * shares[p.id] for p in participants}
    parts = {pid: value.numerator // value.denominator for pid, value in exact.items()}
    left = total_kroner - sum(parts.values())
    order = sorted(participants,
                   key=lambda p: (-(exact[p.id] - parts[p.id]), -shares[p.id], p.name, p.id))
    for participant in order[:left]:
        parts[participant.id] += 1
    return parts


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")
