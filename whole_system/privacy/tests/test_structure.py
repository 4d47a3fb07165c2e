"""Structural guard: nothing reads a woman's record except through the policy point.

Every view, API, form, template tag and other module must start from
`whole_system.privacy.policy` (people_visible_to / get_person), which limits what is read to the
user's case teams and logs the read. This test parses the source and fails the build when code
reaches the people tables another way: a model manager (`.objects`, `._default_manager`,
`._base_manager`, and so `.raw()`), `get_object_or_404`/`get_list_or_404`, `apps.get_model` or
a raw database cursor. A runtime test then checks that every URL taking a woman's id answers
404 to someone outside her case team, and logs nothing for them.
"""

from __future__ import annotations

import ast
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import whole_system
from whole_system.core.testing.auth import sign_in
from whole_system.privacy.models import AccessEvent

PACKAGE = Path(whole_system.__file__).resolve().parent
CONFIG = PACKAGE.parent / "config"

# The models of the woman's record (whole_system/people/models.py). Listed by hand so that a
# new model there is a decision: test_every_people_model_is_guarded fails until it is added.
PEOPLE_MODELS = frozenset(
    {
        "Person",
        "PersonName",
        "ContactDetails",
        "Address",
        "Dependant",
        "EqualityMonitoring",
        "CaseTeamMembership",
        "SubmissionToken",
        "SearchName",
        "Need",
        "Disclosure",
    }
)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})


def _reverse_accessors() -> frozenset[str]:
    """Ways into the people tables from other models, e.g. `organisation.case_memberships`
    (her case teams, from the organisation's side: a caseload read without the policy)."""
    return frozenset(
        field.remote_field.get_accessor_name()
        for model in apps.get_app_config("people").get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model._meta.app_label != "people"
        and not field.remote_field.hidden
    )


REVERSE_ACCESSORS = _reverse_accessors()
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# Manager calls that only write. people/services.py (the writers) may use these freely: every
# service receives a woman already fetched through the policy.
WRITES = frozenset(
    {"create", "bulk_create", "get_or_create", "update_or_create", "delete", "update"}
)
# The modules of writers: each function there is one transaction on a woman already fetched
# through the policy.
SERVICES = frozenset(
    {"people/services.py", "privacy/sharing.py", "privacy/rights.py", "privacy/retention.py"}
)


def _skipped(relative: str) -> bool:
    parts = relative.split("/")
    return (
        relative == "privacy/policy.py"  # the policy point itself
        or "migrations" in parts
        or "tests" in parts
        or relative.startswith(("core/testing/", "demo/"))  # test helpers; synthetic data loader
    )


# (file, function, model): each a read the policy cannot do itself, checked by hand.
ALLOWED_READS = {
    # The optimistic-locking re-fetch of a woman the caller already has from the policy.
    ("people/services.py", "_locked", "Person"),
    # The one-time form token: a second submit of a creation form finds the first result.
    ("people/services.py", "create_person", "SubmissionToken"),
    # A correlated subquery (OuterRef("pk")) that narrows policy.people_visible_to() to names
    # spelt alike; it cannot return a row by itself.
    ("people/search.py", "find_people", "PersonName"),
    # Rebuilding the name index of a woman the caller already has from the policy.
    ("people/services.py", "reindex_search", "CaseTeamMembership"),
    ("people/services.py", "reindex_search", "PersonName"),
    # Whether an organisation is already on the case team of a woman the caller already has.
    ("people/services.py", "add_to_case_team", "CaseTeamMembership"),
    # The prefetch of the case team of a woman fetched through policy.get_person.
    ("people/views.py", "record_prefetch", "CaseTeamMembership"),
    # The shares a new consent decision ends, on a woman the caller already has; then updated.
    ("privacy/sharing.py", "_end_consent_shares", "CaseTeamMembership"),
    # Her case team and her engagement, for a woman the caller already has from the policy.
    ("privacy/sharing.py", "current_case_team", "CaseTeamMembership"),
    ("privacy/sharing.py", "set_engagement", "Person"),
    # The nightly retention job lists the ids of records past their date, to erase each.
    ("privacy/retention.py", "expired", "Person"),
}
# (file, function): raw SQL outside migrations and the integrity check.
ALLOWED_CURSORS = {
    # The health check's `SELECT 1`; it reads no table.
    ("core/views.py", "health"),
    # DDL that installs the log tables' append-only triggers; it reads no table.
    ("privacy/triggers.py", "run"),
    # Re-encrypting encrypted columns with a new key: ciphertext in, ciphertext out.
    ("privacy/management/commands/rotate_field_keys.py", "handle"),
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    function: str
    model: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} in {self.function}(): {self.what}"


def _source_files() -> list[tuple[str, Path]]:
    files = []
    for root, prefix in ((PACKAGE, ""), (CONFIG, "../config/")):
        for path in sorted(root.rglob("*.py")):
            relative = prefix + path.relative_to(root).as_posix()
            if not _skipped(relative):
                files.append((relative, path))
    return files


MODEL_NAMES = {name: name for name in PEOPLE_MODELS}


def _model_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names of the people models, with imported aliases (`import Person as P`)."""
    aliases = dict(MODEL_NAMES)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models"):
            aliases.update(
                {a.asname: a.name for a in node.names if a.name in PEOPLE_MODELS and a.asname}
            )
    return aliases


def _model_named(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The people model `node` names: `Person`, `models.Person`, `P` (an alias)."""
    if isinstance(node, ast.Name) and node.id in aliases:
        return aliases[node.id]
    if isinstance(node, ast.Attribute) and node.attr in PEOPLE_MODELS:
        return node.attr
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, relative: str, aliases: dict[str, str]) -> None:
        self.relative = relative
        self.aliases = aliases
        self.function = "<module>"
        self.parents: dict[ast.AST, ast.AST] = {}
        self.findings: list[Finding] = []

    def scan(self, tree: ast.Module) -> list[Finding]:
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.visit(tree)
        return self.findings

    def _found(self, node: ast.AST, model: str, what: str) -> None:
        self.findings.append(
            Finding(self.relative, getattr(node, "lineno", 0), self.function, model, what)
        )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def _last_method(self, node: ast.AST) -> str | None:
        """The last method called in the chain that starts at `node` (`Model.objects…x()`)."""
        last = None
        while True:
            parent = self.parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                last = parent.attr
            elif not (isinstance(parent, ast.Call) and parent.func is node):
                return last
            node = parent

    def _allowed(self, node: ast.Attribute, model: str) -> bool:
        if (self.relative, self.function, model) in ALLOWED_READS:
            return True
        return self.relative in SERVICES and self._last_method(node) in WRITES

    def visit_Attribute(self, node: ast.Attribute) -> None:
        model = _model_named(node.value, self.aliases)
        if node.attr in MANAGERS and model is not None and not self._allowed(node, model):
            self._found(node, model, f"{model}.{node.attr} bypasses the policy")
        if node.attr in REVERSE_ACCESSORS:
            self._found(node, node.attr, f".{node.attr} reads people round the policy")
        self.generic_visit(node)

    def _people_in(self, node: ast.AST) -> set[str]:
        """People models, or the policy's visible set, named anywhere inside `node`."""
        found = set()
        for inner in ast.walk(node):
            model = _model_named(inner, self.aliases)
            if model:
                found.add(model)
            elif getattr(inner, "id", getattr(inner, "attr", None)) == "people_visible_to":
                found.add("people_visible_to")
        return found

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in SHORTCUTS and node.args:
            mentioned = self._people_in(node.args[0])
            if mentioned:
                self._found(node, ",".join(sorted(mentioned)), f"{name}() bypasses get_person")
        if name == "getattr" and len(node.args) >= 2:
            model = _model_named(node.args[0], self.aliases)
            attr = node.args[1]
            if model and isinstance(attr, ast.Constant) and attr.value in MANAGERS:
                self._found(node, model, f"getattr({model}, {attr.value!r}) bypasses the policy")
        if name == "get_model" and any(
            isinstance(a, ast.Constant)
            and isinstance(a.value, str)
            and a.value.startswith("people")
            for a in node.args
        ):
            self._found(node, "people", "apps.get_model('people', …) bypasses the policy")
        if name == "cursor" and isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = (
                owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            )
            if isinstance(owner, ast.Subscript):
                owner_name = getattr(owner.value, "id", None)
            if owner_name in {"connection", "connections"} and (
                self.relative != "privacy/integrity.py"
                and (self.relative, self.function) not in ALLOWED_CURSORS
            ):
                self._found(node, "-", "raw SQL through connection.cursor()")
        self.generic_visit(node)


def _findings() -> list[Finding]:
    findings: list[Finding] = []
    for relative, path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        findings.extend(_Scanner(relative, _model_aliases(tree)).scan(tree))
    return findings


def _scan_source(relative: str, source: str) -> list[str]:
    tree = ast.parse(source)
    return [f.what for f in _Scanner(relative, _model_aliases(tree)).scan(tree)]


def test_nothing_reads_people_except_through_the_policy():
    findings = _findings()

    assert not findings, "Read women's records through whole_system.privacy.policy:\n" + "\n".join(
        map(str, findings)
    )


def test_every_people_model_is_guarded():
    defined = {model.__name__ for model in apps.get_app_config("people").get_models()}

    assert defined == PEOPLE_MODELS


def test_the_way_in_from_an_organisation_is_guarded():
    assert "case_memberships" in REVERSE_ACCESSORS


def test_the_scan_covers_the_views_api_and_forms():
    scanned = {relative for relative, _ in _source_files()}

    assert {
        "people/views.py",
        "people/api.py",
        "people/forms.py",
        "people/search.py",
        "people/services.py",
        "core/views.py",
        "privacy/views.py",
    } <= scanned
    assert "privacy/policy.py" not in scanned


def test_every_allowed_exception_is_still_needed():
    """An allow-list entry whose code has gone must go too, so it cannot cover new code."""
    sources = dict(_source_files())
    for relative, function, model in ALLOWED_READS:
        tree = ast.parse(sources[relative].read_text(encoding="utf-8"))
        functions = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function
        ]
        assert functions, (relative, function)
        assert any(
            isinstance(n, ast.Attribute)
            and n.attr in MANAGERS
            and _model_named(n.value, MODEL_NAMES) == model
            for f in functions
            for n in ast.walk(f)
        ), (relative, function, model)
    for relative, function in ALLOWED_CURSORS:
        assert f"def {function}(" in sources[relative].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def view(request):\n    return Person.objects.get(pk=1)", "Person.objects"),
        (
            "def view(request):\n    return models.Address._default_manager.all()",
            "Address._default_manager",
        ),
        (
            "from .models import Dependant as D\ndef f():\n    return D._base_manager.all()",
            "Dependant._base_manager",
        ),
        (
            "def f():\n    return list(Person.objects.raw('SELECT * FROM people_person'))",
            "Person.objects",
        ),
        (
            "def view(request, pk):\n    return get_object_or_404(Person, pk=pk)",
            "get_object_or_404",
        ),
        (
            "def view(request):\n    return get_list_or_404(PersonName.objects.all())",
            "get_list_or_404",
        ),
        (
            "def view(request, pk):\n"
            "    return get_object_or_404(policy.people_visible_to(request.user, purpose='x'))",
            "get_object_or_404",
        ),
        ("def f():\n    return getattr(ContactDetails, 'objects').all()", "getattr"),
        ("def f():\n    return apps.get_model('people', 'Person')", "get_model"),
        (
            "def f():\n    with connection.cursor() as c:\n        c.execute('SELECT 1')",
            "connection.cursor",
        ),
        ("def f():\n    return connections['default'].cursor()", "connection.cursor"),
        (
            "class V(ListView):\n    queryset = CaseTeamMembership.objects.all()",
            "CaseTeamMembership.objects",
        ),
        (
            "def caseload(request):\n"
            "    return request.user.membership.organisation.case_memberships.all()",
            ".case_memberships",
        ),
    ],
)
def test_the_scan_catches_each_way_round_the_policy(source, expected):
    found = _scan_source("people/views.py", source)

    assert any(expected in what for what in found), found


def test_services_may_write_but_not_read_outside_the_allowed_functions():
    writes = (
        "def add(person):\n"
        "    PersonName.objects.create(person=person)\n"
        "    PersonName.objects.filter(person=person).delete()\n"
        "    Dependant.objects.bulk_create([])\n"
        "def _locked(person, v):\n"
        "    return Person.objects.select_for_update().get(pk=person.pk)\n"
    )
    reads = (
        "def update(person):\n"
        "    return Person.objects.get(pk=person.pk)\n"
        "def create_person(by, data, submission):\n"
        "    return Person.objects.filter(given_name='x').first()\n"
    )

    assert _scan_source("people/services.py", writes) == []
    assert len(_scan_source("people/services.py", reads)) == 2
    # The same writes anywhere but the services are reads round the policy.
    assert len(_scan_source("people/views.py", writes)) == 4


# Runtime: every URL with a woman's id -------------------------------------------------------


def _person_urls() -> list[tuple[str, dict]]:
    """(url name, converters) for every pattern in config.urls that takes `person_id`."""
    found = []

    def walk(patterns, namespace: str, converters: dict) -> None:
        for entry in patterns:
            these = {**converters, **entry.pattern.converters}
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, these)
            elif isinstance(entry, URLPattern) and "person_id" in these and entry.name:
                found.append((namespace + entry.name, these))

    walk(get_resolver("config.urls").url_patterns, "", {})
    return found


def _kwargs(converters: dict, person_id) -> dict:
    values = {
        "int": 1,
        "uuid": uuid.uuid4(),
        "slug": "identity",
        "str": "identity",
        "path": "identity",
    }
    kwargs = {
        name: values[type(conv).__name__.removesuffix("Converter").lower()]
        for name, conv in converters.items()
    }
    kwargs["person_id"] = person_id
    return kwargs


def test_the_runtime_walk_finds_the_record_pages_and_the_api():
    names = {name for name, _ in _person_urls()}

    assert {"people:detail", "people:edit", "privacy:access_log", "api:person"} <= names


@pytest.mark.django_db
def test_outsider_gets_not_found_at_every_url_with_a_womans_id(outsider, manager, woman):
    outsider_client, insider_client = sign_in(Client(), outsider), sign_in(Client(), manager)
    before = AccessEvent.objects.count()
    urls = [reverse(name, kwargs=_kwargs(conv, woman.pk)) for name, conv in _person_urls()]
    assert urls

    answers = {}
    for url in urls:
        response = outsider_client.get(url)
        if response.status_code == 405:
            # POST-only: GET is refused before any record is read, for every id alike.
            response = outsider_client.post(url, {"version": woman.version})
        answers[url] = response.status_code

    assert answers == dict.fromkeys(urls, 404)
    assert AccessEvent.objects.count() == before
    assert not AccessEvent.objects.filter(actor=outsider).exists()
    # The same URLs are real: someone on her team is not told "not found".
    for url in urls:
        response = insider_client.get(url)
        if response.status_code == 405:
            response = insider_client.post(url, {"version": "stale"})
        assert response.status_code != 404, url
