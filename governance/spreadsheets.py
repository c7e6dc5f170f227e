"""What every spreadsheet export shares: text that a spreadsheet would run as a formula is
written as text."""

from __future__ import annotations

# A cell starting with one of these is read as a formula (or a DDE call) by Excel and
# LibreOffice: "=HYPERLINK(...)", "+1+cmd|...", "-2+3", "@SUM(...)", and a leading tab or
# carriage return that some importers strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe, so it is
    shown as the text it is; numbers, dates and everything else stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
