"""Cost sharing: the keys' weights, whole-krone shares that always add up to the total and
follow the key (property-based, with hypothesis), and the stated rounding rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.errors import RuleViolation
from governance.finance.sharing import KeyMethod, Participant, split, weights

# Kongsbergregionen's seven municipalities with the demo's populations (2008).
SEVEN = [
    Participant(1, "Flesberg kommune", 2_600, Decimal(8)),
    Participant(2, "Hjartdal kommune", 1_600, Decimal(6)),
    Participant(3, "Kongsberg kommune", 24_600, Decimal(40)),
    Participant(4, "Nore og Uvdal kommune", 2_600, Decimal(8)),
    Participant(5, "Notodden kommune", 12_400, Decimal(20)),
    Participant(6, "Rollag kommune", 1_400, Decimal(6)),
    Participant(7, "Tinn kommune", 6_100, Decimal(12)),
]


def shares(method, people=SEVEN, total=700_000, equal=None):
    return split(total, people, weights(method, people, equal))


def test_equal_shares_of_700_000_among_seven():
    assert shares(KeyMethod.EQUAL) == dict.fromkeys(range(1, 8), 100_000)


def test_by_population_the_seed_coordinator_in_whole_kroner():
    # Kongsberg: 700 000 × 24 600 / 51 300 = 335 672.51 -> 335 672; the kroner left over
    # go to the largest remainders (Flesberg and Nore og Uvdal, 35 477.49 each -> 35 478).
    assert shares(KeyMethod.POPULATION) == {
        1: 35_478, 2: 21_832, 3: 335_672, 4: 35_478, 5: 169_201, 6: 19_103, 7: 83_236}


def test_a_mix_of_half_equal_and_half_population():
    result = shares(KeyMethod.MIX, equal=Decimal(50))
    assert sum(result.values()) == 700_000
    # Kongsberg: 50 000 + 167 836.26 = 217 836.
    assert result[3] == 217_836


def test_fixed_percentages():
    assert shares(KeyMethod.FIXED) == {
        1: 56_000, 2: 42_000, 3: 280_000, 4: 56_000, 5: 140_000, 6: 42_000, 7: 84_000}


def test_the_rounding_remainder_goes_by_largest_loss_then_weight_then_name():
    people = [Participant(1, "Bø", 1), Participant(2, "Ås", 1), Participant(3, "Alta", 1)]
    # 100 kr in three: 33.33 each; the one krone left over goes to the first by name.
    assert shares(KeyMethod.EQUAL, people, 100) == {1: 33, 2: 33, 3: 34}
    assert shares(KeyMethod.EQUAL, people, 101) == {1: 34, 2: 33, 3: 34}


@pytest.mark.parametrize("people, method, equal, message", [
    ([Participant(1, "Tinn kommune", None), Participant(2, "Rollag kommune", 1_400)],
     KeyMethod.POPULATION, None, "Mangler folketall for Tinn kommune."),
    ([Participant(1, "Tinn kommune", None), Participant(2, "Rollag kommune", None)],
     KeyMethod.MIX, Decimal(50), "Mangler folketall for Tinn kommune, Rollag kommune."),
    ([Participant(1, "Tinn kommune", 0), Participant(2, "Rollag kommune", 0)],
     KeyMethod.POPULATION, None, "Folketallet er 0 for alle deltakerne."),
    ([Participant(1, "Tinn kommune", fixed_percent=Decimal(60)),
      Participant(2, "Rollag kommune", fixed_percent=Decimal("39.5"))],
     KeyMethod.FIXED, None, "Prosentandelene må bli 100 til sammen; nå blir de 99,5."),
    ([Participant(1, "Tinn kommune", fixed_percent=Decimal(110)),
      Participant(2, "Rollag kommune", fixed_percent=Decimal(-10))],
     KeyMethod.FIXED, None, "En prosentandel kan ikke være negativ."),
    ([Participant(1, "Tinn kommune", fixed_percent=Decimal(100)),
      Participant(2, "Rollag kommune")],
     KeyMethod.FIXED, None, "Mangler prosent for Rollag kommune."),
    ([Participant(1, "Tinn kommune", 5)], KeyMethod.MIX, Decimal(101),
     "Skriv hvor mange prosent som fordeles likt, fra 0 til 100."),
    ([], KeyMethod.EQUAL, None, "Prosjektet har ingen deltakere å fordele på."),
])
def test_a_key_that_cannot_be_applied_says_why(people, method, equal, message):
    with pytest.raises(RuleViolation) as refused:
        weights(method, people, equal)
    assert refused.value.text() == message


# ---- properties --------------------------------------------------------------------------

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ", min_size=1, max_size=12)


@st.composite
def participants(draw, with_population=True):
    count = draw(st.integers(min_value=1, max_value=12))
    populations = draw(st.lists(st.integers(min_value=0, max_value=1_000_000),
                                min_size=count, max_size=count))
    if with_population and sum(populations) == 0:
        populations[0] = 1
    return [Participant(index + 1, draw(names), populations[index]) for index in range(count)]


totals = st.integers(min_value=0, max_value=10**10)


@settings(max_examples=300, deadline=None)
@given(people=participants(), total=totals,
       method=st.sampled_from([KeyMethod.EQUAL, KeyMethod.POPULATION, KeyMethod.MIX]),
       equal=st.integers(min_value=0, max_value=100))
def test_shares_always_add_up_to_the_total_and_are_within_a_krone_of_the_key(
        people, total, method, equal):
    key_weights = weights(method, people, Decimal(equal))
    assert sum(key_weights.values()) == 1
    result = split(total, people, key_weights)
    assert sum(result.values()) == total
    for participant in people:
        exact = total * key_weights[participant.id]
        # Rounded down, plus at most the one krone of the remainder.
        assert exact - 1 < result[participant.id] < exact + 1
        assert result[participant.id] >= 0


@settings(max_examples=300, deadline=None)
@given(people=participants(), total=totals)
def test_by_population_more_people_never_pay_less(people, total):
    result = split(total, people, weights(KeyMethod.POPULATION, people))
    for a in people:
        for b in people:
            if a.population > b.population:
                assert result[a.id] >= result[b.id]


@st.composite
def percentages(draw):
    """Fixed percentages with up to two decimals that add up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=10))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10_000),
                                min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10_000]
    return [Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(count)]


@settings(max_examples=300, deadline=None)
@given(percents=percentages(), total=totals)
def test_fixed_percentages_add_up_and_follow_the_key(percents, total):
    people = [Participant(i + 1, f"K{i:02d}", fixed_percent=p) for i, p in enumerate(percents)]
    key_weights = weights(KeyMethod.FIXED, people)
    assert key_weights == {p.id: Fraction(p.fixed_percent) / 100 for p in people}
    result = split(total, people, key_weights)
    assert sum(result.values()) == total
    for p in people:
        assert abs(result[p.id] - total * key_weights[p.id]) < 1


@settings(max_examples=200, deadline=None)
@given(people=participants(), total=totals)
def test_equal_shares_differ_by_at_most_one_krone(people, total):
    result = split(total, people, weights(KeyMethod.EQUAL, people))
    assert max(result.values()) - min(result.values()) <= 1
    assert sum(result.values()) == total
