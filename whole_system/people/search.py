"""Find a woman by any name she is known by, her date of birth or an identifier.

One search box takes all three: "Siobhan Kelly", "kel 03/04/1990", "A1234BC". Results are
limited to the women the policy lets the user see, and each result shown is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from whole_system.accounts.models import User
from whole_system.privacy import policy
from whole_system.privacy.models import Channel, Purpose

from .identifiers import NORMALISERS, identifier_kind, normalise_nhs_number
from .models import Person, PersonName
from .names import tokens

# Each woman listed is a logged read of her name, date of birth and identifiers, so a search
# shows a short page and asks for more of the name rather than listing everyone who matches.
RESULT_LIMIT = 20
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y")
_DATE = re.compile(
    r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2} \d{1,2} \d{4}|\d{4}-\d{1,2}-\d{1,2})\b"
)
_NHS_SPACED = re.compile(r"\b\d{3} \d{3} \d{4}\b")
_MAX_SPLIT_WORDS = 6


@dataclass
class Terms:
    names: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    identifiers: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.names or self.date_of_birth or self.identifiers)


def parse(query: str) -> Terms:
    """Split what was typed into a date of birth, identifiers and name parts."""
    terms = Terms()
    rest = query[:200]
    for found in _DATE.findall(rest):
        for fmt in _DATE_FORMATS:
            try:
                terms.date_of_birth = datetime.strptime(found, fmt).date()
                break
            except ValueError:
                continue
        rest = rest.replace(found, " ")
    # An NHS number is often typed in its printed groups, "943 476 5919".
    for found in _NHS_SPACED.findall(rest):
        try:
            terms.identifiers["nhs_number"] = normalise_nhs_number(found)
        except ValueError:
            continue
        rest = rest.replace(found, " ")
    for word in rest.split():
        kind = identifier_kind(word)
        if kind is not None:
            terms.identifiers[kind] = NORMALISERS[kind](word)
        else:
            terms.names.extend(tokens(word))
    return terms


def _given_and_family(given: str, family: str) -> Q:
    """Given names starting `given` and family name starting `family`, in either order."""
    return (Q(given_folded__startswith=given) & Q(family_folded__startswith=family)) | (
        Q(family_folded__startswith=given) & Q(given_folded__startswith=family)
    )


def _name_match(names: list[str]) -> Q:
    # All of it as one name: "O'Brien" folds to "o brien", "Ní Bhriain" to "ni bhriain".
    whole = " ".join(names)
    match = Q(family_folded__startswith=whole) | Q(given_folded__startswith=whole)
    if len(names) == 1:
        return match
    # First and last words, ignoring any middle names: "Siobhan Mary Kelly".
    match |= _given_and_family(names[0], names[-1])
    # Every split into given and family names, so names of more than one word are found
    # whole: "Mary O'Brien", "Siobhán Ní Bhriain", "Nguyễn Thị Lan".
    if len(names) <= _MAX_SPLIT_WORDS:
        for at in range(1, len(names)):
            match |= _given_and_family(" ".join(names[:at]), " ".join(names[at:]))
    return match


def _filtered(people: QuerySet[Person], terms: Terms) -> QuerySet[Person]:
    people = people.filter(**terms.identifiers)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    return people.order_by("family_name", "given_name", "id")


@dataclass
class Found:
    people: list[Person]
    terms: Terms
    similar: bool = False  # nothing matched exactly; these names are spelt alike
    more: bool = False  # more women match than are shown


def find_people(user: User, query: str, *, channel: str = Channel.PAGE) -> Found:
    """Women visible to `user` matching `query`, the first RESULT_LIMIT in name order.

    Exact prefix matches come first; on PostgreSQL, when nothing matches, names spelt a little
    differently are found through the trigram index. Each woman shown is logged.
    """
    terms = parse(query)
    if terms.empty:
        return Found([], terms)
    if terms.names:
        people = policy.people_named(user, _name_match(terms.names), purpose=Purpose.CASEWORK)
    else:
        people = policy.people_visible_to(user, purpose=Purpose.CASEWORK)
    results = list(_filtered(people, terms)[: RESULT_LIMIT + 1])
    similar = False
    if not results and terms.names and connection.vendor == "postgresql":
        similar = True
        spelt_alike = PersonName.objects.filter(
            full_folded__trigram_similar=" ".join(terms.names), person=OuterRef("pk")
        )
        visible = policy.people_visible_to(user, purpose=Purpose.CASEWORK)
        results = list(_filtered(visible.filter(Exists(spelt_alike)), terms)[: RESULT_LIMIT + 1])
    shown = results[:RESULT_LIMIT]
    policy.record_listed(user, shown, purpose=Purpose.CASEWORK, channel=channel)
    return Found(shown, terms, similar=similar, more=len(results) > RESULT_LIMIT)
