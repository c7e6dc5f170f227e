"""Input shapes for organisations and their yearly figures."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import NumberRange, Optional

from governance.forms import (
    AmountField,
    ChoiceField,
    Form,
    WholeNumberField,
    choice_list,
    max_length,
    required,
)
from governance.organisations.models import OrganisationKind


def kind_labels() -> dict[OrganisationKind, str]:
    return {
        OrganisationKind.MUNICIPALITY: _l("Kommune"),
        OrganisationKind.COUNTY: _l("Fylkeskommune"),
        OrganisationKind.REGIONAL_COUNCIL: _l("Regionråd"),
        OrganisationKind.OTHER: _l("Annen"),
    }


class OrganisationForm(Form):
    name = StringField(_l("Navn"), validators=[required(), max_length(200)])
    kind = ChoiceField(
        _l("Type"),
        choices=choice_list((kind.value, label) for kind, label in kind_labels().items()),
        validators=[required()],
    )
    org_number = StringField(
        _l("Organisasjonsnummer"),
        description=_l("9 sifre, fra Enhetsregisteret. Kan stå tomt."),
        validators=[Optional(), max_length(11)],
    )
    version_id = HiddenField()


class YearFiguresForm(Form):
    year = WholeNumberField(
        _l("År"),
        validators=[required(_l("Skriv et årstall.")),
                    NumberRange(min=1900, max=2200,
                                message=_l("Året må være mellom 1900 og 2200."))],
    )
    population = WholeNumberField(_l("Folketall"), validators=[Optional()])
    operating_costs = AmountField(
        _l("Driftskostnader (kr)"),
        description=_l("Sum driftskostnader for året, i kroner."),
        validators=[Optional()],
    )
