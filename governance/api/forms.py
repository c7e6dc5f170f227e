"""Input shape of the API token form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from governance.forms import Form, NorwegianDateField, max_length, required


class TokenForm(Form):
    name = StringField(_l("Navn på nøkkelen"), validators=[required(), max_length(100)],
                       description=_l("Hva nøkkelen brukes til, for eksempel «Fagsystem "
                                      "Sogndal»."))
    expires_on = NorwegianDateField(_l("Gyldig til og med (valgfritt)"),
                                    validators=[Optional()],
                                    description=_l("Tom: gyldig til du trekker den tilbake."))
