"""The people API for other agencies' systems: the same policy, the same access log."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from whole_system.accounts.models import User
from whole_system.privacy import policy
from whole_system.privacy.classification import PERSON_FIELD_GROUPS
from whole_system.privacy.groups import FieldGroup
from whole_system.privacy.models import Channel, Purpose

from .models import Person, PersonName
from .search import find_people


class NameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["kind", "given_name", "family_name"]


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *Person.IDENTITY_FIELDS]


class PersonDetailSerializer(PersonSummarySerializer):
    """Her record, cut to the field groups the reader's organisation sees (context "view"):
    a field outside them is left out, not sent empty."""

    names = NameSerializer(many=True, read_only=True)

    class Meta(PersonSummarySerializer.Meta):
        fields = [
            *PersonSummarySerializer.Meta.fields,
            "names",
            "first_language",
            "interpreter_needed",
            "accessibility_needs",
            "pregnancy",
            "due_date",
            "engagement_status",
            "engagement_updated_at",
            "version",
            "updated_at",
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        view: policy.View = self.context["view"]
        return {name: value for name, value in data.items() if view.shows(API_FIELD_GROUPS[name])}


class SearchInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text="Name, date of birth or identifier",
        error_messages={
            "required": _("Enter a name, date of birth or identifier"),
            "blank": _("Enter a name, date of birth or identifier"),
            "max_length": _("Search terms must be 200 characters or fewer"),
        },
    )


class SearchOutput(serializers.Serializer):
    results = PersonSummarySerializer(many=True)
    similar_only = serializers.BooleanField(
        help_text="True when nothing matched exactly and these names are spelt similarly"
    )
    more = serializers.BooleanField(
        help_text="True when more women match than are returned: add to the search terms"
    )


# Where each field the detail endpoint can send is shared (privacy.classification).
API_FIELD_GROUPS = {**PERSON_FIELD_GROUPS, "names": FieldGroup.IDENTITY}
# The field groups the detail endpoint can send; the log names those the reader saw.
API_PARTS = sorted({API_FIELD_GROUPS[name] for name in PersonDetailSerializer.Meta.fields})


class PersonSearch(generics.GenericAPIView):
    """Find women your organisation works with, by name, date of birth or identifier.

    A POST, so that names and identifiers never appear in a URL or an access log line.
    """

    serializer_class = SearchInput

    @extend_schema(operation_id="people_search", request=SearchInput, responses={200: SearchOutput})
    def post(self, request: Request) -> Response:
        if not policy.can(request.user, "person.search"):
            raise PermissionDenied
        search = SearchInput(data=request.data)
        search.is_valid(raise_exception=True)
        found = find_people(
            cast(User, request.user), search.validated_data["q"], channel=Channel.API
        )
        return Response(
            SearchOutput(
                {"results": found.people, "similar_only": found.similar, "more": found.more}
            ).data
        )


class PersonDetail(generics.GenericAPIView):
    """One woman's record, if your organisation works with her."""

    serializer_class = PersonDetailSerializer

    @extend_schema(operation_id="person_retrieve")
    def get(self, request: Request, person_id: Any) -> Response:
        user = cast(User, request.user)
        person = policy.get_person(
            user,
            person_id,
            purpose=Purpose.CASEWORK,
            channel=Channel.API,
            what=API_PARTS,
            prefetch_related=["names"],
        )
        view = policy.view_of(user, person)
        return Response(PersonDetailSerializer(person, context={"view": view}).data)
