"""The project's iCalendar feed: milestones, planned and recorded decision points, meetings.

Pure: rows and labels in, bytes out. Outlook, Google and Apple calendars subscribe to it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from governance.projects.models import Decision, Meeting, Milestone, Project

OSLO = ZoneInfo("Europe/Oslo")
MEETING_LENGTH = timedelta(hours=2)


def _all_day(event: Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def build_feed(project: Project, milestones: list[Milestone], decisions: list[Decision],
               meetings: list[Meeting], *, host: str, labels: dict, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Styringsrommet//Prosjektkalender//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{project.name} ({project.code})")
    calendar.add("x-wr-timezone", "Europe/Oslo")
    for milestone in milestones:
        day = milestone.due_date
        if day is None:
            continue
        event = Event()
        event.add("uid", f"milestone-{milestone.id}@{host}")
        event.add("dtstamp", stamp)
        title = milestone.title
        if milestone.organisation is not None:
            title = f"{title} ({milestone.organisation.name})"
        prefix = labels["decision_point"] if milestone.decision_point else labels["milestone"]
        event.add("summary", f"{prefix}: {title}")
        details = [milestone.description, milestone.comment]
        event.add("description", "\n\n".join(part for part in details if part))
        event.add("categories", [labels["milestone"]])
        _all_day(event, day)
        calendar.add_component(event)
    for decision in decisions:
        event = Event()
        event.add("uid", f"decision-{decision.id}@{host}")
        event.add("dtstamp", stamp)
        name = decision.decision_point.name if decision.decision_point else decision.title
        outcome = labels["outcomes"][decision.outcome]
        event.add("summary", f"{labels['decision']}: {name} – {outcome}")
        parts = [decision.title, decision.case_number, decision.conditions, decision.text]
        event.add("description", "\n\n".join(str(part) for part in parts if part))
        _all_day(event, decision.decided_on)
        calendar.add_component(event)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{labels['bodies'][meeting.body]}: {project.name}")
        agenda = [" ".join(part for part in (item.case_number, item.title) if part)
                  for item in meeting.items]
        event.add("description", "\n".join(agenda))
        if meeting.location:
            event.add("location", meeting.location)
        if meeting.starts_at is not None:
            start = datetime.combine(meeting.meeting_date, meeting.starts_at, tzinfo=OSLO)
            event.add("dtstart", start)
            event.add("dtend", start + MEETING_LENGTH)
        else:
            _all_day(event, meeting.meeting_date)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
