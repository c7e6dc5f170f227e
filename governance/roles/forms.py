"""Input shapes for sign-in and user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, Optional

from governance.forms import Form, OptionalIdSelect, max_length, required


class LoginForm(Form):
    username = StringField(_l("Brukernavn"), validators=[required(), max_length(80)])
    password = PasswordField(_l("Passord"), validators=[required(), max_length(256)])


class UserForm(Form):
    username = StringField(_l("Brukernavn"), validators=[required(), max_length(80)])
    full_name = StringField(_l("Fullt navn"), validators=[required(), max_length(200)])
    email = EmailField(
        _l("E-post"),
        validators=[Optional(), max_length(254),
                    Email(message=_l("Skriv en gyldig e-postadresse."),
                          check_deliverability=False)],
    )
    organisation_id = OptionalIdSelect(_l("Organisasjon"))
    is_admin = BooleanField(_l("Administrator (kan styre brukere og organisasjoner)"))
    can_create_projects = BooleanField(_l("Kan opprette prosjekter"))
    password = PasswordField(
        _l("Passord"),
        description=_l("Minst 8 tegn. Vanlige passord blir avvist."),
        validators=[required(), max_length(256)],
    )


class UserEditForm(UserForm):
    password = None
    username = None


class PasswordResetForm(Form):
    password = PasswordField(
        _l("Nytt passord"),
        description=_l("Minst 8 tegn. Vanlige passord blir avvist."),
        validators=[required(), max_length(256)],
    )


class OwnPasswordForm(Form):
    current_password = PasswordField(_l("Nåværende passord"),
                                     validators=[required(), max_length(256)])
    password = PasswordField(
        _l("Nytt passord"),
        description=_l("Minst 8 tegn. Vanlige passord blir avvist."),
        validators=[required(), max_length(256)],
    )


def role_labels() -> dict:
    from governance.roles.models import ProjectRoleKind as K

    return {
        K.PROJECT_LEADER: _l("Prosjektleder"),
        K.DEPUTY_LEADER: _l("Stedfortredende prosjektleder"),
        K.OWNER_REPRESENTATIVE: _l("Prosjekteier"),
        K.STEERING_MEMBER: _l("Medlem av styringsgruppen"),
        K.MUNICIPAL_LEAD: _l("Prosjektleder i kommunen"),
        K.BENEFIT_OWNER: _l("Gevinsteier"),
        K.WORKGROUP_MEMBER: _l("Medlem av arbeidsgruppe"),
    }
