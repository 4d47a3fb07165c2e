"""axe-core finds no WCAG 2.2 AA failures on the pages people use most, in English and Welsh.

axe is loaded from our own static files (the Content Security Policy allows only scripts from
the site itself), after the page's own scripts have run.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from whole_system.core.testing.factories import make_person

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})"


def axe_violations(page) -> list[dict]:
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.add_script_tag(url="/static/dist/axe.min.js")
    return page.evaluate(RUN_AXE, WCAG_AA)["violations"]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [
                    {
                        "target": n["target"],
                        "html": n["html"][:200],
                        "summary": n.get("failureSummary", ""),
                    }
                    for n in v["nodes"]
                ],
            }
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )


@pytest.fixture
def record(keyworker):
    return make_person(
        keyworker,
        given_name="Morwenna",
        family_name="Trelawny",
        preferred_name="Wenna",
        date_of_birth=date(1979, 6, 21),
        nhs_number="9434765919",
    )


def sign_in_page(tab, _person):
    tab.page.goto(reverse("accounts:sign_in"))


def sign_in_page_with_errors(tab, _person):
    tab.page.goto(reverse("accounts:sign_in"))
    tab.page.locator("form button[type=submit], form input[type=submit]").last.click()
    tab.page.locator(".govuk-error-summary").wait_for()


def search_page_with_results(tab, _person):
    tab.page.goto(reverse("people:search"))
    tab.page.locator("input[name=q]").fill("trel")
    tab.page.locator("main form[role=search] [type=submit]").click()
    tab.page.locator("table.govuk-table a", has_text="Wenna Trelawny").wait_for()


def record_page(tab, person):
    tab.page.goto(reverse("people:detail", args=[person.pk]))


def identity_page_with_errors(tab, person):
    tab.page.goto(reverse("people:edit", args=[person.pk, "identity"]))
    tab.page.locator("input[name=given_name]").fill("")
    tab.page.locator("input[name=date_of_birth_0]").fill("31")
    tab.page.locator("input[name=date_of_birth_1]").fill("2")
    tab.page.locator("main form [type=submit]").click()
    tab.page.locator(".govuk-error-summary").wait_for()


def create_page(tab, _person):
    tab.page.goto(reverse("people:create"))


PAGES = {
    "sign-in": (sign_in_page, False),
    "sign-in-errors": (sign_in_page_with_errors, False),
    "search-results": (search_page_with_results, True),
    "record": (record_page, True),
    "identity-errors": (identity_page_with_errors, True),
    "create": (create_page, True),
}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_page_has_no_accessibility_failures(
    open_tab, live_server, keyworker, record, page_name, language
):
    visit, signed_in = PAGES[page_name]
    tab = open_tab(keyworker if signed_in else None)
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    visit(tab, record)

    assert tab.page.locator("html").get_attribute("lang") == ("cy" if language == "cy" else "en-GB")
    violations = axe_violations(tab.page)
    assert violations == [], f"{page_name} ({language}):\n{describe(violations)}"
