"""Formats and check characters of the identifiers agencies hold for a woman.

Each `normalise_*` returns the canonical form or raises ValueError with a message fit for a
GOV.UK error summary.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Police National Computer: year (2 or 4 digits) / serial (up to 7 digits) + check letter.
_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$")
_PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
# Prison (NOMIS) number, e.g. A1234BC.
_PRISON = re.compile(r"^[A-Z]\d{4}[A-Z]{2}$")
# Probation case reference number (nDelius CRN), e.g. X123456.
_CRN = re.compile(r"^[A-Z]\d{6}$")


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def pnc_check_letter(year: str, serial: str) -> str:
    return _PNC_LETTERS[int(year[-2:] + serial.zfill(7)) % 23]


def normalise_pnc(value: str) -> str:
    """Return a PNC number as YYYY/NNNNNNNL; two-digit years are kept as given."""
    match = _PNC.match(_compact(value))
    if not match:
        raise ValueError(_("Enter a PNC number in the correct format, like 2012/0123456X"))
    year, serial, letter = match.groups()
    if pnc_check_letter(year, serial) != letter:
        raise ValueError(_("Enter a PNC number with the correct check letter"))
    return f"{year}/{serial.zfill(7)}{letter}"


def normalise_prison_number(value: str) -> str:
    compact = _compact(value)
    if not _PRISON.match(compact):
        raise ValueError(_("Enter a prison number in the correct format, like A1234BC"))
    return compact


def normalise_crn(value: str) -> str:
    compact = _compact(value)
    if not _CRN.match(compact):
        raise ValueError(_("Enter a case reference number in the correct format, like X123456"))
    return compact


def nhs_check_digit(first_nine: str) -> int | None:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def normalise_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(_("Enter an NHS number with 10 digits, like 485 777 3456"))
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValueError(_("Enter a valid NHS number – check you have typed it correctly"))
    return digits


NORMALISERS = {
    "pnc_number": normalise_pnc,
    "prison_number": normalise_prison_number,
    "probation_crn": normalise_crn,
    "nhs_number": normalise_nhs_number,
}


def identifier_kind(value: str) -> str | None:
    """Which identifier a search term looks like, so one search box can take any of them."""
    for field, normalise in NORMALISERS.items():
        try:
            normalise(value)
        except ValueError:
            continue
        return field
    return None
