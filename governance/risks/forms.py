"""Input shapes for the risk register and the names of its scales and kinds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from governance.forms import (
    ChoiceField,
    Form,
    NorwegianDateField,
    OptionalIdSelect,
    WholeNumberField,
    choice_list,
    max_length,
    required,
)
from governance.projects.forms import phase_labels
from governance.risks.models import Proximity, RiskCategory, RiskKind, RiskStatus, Strategy


def probability_labels() -> dict[int, str]:
    return {1: _l("1 – svært lite sannsynlig"), 2: _l("2 – lite sannsynlig"),
            3: _l("3 – mulig"), 4: _l("4 – sannsynlig"), 5: _l("5 – svært sannsynlig")}


def consequence_labels() -> dict[int, str]:
    return {1: _l("1 – svært liten"), 2: _l("2 – liten"), 3: _l("3 – middels"),
            4: _l("4 – stor"), 5: _l("5 – svært stor")}


def kind_labels() -> dict[RiskKind, str]:
    return {RiskKind.THREAT: _l("Trussel"), RiskKind.OPPORTUNITY: _l("Mulighet")}


def category_labels() -> dict[RiskCategory, str]:
    return {
        RiskCategory.ECONOMY: _l("Økonomi"), RiskCategory.SCHEDULE: _l("Framdrift"),
        RiskCategory.QUALITY: _l("Kvalitet"), RiskCategory.ORGANISATION: _l("Organisasjon"),
        RiskCategory.COMPETENCE: _l("Kompetanse"), RiskCategory.TECHNOLOGY: _l("Teknologi"),
        RiskCategory.AGREEMENTS: _l("Avtaler"), RiskCategory.LEGAL: _l("Juridisk"),
        RiskCategory.BENEFITS: _l("Gevinster"), RiskCategory.OTHER: _l("Annet"),
    }


def strategy_labels() -> dict[Strategy, str]:
    return {
        Strategy.AVOID: _l("Unngå"), Strategy.REDUCE: _l("Redusere"),
        Strategy.TRANSFER: _l("Overføre"), Strategy.ACCEPT: _l("Akseptere"),
        Strategy.MONITOR: _l("Overvåke"), Strategy.EXPLOIT: _l("Utnytte"),
        Strategy.ENHANCE: _l("Forsterke"), Strategy.SHARE: _l("Dele"),
    }


def proximity_labels() -> dict[Proximity, str]:
    return {Proximity.NOW: _l("Innen en måned"), Proximity.SOON: _l("Om 1–3 måneder"),
            Proximity.LATER: _l("Om 3–12 måneder"), Proximity.DISTANT: _l("Om mer enn et år")}


def status_labels() -> dict[RiskStatus, str]:
    return {RiskStatus.IDENTIFIED: _l("Identifisert"),
            RiskStatus.MEASURES_DONE: _l("Tiltak gjennomført"),
            RiskStatus.NOT_RELEVANT: _l("Ikke lenger aktuell")}


def _enum_choices(labels: dict, empty=None) -> list:
    pairs = [(key.value, label) for key, label in labels.items()]
    return choice_list(([(None, empty)] if empty is not None else []) + pairs)


def _scale_choices(labels: dict, empty) -> list:
    return choice_list([(None, empty)] + list(labels.items()))


def scale_value(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


class RiskForm(Form):
    kind = ChoiceField(_l("Type"), choices=_enum_choices(kind_labels()))
    title = StringField(_l("Tittel"), validators=[required(), max_length(300)])
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), max_length(5000)])
    cause = TextAreaField(_l("Årsak"), validators=[Optional(), max_length(5000)])
    consequence_text = TextAreaField(_l("Mulig konsekvens"),
                                     validators=[Optional(), max_length(5000)])
    category = ChoiceField(_l("Kategori"), choices=_enum_choices(category_labels()))
    phase = ChoiceField(_l("Fase"), choices=_enum_choices(phase_labels(), _l("Hele prosjektet")))
    probability = ChoiceField(_l("Sannsynlighet"), coerce=scale_value,
                              choices=_scale_choices(probability_labels(), _l("Velg")))
    consequence = ChoiceField(_l("Konsekvens"), coerce=scale_value,
                              choices=_scale_choices(consequence_labels(), _l("Velg")))
    residual_probability = ChoiceField(
        _l("Sannsynlighet etter tiltak"), coerce=scale_value,
        choices=_scale_choices(probability_labels(), _l("Ikke vurdert")))
    residual_consequence = ChoiceField(
        _l("Konsekvens etter tiltak"), coerce=scale_value,
        choices=_scale_choices(consequence_labels(), _l("Ikke vurdert")))
    owner_person_id = OptionalIdSelect(_l("Eier"))
    strategy = ChoiceField(_l("Strategi"),
                           choices=_enum_choices(strategy_labels(), _l("Ikke valgt")))
    proximity = ChoiceField(_l("Når kan det skje"),
                            choices=_enum_choices(proximity_labels(), _l("Ikke vurdert")))
    status = ChoiceField(_l("Status"), choices=_enum_choices(status_labels()))
    escalated = BooleanField(_l("Løftet til styringsgruppen"))
    note = StringField(_l("Merknad til vurderingen"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()


class MeasureForm(Form):
    text = StringField(_l("Tiltak"), validators=[required(), max_length(1000)])
    responsible_person_id = OptionalIdSelect(_l("Ansvarlig"))
    due_date = NorwegianDateField(_l("Frist"), validators=[Optional()])
    done_on = NorwegianDateField(_l("Gjennomført dato"), validators=[Optional()])
    version_id = HiddenField()


class ThresholdForm(Form):
    risk_yellow_from = WholeNumberField(_l("Gult fra poengsum"))
    risk_red_from = WholeNumberField(_l("Rødt fra poengsum"))
