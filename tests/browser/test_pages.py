"""Signing in as each demo user, and an axe-core scan of every kind of page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from governance.demo import DEMO_PASSWORDS, USERS
from tests.browser.support import assert_accessible, login, visit

pytestmark = pytest.mark.browser

FULL_NAMES = {username: full_name for username, full_name, *_ in USERS}


@pytest.mark.parametrize("username", ["admin", "katrine", "ingrid", "per"])
def test_each_demo_user_signs_in_and_sees_mi_side(page: Page, username):
    login(page, username, DEMO_PASSWORDS[username])

    expect(page).to_have_title("Mi side – Styringsrommet")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hei, {FULL_NAMES[username]}")
    expect(page.get_by_role("link", name=FULL_NAMES[username])).to_be_visible()
    # Every demo user has eHandel i Sogn on their page (the administrator sees all).
    expect(page.get_by_role("link", name="eHandel i Sogn")).to_be_visible()
    admin_links = page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Organisasjoner"
    )
    expect(admin_links).to_have_count(1 if username == "admin" else 0)


def test_wrong_password_shows_the_norwegian_error_message(page: Page):
    visit(page, "/logg-inn")
    page.get_by_label("Brukernavn").fill("katrine")
    page.get_by_label("Passord", exact=True).fill("feil-passord-her")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Logg inn").click()
    assert navigation.value.status == 401

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Feil brukernavn eller passord.")
    expect(summary).to_be_focused()
    expect(page).to_have_url(re.compile(r"/logg-inn(\?.*)?$"))
    expect(page.get_by_label("Brukernavn")).to_have_value("katrine")
    expect(page.get_by_role("link", name="Mi side")).to_have_count(0)
    assert_accessible(page)


def _via_link(list_path: str, link_name: str, *then: str):
    """A page reached through a link on another (and through the links ``then`` after it)."""

    def reach(page: Page) -> None:
        visit(page, list_path)
        with page.expect_navigation():
            page.get_by_role("link", name=link_name, exact=True).click()
        for name in then:
            assert_accessible(page)
            with page.expect_navigation():
                page.get_by_role("link", name=name, exact=True).click()

    return reach


# (who, how to get there, the main heading a user sees, status)
PAGES = {
    "start": ("admin", "/", "Hei, Demo Administrator", 200),
    "start-municipal-lead": ("per", "/", "Hei, Per Nes", 200),
    "project-list": ("admin", "/prosjekter/", "Prosjekter", 200),
    "project-list-steering-member": ("ingrid", "/prosjekter/", "Prosjekter", 200),
    "project-detail": ("ingrid", "/prosjekter/EHANDEL-SOGN", "eHandel i Sogn EHANDEL-SOGN", 200),
    "project-edit": ("katrine", "/prosjekter/EHANDEL-SOGN/rediger", "Rediger prosjekt", 200),
    "project-new": ("katrine", "/prosjekter/nytt", "Nytt prosjekt", 200),
    "project-history": ("admin", "/prosjekter/EHANDEL-SOGN/historikk",
                        re.compile(r"^Historikk\b.*\beHandel i Sogn$"), 200),
    "organisations": ("admin", "/admin/organisasjoner/", "Organisasjoner", 200),
    "organisation-edit": ("admin", _via_link("/admin/organisasjoner/", "Sogndal kommune"),
                          "Sogndal kommune", 200),
    "organisation-history": ("admin", _via_link("/admin/organisasjoner/", "Kongsbergregionen"),
                             "Kongsbergregionen", 200),
    "users": ("admin", "/admin/brukere/", "Brukere", 200),
    "user-edit": ("admin", _via_link("/admin/brukere/", "Katrine Wilson"), "Katrine Wilson", 200),
    "account": ("per", "/konto", "Min konto", 200),
    "api-tokens": ("per", "/konto/api-nokler/", "API-nøkler", 200),
    "milestones": ("katrine", "/prosjekter/EHANDEL-SOGN/milepaler",
                   "Milepæler: eHandel i Sogn", 200),
    "milestone-detail": ("ingrid", _via_link("/prosjekter/EHANDEL-SOGN/milepaler",
                                             "Styringsdokument klart til godkjenning"),
                         "Styringsdokument klart til godkjenning", 200),
    "milestone-new": ("katrine", "/prosjekter/EHANDEL-SOGN/milepaler/ny", "Ny milepæl", 200),
    "phases": ("katrine", "/prosjekter/EHANDEL-SOGN/faser",
               "Faser og sjekklister: eHandel i Sogn", 200),
    "decisions": ("ingrid", "/prosjekter/EHANDEL-SOGN/vedtak", "Vedtakslogg: eHandel i Sogn",
                  200),
    "decision-form": ("ingrid", "/prosjekter/EHANDEL-SOGN/vedtak/nytt", "Registrer vedtak", 200),
    "meetings": ("per", "/prosjekter/EHANDEL-SOGN/moter", "Møter: eHandel i Sogn", 200),
    "meeting-detail": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/moter",
                                            "Styringsgruppen 22.04.2013 kl. 10:00"),
                       "Styringsgruppen 22.04.2013", 200),
    "meeting-new": ("ingrid", "/prosjekter/EHANDEL-SOGN/moter/nytt", "Nytt møte", 200),
    "calendar": ("per", "/prosjekter/EHANDEL-SOGN/kalender",
                 "Kalenderabonnement: eHandel i Sogn", 200),
    "benefits-overview": ("katrine", "/prosjekter/EHANDEL-SOGN/gevinster/",
                          "Gevinstrealiseringsplan: eHandel i Sogn", 200),
    "benefits-overview-municipal-lead": ("per", "/prosjekter/EHANDEL-SOGN/gevinster/",
                                         "Gevinstrealiseringsplan: eHandel i Sogn", 200),
    "benefits-overview-kodeknekk": ("admin", "/prosjekter/KODEKNEKK/gevinster/",
                                    re.compile(r"^Gevinstrealiseringsplan: Kodeknekk\b"), 200),
    "goal-new": ("katrine", "/prosjekter/EHANDEL-SOGN/gevinster/mal/nytt", "Nytt mål", 200),
    "goal-edit": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/gevinster/",
                                       re.compile(r"^Rediger ?: Meir effektiv offentleg sektor$")),
                  "Rediger mål", 200),
    "benefit-new": ("katrine", "/prosjekter/EHANDEL-SOGN/gevinster/gevinst/ny", "Ny gevinst",
                    200),
    "benefit-edit": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/gevinster/",
                                          "Lågare transaksjonskostnader"),
                     "Rediger gevinst", 200),
    "indicator": ("admin", _via_link("/prosjekter/KODEKNEKK/gevinster/",
                                     "Kjøp via e-handel (del av innkjøpa)"),
                  "Kjøp via e-handel (del av innkjøpa)", 200),
    "indicator-ratio-municipal-lead": (
        "per", _via_link("/prosjekter/EHANDEL-SOGN/gevinster/",
                         "Årleg ordrevolum via e-handel (del av berekningsgrunnlaget)"),
        "Årleg ordrevolum via e-handel (del av berekningsgrunnlaget)", 200),
    "indicator-new": ("katrine", "/prosjekter/EHANDEL-SOGN/gevinster/indikatorer/ny",
                      "Ny indikator", 200),
    "measurement-entry": ("per", "/prosjekter/EHANDEL-SOGN/gevinster/registrering",
                          "Registrer målinger", 200),
    "measurement-entry-bad-period": (
        "per", "/prosjekter/EHANDEL-SOGN/gevinster/registrering?periode=2013-13",
        "Registrer målinger", 422),
    "measurement-import": ("per", "/prosjekter/EHANDEL-SOGN/gevinster/import",
                           "Importer målinger", 200),
    "benefits-plan": ("ingrid", "/prosjekter/EHANDEL-SOGN/gevinster/plan",
                      "Gevinstrealiseringsplan: eHandel i Sogn", 200),
    "benefits-plan-municipal-lead": ("per", "/prosjekter/EHANDEL-SOGN/gevinster/plan",
                                     "Gevinstrealiseringsplan: eHandel i Sogn", 200),
    "reporting-overview": ("katrine", "/prosjekter/EHANDEL-SOGN/status/",
                           "Statusrapporter: eHandel i Sogn", 200),
    "reporting-overview-steering-member": ("ingrid", "/prosjekter/EHANDEL-SOGN/status/",
                                           "Statusrapporter: eHandel i Sogn", 200),
    "reporting-period": ("katrine", "/prosjekter/EHANDEL-SOGN/status/2013-08",
                         "Status august 2013: eHandel i Sogn", 200),
    "reporting-period-municipal-lead": ("per", "/prosjekter/EHANDEL-SOGN/status/2013-09",
                                        "Status september 2013: eHandel i Sogn", 200),
    "report-write": ("katrine", "/prosjekter/EHANDEL-SOGN/status/2013-09/prosjekt",
                     "Statusrapport september 2013 for prosjektet", 200),
    "report-write-municipal-lead": (
        "per", _via_link("/prosjekter/EHANDEL-SOGN/status/2013-09", "Rapport for Luster kommune"),
        "Statusrapport september 2013 for Luster kommune", 200),
    "report-published": ("ingrid", _via_link("/prosjekter/EHANDEL-SOGN/status/2013-08",
                                             re.compile(r"^publisert ?: Luster kommune$")),
                         "Statusrapport august 2013 for Luster kommune", 200),
    "report-published-project": ("per", _via_link("/prosjekter/EHANDEL-SOGN/status/2013-08",
                                                  "publisert"),
                                 "Statusrapport august 2013 for prosjektet", 200),
    "report-bad-period": ("katrine", "/prosjekter/EHANDEL-SOGN/status/2013-13",
                          "Finner ikke siden", 404),
    "risk-register": ("katrine", "/prosjekter/EHANDEL-SOGN/risiko/",
                      "Risikoregister: eHandel i Sogn", 200),
    "risk-register-municipal-lead": ("per", "/prosjekter/EHANDEL-SOGN/risiko/",
                                     "Risikoregister: eHandel i Sogn", 200),
    "risk-register-kongsberg": ("admin", "/prosjekter/INNKJOP-KONGSBERG/risiko/",
                                "Risikoregister: Innkjøpssamarbeid i Kongsbergregionen", 200),
    "risk-register-filtered": ("ingrid", "/prosjekter/EHANDEL-SOGN/risiko/?s=3&k=4",
                               "Risikoregister: eHandel i Sogn", 200),
    "risk-detail": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/risiko/",
                                         "Leiinga prioriterer ikkje innføringa"),
                    "1. Leiinga prioriterer ikkje innføringa", 200),
    "risk-new": ("katrine", "/prosjekter/EHANDEL-SOGN/risiko/ny", "Ny risiko", 200),
    "risk-edit": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/risiko/",
                                       "Leiinga prioriterer ikkje innføringa", "Vurder på nytt"),
                  "Vurder «Leiinga prioriterer ikkje innføringa» på nytt", 200),
    "budget": ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013",
               "Økonomi 2013: eHandel i Sogn", 200),
    "budget-steering-member": ("ingrid", "/prosjekter/EHANDEL-SOGN/okonomi/?ar=2014",
                               "Økonomi 2014: eHandel i Sogn", 200),
    "budget-line": ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013",
                                         "Diverse"), "Diverse 2013", 200),
    "budget-line-new": ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/linjer/ny",
                        "Ny budsjettlinje", 200),
    "budget-import": ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/import",
                      "Importer regnskap", 200),
    "cost-sharing": ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/fordeling",
                     "Kostnadsfordeling: Innkjøpssamarbeid i Kongsbergregionen", 200),
    "cost-key-new": ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/nokler/ny",
                     "Ny fordelingsnøkkel", 200),
    "shared-cost-new": ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/kostnader/ny",
                        "Ny felles kostnad", 200),
    "settlement": ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/oppgjor?ar=2013",
                   "Oppgjør 2013: eHandel i Sogn", 200),
    "steering-group-pack": ("ingrid", "/prosjekter/EHANDEL-SOGN/styringsgruppepakke",
                            "Styringsgruppepakke: eHandel i Sogn", 200),
    "portfolio": ("admin", "/portefolje/", "Portefølje", 200),
    "portfolio-municipal-lead": ("per", "/portefolje/?sorter=-risiko", "Portefølje", 200),
    "portfolio-bad-filter": ("admin", "/portefolje/?fase=ferdig", "Portefølje", 400),
    "portfolio-compare": ("admin", _via_link("/portefolje/", "Sammenlign kommunene"),
                          "Sammenlign kommunene", 200),
    "portfolio-compare-kodeknekk": ("admin", "/portefolje/sammenligning?indikator=1",
                                    "Sammenlign kommunene", 200),
    "municipality": ("admin", _via_link("/admin/organisasjoner/", "Oversikt over Klepp kommune"),
                     "Klepp kommune", 200),
    "municipality-municipal-lead": ("per", "/portefolje/organisasjoner/5", "Luster kommune",
                                    200),
    "dashboard": ("ingrid", "/prosjekter/EHANDEL-SOGN/dashbord", "Dashbord: eHandel i Sogn", 200),
    "dashboard-kongsberg": ("admin", "/prosjekter/INNKJOP-KONGSBERG/dashbord",
                            "Dashbord: Innkjøpssamarbeid i Kongsbergregionen", 200),
    "dashboard-kodeknekk": ("admin", "/prosjekter/KODEKNEKK/dashbord",
                            "Dashbord: Kodeknekk – e-handel i Time, Klepp og Gjesdal", 200),
    "dashboard-panel": ("per", "/prosjekter/EHANDEL-SOGN/dashbord/milepaler",
                        "Dashbord: eHandel i Sogn", 200),
    "dashboard-bad-panel": ("ingrid", "/prosjekter/EHANDEL-SOGN/dashbord/finnes-ikke",
                            "Finner ikke siden", 404),
    "papirkurv": ("katrine", "/prosjekter/EHANDEL-SOGN/papirkurv", "Papirkurv: eHandel i Sogn",
                  200),
    "papirkurv-purge": ("admin", "/admin/prosjekter/EHANDEL-SOGN/slett",
                        "Slett prosjektet EHANDEL-SOGN", 200),
    "papirkurv-purged-projects": ("admin", "/admin/prosjekter/slettede", "Slettede prosjekter",
                                  200),
    "not-found": ("ingrid", "/prosjekter/FINNES-IKKE", "Finner ikke siden", 404),
    "forbidden": ("katrine", "/admin/brukere/", "Ingen tilgang", 403),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(page: Page, sign_in, name):
    username, where, heading, status = PAGES[name]
    sign_in(username)
    if callable(where):
        where(page)
        assert_accessible(page)
    else:
        visit(page, where, status=status)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if name == "organisation-history":
        with page.expect_navigation():
            page.get_by_role("link", name="Se historikk").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Historikk\b.*\bKongsbergregionen$")
        )
        assert_accessible(page)


def test_not_found_page_when_signed_out_is_accessible(page: Page):
    visit(page, "/finnes-ikke", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Finner ikke siden")
    expect(page.get_by_role("link", name="Til startsiden")).to_be_visible()
