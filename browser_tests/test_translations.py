"""The Welsh catalogue is complete, keeps every placeholder, and the compiled .mo matches it.

Plain pytest (no browser): it reads the files with polib.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

LC_MESSAGES = Path(settings.BASE_DIR) / "whole_system" / "locale" / "cy" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 :(n==6) ? 4 : 5;"
)
# Python %-format placeholders: %(name)s, %(count)d, %s, %5.2f ... but not a literal %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete]


def test_catalogue_is_welsh_with_welsh_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "cy"
    assert catalogue.metadata["Plural-Forms"] == WELSH_PLURALS
    assert not catalogue.metadata_is_fuzzy


def test_every_string_is_translated(catalogue):
    untranslated = [
        e.msgid
        for e in entries(catalogue)
        if not (
            e.msgstr
            if not e.msgid_plural
            else len(e.msgstr_plural) == 6 and all(e.msgstr_plural.values())
        )
    ]
    assert untranslated == []


def test_no_translation_is_fuzzy(catalogue):
    assert [e.msgid for e in entries(catalogue) if "fuzzy" in e.flags] == []


def test_every_translation_keeps_the_placeholders_of_its_english(catalogue):
    wrong = []
    for e in entries(catalogue):
        if e.msgid_plural:
            expected = placeholders(e.msgid_plural)
            translations = list(e.msgstr_plural.values())
        else:
            expected = placeholders(e.msgid)
            translations = [e.msgstr]
        for text in translations:
            if placeholders(text) != expected:
                wrong.append((e.msgid, text))
        if "python-format" in e.flags:
            names = re.findall(r"%\((\w+)\)", e.msgid_plural or e.msgid)
            for text in translations:
                try:
                    text % dict.fromkeys(names, 2)
                except (KeyError, TypeError, ValueError) as error:
                    wrong.append((e.msgid, f"{text!r} cannot be formatted: {error}"))
    assert wrong == []


def test_compiled_catalogue_matches_the_po(catalogue, tmp_path):
    """The committed .mo holds exactly what compiling the .po now would."""
    fresh = tmp_path / "django.mo"
    catalogue.save_as_mofile(str(fresh))

    def contents(path: Path) -> dict:
        mo = polib.mofile(str(path))
        found = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in mo}
        found["metadata:Plural-Forms"] = mo.metadata.get("Plural-Forms")
        return found

    assert MO.exists(), "run `make messages` (compilemessages) to build the .mo"
    assert contents(MO) == contents(fresh)


def test_strings_from_crispy_forms_gds_are_translated():
    """Listed in whole_system/core/i18n_extra.py, as makemessages does not read the package."""
    with translation.override("cy"):
        assert gettext("There is a problem") == "Mae problem wedi codi"
        assert [gettext("Day"), gettext("Month"), gettext("Year")] == ["Diwrnod", "Mis", "Blwyddyn"]
        assert gettext("Back") == "Yn ôl"


def test_django_picks_the_welsh_plural_form_by_number():
    with translation.override("cy"):
        shown = {
            n: ngettext("%(counter)s result", "%(counter)s results", n) % {"counter": n}
            for n in (0, 1, 2, 3, 6, 7)
        }
    assert shown == {
        0: "0 canlyniad",
        1: "1 canlyniad",
        2: "2 ganlyniad",
        3: "3 chanlyniad",
        6: "6 chanlyniad",
        7: "7 canlyniad",
    }


def test_messages_of_fields_made_at_import_follow_the_reader_language():
    """Fields are built once, at import: their messages are worked out when shown."""
    from whole_system.people.forms import IdentityFields

    with translation.override("cy"):
        welsh = [str(m) for m in IdentityFields(data={}).errors["family_name"]]
    with translation.override("en"):
        english = [str(m) for m in IdentityFields(data={}).errors["family_name"]]

    assert welsh == ["Rhaid nodi cyfenw"]
    assert english == ["Enter family name"]
