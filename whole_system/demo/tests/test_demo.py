"""The synthetic demo world and the national-scale generator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.test import override_settings

from whole_system.accounts.models import Membership, Organisation, User
from whole_system.demo import world
from whole_system.demo.synthetic import WomenGenerator
from whole_system.people import identifiers
from whole_system.people.models import (
    Address,
    CaseTeamMembership,
    ContactDetails,
    Dependant,
    EqualityMonitoring,
    Person,
    PersonName,
)
from whole_system.people.names import fold
from whole_system.people.search import find_people
from whole_system.privacy import audit
from whole_system.privacy.policy import people_visible_to

pytestmark = pytest.mark.django_db

MINORITY_PREFIXES = ("asian_", "black_", "mixed_", "other_")


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{world.DEMO_EMAIL_DOMAIN}")


def _quiet(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


# Runs first, before the module's demo world exists.
def test_generate_on_an_empty_database_creates_national_organisations_first() -> None:
    assert not Organisation.objects.exists()

    _quiet("generate", women=500, seed=3, batch=200)

    assert Person.objects.count() == 500
    services = Organisation.objects.filter(type=Organisation.Type.WOMENS_SERVICE)
    assert services.count() == 43  # one for each police force area of England and Wales
    assert Organisation.objects.filter(type=Organisation.Type.PROBATION).count() == 12
    on_services = CaseTeamMembership.objects.filter(organisation__in=services)
    assert on_services.count() == 500
    assert on_services.values("person").distinct().count() == 500


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[world.DemoSummary]:
    """The demo world, loaded once for the module and removed afterwards."""
    # The fast hasher the root conftest gives every test, so passwords check the same way.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        summary = world.load_demo_world()
        yield summary
        world.remove_demo_world()


def test_load_demo_creates_2000_women_each_with_a_whole_record(
    demo_world: world.DemoSummary,
) -> None:
    assert demo_world.women == Person.objects.count() == 2000
    assert PersonName.objects.filter(kind=PersonName.Kind.LEGAL).count() == 2000
    assert ContactDetails.objects.count() == 2000
    assert Address.objects.count() == Address.objects.exclude(area=None).count() == 2000
    assert EqualityMonitoring.objects.count() == 2000
    assert Dependant.objects.exists()


def test_every_woman_is_on_exactly_one_womens_service_case_team(
    demo_world: world.DemoSummary,
) -> None:
    per_woman = Person.objects.annotate(
        services=Count(
            "case_team",
            filter=Q(case_team__organisation__type=Organisation.Type.WOMENS_SERVICE),
        )
    )
    assert set(per_woman.values_list("services", flat=True)) == {1}


def test_womens_services_serve_exactly_the_boroughs_of_the_2018_provision_map(
    demo_world: world.DemoSummary,
) -> None:
    juniper = Organisation.objects.get(name=world.JUNIPER)
    served = set(juniper.areas.values_list("name", flat=True))
    assert "Enfield" in served and "Barnet" not in served and "Lambeth" not in served
    unserved = ["Barnet", "Bexley", "Bromley", "Greenwich", "Tower Hamlets"]
    assert not Address.objects.filter(area__name__in=unserved).exists()


def test_every_role_has_a_demo_account_with_the_demo_password(
    demo_world: world.DemoSummary,
) -> None:
    roles = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert roles == set(Membership.Role.values)
    for email, _role, _organisation in world.DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.is_demo
        assert user.check_password(world.DEMO_PASSWORD)
    assert _user("platform").membership.organisation is None


def test_second_centres_keyworker_sees_none_of_the_first_centres_women(
    demo_world: world.DemoSummary,
) -> None:
    first = set(
        people_visible_to(_user("keyworker"), purpose="casework").values_list("pk", flat=True)
    )
    second = set(
        people_visible_to(_user("keyworker.south"), purpose="casework").values_list("pk", flat=True)
    )
    assert len(first) >= 300  # a caseload of hundreds
    assert second
    assert not first & second


def test_probation_practitioner_and_police_officer_see_some_women_not_all(
    demo_world: world.DemoSummary,
) -> None:
    for local in ("probation", "police", "referrer"):
        seen = people_visible_to(_user(local), purpose="casework").count()
        assert 0 < seen < 2000, local


def test_demo_staff_find_their_own_women_by_name_and_no_one_else(
    demo_world: world.DemoSummary,
) -> None:
    keyworker, other = _user("keyworker"), _user("keyworker.south")
    theirs = people_visible_to(keyworker, purpose="casework").order_by("pk")[:25]
    for woman in theirs:
        found = find_people(keyworker, f"{woman.given_name} {woman.family_name}")
        assert woman in found.people
        assert woman not in find_people(other, woman.family_name).people


def test_generated_identifiers_are_valid_canonical_and_unique(
    demo_world: world.DemoSummary,
) -> None:
    for field, normalise in identifiers.NORMALISERS.items():
        values = list(Person.objects.exclude(**{field: ""}).values_list(field, flat=True))
        assert values, field
        assert all(normalise(value) == value for value in values), field
        assert len(set(values)) == len(values), field
    nhs = Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    assert all(number.startswith("999") for number in nhs)  # the synthetic range


def test_names_are_folded_for_search_as_the_record_service_does(
    demo_world: world.DemoSummary,
) -> None:
    names = list(PersonName.objects.all())
    for name in names:
        assert name.given_folded == fold(name.given_name)[:100]
        assert name.family_folded == fold(name.family_name)[:100]
        assert name.full_folded == fold(f"{name.given_name} {name.family_name}")[:201]
    assert any(not n.family_name.isascii() for n in names)  # diacritics and other scripts
    assert PersonName.objects.filter(
        kind__in=[PersonName.Kind.PREVIOUS, PersonName.Kind.ALIAS]
    ).exists()


def test_characteristics_follow_the_reference_prevalence(
    demo_world: world.DemoSummary,
) -> None:
    total = Person.objects.count()

    def share(queryset: object) -> float:
        return queryset.count() / total  # type: ignore[attr-defined]

    equality = EqualityMonitoring.objects
    assert 0.26 <= share(equality.filter(care_experienced="yes")) <= 0.36  # 31%
    assert 0.40 <= share(Person.objects.filter(dependants__isnull=False).distinct()) <= 0.50
    foreign = equality.filter(nationality__in=["irish", "eu", "other"])
    assert 0.07 <= share(foreign) <= 0.18  # over 12% of receptions
    london = equality.filter(person__address__area__code__startswith="E09")
    minority = london.filter(
        Q(ethnicity__startswith=MINORITY_PREFIXES[0])
        | Q(ethnicity__startswith=MINORITY_PREFIXES[1])
        | Q(ethnicity__startswith=MINORITY_PREFIXES[2])
        | Q(ethnicity__startswith=MINORITY_PREFIXES[3])
    )
    assert 0.20 <= minority.count() / london.count() <= 0.30  # 25% in London
    today = date.today()
    young = Person.objects.filter(date_of_birth__gt=today.replace(year=today.year - 25))
    assert 0.06 <= share(young) <= 0.13  # about 9.5% aged 18 to 24
    assert not Person.objects.filter(date_of_birth__gte=today).exists()
    assert 0.02 <= share(Address.objects.filter(is_confidential=True)) <= 0.07
    assert 0.75 <= share(Person.objects.exclude(nhs_number="")) <= 0.85


def test_synthetic_generator_gives_the_same_women_for_the_same_seed() -> None:
    codes = ["E09000007", "W06000015"]
    first = list(WomenGenerator(11, today=date(2026, 1, 15)).women(50, codes))
    again = list(WomenGenerator(11, today=date(2026, 1, 15)).women(50, codes))
    other = list(WomenGenerator(12, today=date(2026, 1, 15)).women(50, codes))
    assert first == again
    assert [w.id for w in first] != [w.id for w in other]


@pytest.fixture
def demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = True


def test_load_demo_refuses_outside_demo_mode_and_development(
    demo_world: world.DemoSummary, settings: Any
) -> None:
    settings.DEMO_MODE = False
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published password"):
        _quiet("load_demo", reset=True)
    assert Person.objects.count() == 2000


def test_load_demo_refuses_when_the_demo_world_is_loaded(
    demo_world: world.DemoSummary, demo_mode: None
) -> None:
    with pytest.raises(CommandError, match="already loaded"):
        _quiet("load_demo")


def test_load_demo_reset_reloads_the_same_women(
    demo_world: world.DemoSummary, demo_mode: None
) -> None:
    before = set(Person.objects.values_list("pk", flat=True))

    output = _quiet("load_demo", reset=True)

    assert set(Person.objects.values_list("pk", flat=True)) == before
    assert "keyworker@demo.whole-system.invalid" in output


def test_load_demo_reset_is_refused_once_the_access_log_names_demo_accounts(
    demo_world: world.DemoSummary, demo_mode: None
) -> None:
    keyworker = _user("keyworker")
    woman = people_visible_to(keyworker, purpose="casework").first()
    assert woman is not None
    audit.record_reads(
        keyworker, [woman.pk], action="person.view", purpose="casework", what=["identity"]
    )

    with pytest.raises(CommandError, match="append-only"):
        _quiet("load_demo", reset=True)
    assert Person.objects.count() == 2000


def test_generate_adds_women_to_the_existing_services(demo_world: world.DemoSummary) -> None:
    organisations = Organisation.objects.count()
    on_services = CaseTeamMembership.objects.filter(
        organisation__type=Organisation.Type.WOMENS_SERVICE
    )
    before = on_services.count()

    _quiet("generate", women=500, seed=5, batch=200)

    assert Person.objects.count() == 2500
    assert Organisation.objects.count() == organisations
    assert on_services.count() == before + 500
