"""Input shapes for the benefits plan, and the names of its kinds, units and levels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from governance.benefits.models import (
    BenefitKind,
    Direction,
    Frequency,
    GoalLevel,
    Realisation,
    Unit,
)
from governance.forms import (
    AmountField,
    ChoiceField,
    DecimalNumberField,
    Form,
    NorwegianDateField,
    OptionalIdSelect,
    choice_list,
    max_length,
    required,
    required_date,
)


def level_labels() -> dict[GoalLevel, str]:
    return {GoalLevel.SOCIETAL: _l("Samfunns- eller organisasjonsmål"),
            GoalLevel.EFFECT: _l("Effektmål"), GoalLevel.RESULT: _l("Resultatmål")}


def kind_labels() -> dict[BenefitKind, str]:
    return {BenefitKind.ECONOMIC: _l("Økonomisk (kroner)"),
            BenefitKind.TIME: _l("Tid (årsverk)"), BenefitKind.QUALITATIVE: _l("Kvalitativ")}


def realisation_labels() -> dict[Realisation, str]:
    return {Realisation.BUDGET_CUT: _l("Budsjettkutt"),
            Realisation.REALLOCATION: _l("Omdisponering av midler"),
            Realisation.BETTER_QUALITY: _l("Bedre kvalitet"),
            Realisation.TIME_FOR_OTHER_TASKS: _l("Frigjort tid til andre oppgaver"),
            Realisation.OTHER: _l("Annet")}


def unit_labels() -> dict[Unit, str]:
    return {Unit.NOK: _l("Kroner"), Unit.PERCENT: _l("Prosent"), Unit.COUNT: _l("Antall"),
            Unit.HOURS: _l("Timer"), Unit.FREE: _l("Annen enhet")}


def direction_labels() -> dict[Direction, str]:
    return {Direction.HIGHER: _l("Høyere er bedre"), Direction.LOWER: _l("Lavere er bedre")}


def frequency_labels() -> dict[Frequency, str]:
    return {Frequency.MONTHLY: _l("Månedlig"), Frequency.QUARTERLY: _l("Kvartalsvis"),
            Frequency.YEARLY: _l("Årlig")}


def _choices(labels: dict, empty=None) -> list:
    pairs = [(key.value, label) for key, label in labels.items()]
    return choice_list(([(None, empty)] if empty is not None else []) + pairs)


class GoalForm(Form):
    level = ChoiceField(_l("Nivå"), choices=_choices(level_labels()))
    title = StringField(_l("Mål"), validators=[required(), max_length(300)])
    success_criteria = TextAreaField(_l("Suksesskriterier"),
                                     validators=[Optional(), max_length(5000)])
    parent_id = OptionalIdSelect(_l("Hører under"))
    version_id = HiddenField()


class BenefitForm(Form):
    title = StringField(_l("Gevinst"), validators=[required(), max_length(300)])
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), max_length(5000)])
    kind = ChoiceField(_l("Type"), choices=_choices(kind_labels()))
    goal_id = OptionalIdSelect(_l("Mål gevinsten bidrar til"))
    amount_ore = AmountField(_l("Beløp per år (kroner)"),
                             description=_l("For en økonomisk gevinst."))
    person_years = DecimalNumberField(_l("Årsverk per år"),
                                      description=_l("For en tidsgevinst, for eksempel 0,5."))
    responsible_person_id = OptionalIdSelect(_l("Gevinstansvarlig"))
    expected_from = NorwegianDateField(_l("Forventet realisert fra"), validators=[Optional()])
    realisation = ChoiceField(_l("Hvordan gevinsten tas ut"))
    realisation_note = StringField(_l("Om uttaket"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()


class IndicatorForm(Form):
    name = StringField(_l("Indikator"), validators=[required(), max_length(300)])
    benefit_id = OptionalIdSelect(_l("Gevinst den måler"))
    unit = ChoiceField(_l("Enhet"), choices=_choices(unit_labels()))
    unit_label = StringField(_l("Annen enhet"), description=_l("Når enheten er «annen»."),
                             validators=[Optional(), max_length(40)])
    direction = ChoiceField(_l("Retning"), choices=_choices(direction_labels()))
    frequency = ChoiceField(_l("Måles"), choices=_choices(frequency_labels()))
    method = TextAreaField(_l("Målemetode"), validators=[Optional(), max_length(5000)])
    data_source = StringField(_l("Datakilde"), validators=[Optional(), max_length(500)])
    measured_by_person_id = OptionalIdSelect(_l("Hvem måler"))
    is_ratio = BooleanField(_l("Andel av driftskostnadene (rapporteres i kroner, vises i prosent "
                               "av beregningsgrunnlaget)"))
    ratio_factor = DecimalNumberField(
        _l("Faktor for beregningsgrunnlaget"),
        description=_l("Beregningsgrunnlag = driftskostnader × faktor, for eksempel 0,25."))
    version_id = HiddenField()


class BaselineForm(Form):
    organisation_id = OptionalIdSelect(_l("Organisasjon"))
    value = DecimalNumberField(_l("Nullpunkt"))
    measured_on = NorwegianDateField(_l("Gjelder dato"), validators=[required_date()])


class TargetForm(Form):
    target_date = NorwegianDateField(_l("Nås innen"), validators=[required_date()])
    value = DecimalNumberField(_l("Målverdi"))


class MeasurementForm(Form):
    value = DecimalNumberField(_l("Verdi"))
    comment = StringField(_l("Kommentar"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()


class ImportForm(Form):
    file = FileField(_l("Fil (CSV eller Excel)"))


class ApprovalForm(Form):
    approved_on = NorwegianDateField(_l("Godkjent dato"), validators=[required_date()])
    approved_by_person_id = OptionalIdSelect(_l("Godkjent av (prosjekteier)"))
    note = StringField(_l("Merknad"), validators=[Optional(), max_length(1000)])
