"""Input shapes for sign-in and user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, Optional

from governance.forms import (
    ChoiceField,
    Form,
    NorwegianDateField,
    OptionalIdSelect,
    max_length,
    required,
)


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
        K.PROJECT_OWNER: _l("Prosjekteier"),
        K.PROJECT_LEADER: _l("Prosjektleder"),
        K.DEPUTY_LEADER: _l("Stedfortredende prosjektleder"),
        K.MUNICIPAL_LEAD: _l("Prosjektleder i kommunen"),
        K.BENEFIT_RESPONSIBLE: _l("Gevinstansvarlig"),
        K.BENEFIT_OWNER: _l("Gevinsteier"),
    }


# ---- the project organisation ------------------------------------------------------------


def group_kind_labels() -> dict:
    from governance.roles.models import GroupKind as G

    return {
        G.STEERING_GROUP: _l("Styringsgruppe"),
        G.PROJECT_GROUP: _l("Prosjektgruppe"),
        G.WORK_GROUP: _l("Arbeidsgruppe"),
        G.REFERENCE_GROUP: _l("Referansegruppe"),
    }


def member_role_labels() -> dict:
    from governance.roles.models import MemberRole as M

    return {
        M.LEADER: _l("Leder"),
        M.MEMBER: _l("Medlem"),
        M.SECRETARY: _l("Sekretær"),
        M.SENIOR_USER: _l("Seniorbruker"),
        M.SENIOR_SUPPLIER: _l("Seniorleverandør"),
        M.OBSERVER: _l("Observatør"),
    }


def responsibility_labels() -> dict[str, str]:
    return {
        "project_owner": _l("Prosjekteier"),
        "steering_group": _l("Styringsgruppen"),
        "project_leader": _l("Prosjektleder"),
        "project_group": _l("Prosjektgruppen"),
        "municipal_lead": _l("Prosjektleder i kommunen"),
        "work_group": _l("Arbeidsgrupper"),
        "benefit_responsible": _l("Gevinstansvarlig"),
        "benefit_owner": _l("Gevinsteier"),
    }


def local_status_labels() -> dict:
    from governance.roles.models import LocalTaskStatus as S

    return {
        S.NOT_STARTED: _l("Ikke startet"),
        S.IN_PROGRESS: _l("Pågår"),
        S.DONE: _l("Ferdig"),
    }


class PersonForm(Form):
    full_name = StringField(_l("Navn"), validators=[required(), max_length(200)])
    title = StringField(_l("Stilling"), validators=[Optional(), max_length(200)])
    organisation_id = OptionalIdSelect(_l("Organisasjon"))
    email = EmailField(
        _l("E-post"),
        validators=[Optional(), max_length(254),
                    Email(message=_l("Skriv en gyldig e-postadresse."),
                          check_deliverability=False)],
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), max_length(40)])
    user_id = OptionalIdSelect(
        _l("Brukerkonto"),
        description=_l("Personer uten konto kan ha roller, men ikke logge inn."),
    )
    version_id = HiddenField()


class RoleForm(Form):
    person_id = OptionalIdSelect(_l("Person"), validators=[required(_l("Velg en person."))])
    role = ChoiceField(_l("Rolle"))
    organisation_id = OptionalIdSelect(
        _l("For organisasjon"),
        description=_l("Prosjekteier: en av eierne. Prosjektleder i kommunen og gevinsteier: "
                       "en av deltakerne."),
    )
    valid_from = NorwegianDateField(_l("Fra dato"), validators=[Optional()])
    replace_current = BooleanField(_l("Erstatt den som har rollen nå"))


class EndForm(Form):
    valid_to = NorwegianDateField(_l("Sluttdato"), validators=[Optional()])


class GroupForm(Form):
    kind = ChoiceField(_l("Type gruppe"))
    name = StringField(_l("Navn"), validators=[Optional(), max_length(200)])
    mandate = TextAreaField(_l("Mandat"), validators=[Optional(), max_length(5000)])
    deliverables = TextAreaField(_l("Leveranser"), validators=[Optional(), max_length(5000)])


class GroupEditForm(Form):
    name = StringField(_l("Navn"), validators=[required(), max_length(200)])
    mandate = TextAreaField(_l("Mandat"), validators=[Optional(), max_length(5000)])
    deliverables = TextAreaField(_l("Leveranser"), validators=[Optional(), max_length(5000)])
    version_id = HiddenField()


class MemberForm(Form):
    group_id = OptionalIdSelect(_l("Gruppe"), validators=[required(_l("Velg en gruppe."))])
    person_id = OptionalIdSelect(_l("Person"), validators=[required(_l("Velg en person."))])
    organisation_id = OptionalIdSelect(_l("Representerer"))
    role = ChoiceField(_l("Rolle i gruppen"))
    valid_from = NorwegianDateField(_l("Fra dato"), validators=[Optional()])
    valid_to = NorwegianDateField(_l("Til dato"), validators=[Optional()])


class ResponsibilityForm(Form):
    lines = TextAreaField(
        _l("Ansvar"), description=_l("Ett ansvarsområde per linje."),
        validators=[Optional(), max_length(20000)],
    )


class TaskForm(Form):
    level = ChoiceField(_l("Nivå"))
    text = TextAreaField(_l("Oppgave"), validators=[required(), max_length(500)])


class LocalTaskForm(Form):
    status = ChoiceField(_l("Status"))
    responsible = StringField(_l("Ansvarlig"), validators=[Optional(), max_length(200)])
    comment = StringField(_l("Kommentar"), validators=[Optional(), max_length(1000)])
    version_id = HiddenField()
