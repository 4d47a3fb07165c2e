"""Identifier formats and check characters, and name folding for search."""

from __future__ import annotations

import pytest

from whole_system.people.identifiers import (
    identifier_kind,
    normalise_crn,
    normalise_nhs_number,
    normalise_pnc,
    normalise_prison_number,
    pnc_check_letter,
)
from whole_system.people.names import fold, tokens


def _other_letter(letter: str) -> str:
    return "A" if letter != "A" else "B"


# PNC numbers ------------------------------------------------------------------------------


def test_pnc_check_letter_is_the_letter_for_the_year_and_serial_modulo_23():
    # 12 0123456 = 120123456, which leaves 22 over 23: the last letter of
    # ZABCDEFGHJKLMNPQRTUVWXY (no I, O or S).
    assert pnc_check_letter("2012", "123456") == "Y"
    assert pnc_check_letter("12", "0123456") == "Y"
    assert pnc_check_letter("2012", "0123457") == "Z"  # one more: round to the first letter


@pytest.mark.parametrize(
    ("year", "serial"), [("2012", "0123456"), ("1998", "7"), ("2024", "1234567"), ("05", "42")]
)
def test_a_pnc_number_with_the_right_check_letter_is_accepted(year, serial):
    letter = pnc_check_letter(year, serial)
    assert normalise_pnc(f"{year}/{serial}{letter}") == f"{year}/{serial.zfill(7)}{letter}"


def test_a_pnc_number_is_accepted_without_the_slash_in_lower_case_and_with_spaces():
    letter = pnc_check_letter("2012", "0123456")
    assert normalise_pnc(f" 2012 0123456{letter.lower()} ") == f"2012/0123456{letter}"


def test_a_two_digit_pnc_year_is_kept_as_given():
    letter = pnc_check_letter("98", "45678")
    assert normalise_pnc(f"98/45678{letter}") == f"98/0045678{letter}"


def test_a_pnc_number_with_the_wrong_check_letter_is_refused():
    letter = pnc_check_letter("2012", "0123456")
    with pytest.raises(ValueError, match="correct check letter"):
        normalise_pnc(f"2012/0123456{_other_letter(letter)}")


@pytest.mark.parametrize(
    "value", ["", "2012/0123456", "201/0123456F", "2012/01234567F", "ABCD/0123456F", "2012/F"]
)
def test_a_malformed_pnc_number_is_refused_with_the_format_message(value):
    with pytest.raises(ValueError, match="correct format, like 2012/0123456X"):
        normalise_pnc(value)


# Prison numbers, CRNs and NHS numbers -----------------------------------------------------


def test_a_prison_number_is_accepted_and_upper_cased():
    assert normalise_prison_number(" a1234bc ") == "A1234BC"


@pytest.mark.parametrize("value", ["A123BC", "12345BC", "A1234B", "A1234BCD", "AB1234C"])
def test_a_malformed_prison_number_is_refused(value):
    with pytest.raises(ValueError, match="like A1234BC"):
        normalise_prison_number(value)


def test_a_probation_case_reference_is_accepted_and_upper_cased():
    assert normalise_crn("x123456") == "X123456"


@pytest.mark.parametrize("value", ["X12345", "X1234567", "1234567", "XX23456"])
def test_a_malformed_probation_case_reference_is_refused(value):
    with pytest.raises(ValueError, match="like X123456"):
        normalise_crn(value)


def test_the_nhs_test_number_is_valid():
    assert normalise_nhs_number("9434765919") == "9434765919"


def test_an_nhs_number_typed_with_spaces_or_hyphens_is_accepted_and_normalised():
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919") == "9434765919"


def test_an_nhs_number_with_the_wrong_check_digit_is_refused():
    with pytest.raises(ValueError, match="valid NHS number"):
        normalise_nhs_number("9434765918")


def test_an_nhs_number_whose_check_digit_would_be_ten_is_refused():
    # 999 000 014: the weighted sum leaves a check of 10, which no NHS number has, so no
    # tenth digit makes it valid.
    for last in "0123456789":
        with pytest.raises(ValueError, match="valid NHS number"):
            normalise_nhs_number(f"999000014{last}")


@pytest.mark.parametrize("value", ["943476591", "94347659190", "94347659AB", ""])
def test_an_nhs_number_without_ten_digits_is_refused(value):
    with pytest.raises(ValueError, match="10 digits"):
        normalise_nhs_number(value)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (f"2012/0123456{pnc_check_letter('2012', '0123456')}", "pnc_number"),
        ("A1234BC", "prison_number"),
        ("x123456", "probation_crn"),
        ("9434765919", "nhs_number"),
        ("9434765918", None),
        ("Kelly", None),
        ("03/04/1990", None),
    ],
)
def test_identifier_kind_recognises_what_a_search_term_looks_like(value, kind):
    assert identifier_kind(value) == kind


# Name folding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Zoë", "zoe"),
        ("Zoe\u0308", "zoe"),  # typed with a combining diaeresis
        ("Siobhán", "siobhan"),
        ("Nguyễn", "nguyen"),
        ("Nguyễn Thị", "nguyen thi"),
        # Letters Unicode does not decompose: typed as they would be without them.
        ("Małgorzata", "malgorzata"),
        ("Yılmaz", "yilmaz"),
        ("Đặng", "dang"),
        ("Bjørk Ærø", "bjork aero"),
        ("ÅSE", "ase"),
    ],
)
def test_fold_drops_accents_from_latin_letters_and_ignores_case(name, folded):
    assert fold(name) == folded


def test_fold_keeps_an_arabic_name_with_its_vowel_marks():
    name = "فَاطِمَة"  # invented; fatha and kasra are combining marks
    assert fold(name) == name
    assert fold("نور الهاشمي") == "نور الهاشمي"


def test_fold_keeps_a_bengali_name_with_its_vowel_signs_and_virama():
    name = "রুমানা আক্তার"  # invented; the virama in আক্তার is a combining mark
    assert fold(name) == name
    assert "\u09cd" in fold(name)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("O'Brien-Smith", "obrien smith"),
        ("D’Souza", "dsouza"),
        ("  Mary  Jo. ", "mary jo"),
    ],
)
def test_fold_joins_at_apostrophes_and_splits_at_hyphens(name, folded):
    assert fold(name) == folded


def test_tokens_splits_a_folded_name_into_words():
    assert tokens("Siobhán O'Kelly-Ní") == ["siobhan", "okelly", "ni"]
