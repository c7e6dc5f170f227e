"""Input shapes for projects, and the Norwegian names of phases and statuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from governance.forms import (
    CheckboxListField,
    ChoiceField,
    Form,
    NorwegianDateField,
    OptionalIdSelect,
    WholeNumberField,
    choice_list,
    max_length,
    required,
)
from governance.projects.models import Phase, ProjectStatus


def phase_labels() -> dict[Phase, str]:
    return {
        Phase.IDEA: _l("Idé"),
        Phase.CONCEPT: _l("Konsept"),
        Phase.PLANNING: _l("Planlegge"),
        Phase.EXECUTION: _l("Gjennomføre"),
        Phase.CLOSING: _l("Avslutte"),
        Phase.REALISATION: _l("Realisere"),
    }


def status_labels() -> dict[ProjectStatus, str]:
    return {
        ProjectStatus.ACTIVE: _l("Aktiv"),
        ProjectStatus.PAUSED: _l("Satt på pause"),
        ProjectStatus.CLOSED: _l("Avsluttet"),
    }


class ProjectForm(Form):
    name = StringField(_l("Navn"), validators=[required(), max_length(200)])
    code = StringField(
        _l("Kortnavn"),
        description=_l(
            "Unikt, 2–20 tegn: store bokstaver, tall og bindestrek, f.eks. EHANDEL-SOGN."
        ),
        validators=[required(), max_length(20)],
    )
    purpose = TextAreaField(_l("Formål"), validators=[Optional(), max_length(2000)])
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), max_length(10000)])
    phase = ChoiceField(
        _l("Fase"), choices=choice_list((p.value, label) for p, label in phase_labels().items())
    )
    status = ChoiceField(
        _l("Status"),
        choices=choice_list((s.value, label) for s, label in status_labels().items()),
    )
    start_date = NorwegianDateField(_l("Startdato"), validators=[Optional()])
    end_date = NorwegianDateField(_l("Sluttdato"), validators=[Optional()])
    owner_ids = CheckboxListField(
        _l("Eiere"),
        description=_l("Organisasjonene som eier prosjektet. Minst én."),
    )
    participant_ids = CheckboxListField(
        _l("Deltakere"),
        description=_l("Organisasjonene som deltar, hver med sin lokale prosjektleder."),
    )
    programme_id = OptionalIdSelect(_l("Del av program"))
    time_tolerance_days = WholeNumberField(
        _l("Tidstoleranse for milepæler (dager)"),
        description=_l("Hvor mange dager prognosen kan ligge etter grunnlinjen før milepælen "
                       "regnes som forsinket. Til da er den i faresonen."),
        default=14,
    )
    version_id = HiddenField()
