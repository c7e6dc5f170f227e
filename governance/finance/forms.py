"""Input shapes for the budget and cost sharing, and the names of their kinds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from governance.finance.models import Category, LineKind, Nature
from governance.finance.sharing import KeyMethod
from governance.forms import (
    AmountField,
    ChoiceField,
    DecimalNumberField,
    Form,
    OptionalIdSelect,
    WholeNumberField,
    choice_list,
    max_length,
    required,
    required_date,
)

# Numbers and amounts that must be given: InputRequired, so that a text that is no number
# keeps its own message ("Skriv et beløp ...") and 0 counts as given.
given = required_date


def kind_labels() -> dict[LineKind, str]:
    return {LineKind.INCOME: _l("Inntekt"), LineKind.COST: _l("Kostnad")}


def category_labels() -> dict[Category, str]:
    return {
        Category.GRANT: _l("Tilskudd"),
        Category.TRANSFER: _l("Overføring"),
        Category.RENEWAL_FUNDS: _l("Fornyingsmidler"),
        Category.OWN_CONTRIBUTION: _l("Egenandel fra deltakerne"),
        Category.OTHER_INCOME: _l("Andre inntekter"),
        Category.SALARY: _l("Lønn"),
        Category.TRAVEL_MEETINGS: _l("Reiser og møter"),
        Category.LICENCES: _l("Lisenser og abonnement"),
        Category.CONNECTION: _l("Tilknytning og integrasjon"),
        Category.CONSULTANCY: _l("Konsulenttjenester"),
        Category.MISC: _l("Diverse"),
    }


def nature_labels() -> dict[Nature, str]:
    return {Nature.OPERATING: _l("Drift"), Nature.INVESTMENT: _l("Investering")}


def method_labels() -> dict[KeyMethod, str]:
    return {KeyMethod.EQUAL: _l("Like deler"), KeyMethod.POPULATION: _l("Etter folketall"),
            KeyMethod.MIX: _l("Blanding: en del likt, resten etter folketall"),
            KeyMethod.FIXED: _l("Faste prosentandeler")}


def _choices(labels: dict) -> list:
    return choice_list([(key.value, label) for key, label in labels.items()])


SHARED = ""  # the organisation select's value for the shared budget
ALL = "alle"  # ... and for one line for each participant


class LineForm(Form):
    year = WholeNumberField(_l("År"), validators=[given()])
    kind = ChoiceField(_l("Inntekt eller kostnad"), choices=_choices(kind_labels()))
    category = ChoiceField(_l("Kategori"), choices=_choices(category_labels()))
    nature = ChoiceField(_l("Drift eller investering"), choices=_choices(nature_labels()))
    name = StringField(_l("Linje"), validators=[required(), max_length(300)])
    amount_ore = AmountField(_l("Budsjett (kr)"), validators=[given()])
    organisation = ChoiceField(_l("Hvem bærer kostnaden"))
    note = TextAreaField(_l("Merknad"), validators=[Optional(), max_length(2000)])
    version_id = HiddenField()


class ForecastForm(Form):
    forecast_ore = AmountField(_l("Prognose for året (kr)"), validators=[Optional()])
    version_id = HiddenField()


class ActualForm(Form):
    period = StringField(_l("Måned"), validators=[required(), max_length(20)],
                         description=_l("Skriv måneden som 2013-03."))
    amount_ore = AmountField(_l("Regnskap (kr)"), validators=[given()])
    note = StringField(_l("Kommentar"), validators=[Optional(), max_length(1000)])


class KeyForm(Form):
    name = StringField(_l("Navn på nøkkelen"), validators=[required(), max_length(200)])
    method = ChoiceField(_l("Fordeling"), choices=_choices(method_labels()))
    equal_percent = DecimalNumberField(
        _l("Andel fordelt likt (%)"), validators=[Optional()],
        description=_l("Bare for blanding, for eksempel 50: halvparten likt, resten etter "
                       "folketall."))
    version_id = HiddenField()


class SharedCostForm(Form):
    year = WholeNumberField(_l("År"), validators=[given()])
    name = StringField(_l("Kostnad"), validators=[required(), max_length(300)])
    amount_kroner = WholeNumberField(_l("Beløp (hele kroner)"), validators=[given()])
    key_id = OptionalIdSelect(_l("Fordelingsnøkkel"))
    note = TextAreaField(_l("Merknad"), validators=[Optional(), max_length(2000)])
    version_id = HiddenField()


class ChooseKeyForm(Form):
    key_id = OptionalIdSelect(_l("Valgt nøkkel"))
    version_id = HiddenField()


class ImportForm(Form):
    file = FileField(_l("Fil (CSV eller Excel)"))
