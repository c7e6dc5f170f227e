"""Demo plans from the seeds: eHandel Sogn's milestones, meeting and decision, and the
Kongsberg chief executives' decisions. Loaded once per project (skipped when it has any).

eHandel Sogn: first steering group meeting 22 April approves the project plan; week 12 is the
first delivery; operations handed over within a year; suppliers activated area by area; the
platform subscription starts 1 September. The dates of the slippage history are invented
to show how the trend chart reads.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.projects import decisions, plan
from governance.projects.models import (
    Checkpoint,
    CheckpointStatus,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
    Milestone,
    Phase,
    Project,
)

OPEN_PLANNING_ITEMS = ("Kritiske suksessfaktorer er kjent",
                       "Linjens evne til å ta ut gevinstene er vurdert")


def _milestone(session, project, title, *, baseline=None, forecast=None, actual=None,
               person=None, organisation=None, group=None, decision_point=None,
               description="", comment="", every=False, created=date(2013, 4, 12)):
    return plan.create_milestone(
        session, None, project,
        plan.MilestoneInput(
            title=title, description=description,
            responsible_person_id=person.id if person else None,
            organisation_id=organisation.id if organisation else None,
            group_id=group.id if group else None, decision_point=decision_point,
            baseline_date=baseline, forecast_date=forecast or baseline, actual_date=actual,
            comment=comment),
        for_every_participant=every, today=created)


def _report(session, milestone, on, *, forecast=None, actual=None, comment=None):
    plan.report_progress(session, None, milestone,
                         forecast_date=forecast if forecast else milestone.forecast_date,
                         actual_date=actual,
                         comment=milestone.comment if comment is None else comment,
                         version_id=milestone.version_id, today=on)


def _checklists_done(session, project: Project, phases, keep_open=()) -> None:
    for item in session.scalars(select(Checkpoint).where(Checkpoint.project_id == project.id,
                                                         Checkpoint.phase.in_(phases))):
        if item.text not in keep_open:
            item.status = CheckpointStatus.DONE
    session.flush()


def _has_plan(session, project: Project) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Milestone)
                               .where(Milestone.project_id == project.id)))


def load_ehandel(session: Session, project: Project, people, groups) -> int:
    if _has_plan(session, project):
        return 0
    katrine, jon = people["Katrine Wilson"], people["Jon Ask"]
    _checklists_done(session, project, [Phase.IDEA, Phase.CONCEPT, Phase.PLANNING],
                     keep_open=OPEN_PLANNING_ITEMS)

    meeting = decisions.create_meeting(session, None, project, decisions.MeetingInput(
        body=DecisionBody.STEERING_GROUP, meeting_date=date(2013, 4, 22),
        starts_at=time(10, 0), location="Sogn regionråd, Leikanger",
        notes="Første styringsgruppemøte."))
    decisions.add_agenda_item(session, None, meeting, case_number="sak 1/13",
                              title="Godkjenning av prosjektplan")
    decisions.add_agenda_item(session, None, meeting, case_number="sak 2/13",
                              title="Orientering om gevinstrealiseringsplanen")
    later = decisions.create_meeting(session, None, project, decisions.MeetingInput(
        body=DecisionBody.STEERING_GROUP, meeting_date=date(2013, 9, 16),
        starts_at=time(12, 0), location="Sogndal", notes=""))
    decisions.add_agenda_item(session, None, later, case_number="sak 5/13",
                              title="Status for leverandøraktivering")

    first = _milestone(
        session, project, "Første innlevering: organisering, gevinstplan og leverandøranalyse",
        baseline=date(2013, 6, 21), person=katrine, decision_point=None,
        description="Planleggingsleveransane: organisering, gevinstplan, buyer-oppsett, "
                    "leverandøranalyse, innkjøpsanalyse og byrjing på kulturendring.")[0]
    styring = _milestone(
        session, project, "Styringsdokument klart til godkjenning", baseline=date(2013, 8, 30),
        person=katrine, decision_point=DecisionPoint.BP3)[0]
    subscription = _milestone(
        session, project, "Abonnement på e-handelsplattforma startar", baseline=date(2013, 9, 1),
        person=katrine)[0]
    office = _milestone(
        session, project, "Leverandøraktivering: kontorrekvisita", baseline=date(2013, 10, 1),
        person=jon, group=groups["Leverandøraktivering"])[0]
    food = _milestone(
        session, project, "Leverandøraktivering: matvarer (ekstern nettbutikk)",
        baseline=date(2013, 11, 15), person=jon, group=groups["Leverandøraktivering"])[0]
    buyer = _milestone(
        session, project, "Buyer-oppsett ferdig", baseline=date(2013, 8, 15), every=True,
        group=groups["Buyer-oppsett og opplæring"],
        description="Kontaktpersonar, administrator, teknisk kontakt, IP-adresser og "
                    "leveringsvilkår registrert for kommunen.")
    handover = _milestone(
        session, project, "Drift av e-handel overlevert til driftsorganisasjon",
        baseline=date(2014, 4, 22), person=katrine,
        description="Drift av ehandel skal verte overlevert til ein driftsorganisasjon "
                    "innan eitt år.")[0]

    decisions.record_decision(
        session, None, project, decisions.DecisionInput(
            decision_point=None, title="Godkjenning av prosjektplan",
            decided_on=date(2013, 4, 22), body=DecisionBody.STEERING_GROUP,
            case_number="sak 1/13", outcome=DecisionOutcome.APPROVED, conditions="",
            text="Styringsgruppa godkjenner prosjektplanen med framdriftsplan og budsjett "
                 "for 2013–2015.", meeting_id=meeting.id),
        today=date(2013, 4, 22))
    plan.set_baseline(session, None, project, today=date(2013, 4, 22))

    # What happened afterwards, as the leads reported it.
    _report(session, first, date(2013, 6, 3), forecast=date(2013, 6, 28),
            comment="Leverandøranalysen tek lengre tid enn venta.")
    _report(session, first, date(2013, 6, 28), forecast=date(2013, 6, 28),
            actual=date(2013, 6, 28), comment="Levert.")
    _report(session, styring, date(2013, 6, 28), forecast=date(2013, 9, 20),
            comment="Gevinstplanen må avklarast med gevinstansvarleg først.")
    _report(session, styring, date(2013, 9, 16), forecast=date(2013, 10, 18),
            comment="Til handsaming i styringsgruppa i oktober.")
    _report(session, subscription, date(2013, 9, 2), actual=date(2013, 9, 1), comment="")
    _report(session, office, date(2013, 9, 16), forecast=date(2013, 10, 15),
            comment="Samhandlingsavtale til signering.")
    _report(session, office, date(2013, 10, 21), forecast=date(2013, 10, 15),
            actual=date(2013, 10, 18), comment="Aktivert med katalog.")
    _report(session, food, date(2013, 10, 21), forecast=date(2014, 1, 15),
            comment="Venter på punch-out frå leverandøren.")
    actuals = {"Sogndal kommune": date(2013, 8, 9), "Leikanger kommune": date(2013, 8, 14),
               "Luster kommune": None, "Lærdal kommune": date(2013, 8, 30),
               "Årdal kommune": date(2013, 8, 15)}
    for copy in buyer:
        name = copy.organisation.name if copy.organisation else ""
        if name == "Luster kommune":
            _report(session, copy, date(2013, 8, 12), forecast=date(2013, 9, 13),
                    comment="Manglar IP-adresser frå IT.")
        elif actuals.get(name):
            _report(session, copy, actuals[name], forecast=copy.forecast_date,
                    actual=actuals[name], comment="")
    _report(session, handover, date(2013, 9, 16), forecast=date(2014, 6, 30),
            comment="Avhengig av avtale med driftsorganisasjonen.")
    session.flush()
    return 6 + len(buyer) + 2 + 1


def load_kongsberg(session: Session, project: Project) -> int:
    """The chief executives' committee: 28 Sept 2007 (sak 072/07) and the 26 Oct meeting."""
    if _has_plan(session, project):
        return 0
    _checklists_done(session, project, [Phase.IDEA])
    september = decisions.create_meeting(session, None, project, decisions.MeetingInput(
        body=DecisionBody.CHIEF_EXECUTIVES, meeting_date=date(2007, 9, 28), starts_at=None,
        location="", notes=""))
    decisions.add_agenda_item(session, None, september, case_number="sak 072/07",
                              title="Innspill til organisering av det framtidige "
                                    "innkjøpssamarbeidet")
    october = decisions.create_meeting(session, None, project, decisions.MeetingInput(
        body=DecisionBody.CHIEF_EXECUTIVES, meeting_date=date(2007, 10, 26), starts_at=None,
        location="", notes=""))
    decisions.add_agenda_item(session, None, october, case_number="",
                              title="Interkommunalt innkjøpssamarbeid: utvidet "
                                    "risikovurdering og forventet gevinstrealisering")
    decisions.record_decision(
        session, None, project, decisions.DecisionInput(
            decision_point=None, title="Retning for organisering av innkjøpssamarbeidet",
            decided_on=date(2007, 9, 28), body=DecisionBody.CHIEF_EXECUTIVES,
            case_number="sak 072/07", outcome=DecisionOutcome.APPROVED_WITH_CONDITIONS,
            conditions="Rådmannsutvalget ønsker en betraktning knyttet til "
                       "risiko/gevinstrealisering i prosjektet.",
            text="Rådmannsutvalget gir prinsipiell tilslutning til den retningen prosjektet "
                 "har lagt fram.", meeting_id=september.id),
        today=date(2007, 9, 28))
    _milestone(session, project, "Ny sak med risikovurdering og gevinstrealisering lagt fram",
               baseline=date(2007, 10, 26), actual=date(2007, 10, 26),
               created=date(2007, 10, 26))
    _milestone(session, project, "Prinsipiell avgjørelse: gå videre med samarbeidsmodellen",
               baseline=date(2007, 10, 26), decision_point=DecisionPoint.BP2,
               created=date(2007, 9, 28))
    session.flush()
    return 5
