"""Input shapes for status reports and tolerances; the names of lights and dimensions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from governance.forms import ChoiceField, Form, WholeNumberField, choice_list, max_length
from governance.reporting.models import Dimension, Light


def light_labels() -> dict[Light, str]:
    return {Light.GREEN: _l("Grønn"), Light.YELLOW: _l("Gul"), Light.RED: _l("Rød")}


def dimension_labels() -> dict[Dimension, str]:
    return {
        Dimension.OVERALL: _l("Totalvurdering"), Dimension.SCHEDULE: _l("Fremdrift"),
        Dimension.COST: _l("Økonomi"), Dimension.QUALITY: _l("Kvalitet og omfang"),
        Dimension.RISK: _l("Risiko"), Dimension.BENEFITS: _l("Gevinstoppnåelse"),
    }


def _light_choices() -> list:
    return choice_list([(None, _l("Ikke vurdert"))]
                       + [(light.value, label) for light, label in light_labels().items()])


class ReportForm(Form):
    overall = ChoiceField(_l("Totalvurdering"), choices=_light_choices())
    overall_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    schedule = ChoiceField(_l("Fremdrift"), choices=_light_choices())
    schedule_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    cost = ChoiceField(_l("Økonomi"), choices=_light_choices())
    cost_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    quality = ChoiceField(_l("Kvalitet og omfang"), choices=_light_choices())
    quality_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    risk = ChoiceField(_l("Risiko"), choices=_light_choices())
    risk_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    benefits = ChoiceField(_l("Gevinstoppnåelse"), choices=_light_choices())
    benefits_comment = TextAreaField(_l("Kommentar"), validators=[Optional(), max_length(5000)])
    override_reason = TextAreaField(
        _l("Hvorfor totalvurderingen avviker fra forslaget"),
        validators=[Optional(), max_length(5000)])
    done_this_period = TextAreaField(_l("Gjort i perioden"),
                                     validators=[Optional(), max_length(10000)])
    next_period = TextAreaField(_l("Neste periode"), validators=[Optional(), max_length(10000)])
    needs_decision = TextAreaField(_l("Trenger beslutning fra styringsgruppen"),
                                   validators=[Optional(), max_length(10000)])
    version_id = HiddenField()


class ToleranceForm(Form):
    reporting_frequency = ChoiceField(
        _l("Rapporteringsperiode"),
        choices=choice_list([("monthly", _l("Månedlig")), ("quarterly", _l("Kvartalsvis"))]))
    time_tolerance_days = WholeNumberField(_l("Tid: dager en milepæl kan skyves"))
    cost_tolerance_percent = WholeNumberField(_l("Kostnad: avvik fra budsjett i prosent"))
    benefit_tolerance_percent = WholeNumberField(
        _l("Gevinst: hvor mange prosent under målet etter måldatoen"))
    scope_tolerance = StringField(_l("Omfang"), validators=[Optional(), max_length(1000)])
    quality_tolerance = StringField(_l("Kvalitet"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()
