"""Sign-in, sign-out, language, own account, and user administration."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance.errors import RuleViolation
from governance.extensions import db
from governance.forms import attach_error, choice_list
from governance.history import queries as history_queries
from governance.history.presentation import describe
from governance.i18n import LANGUAGE_NAMES, format_iso_date, format_iso_datetime
from governance.organisations import queries as organisation_queries
from governance.roles import auth, passwords, service
from governance.roles import queries as role_queries
from governance.roles.forms import (
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
    UserEditForm,
    UserForm,
)
from governance.roles.models import User
from governance.roles.throttle import make_throttle, throttle_key
from governance.web import ADMIN, PUBLIC, SIGNED_IN, permission, render

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("users", __name__, url_prefix="/admin/brukere")
security_log = logging.getLogger("governance.security")


def _throttle():
    config = current_app.config
    return make_throttle(
        config["GOVERNANCE_THROTTLE_STORAGE"],
        db.session,
        config["GOVERNANCE_LOGIN_MAX_FAILURES"],
        config["GOVERNANCE_LOGIN_WINDOW_SECONDS"],
    )


@bp.route("/logg-inn", methods=["GET", "POST"])
@permission(PUBLIC)
def login():
    next_url = auth.safe_next(request.values.get("next"), url_for("main.start"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if request.method == "GET":
        return render("roles/login.html", form=form, next_url=next_url)
    if not form.validate():
        return render("roles/login.html", form=form, next_url=next_url, status=422)
    key = throttle_key(form.username.data, auth.client_address())
    throttle = _throttle()
    if throttle.blocked(key):
        security_log.warning("sign-in throttled for %s", auth.client_address())
        return render(
            "roles/login.html", form=form, next_url=next_url, status=429,
            login_error=_("For mange mislykkede forsøk. Vent ett minutt og prøv igjen."),
        )
    user = service.authenticate(db.session, form.username.data, form.password.data)
    if user is None:
        throttle.record_failure(key)
        db.session.commit()
        security_log.warning("sign-in failed from %s", auth.client_address())
        return render(
            "roles/login.html", form=form, next_url=next_url, status=401,
            login_error=_("Feil brukernavn eller passord."),
        )
    throttle.clear(key)
    auth.sign_in(user)
    return redirect(next_url, code=303)


@bp.route("/logg-ut", methods=["POST"])
@permission(PUBLIC)
def logout():
    if current_user.is_authenticated:
        security_log.info("sign-out: user %s", current_user.id)
    auth.sign_out()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/sprak", methods=["POST"])
@permission(PUBLIC)
def language():
    lang = request.form.get("lang", "")
    languages = current_app.config["LANGUAGES"]
    back = auth.safe_next(request.form.get("next"), url_for("main.start"))
    if lang not in languages:
        flash(_("Ukjent språk."), "error")
        return redirect(back, code=303)
    session["lang"] = lang
    if current_user.is_authenticated:
        service.set_locale(db.session, current_user, lang, languages)
        db.session.commit()
    return redirect(back, code=303)


@bp.route("/konto", methods=["GET", "POST"])
@permission(SIGNED_IN)
def account():
    form = OwnPasswordForm()
    if request.method == "POST":
        if form.validate():
            if not passwords.verify_password(current_user.password_hash,
                                             form.current_password.data):
                form.current_password.errors.append(_("Nåværende passord er feil."))
            else:
                try:
                    service.reset_password(db.session, current_user, current_user,
                                           form.password.data)
                except RuleViolation as error:
                    db.session.rollback()
                    attach_error(form, error, "password")
                else:
                    db.session.commit()
                    # Changing the password ended every session: start a fresh one.
                    auth.sign_in(db.session.get(User, current_user.id))
                    flash(_("Passordet er endret."), "success")
                    return redirect(url_for("auth.account"), code=303)
        return render("roles/account.html", form=form, status=422)
    return render("roles/account.html", form=form)


# ---- administration ----------------------------------------------------------------


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _organisation_choices():
    return choice_list(
        [(None, _("Ingen"))]
        + [(org.id, org.name) for org in organisation_queries.all_organisations(db.session)]
    )


@admin_bp.route("/")
@permission(ADMIN)
def index():
    return render("roles/users.html", users=role_queries.users(db.session))


@admin_bp.route("/ny", methods=["GET", "POST"])
@permission(ADMIN)
def create():
    form = UserForm()
    form.organisation_id.choices = _organisation_choices()
    if request.method == "POST" and form.validate():
        try:
            user = service.create_user(
                db.session, current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data,
                email=form.email.data,
                organisation_id=form.organisation_id.data,
                is_admin=form.is_admin.data,
                can_create_projects=form.can_create_projects.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "username")
        else:
            db.session.commit()
            flash(_("Brukeren %(name)s er opprettet.", name=user.full_name), "success")
            return redirect(url_for("users.index"), code=303)
    status = 422 if request.method == "POST" else 200
    return render("roles/user_form.html", form=form, user=None, status=status)


@admin_bp.route("/<int:user_id>", methods=["GET", "POST"])
@permission(ADMIN)
def edit(user_id: int):
    user = _get_user(user_id)
    form = UserEditForm(obj=user)
    form.organisation_id.choices = _organisation_choices()
    reset_form = PasswordResetForm(formdata=None)
    if request.method == "POST" and form.validate():
        try:
            service.update_user(
                db.session, current_user, user,
                full_name=form.full_name.data,
                email=form.email.data,
                organisation_id=form.organisation_id.data,
                is_admin=form.is_admin.data,
                can_create_projects=form.can_create_projects.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "full_name")
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("users.edit", user_id=user.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render("roles/user_form.html", form=form, user=user, reset_form=reset_form,
                  status=status)


@admin_bp.route("/<int:user_id>/passord", methods=["POST"])
@permission(ADMIN)
def reset_password(user_id: int):
    user = _get_user(user_id)
    reset_form = PasswordResetForm()
    if reset_form.validate():
        try:
            service.reset_password(db.session, current_user, user, reset_form.password.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(reset_form, error, "password")
        else:
            db.session.commit()
            flash(_("Nytt passord er satt for %(name)s. Brukeren er logget ut overalt.",
                    name=user.full_name), "success")
            return redirect(url_for("users.edit", user_id=user.id), code=303)
    form = UserEditForm(obj=user, formdata=None)
    form.organisation_id.choices = _organisation_choices()
    return render("roles/user_form.html", form=form, user=user, reset_form=reset_form,
                  status=422)


@admin_bp.route("/<int:user_id>/aktiv", methods=["POST"])
@permission(ADMIN)
def set_active(user_id: int):
    user = _get_user(user_id)
    active = request.form.get("active") == "1"
    try:
        service.set_active(db.session, current_user, user, active)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.text(), "error")
        return redirect(url_for("users.edit", user_id=user.id), code=303)
    db.session.commit()
    if active:
        flash(_("%(name)s kan logge inn igjen.", name=user.full_name), "success")
    else:
        flash(_("%(name)s er deaktivert og logget ut.", name=user.full_name), "success")
    return redirect(url_for("users.edit", user_id=user.id), code=303)


@admin_bp.route("/<int:user_id>/historikk")
@permission(ADMIN)
def history(user_id: int):
    user = _get_user(user_id)
    records = history_queries.for_object(db.session, "user_account", user.id)
    labels = {
        "username": _l("Brukernavn"), "full_name": _l("Fullt navn"), "email": _l("E-post"),
        "organisation_id": _l("Organisasjon"), "is_admin": _l("Administrator"),
        "can_create_projects": _l("Kan opprette prosjekter"),
        "is_active_account": _l("Aktiv"), "locale": _l("Språk"), "created_at": _l("Opprettet"),
        "password_changed_at": _l("Passord satt"),
        # The user's API tokens (never their secret or its hash).
        "name": _l("API-nøkkel"), "prefix": _l("Begynner med"),
        "expires_on": _l("Gyldig til og med"), "revoked_at": _l("Trukket tilbake"),
        "user_id": _l("Bruker"),
    }
    org_names = {o.id: o.name for o in organisation_queries.all_organisations(db.session)}
    values = {"organisation_id": org_names, "locale": LANGUAGE_NAMES,
              "created_at": format_iso_datetime, "password_changed_at": format_iso_datetime,
              "revoked_at": format_iso_datetime, "expires_on": format_iso_date,
              "user_id": {user.id: user.full_name}}
    changes = describe(records, labels, values, yes=_("Ja"), no=_("Nei"))
    return render("history/object_history.html", changes=changes, title=user.full_name,
                  back_url=url_for("users.edit", user_id=user.id))


