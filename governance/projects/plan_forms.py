"""Input shapes for milestones, checklists, phases, decisions and meetings, and the names of
their statuses and kinds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import Optional

from governance.forms import (
    ChoiceField,
    Form,
    NorwegianDateField,
    OptionalIdSelect,
    choice_list,
    max_length,
    required,
    required_date,
)
from governance.projects.forms import phase_labels
from governance.projects.models import (
    CheckpointStatus,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
)
from governance.projects.plan import MilestoneStatus


class NorwegianTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Skriv et gyldig klokkeslett, for eksempel 10:00.")) from None


def milestone_status_labels() -> dict[MilestoneStatus, str]:
    return {
        MilestoneStatus.DONE: _l("Fullført"),
        MilestoneStatus.ON_TRACK: _l("I rute"),
        MilestoneStatus.AT_RISK: _l("I faresonen"),
        MilestoneStatus.LATE: _l("Forsinket"),
    }


def decision_point_labels() -> dict[DecisionPoint, str]:
    return {
        DecisionPoint.BP1: _l("BP1: start konseptfasen"),
        DecisionPoint.BP2: _l("BP2: start planleggingen"),
        DecisionPoint.BP3: _l("BP3: start gjennomføringen"),
        DecisionPoint.BP4: _l("BP4: start avslutningen"),
        DecisionPoint.BP5: _l("BP5: avslutt prosjektet"),
        DecisionPoint.BP6: _l("BP6: avslutt gevinstrealiseringen"),
    }


def body_labels() -> dict[DecisionBody, str]:
    return {
        DecisionBody.STEERING_GROUP: _l("Styringsgruppen"),
        DecisionBody.OWNER: _l("Prosjekteier"),
        DecisionBody.CHIEF_EXECUTIVES: _l("Rådmannsutvalget"),
        DecisionBody.OTHER: _l("Annet organ"),
    }


def outcome_labels() -> dict[DecisionOutcome, str]:
    return {
        DecisionOutcome.APPROVED: _l("Godkjent"),
        DecisionOutcome.APPROVED_WITH_CONDITIONS: _l("Godkjent med vilkår"),
        DecisionOutcome.REJECTED: _l("Avvist"),
        DecisionOutcome.POSTPONED: _l("Utsatt"),
    }


def checkpoint_status_labels() -> dict[CheckpointStatus, str]:
    return {
        CheckpointStatus.OPEN: _l("Åpent"),
        CheckpointStatus.DONE: _l("Utført"),
        CheckpointStatus.NOT_RELEVANT: _l("Ikke relevant"),
    }


def _choices(labels: dict, empty=None) -> list:
    pairs = [(key.value, label) for key, label in labels.items()]
    return choice_list(([(None, empty)] if empty is not None else []) + pairs)


class MilestoneForm(Form):
    title = StringField(_l("Tittel"), validators=[required(), max_length(200)])
    description = TextAreaField(_l("Beskrivelse og akseptansekriterier"),
                                validators=[Optional(), max_length(5000)])
    responsible_person_id = OptionalIdSelect(_l("Ansvarlig"))
    organisation_id = OptionalIdSelect(
        _l("Organisasjon"), description=_l("For en kommunes egen milepæl."))
    group_id = OptionalIdSelect(_l("Arbeidsgruppe"))
    decision_point = ChoiceField(
        _l("Beslutningspunkt"),
        description=_l("Når milepælen er et planlagt beslutningspunkt."))
    baseline_date = NorwegianDateField(
        _l("Grunnlinje"), description=_l("Datoen i den godkjente planen."),
        validators=[Optional()])
    forecast_date = NorwegianDateField(_l("Prognose"), validators=[Optional()])
    actual_date = NorwegianDateField(_l("Faktisk dato"), validators=[Optional()])
    comment = StringField(_l("Statuskommentar"), validators=[Optional(), max_length(1000)])
    for_every_participant = BooleanField(
        _l("Opprett én milepæl for hver deltakende organisasjon"))
    version_id = HiddenField()

    def set_choices(self, people, organisations, groups) -> None:
        self.responsible_person_id.choices = choice_list(
            [(None, _l("Ingen valgt"))] + [(p.id, p.full_name) for p in people])
        self.organisation_id.choices = choice_list(
            [(None, _l("Hele prosjektet"))] + [(o.id, o.name) for o in organisations])
        self.group_id.choices = choice_list(
            [(None, _l("Ingen arbeidsgruppe"))] + [(g.id, g.name) for g in groups])
        self.decision_point.choices = _choices(decision_point_labels(), _l("Ikke et BP"))


class ProgressForm(Form):
    """The inline update: what the responsible can change in the milestone table."""

    forecast_date = NorwegianDateField(_l("Prognose"), validators=[Optional()])
    actual_date = NorwegianDateField(_l("Faktisk dato"), validators=[Optional()])
    comment = StringField(_l("Statuskommentar"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()


class CheckpointForm(Form):
    status = ChoiceField(_l("Status"), choices=_choices(checkpoint_status_labels()))
    comment = StringField(_l("Kommentar"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()


class NewCheckpointForm(Form):
    phase = ChoiceField(_l("Fase"), choices=_choices(phase_labels()))
    text = StringField(_l("Sjekkpunkt"), validators=[required(), max_length(500)])
    mandatory = BooleanField(_l("Obligatorisk (må være avklart før fasen avsluttes)"))


class PhaseChangeForm(Form):
    phase = ChoiceField(_l("Ny fase"), choices=_choices(phase_labels()))
    started_on = NorwegianDateField(_l("Fra dato"), validators=[required_date()])
    note = StringField(_l("Begrunnelse"), validators=[Optional(), max_length(1000)])


class DecisionForm(Form):
    decision_point = ChoiceField(_l("Beslutningspunkt"))
    title = StringField(
        _l("Gjelder"), description=_l("For eksempel «Godkjenning av prosjektplan». Kan stå "
                                      "tomt for et beslutningspunkt."),
        validators=[Optional(), max_length(300)])
    decided_on = NorwegianDateField(_l("Dato"), validators=[required_date()])
    body = ChoiceField(_l("Vedtatt av"))
    case_number = StringField(_l("Saksnummer"), description=_l("For eksempel «sak 072/07»."),
                              validators=[Optional(), max_length(40)])
    outcome = ChoiceField(_l("Utfall"))
    conditions = TextAreaField(_l("Vilkår"), validators=[Optional(), max_length(5000)])
    text = TextAreaField(_l("Vedtakstekst"), validators=[Optional(), max_length(20000)])
    meeting_id = OptionalIdSelect(_l("Møte"))

    def set_choices(self, meetings, format_date) -> None:
        self.decision_point.choices = _choices(decision_point_labels(),
                                               _l("Annet vedtak (ikke et beslutningspunkt)"))
        self.body.choices = _choices(body_labels(), _l("Velg organ"))
        self.outcome.choices = _choices(outcome_labels(), _l("Velg utfall"))
        self.meeting_id.choices = choice_list(
            [(None, _l("Ikke knyttet til et møte"))]
            + [(m.id, f"{format_date(m.meeting_date)} – {body_labels()[m.body]}")
               for m in meetings])


class MeetingForm(Form):
    body = ChoiceField(_l("Organ"), choices=_choices(body_labels()))
    meeting_date = NorwegianDateField(_l("Dato"), validators=[required_date()])
    starts_at = NorwegianTimeField(_l("Klokkeslett"), validators=[Optional()])
    location = StringField(_l("Sted"), validators=[Optional(), max_length(200)])
    notes = TextAreaField(_l("Merknader"), validators=[Optional(), max_length(5000)])
    version_id = HiddenField()


class AgendaItemForm(Form):
    case_number = StringField(_l("Saksnummer"), validators=[Optional(), max_length(40)])
    title = StringField(_l("Sak"), validators=[required(), max_length(300)])
