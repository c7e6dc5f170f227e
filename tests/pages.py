"""Reading what a page shows, for the HTTP tests: body text, field messages, input values."""

from __future__ import annotations

import html
import re


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(page: str, field_id: str) -> str | None:
    """The validation message shown next to a field, or None."""
    match = re.search(
        rf'<div class="ds-validation-message" data-field="validation" id="{field_id}-error">'
        r"(.*?)</div>",
        page,
        re.S,
    )
    return html.unescape(match.group(1)) if match else None


def input_value(page: str, name: str) -> str | None:
    """The value of the <input name=...> on the page, or None when there is no such input."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""
