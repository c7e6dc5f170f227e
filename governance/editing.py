"""The shared create/edit flow of the plain form pages (the benefits plan, the budget):
GET shows the form; a POST is validated and saved, answering 422 with the messages at their
fields, 409 with the current values when someone else saved first, or 303 onwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, request
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error
from governance.web import render


@dataclass
class Editing:
    """What the flow needs to know about one kind of object."""

    template: str
    form_factory: Callable[[bool], Any]  # True: from the request; False: the stored values
    save: Callable[[Any], Any]  # raises RuleViolation or StaleEdit; the flow commits
    loaded: Any  # the object being edited, or None when creating
    field: str  # where a refused rule without a field of its own is shown
    message: str  # flashed after saving
    back: Callable[[], str]  # where to go after saving (asked after the save)


def edit(editing: Editing, context: dict):
    """A form's ``extra_errors`` dict (when it has one) takes the messages for inputs that
    are not WTForms fields, by the rule's field name."""
    if request.method == "GET":
        return render(editing.template, form=editing.form_factory(False), **context)
    form = editing.form_factory(True)
    if form.validate():
        try:
            editing.save(form)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            extra = getattr(form, "extra_errors", None)
            if extra is not None and error.field and not hasattr(form, error.field):
                extra[error.field] = error.text()
            else:
                attach_error(form, error, editing.field)
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            if editing.loaded is not None:
                db.session.refresh(editing.loaded)
            return render(editing.template, form=editing.form_factory(False), status=409,
                          conflict=True, **context)
        else:
            flash(editing.message, "success")
            return redirect(editing.back(), code=303)
    return render(editing.template, form=form, status=422, **context)
