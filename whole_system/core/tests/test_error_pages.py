"""Error pages speak plainly, in the service's layout, and give nothing away."""

import re
import uuid

from django.test import Client
from django.urls import reverse

from whole_system.core.testing.auth import sign_in


def test_a_record_you_may_not_see_gets_the_same_page_as_one_that_does_not_exist(
    outsider_client, woman
):
    forbidden = outsider_client.get(reverse("people:detail", args=[woman.pk]))
    missing = outsider_client.get(reverse("people:detail", args=[uuid.uuid4()]))

    assert forbidden.status_code == missing.status_code == 404
    assert "Page not found" in forbidden.content.decode()
    # The pages differ only in the form token and the page's own address (in the language
    # links): nothing tells the outsider that this woman exists.
    varying = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|/people/[0-9a-f-]{36}/')
    assert varying.sub("", forbidden.content.decode()) == varying.sub("", missing.content.decode())
    assert "Kelly" not in forbidden.content.decode()


def test_a_referrer_who_may_not_edit_is_told_why(centre, woman):
    from whole_system.accounts.models import Membership
    from whole_system.core.testing.factories import make_user

    referrer = sign_in(Client(), make_user(centre, Membership.Role.REFERRER))
    response = referrer.get(reverse("people:edit", args=[woman.pk, "identity"]))

    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


def test_a_form_posted_without_its_token_is_refused_with_an_explanation(keyworker):
    client = sign_in(Client(enforce_csrf_checks=True), keyworker)
    response = client.post(reverse("people:create"), {"given_name": "Ada"})

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


def test_error_pages_are_translated(outsider_client, woman):
    outsider_client.cookies["ws_language"] = "cy"
    response = outsider_client.get(reverse("people:detail", args=[woman.pk]))

    assert response.status_code == 404
    assert 'lang="cy"' in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_the_server_error_page_renders_without_a_request_or_a_database():
    from django.template.loader import render_to_string
    from django.utils import translation

    # Django renders 500.html with no context when something has gone wrong, possibly with the
    # database; the page must not need either, and speaks the reader's language.
    with translation.override("en"):
        english = render_to_string("500.html")
    with translation.override("cy"):
        welsh = render_to_string("500.html")

    assert "Sorry, there is a problem with the service" in english
    assert "it was not saved" in english
    assert 'lang="en-GB"' in english
    assert 'lang="cy"' in welsh
    assert "Sorry, there is a problem" not in welsh
