"""Every field is classified, with a retention rule the retention job knows."""

from __future__ import annotations

from django.apps import apps

from whole_system.privacy import retention
from whole_system.privacy.classification import CLASSIFICATION, Kind
from whole_system.privacy.groups import FieldGroup

APPS = ("core", "accounts", "people", "privacy")


def _model_fields() -> dict[str, set[str]]:
    return {
        model._meta.label: {
            f.name for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        }
        for app in APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_every_field_of_every_model_is_classified():
    unclassified = [
        f"{label}.{name}"
        for label, names in _model_fields().items()
        for name in sorted(names - set(CLASSIFICATION.get(label, {})))
    ]
    assert unclassified == [], "Classify these in privacy/classification.py"


def test_nothing_is_classified_that_does_not_exist():
    fields = _model_fields()
    stale = [
        f"{label}.{name}"
        for label, classified in CLASSIFICATION.items()
        for name in classified
        if name not in fields.get(label, set())
    ]
    assert stale == []


def test_every_classification_names_a_known_kind_retention_rule_and_group():
    for label, classified in CLASSIFICATION.items():
        for name, field in classified.items():
            assert field.kind in Kind.values, f"{label}.{name}"
            assert field.retention in retention.RULES, f"{label}.{name}"
            assert field.group is None or field.group in FieldGroup.values, f"{label}.{name}"


def test_her_record_is_never_classed_as_not_personal_except_bookkeeping():
    person = CLASSIFICATION["people.Person"]
    assert [n for n, f in person.items() if f.kind == Kind.NOT_PERSONAL] == ["version"]
    assert person["pnc_number"].kind == Kind.CRIMINAL
    assert CLASSIFICATION["people.Address"]["line_1"].kind == Kind.LOCATION
    assert CLASSIFICATION["people.Disclosure"]["narrative"].kind == Kind.SPECIAL
