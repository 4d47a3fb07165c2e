"""The personas every test can use (../shared/STYLE.md): who is allowed, who is on the team,
and who must see nothing."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import Client

from whole_system.accounts.models import Membership, Organisation
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import OrganisationFactory, make_person, make_user
from whole_system.privacy import triggers

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the same
# tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

Role = Membership.Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing set the real hashers back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _log_triggers_around_flush(request):
    """The log tables refuse deletes, so Django could not empty the database after a
    transactional test (live server, threads). Lift the triggers just for that flush; the
    privacy app puts them back when the flush ends (post_migrate)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "live_server" in request.fixturenames
        or "transactional_db" in (request.fixturenames)
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    triggers.remove(connection)


@pytest.fixture
def centre(db):
    return OrganisationFactory(
        name="Riverside Women's Centre", type=Organisation.Type.WOMENS_SERVICE
    )


@pytest.fixture
def other_centre(db):
    return OrganisationFactory(
        name="Hillside Women's Centre", type=Organisation.Type.WOMENS_SERVICE
    )


@pytest.fixture
def probation(db):
    return OrganisationFactory(
        name="North London Probation Delivery Unit", type=Organisation.Type.PROBATION
    )


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Test Police Custody", type=Organisation.Type.POLICE)


@pytest.fixture
def commissioner(db):
    return OrganisationFactory(name="Test Commissioner", type=Organisation.Type.COMMISSIONER)


@pytest.fixture
def keyworker(centre):
    """Allowed: a keyworker at the centre that works with `woman`."""
    return make_user(centre, Role.KEYWORKER)


@pytest.fixture
def manager(centre):
    """On the team: the centre's service manager, who may also see who viewed a record."""
    return make_user(centre, Role.SERVICE_MANAGER)


@pytest.fixture
def outsider(other_centre):
    """Must see nothing: a keyworker at another centre."""
    return make_user(other_centre, Role.KEYWORKER)


@pytest.fixture
def probation_officer(probation):
    return make_user(probation, Role.PROBATION_PRACTITIONER)


@pytest.fixture
def police_officer(police):
    return make_user(police, Role.POLICE_OFFICER)


@pytest.fixture
def analyst(commissioner):
    """Sees aggregates only, never a record."""
    return make_user(commissioner, Role.ANALYST)


@pytest.fixture
def woman(keyworker):
    """A woman the centre works with (synthetic)."""
    return make_person(
        keyworker,
        given_name="Siobhán",
        family_name="Kelly",
        preferred_name="Shiv",
        nhs_number="9434765919",
    )


def _client_for(user) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def keyworker_client(keyworker):
    return _client_for(keyworker)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def analyst_client(analyst):
    return _client_for(analyst)
