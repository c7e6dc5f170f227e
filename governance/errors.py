"""Domain errors raised by services; views turn them into 4xx answers.

Services do not import Flask, so their messages are marked with ``N_`` (for the
translation catalogues) and translated where they are shown: ``error.text()``.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the conventional name for a gettext marker
    """Mark a message for translation without translating it here."""
    return message


class Term(str):
    """A message parameter that is itself a message to translate (a phase's name, say)."""


class RuleViolation(Exception):
    """A business rule refused the command. ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None, **params: Any):
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params

    def text(self) -> str:
        """The message in the user's language (needs a Flask request context)."""
        from flask_babel import gettext

        params = {key: gettext(value) if isinstance(value, Term) else value
                  for key, value in self.params.items()}
        return gettext(self.message, **params)


class StaleEdit(Exception):
    """The object changed since the form was loaded (optimistic lock)."""
