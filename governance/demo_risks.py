"""Demo risk registers and status reports from the seeds. Loaded once per project.

Kongsbergregionen (seed 1): the memo's "risks of not doing the project", each set against
the benefit expected from the cooperation. eHandel Sogn: the obstacles the seed names
(leadership, own competence, agreements, organisation, technology, resources, time). The
probability and consequence figures are the demo's own assessment, not the seed's.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.projects.models import Project
from governance.reporting import service as report_service
from governance.reporting.models import Dimension, Light, StatusReport
from governance.risks import service
from governance.risks.models import Proximity, Risk, RiskCategory, RiskKind, RiskStatus, Strategy

C = RiskCategory
KONGSBERG = [
    # risk of not doing it, expected benefit, category, P, C, residual P, residual C
    ("Dagens praksis for innkjøp fortsetter, med liten eller ingen utvikling",
     "Regionalt partnerskap og allianser.", C.ORGANISATION, 4, 3, 2, 2),
    ("Manglende kunnskap om hvilke avtaler som finnes gir unødig ressursbruk og dårlig "
     "utnyttelse av avtalene",
     "Kvalitetssikring av innkjøpsarbeidet; godt kjennskap til avtaleporteføljen gjør det "
     "mulig å utnytte inngåtte avtaler fullt ut, med betydelige innsparinger.", C.ECONOMY,
     4, 4, 2, 3),
    ("Ingen mulighet til å framforhandle gode avtaler for hele regionen",
     "Økonomiske innsparinger gjennom større volum og bedre priser.", C.AGREEMENTS, 3, 4, 2, 2),
    ("Ingen «motor» for videreutvikling av kunnskaper",
     "Unngå mulkt og klager; realisering av e-handel.", C.COMPETENCE, 3, 3, 2, 2),
    ("Intet kollegialt samhold innen fagområdet",
     "Økt felles kompetanse gjennom nettverk og samarbeid.", C.COMPETENCE, 3, 2, 1, 2),
    ("Kommunene står uten innkjøpskompetanse når en medarbeider slutter",
     "En struktur som er lik i alle kommuner, så de kan utfylle hverandre ved sykdom eller "
     "oppsigelse.", C.ORGANISATION, 3, 4, 2, 3),
    ("Manglende kvalitetssikring av innkjøpsregler gir klager til KOFA og mulig mulkt",
     "Informasjon om gjeldende regelverk til innkjøpere, politikere og lokale leverandører "
     "sikrer korrekt framgangsmåte.", C.LEGAL, 2, 5, 1, 4),
    ("Ingen koordinering av e-handel",
     "Økonomisk gevinst og tidsbesparelse gjennom e-handel, som er krevende for "
     "enkeltkommuner.", C.TECHNOLOGY, 4, 3, 2, 2),
]

EHANDEL = [
    # obstacle, category, P, C, residual P, residual C, proximity, measure
    ("Leiinga prioriterer ikkje innføringa", C.ORGANISATION, 3, 5, 2, 3, Proximity.SOON,
     "Forankre prosjektet i rådmannsgruppa med fast sak på kvart møte"),
    ("Manglande eigen kompetanse på e-handel og Visma", C.COMPETENCE, 4, 3, 2, 2,
     Proximity.NOW, "Felles opplæring samordna av prosjektgruppa"),
    ("Rammeavtalane eignar seg ikkje for e-handel", C.AGREEMENTS, 3, 4, 2, 3, Proximity.LATER,
     None),
    ("Organisasjonen er ikkje klar for færre og definerte bestillarar", C.ORGANISATION, 3, 3,
     2, 2, Proximity.LATER, None),
    ("Teknologi og løysingar: integrasjon og leverandørkatalogar blir forseinka", C.TECHNOLOGY,
     3, 4, 2, 3, Proximity.SOON, None),
    ("For lite ressursar i kommunane til lokalt arbeid", C.ORGANISATION, 4, 4, 3, 3,
     Proximity.NOW, None),
    ("For lite tid: møta glir ut og måla forsvinn i kvardagen", C.SCHEDULE, 4, 3, 3, 2,
     Proximity.NOW, None),
]


def _has_risks(session: Session, project: Project) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Risk)
                               .where(Risk.project_id == project.id)))


def _risk(session, project, title, *, category, p, c, rp, rc, description="",
          consequence_text="", owner=None, proximity=None, on: date):
    return service.save_risk(session, None, project, service.RiskInput(
        kind=RiskKind.THREAT, title=title, description=description, cause="",
        consequence_text=consequence_text, category=category, phase=None, probability=p,
        consequence=c, residual_probability=rp, residual_consequence=rc,
        owner_person_id=owner.id if owner else None, strategy=Strategy.REDUCE,
        proximity=proximity, status=RiskStatus.IDENTIFIED, escalated=False), today=on)


def load_kongsberg(session: Session, project: Project) -> int:
    if _has_risks(session, project):
        return 0
    for title, benefit, category, p, c, rp, rc in KONGSBERG:
        _risk(session, project, title, category=category, p=p, c=c, rp=rp, rc=rc,
              description="Risiko ved ikke å gjennomføre et innkjøpssamarbeid.",
              consequence_text=f"Forventet gevinst ved samarbeid: {benefit}",
              on=date(2007, 10, 26))
    session.flush()
    return len(KONGSBERG)


def load_ehandel(session: Session, project: Project, people) -> int:
    if _has_risks(session, project):
        return 0
    katrine = people["Katrine Wilson"]
    for title, category, p, c, rp, rc, proximity, measure in EHANDEL:
        risk = _risk(session, project, title, category=category, p=p, c=c, rp=rp, rc=rc,
                     owner=katrine, proximity=proximity, on=date(2013, 4, 22))
        if measure:
            service.save_measure(session, None, risk, service.MeasureInput(
                text=measure, responsible_person_id=katrine.id, due_date=date(2013, 9, 1),
                done_on=None), today=date(2013, 4, 22))
    # Re-assessed in September: resources got worse, competence better.
    risks = {r.title: r for r in session.scalars(select(Risk).where(
        Risk.project_id == project.id))}
    for title, p, c in (("For lite ressursar i kommunane til lokalt arbeid", 5, 4),
                        ("Manglande eigen kompetanse på e-handel og Visma", 3, 3)):
        risk = risks[title]
        data = service.RiskInput(
            kind=risk.kind, title=risk.title, description=risk.description, cause=risk.cause,
            consequence_text=risk.consequence_text, category=risk.category, phase=risk.phase,
            probability=p, consequence=c, residual_probability=risk.residual_probability,
            residual_consequence=risk.residual_consequence,
            owner_person_id=risk.owner_person_id, strategy=risk.strategy,
            proximity=risk.proximity, status=risk.status, escalated=p * c >= 20,
            note="Vurdert på nytt til styringsgruppemøtet i september.")
        service.save_risk(session, None, project, data, risk, risk.version_id,
                          today=date(2013, 9, 16))
    session.flush()
    return len(EHANDEL) + 2


def load_ehandel_reports(session: Session, project: Project, snapshot: dict) -> int:
    """The project's and Luster's published reports for August 2013."""
    if session.scalar(select(func.count()).select_from(StatusReport)
                      .where(StatusReport.project_id == project.id)):
        return 0
    period = report_service.check_period(project, "2013-08", date(2013, 9, 1))
    luster = next(o for o in project.participants if o.name == "Luster kommune")
    lights = {
        luster.id: {Dimension.OVERALL: Light.YELLOW, Dimension.SCHEDULE: Light.RED,
                    Dimension.COST: Light.GREEN, Dimension.QUALITY: Light.GREEN,
                    Dimension.RISK: Light.YELLOW, Dimension.BENEFITS: Light.GREEN},
        None: {Dimension.OVERALL: Light.YELLOW, Dimension.SCHEDULE: Light.YELLOW,
               Dimension.COST: Light.GREEN, Dimension.QUALITY: Light.GREEN,
               Dimension.RISK: Light.YELLOW, Dimension.BENEFITS: Light.GREEN},
    }
    comments = {
        luster.id: {Dimension.SCHEDULE: "Buyer-oppsettet manglar IP-adresser frå IT."},
        None: {Dimension.SCHEDULE: "Styringsdokumentet er forseinka; Luster manglar "
                                   "buyer-oppsett."},
    }
    for organisation_id in (luster.id, None):
        report = report_service.start_report(session, None, project, period, organisation_id)
        report_service.save_report(session, None, report, report_service.ReportInput(
            lights=lights[organisation_id], comments=comments[organisation_id],
            done_this_period="Buyer-oppsett i fire av seks organisasjonar. Abonnementet "
                             "startar 1. september.",
            next_period="Leverandøraktivering for kontorrekvisita.",
            needs_decision="" if organisation_id else "Godkjenning av styringsdokumentet."),
            report.version_id)
        report_service.publish(session, None, report, snapshot, report.version_id)
        report.published_at = datetime(2013, 9, 2, 10, 0)  # when it happened in the demo
    session.flush()
    return 2
