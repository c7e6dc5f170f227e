"""Commands on organisations. Take (session, actor, ...); flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.errors import N_, RuleViolation, StaleEdit
from governance.organisations.models import Organisation, OrganisationKind, OrganisationYear

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def clean_org_number(raw: str | None) -> str | None:
    """Digits only ("974 760 673" -> "974760673"); None when empty."""
    if raw is None:
        return None
    digits = raw.replace(" ", "").replace("\u00a0", "").strip()
    return digits or None


def org_number_valid(number: str) -> bool:
    """Nine digits whose last is the MOD11 check digit of the first eight."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], ORG_NUMBER_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(number[8])


def _validate(session: Session, name: str, org_number: str | None,
              exclude_id: int | None) -> tuple[str, str | None]:
    name = name.strip()
    if not name:
        raise RuleViolation(N_("Navn må fylles ut."), "name")
    same_name = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if exclude_id is not None:
        same_name = same_name.where(Organisation.id != exclude_id)
    if session.scalar(same_name) is not None:
        raise RuleViolation(N_("Det finnes allerede en organisasjon med dette navnet."), "name")
    number = clean_org_number(org_number)
    if number is not None:
        if not org_number_valid(number):
            raise RuleViolation(
                N_("Organisasjonsnummeret er ikke gyldig: det skal ha 9 sifre, "
                "og kontrollsifferet må stemme."),
                "org_number",
            )
        same_number = select(Organisation.id).where(Organisation.org_number == number)
        if exclude_id is not None:
            same_number = same_number.where(Organisation.id != exclude_id)
        if session.scalar(same_number) is not None:
            raise RuleViolation(
                N_("Organisasjonsnummeret er allerede registrert på en annen organisasjon."),
                "org_number",
            )
    return name, number


def create_organisation(session: Session, actor, *, name: str, kind: OrganisationKind,
                        org_number: str | None = None) -> Organisation:
    name, number = _validate(session, name, org_number, None)
    organisation = Organisation(name=name, kind=kind, org_number=number)
    session.add(organisation)
    session.flush()
    return organisation


def update_organisation(session: Session, actor, organisation: Organisation, *, name: str,
                        kind: OrganisationKind, org_number: str | None,
                        version_id: int) -> Organisation:
    if version_id != organisation.version_id:
        raise StaleEdit()
    name, number = _validate(session, name, org_number, organisation.id)
    organisation.name = name
    organisation.kind = kind
    organisation.org_number = number
    session.flush()
    return organisation


MIN_YEAR, MAX_YEAR = 1900, 2200


def set_year_figures(session: Session, actor, organisation: Organisation, *, year: int,
                     population: int | None, operating_costs_ore: int | None) -> OrganisationYear:
    """Set (or replace) the population and operating costs of one year."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(N_("Året må være mellom %(min)d og %(max)d."), "year",
                            min=MIN_YEAR, max=MAX_YEAR)
    if population is not None and population < 0:
        raise RuleViolation(N_("Folketallet kan ikke være negativt."), "population")
    if operating_costs_ore is not None and operating_costs_ore < 0:
        raise RuleViolation(N_("Driftskostnadene kan ikke være negative."), "operating_costs")
    if population is None and operating_costs_ore is None:
        raise RuleViolation(N_("Fyll ut folketall, driftskostnader eller begge."), "population")
    figures = session.scalar(
        select(OrganisationYear).where(
            OrganisationYear.organisation_id == organisation.id, OrganisationYear.year == year
        )
    )
    if figures is None:
        figures = OrganisationYear(organisation_id=organisation.id, year=year)
        session.add(figures)
    figures.population = population
    figures.operating_costs_ore = operating_costs_ore
    session.flush()
    return figures


def delete_year_figures(session: Session, actor, organisation: Organisation, year: int) -> None:
    figures = session.scalar(
        select(OrganisationYear).where(
            OrganisationYear.organisation_id == organisation.id, OrganisationYear.year == year
        )
    )
    if figures is None:
        raise RuleViolation(N_("Det finnes ingen tall for dette året."))
    session.delete(figures)
    session.flush()
