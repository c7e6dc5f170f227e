"""Rules on organisations: organisation numbers, unique names and numbers, yearly figures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.organisations import service
from governance.organisations.models import Organisation, OrganisationKind, OrganisationYear

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(prefix: str) -> int | None:
    """The MOD11 check digit of eight digits, worked out here; None when it would be 10."""
    remainder = sum(int(d) * w for d, w in zip(prefix, WEIGHTS, strict=True)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def first_prefix(wanted) -> str:
    """The first eight-digit prefix (from 91000000) whose check digit satisfies ``wanted``."""
    for number in range(91_000_000, 92_000_000):
        prefix = str(number)
        if wanted(check_digit(prefix)):
            return prefix
    raise AssertionError("no such prefix")


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session
        db.session.rollback()


def create(session, name="Testkommune", org_number=None, kind=OrganisationKind.MUNICIPALITY):
    organisation = service.create_organisation(
        session, None, name=name, kind=kind, org_number=org_number
    )
    session.commit()
    return organisation


def count(session, model=Organisation) -> int:
    return session.scalar(select(func.count()).select_from(model))


# ---- organisation numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "974760673",  # Brønnøysundregistrene
        "958935420",  # Oslo kommune: remainder 0, so the check digit is 0
        "964338531",  # Bergen kommune
    ],
)
def test_real_organisation_numbers_are_valid(number):
    assert service.org_number_valid(number)


@pytest.mark.parametrize("prefix", ["91000000", "12345678", "98765432", "81021020", "99999999"])
def test_only_the_computed_check_digit_is_accepted(prefix):
    digit = check_digit(prefix)
    accepted = [d for d in range(10) if service.org_number_valid(f"{prefix}{d}")]
    assert accepted == ([] if digit is None else [digit])


def test_a_prefix_whose_check_digit_would_be_10_has_no_valid_number():
    prefix = first_prefix(lambda digit: digit is None)
    assert not any(service.org_number_valid(f"{prefix}{d}") for d in range(10))


def test_a_check_digit_of_0_comes_from_remainder_0():
    prefix = first_prefix(lambda digit: digit == 0)
    assert service.org_number_valid(f"{prefix}0")
    assert not service.org_number_valid(f"{prefix}1")


@pytest.mark.parametrize(
    "number",
    [
        "974760674",  # wrong check digit
        "97476067",  # 8 digits
        "9747606730",  # 10 digits
        "97476067A",  # a letter
        "ABCDEFGHI",
        "９７４７６０６７３",  # full-width digits are digits to Python, not to the register
        "974-760-673",
        "",
    ],
)
def test_malformed_numbers_are_invalid(number):
    assert not service.org_number_valid(number)


def test_organisation_number_is_saved_without_spaces(session):
    created = create(session, org_number=" 974 760\u00a0673 ")
    assert session.get(Organisation, created.id).org_number == "974760673"


def test_empty_organisation_number_is_saved_as_none(session):
    created = create(session, org_number="   ")
    assert session.get(Organisation, created.id).org_number is None


@pytest.mark.parametrize("number", ["974760674", "97476067", "9747606730", "97476O673"])
def test_invalid_organisation_number_is_refused_on_the_number_field(session, number):
    with pytest.raises(RuleViolation) as caught:
        service.create_organisation(session, None, name="Feil nummer",
                                    kind=OrganisationKind.MUNICIPALITY, org_number=number)
    assert caught.value.field == "org_number"
    assert "kontrollsifferet" in str(caught.value)
    session.rollback()
    assert count(session) == 0


# ---- unique names and numbers ------------------------------------------------------


@pytest.mark.parametrize("other", ["Ringerike kommune", "RINGERIKE KOMMUNE",
                                   "  ringerike kommune "])
def test_duplicate_name_is_refused_whatever_the_case(session, other):
    create(session, name="Ringerike kommune")
    with pytest.raises(RuleViolation) as caught:
        service.create_organisation(session, None, name=other,
                                    kind=OrganisationKind.MUNICIPALITY)
    assert caught.value.field == "name"
    assert str(caught.value) == "Det finnes allerede en organisasjon med dette navnet."
    session.rollback()
    assert count(session) == 1


@pytest.mark.parametrize(("first", "second"), [("Ås kommune", "ÅS KOMMUNE"),
                                               ("ØRLAND KOMMUNE", "Ørland kommune"),
                                               ("Ærlig råd", "ÆRLIG RÅD")])
def test_duplicate_name_with_norwegian_letters_is_refused_whatever_the_case(
    session, first, second
):
    create(session, name=first)
    with pytest.raises(RuleViolation) as caught:
        service.create_organisation(session, None, name=second,
                                    kind=OrganisationKind.MUNICIPALITY)
    assert caught.value.field == "name"
    session.rollback()
    assert count(session) == 1


def test_empty_name_is_refused(session):
    with pytest.raises(RuleViolation) as caught:
        service.create_organisation(session, None, name="   ",
                                    kind=OrganisationKind.MUNICIPALITY)
    assert caught.value.field == "name"


def test_duplicate_number_is_refused_on_the_number_field(session):
    create(session, name="Første", org_number="974760673")
    with pytest.raises(RuleViolation) as caught:
        service.create_organisation(session, None, name="Andre",
                                    kind=OrganisationKind.COUNTY, org_number="974 760 673")
    assert caught.value.field == "org_number"
    assert "allerede registrert" in str(caught.value)
    session.rollback()
    assert count(session) == 1


def test_update_keeps_its_own_name_and_number(session):
    organisation = create(session, name="Hole kommune", org_number="964338531")
    service.update_organisation(session, None, organisation, name="HOLE kommune",
                                kind=OrganisationKind.MUNICIPALITY, org_number="964 338 531",
                                version_id=organisation.version_id)
    session.commit()
    saved = session.get(Organisation, organisation.id)
    assert (saved.name, saved.org_number) == ("HOLE kommune", "964338531")


def test_update_to_another_organisations_name_or_number_is_refused(session):
    create(session, name="Hole kommune", org_number="964338531")
    other = create(session, name="Jevnaker kommune")
    with pytest.raises(RuleViolation) as caught:
        service.update_organisation(session, None, other, name="hole KOMMUNE",
                                    kind=OrganisationKind.MUNICIPALITY, org_number=None,
                                    version_id=other.version_id)
    assert caught.value.field == "name"
    session.rollback()
    with pytest.raises(RuleViolation) as caught:
        service.update_organisation(session, None, other, name="Jevnaker kommune",
                                    kind=OrganisationKind.MUNICIPALITY, org_number="964338531",
                                    version_id=other.version_id)
    assert caught.value.field == "org_number"
    session.rollback()
    saved = session.get(Organisation, other.id)
    assert (saved.name, saved.org_number) == ("Jevnaker kommune", None)


def test_update_on_an_old_version_is_refused(session):
    organisation = create(session, name="Hole kommune")
    loaded_version = organisation.version_id
    service.update_organisation(session, None, organisation, name="Hole",
                                kind=OrganisationKind.MUNICIPALITY, org_number=None,
                                version_id=loaded_version)
    session.commit()
    with pytest.raises(StaleEdit):
        service.update_organisation(session, None, organisation, name="Hole herred",
                                    kind=OrganisationKind.MUNICIPALITY, org_number=None,
                                    version_id=loaded_version)
    session.rollback()
    assert session.get(Organisation, organisation.id).name == "Hole"


# ---- yearly figures ----------------------------------------------------------------


def figures_of(session, organisation) -> dict[int, tuple[int | None, int | None]]:
    rows = session.scalars(
        select(OrganisationYear).where(OrganisationYear.organisation_id == organisation.id)
    )
    return {row.year: (row.population, row.operating_costs_ore) for row in rows}


def test_set_year_figures(session):
    organisation = create(session)
    service.set_year_figures(session, None, organisation, year=2024, population=27_000,
                             operating_costs_ore=8_500_000)
    session.commit()
    assert figures_of(session, organisation) == {2024: (27_000, 8_500_000)}


def test_setting_a_year_again_replaces_its_figures(session):
    organisation = create(session)
    service.set_year_figures(session, None, organisation, year=2024, population=27_000,
                             operating_costs_ore=8_500_000)
    service.set_year_figures(session, None, organisation, year=2025, population=1,
                             operating_costs_ore=None)
    session.commit()
    service.set_year_figures(session, None, organisation, year=2024, population=None,
                             operating_costs_ore=9_000_000)
    session.commit()
    assert figures_of(session, organisation) == {2024: (None, 9_000_000), 2025: (1, None)}


@pytest.mark.parametrize(
    ("population", "costs", "field"),
    [(-1, None, "population"), (None, -100, "operating_costs"), (-5, 100, "population")],
)
def test_negative_figures_are_refused(session, population, costs, field):
    organisation = create(session)
    with pytest.raises(RuleViolation) as caught:
        service.set_year_figures(session, None, organisation, year=2024,
                                 population=population, operating_costs_ore=costs)
    assert caught.value.field == field
    assert "negativ" in str(caught.value)
    session.rollback()
    assert figures_of(session, organisation) == {}


@pytest.mark.parametrize("year", [1899, 2201, 0, -2024, 20240])
def test_year_out_of_range_is_refused(session, year):
    organisation = create(session)
    with pytest.raises(RuleViolation) as caught:
        service.set_year_figures(session, None, organisation, year=year, population=10,
                                 operating_costs_ore=None)
    assert caught.value.field == "year"
    assert str(caught.value) == "Året må være mellom 1900 og 2200."
    session.rollback()
    assert figures_of(session, organisation) == {}


@pytest.mark.parametrize("year", [1900, 2200])
def test_years_at_the_limits_are_accepted(session, year):
    organisation = create(session)
    service.set_year_figures(session, None, organisation, year=year, population=0,
                             operating_costs_ore=0)
    session.commit()
    assert figures_of(session, organisation) == {year: (0, 0)}


def test_year_without_any_figure_is_refused(session):
    organisation = create(session)
    with pytest.raises(RuleViolation) as caught:
        service.set_year_figures(session, None, organisation, year=2024, population=None,
                                 operating_costs_ore=None)
    assert caught.value.field == "population"
    assert "Fyll ut folketall, driftskostnader eller begge." in str(caught.value)
    session.rollback()
    assert figures_of(session, organisation) == {}


def test_delete_year_figures(session):
    organisation = create(session)
    for year in (2023, 2024):
        service.set_year_figures(session, None, organisation, year=year, population=year,
                                 operating_costs_ore=None)
    session.commit()
    service.delete_year_figures(session, None, organisation, 2023)
    session.commit()
    assert figures_of(session, organisation) == {2024: (2024, None)}


def test_deleting_a_year_without_figures_is_refused(session):
    organisation = create(session)
    service.set_year_figures(session, None, organisation, year=2024, population=5,
                             operating_costs_ore=None)
    session.commit()
    with pytest.raises(RuleViolation):
        service.delete_year_figures(session, None, organisation, 2023)
    session.rollback()
    assert figures_of(session, organisation) == {2024: (5, None)}


def test_figures_of_one_organisation_do_not_touch_another(session):
    first, second = create(session, name="Første"), create(session, name="Andre")
    service.set_year_figures(session, None, first, year=2024, population=100,
                             operating_costs_ore=None)
    service.set_year_figures(session, None, second, year=2024, population=200,
                             operating_costs_ore=None)
    session.commit()
    service.delete_year_figures(session, None, first, 2024)
    session.commit()
    assert figures_of(session, first) == {}
    assert figures_of(session, second) == {2024: (200, None)}
