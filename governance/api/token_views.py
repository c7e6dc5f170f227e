"""The account's API tokens: create (the secret is shown once), list and revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance.api import queries, service
from governance.api.forms import TokenForm
from governance.errors import RuleViolation
from governance.extensions import db
from governance.forms import attach_error
from governance.projects.plan_views import today
from governance.web import SIGNED_IN, permission, render, require

bp = Blueprint("api_tokens", __name__, url_prefix="/konto/api-nokler")


def _page(form: TokenForm, *, status: int = 200, secret: str | None = None):
    tokens = service.tokens_of(db.session, current_user.id)
    return render("api/tokens.html", status=status, form=form, tokens=tokens, secret=secret,
                  today=today())


@bp.route("/", methods=["GET", "POST"])
@permission(SIGNED_IN)
def tokens():
    form = TokenForm()
    if not form.is_submitted():
        return _page(TokenForm(formdata=None))
    if form.validate():
        try:
            _token, secret = service.create_token(
                db.session, current_user, current_user, name=form.name.data or "",
                expires_on=form.expires_on.data, today=today())
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "name")
        else:
            db.session.commit()
            # Shown once, in this answer: it is not stored anywhere but in its hash.
            return _page(TokenForm(formdata=None), secret=secret)
    return _page(form, status=422)


@bp.route("/<int:token_id>/trekk-tilbake", methods=["POST"])
@permission(SIGNED_IN)
def revoke(token_id: int):
    token = queries.token_of_user(db.session, current_user.id, token_id)
    require(token is not None, 404)
    service.revoke_token(db.session, current_user, token)
    db.session.commit()
    flash(_("API-nøkkelen «%(name)s» er trukket tilbake og virker ikke lenger.",
            name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"), code=303)
