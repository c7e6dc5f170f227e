"""The plan's pure parts: derived milestone status, phase periods, the charts' figures and
window, and the iCalendar feed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from governance.projects import calendar, charts
from governance.projects.models import (
    AgendaItem,
    Decision,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
    Meeting,
    Milestone,
    Phase,
    PhaseRecord,
    Project,
)
from governance.projects.plan import MilestoneStatus, milestone_status
from governance.projects.plan_queries import MilestoneRow, TrendLine, phase_periods

TODAY = date(2013, 6, 3)
D = date.fromisoformat

# ---- derived status ------------------------------------------------------------------------


@pytest.mark.parametrize("baseline, forecast, actual, tolerance, expected", [
    # done: an actual date, whatever the others say
    ("2013-05-01", "2013-05-01", "2013-05-02", 14, MilestoneStatus.DONE),
    ("2013-05-01", "2013-09-01", "2013-06-03", 0, MilestoneStatus.DONE),
    (None, None, "2013-01-01", 14, MilestoneStatus.DONE),
    # on track
    ("2013-09-01", "2013-09-01", None, 14, MilestoneStatus.ON_TRACK),
    ("2013-09-01", "2013-08-20", None, 14, MilestoneStatus.ON_TRACK),  # ahead of the plan
    ("2013-06-03", None, None, 14, MilestoneStatus.ON_TRACK),  # due today
    (None, "2013-07-01", None, 14, MilestoneStatus.ON_TRACK),  # no baseline yet
    # at risk: after the baseline, within the tolerance (the limit included)
    ("2013-09-01", "2013-09-02", None, 14, MilestoneStatus.AT_RISK),
    ("2013-09-01", "2013-09-15", None, 14, MilestoneStatus.AT_RISK),
    ("2013-09-01", "2013-10-01", None, 30, MilestoneStatus.AT_RISK),
    # late: beyond the tolerance
    ("2013-09-01", "2013-09-16", None, 14, MilestoneStatus.LATE),
    ("2013-09-01", "2013-09-02", None, 0, MilestoneStatus.LATE),
    # late: past due and not done
    ("2013-06-02", None, None, 14, MilestoneStatus.LATE),
    ("2013-05-01", "2013-06-02", None, 60, MilestoneStatus.LATE),
    ("2013-09-01", "2013-06-01", None, 14, MilestoneStatus.LATE),  # forecast passed
    (None, "2013-06-02", None, 14, MilestoneStatus.LATE),
    # no dates at all: nothing to be late for
    (None, None, None, 14, MilestoneStatus.ON_TRACK),
])
def test_milestone_status(baseline, forecast, actual, tolerance, expected):
    as_date = lambda v: D(v) if v else None  # noqa: E731
    assert milestone_status(as_date(baseline), as_date(forecast), as_date(actual), TODAY,
                            tolerance) == expected


# ---- phase periods -------------------------------------------------------------------------


def test_phase_periods_end_where_the_next_begins():
    records = [PhaseRecord(phase=Phase.CONCEPT, started_on=D("2012-11-01")),
               PhaseRecord(phase=Phase.PLANNING, started_on=D("2013-04-12")),
               PhaseRecord(phase=Phase.EXECUTION, started_on=D("2013-06-03"))]
    periods = phase_periods(records)
    assert [(p.phase, p.start, p.end) for p in periods] == [
        (Phase.CONCEPT, D("2012-11-01"), D("2013-04-12")),
        (Phase.PLANNING, D("2013-04-12"), D("2013-06-03")),
        (Phase.EXECUTION, D("2013-06-03"), None),
    ]
    assert [p.record for p in periods] == records


def test_phase_periods_of_nothing_and_of_one_phase():
    assert phase_periods([]) == []
    only = PhaseRecord(phase=Phase.IDEA, started_on=D("2013-01-01"))
    [period] = phase_periods([only])
    assert (period.phase, period.start, period.end) == (Phase.IDEA, D("2013-01-01"), None)


# ---- charts --------------------------------------------------------------------------------


def test_window_of_no_dates_is_around_today():
    assert charts.window([], TODAY) == (TODAY - timedelta(days=14),
                                        TODAY + timedelta(days=14), True)


def test_window_takes_in_today_when_it_is_near():
    low, high, shows_today = charts.window([D("2013-08-01"), D("2013-09-01")], TODAY)
    assert (low, high, shows_today) == (D("2013-05-20"), D("2013-09-15"), True)


def test_window_keeps_to_an_old_plan_and_leaves_today_out():
    dates = [D("2007-09-28"), D("2008-06-01")]
    assert charts.window(dates, TODAY) == (D("2007-09-14"), D("2008-06-15"), False)


def test_window_reaches_today_up_to_half_a_year_away():
    last = TODAY - timedelta(days=180)
    assert charts.window([last], TODAY)[2] is True
    assert charts.window([last - timedelta(days=1)], TODAY)[2] is False
    first = TODAY + timedelta(days=180)
    assert charts.window([first], TODAY)[2] is True
    assert charts.window([first + timedelta(days=1)], TODAY)[2] is False


TREND_LABELS = {"reported": "Rapportert", "expected": "Forventet dato", "today": "I dag",
                "diagonal": "Rapportert = forventet"}


def trend_lines() -> list[TrendLine]:
    return [
        TrendLine(1, "Buyer-oppsett ferdig (Luster kommune)",
                  [(D("2013-04-12"), D("2013-09-01")), (D("2013-05-15"), D("2013-09-11")),
                   (D("2013-06-03"), D("2013-09-25"))], False),
        TrendLine(2, "Prosjektplan godkjent", [(D("2013-04-22"), D("2013-04-22"))], True),
    ]


def today_lines(figure) -> list:
    return [shape for shape in figure.layout.shapes if shape.type == "line"]


def test_trend_figure_has_the_diagonal_and_a_line_per_milestone():
    figure = charts.trend_figure(trend_lines(), TODAY, TREND_LABELS)
    assert [trace.name for trace in figure.data] == [
        "Rapportert = forventet", "Buyer-oppsett ferdig (Luster kommune)",
        "Prosjektplan godkjent"]
    luster = figure.data[1]
    assert list(luster.x) == ["2013-04-12", "2013-05-15", "2013-06-03"]
    assert list(luster.y) == ["2013-09-01", "2013-09-11", "2013-09-25"]
    assert luster.mode == "lines+markers"
    # The diagonal spans the window, on both axes.
    assert list(figure.data[0].x) == list(figure.data[0].y) == ["2013-03-29", "2013-10-09"]
    assert list(figure.layout.xaxis.range) == ["2013-03-29", "2013-10-09"]
    assert figure.layout.xaxis.tickformat == "%d.%m.%Y"
    [line] = today_lines(figure)
    assert (line.x0, line.x1) == ("2013-06-03", "2013-06-03")
    assert [a.text for a in figure.layout.annotations] == ["I dag"]
    # Serialisable for the page.
    assert '"Buyer-oppsett ferdig (Luster kommune)"' in figure.to_json()


def test_trend_figure_of_an_old_plan_has_no_today_line():
    old = [TrendLine(1, "Rådmannsutvalget", [(D("2007-09-28"), D("2007-10-26"))], True)]
    figure = charts.trend_figure(old, TODAY, TREND_LABELS)
    assert today_lines(figure) == []
    assert list(figure.layout.annotations) == []
    assert [trace.name for trace in figure.data] == ["Rapportert = forventet",
                                                     "Rådmannsutvalget"]


TIMELINE_LABELS = {
    "phases": "Faser", "decisions": "Vedtak", "milestones": "Milepæler", "today": "I dag",
    "phase_names": {Phase.PLANNING: "Planlegge", Phase.EXECUTION: "Gjennomføre",
                    Phase.CONCEPT: "Konsept"},
    "status_names": {MilestoneStatus.DONE: "Fullført", MilestoneStatus.ON_TRACK: "I rute",
                     MilestoneStatus.AT_RISK: "I faresonen", MilestoneStatus.LATE: "Forsinket"},
    "status_styles": [(MilestoneStatus.DONE, "#1a7f37", "circle"),
                      (MilestoneStatus.ON_TRACK, "#1e5aa8", "circle-open"),
                      (MilestoneStatus.AT_RISK, "#8a4b00", "triangle-up"),
                      (MilestoneStatus.LATE, "#b3261e", "x")],
}


def row(title, status, baseline=None, forecast=None, actual=None) -> MilestoneRow:
    return MilestoneRow(Milestone(title=title, baseline_date=baseline, forecast_date=forecast,
                                  actual_date=actual), status)


def test_timeline_has_phases_decisions_and_milestones_by_status():
    periods = phase_periods([PhaseRecord(phase=Phase.PLANNING, started_on=D("2013-04-12")),
                             PhaseRecord(phase=Phase.EXECUTION, started_on=D("2013-06-01"))])
    rows = [
        row("Prosjektplan godkjent", MilestoneStatus.DONE, D("2013-04-22"),
            actual=D("2013-04-22")),
        row("Buyer-oppsett Sogndal", MilestoneStatus.ON_TRACK, D("2013-09-01")),
        row("Buyer-oppsett Luster", MilestoneStatus.ON_TRACK, D("2013-09-01"),
            D("2013-09-05")),
        row("Uten dato", MilestoneStatus.ON_TRACK),
    ]
    figure = charts.timeline_figure(periods, [(D("2013-06-01"), "BP3")], rows, TODAY,
                                    TIMELINE_LABELS)
    phases = [t for t in figure.data if t.mode == "lines"]
    assert [t.name for t in phases] == ["Planlegge", "Gjennomføre"]
    assert list(phases[0].x) == ["2013-04-12", "2013-06-01"]
    assert list(phases[1].x) == ["2013-06-01", "2013-06-03"]  # still in it: up to today
    [decided] = [t for t in figure.data if t.mode == "markers+text"]
    assert list(decided.x) == ["2013-06-01"] and list(decided.text) == ["BP3"]
    statuses = {t.name: (list(t.x), list(t.text)) for t in figure.data if t.mode == "markers"}
    assert statuses == {
        "Fullført": (["2013-04-22"], ["Prosjektplan godkjent"]),
        "I rute": (["2013-09-01", "2013-09-05"],
                   ["Buyer-oppsett Sogndal", "Buyer-oppsett Luster"]),
    }
    assert list(figure.layout.yaxis.categoryarray) == ["Milepæler", "Vedtak", "Faser"]
    [line] = today_lines(figure)
    assert line.x0 == "2013-06-03"
    assert "I dag" in [a.text for a in figure.layout.annotations]


def test_timeline_of_an_old_plan_ends_at_its_last_date_without_today():
    periods = phase_periods([PhaseRecord(phase=Phase.CONCEPT, started_on=D("2007-09-01"))])
    figure = charts.timeline_figure(periods, [(D("2007-09-28"), "sak 072/07")],
                                    [row("Møte", MilestoneStatus.LATE, D("2007-10-26"))],
                                    TODAY, TIMELINE_LABELS)
    assert today_lines(figure) == []
    assert "I dag" not in [a.text for a in figure.layout.annotations]
    [phase] = [t for t in figure.data if t.mode == "lines"]
    assert list(phase.x) == ["2007-09-01", "2007-11-09"]  # to the window's end
    assert list(figure.layout.xaxis.range) == ["2007-08-18", "2007-11-09"]


def test_timeline_without_anything_still_draws_today():
    figure = charts.timeline_figure([], [], [], TODAY, TIMELINE_LABELS)
    assert list(figure.data) == []
    assert len(today_lines(figure)) == 1


# ---- the calendar feed ---------------------------------------------------------------------

FEED_LABELS = {
    "milestone": "Milepæl", "decision_point": "Beslutningspunkt", "decision": "Vedtak",
    "outcomes": {DecisionOutcome.APPROVED: "Godkjent",
                 DecisionOutcome.APPROVED_WITH_CONDITIONS: "Godkjent med vilkår",
                 DecisionOutcome.REJECTED: "Avvist", DecisionOutcome.POSTPONED: "Utsatt"},
    "bodies": {DecisionBody.STEERING_GROUP: "Styringsgruppen",
               DecisionBody.OWNER: "Prosjekteier",
               DecisionBody.CHIEF_EXECUTIVES: "Rådmannsutvalget",
               DecisionBody.OTHER: "Annet organ"},
}


def feed() -> Calendar:
    project = Project(code="INNKJOP", name="Innkjøpssamarbeid i Kongsbergregionen")
    milestones = [
        Milestone(id=1, title="Felles innkjøpsressurs på plass", description="Ansatt",
                  comment="Utlyst", baseline_date=D("2008-01-01"),
                  forecast_date=D("2008-02-01")),
        Milestone(id=2, title="Styringsdokument", decision_point=DecisionPoint.BP3,
                  baseline_date=D("2007-12-01"), actual_date=D("2007-11-20")),
        Milestone(id=3, title="Uten dato"),
    ]
    decisions = [
        Decision(id=7, title="Innkjøpssamarbeid", decided_on=D("2007-09-28"),
                 body=DecisionBody.CHIEF_EXECUTIVES, case_number="sak 072/07",
                 outcome=DecisionOutcome.APPROVED_WITH_CONDITIONS,
                 conditions="Kostnadene deles etter folketall", text=""),
        Decision(id=8, title="", decision_point=DecisionPoint.BP2,
                 decided_on=D("2007-10-26"), body=DecisionBody.STEERING_GROUP,
                 case_number="", outcome=DecisionOutcome.APPROVED, conditions="", text=""),
    ]
    meetings = [
        Meeting(id=4, body=DecisionBody.CHIEF_EXECUTIVES, meeting_date=D("2007-10-26"),
                starts_at=time(9, 30), location="Kongsberg rådhus",
                items=[AgendaItem(position=1, case_number="sak 080/07",
                                  title="Innkjøpssamarbeid"),
                       AgendaItem(position=2, case_number="", title="Eventuelt")]),
        Meeting(id=5, body=DecisionBody.OWNER, meeting_date=D("2007-12-14"), starts_at=None,
                location="", items=[]),
    ]
    body = calendar.build_feed(project, milestones, decisions, meetings,
                               host="styringsrommet.example", labels=FEED_LABELS,
                               stamp=datetime(2013, 6, 3, 12, 0))
    assert isinstance(body, bytes)
    return Calendar.from_ical(body)


def test_feed_has_one_event_for_each_dated_thing():
    parsed = feed()
    assert str(parsed["X-WR-CALNAME"]) == "Innkjøpssamarbeid i Kongsbergregionen (INNKJOP)"
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {
        "milestone-1@styringsrommet.example", "milestone-2@styringsrommet.example",
        "decision-7@styringsrommet.example", "decision-8@styringsrommet.example",
        "meeting-4@styringsrommet.example", "meeting-5@styringsrommet.example",
    }
    summaries = {uid.split("@")[0]: (str(e["SUMMARY"]), e.decoded("DTSTART"))
                 for uid, e in events.items()}
    assert summaries["milestone-1"] == ("Milepæl: Felles innkjøpsressurs på plass",
                                        D("2008-02-01"))  # the forecast
    assert summaries["milestone-2"] == ("Beslutningspunkt: Styringsdokument",
                                        D("2007-11-20"))  # the actual date
    assert summaries["decision-7"] == ("Vedtak: Innkjøpssamarbeid – Godkjent med vilkår",
                                       D("2007-09-28"))
    assert summaries["decision-8"] == ("Vedtak: BP2 – Godkjent", D("2007-10-26"))
    assert summaries["meeting-5"] == ("Prosjekteier: Innkjøpssamarbeid i Kongsbergregionen",
                                      D("2007-12-14"))
    title, start = summaries["meeting-4"]
    assert title == "Rådmannsutvalget: Innkjøpssamarbeid i Kongsbergregionen"
    assert start.replace(tzinfo=None) == datetime(2007, 10, 26, 9, 30)
    assert str(start.tzinfo) == "Europe/Oslo"


def test_feed_events_carry_their_details():
    events = {str(e["UID"]).split("@")[0]: e for e in feed().walk("VEVENT")}
    meeting = events["meeting-4"]
    assert str(meeting["DESCRIPTION"]) == "sak 080/07 Innkjøpssamarbeid\nEventuelt"
    assert str(meeting["LOCATION"]) == "Kongsberg rådhus"
    assert meeting.decoded("DTEND").replace(tzinfo=None) == datetime(2007, 10, 26, 11, 30)
    assert "sak 072/07" in str(events["decision-7"]["DESCRIPTION"])
    assert "Kostnadene deles etter folketall" in str(events["decision-7"]["DESCRIPTION"])
    assert str(events["milestone-1"]["DESCRIPTION"]) == "Ansatt\n\nUtlyst"
    # All-day events end the next day and do not block the calendar.
    assert events["milestone-1"].decoded("DTEND") == D("2008-02-02")
    assert str(events["milestone-1"]["TRANSP"]) == "TRANSPARENT"


def test_feed_has_the_oslo_time_zone_for_timed_meetings():
    zones = [str(z["TZID"]) for z in feed().walk("VTIMEZONE")]
    assert zones == ["Europe/Oslo"]
