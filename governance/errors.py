"""Domain errors raised by services; views turn them into 4xx answers."""

from __future__ import annotations


class RuleViolation(Exception):
    """A business rule refused the command. ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(Exception):
    """The object changed since the form was loaded (optimistic lock)."""
