"""The Content Security Policy forbids inline scripts but lets the page's own scripts run."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_record_page_scripts_run_under_the_content_security_policy(open_tab, keyworker, woman):
    tab = open_tab(keyworker)

    response = tab.page.goto(reverse("people:detail", args=[woman.pk]))

    # The policy is really there, and really strict about scripts.
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # init.js (a module script from our own static files) ran and started GOV.UK Frontend.
    tab.page.wait_for_load_state("load")
    assert tab.page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert tab.page.evaluate("document.body.classList.contains('js-enabled')")
    blocked = [m for m in tab.console_errors if "Content Security Policy" in m]
    assert blocked == []
    assert tab.page_errors == []


def test_an_inline_script_would_be_blocked(open_tab, keyworker, woman):
    """The check above can fail: an inline script on the same page is refused and reported."""
    tab = open_tab(keyworker)
    tab.page.goto(reverse("people:detail", args=[woman.pk]))

    tab.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'document.body.dataset.inline = \"ran\"';"
        " document.body.append(s); }"
    )

    assert tab.page.evaluate("document.body.dataset.inline") is None
    assert any("Content Security Policy" in m for m in tab.console_errors)
