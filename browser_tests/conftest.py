"""Real headless Chromium (Debian's), driven by Playwright against pytest-django's live server.

One browser for all the browser tests; a fresh context (cookies, storage, language) for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from whole_system.accounts.models import User
from whole_system.core.testing.auth import sign_in

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser(django_db_blocker: Any) -> Iterator[Any]:
    """One Chromium for all the browser tests, stopped when the last of them has run.

    Playwright's sync API keeps an asyncio loop marked as running in this thread while it is
    started, and Django then keeps the thread's database connections in context-local storage.
    So the browser is package-scoped, not session-scoped (the tests after these run with no
    event loop about), and the connections opened while it ran are closed before it stops
    (otherwise one stays open and PostgreSQL refuses to drop the test database).
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    with django_db_blocker.unblock():
        connections.close_all()
    playwright.stop()


@dataclass
class Tab:
    """A page plus everything its console and scripts reported."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_tab(browser: Any, live_server: Any) -> Iterator[Any]:
    """`open_tab(user=None)`: a new browser context on the live server, signed in as `user`.

    Signing in here copies a session made by the test client, as the sign-in tests already
    go through the real sign-in page.
    """
    contexts = []

    def open_(user: User | None = None) -> Tab:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            client = sign_in(Client(), user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        tab = Tab(context.new_page())
        tab.page.on(
            "console",
            lambda message: (
                tab.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        tab.page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
        return tab

    yield open_
    for context in contexts:
        context.close()
