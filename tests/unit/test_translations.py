"""The nynorsk and English catalogues are complete and up to date with the source.

Bokmål is the source language (the msgids); nn and en have catalogues in
governance/translations/. When a test here fails after you added or changed a string:

    scripts/translations extract     # new strings come in empty, changed ones as fuzzy
    (translate them in governance/translations/{nn,en}/LC_MESSAGES/messages.po,
     and remove the "#, fuzzy" line of each one you have checked)
    scripts/translations compile     # or scripts/setup
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "governance" / "translations"
LOCALES = ("nn", "en")
HOW_TO_FIX = (
    "\n\nRun scripts/translations extract, translate the empty and '#, fuzzy' entries in "
    "governance/translations/{nn,en}/LC_MESSAGES/messages.po (and delete the fuzzy flag), "
    "then scripts/translations compile."
)

# A printf-style conversion (%(name)s, %(num)d, %s, %%) or a stray "%". Stray ones matter
# too: Jinja's gettext applies "%" to every translated string, with or without arguments.
PLACEHOLDER = re.compile(
    r"%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]|%"
)
# A call of a translation marker with a string literal, in Python or in a template.
MARKER_CALL = re.compile(
    r"(?<![\w.])(?:_|_l|N_|gettext|ngettext|pgettext|npgettext|lazy_gettext|lazy_ngettext"
    r"|lazy_pgettext)\(\s*[\"']"
)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def messages(catalog: Catalog) -> list[Message]:
    """The messages proper (not the header entry)."""
    return [message for message in catalog if message.id]


def forms(value) -> tuple[str, ...]:
    """msgid or msgstr as a tuple: one item, or one per plural form."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def show(message: Message) -> str:
    text = " | ".join(forms(message.id))
    context = f" [context {message.context!r}]" if message.context else ""
    places = sorted({filename for filename, _line in message.locations})
    where = f"  ({', '.join(places)})" if places else ""
    return f"{text!r}{context}{where}"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Catalog:
    """The messages in the source now, extracted the way scripts/translations does it."""
    pot = tmp_path_factory.mktemp("translations") / "messages.pot"
    env = dict(os.environ)
    pybabel = Path(sys.executable).with_name("pybabel")
    if pybabel.exists():
        env["PYBABEL"] = str(pybabel)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "translations"), "pot", str(pot)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"extraction failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return read(pot)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    catalog = read(po_path(locale))
    assert not catalog.fuzzy, (
        f"{po_path(locale)}: the header is marked fuzzy, so the whole catalogue would be "
        "skipped when compiling. Delete the '#, fuzzy' line above msgid \"\"."
    )
    problems = []
    for message in messages(catalog):
        strings = forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy (check it, then delete the fuzzy flag): {show(message)}")
        elif not all(s.strip() for s in strings):
            problems.append(f"untranslated: {show(message)}")
        elif message.pluralizable and len(strings) != catalog.num_plurals:
            problems.append(
                f"{len(strings)} plural forms, {catalog.num_plurals} expected: {show(message)}"
            )
    if problems:
        pytest.fail(
            f"{po_path(locale).relative_to(ROOT)}: {len(problems)} message(s) to translate:\n  "
            + "\n  ".join(problems) + HOW_TO_FIX,
            pytrace=False,
        )


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    catalog = read(po_path(locale))
    problems = []
    for message in messages(catalog):
        expected = set().union(*(placeholders(text) for text in forms(message.id)))
        for index, text in enumerate(forms(message.string)):
            if not text:
                continue  # reported by test_every_message_is_translated
            found = placeholders(text)
            label = f"form {index}: " if message.pluralizable else ""
            if expected - found:
                problems.append(
                    f"{label}{sorted(expected - found)} missing in {text!r} for {show(message)}"
                )
            if found - expected:
                problems.append(
                    f"{label}{sorted(found - expected)} not in the source, in {text!r} "
                    f"for {show(message)} (write a literal % as %%)"
                )
    for message, errors in catalog.check():
        problems.extend(f"{error} for {show(message)}" for error in errors)
    if problems:
        pytest.fail(
            f"{po_path(locale).relative_to(ROOT)}: placeholders must be kept exactly "
            "(%(name)s, %(num)d ...):\n  " + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_every_message_in_the_source(source, locale):
    catalog = read(po_path(locale))
    missing = []
    for message in messages(source):
        entry = catalog.get(forms(message.id)[0], message.context)
        if entry is None:
            missing.append(f"not in the catalogue: {show(message)}")
        elif forms(entry.id) != forms(message.id):
            missing.append(
                f"plural changed, catalogue has {' | '.join(forms(entry.id))!r}: {show(message)}"
            )
    if missing:
        pytest.fail(
            f"{po_path(locale).relative_to(ROOT)} is behind the source: "
            f"{len(missing)} message(s):\n  " + "\n  ".join(missing) + HOW_TO_FIX,
            pytrace=False,
        )


def test_extraction_reaches_every_file_with_translatable_strings(source):
    """pybabel skips folders such as templates/_macros unless told: check none is missed."""
    extracted = {filename for message in source for filename, _line in message.locations}
    files = [*(ROOT / "governance").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    skipped = sorted(
        str(path.relative_to(ROOT))
        for path in files
        if "__pycache__" not in path.parts
        and MARKER_CALL.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(ROOT).as_posix()) not in extracted
    )
    if skipped:
        pytest.fail(
            "These files mark strings for translation, but scripts/translations extracts "
            "nothing from them (see babel.cfg and --ignore-dirs in scripts/translations):\n  "
            + "\n  ".join(skipped),
            pytrace=False,
        )
