"""The people API for other agencies' systems: the same policy, the same access log."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from whole_system.privacy import policy
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
        fields = ["id", "given_name", "family_name", "preferred_name", "date_of_birth",
                  "pnc_number", "prison_number", "probation_crn", "nhs_number"]


class PersonDetailSerializer(PersonSummarySerializer):
    names = NameSerializer(many=True, read_only=True)

    class Meta(PersonSummarySerializer.Meta):
        fields = [*PersonSummarySerializer.Meta.fields, "names", "first_language",
                  "interpreter_needed", "accessibility_needs", "pregnancy", "version",
                  "updated_at"]


class PersonList(generics.GenericAPIView):
    """Find women your organisation works with, by name, date of birth or identifier."""

    serializer_class = PersonSummarySerializer

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True,
                                                description="Name, date of birth or identifier")])
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return Response({"q": ["Enter a name, date of birth or identifier"]}, status=400)
        if not policy.can(request.user, "person.search"):
            return Response({"results": []})
        results, _terms, similar = find_people(request.user, query, channel=Channel.API)
        data = PersonSummarySerializer(results, many=True).data
        return Response({"results": data, "similar_only": similar})


class PersonDetail(generics.GenericAPIView):
    """One woman's record, if your organisation works with her."""

    serializer_class = PersonDetailSerializer

    def get(self, request: Request, person_id: Any) -> Response:
        person = policy.get_person(
            request.user, person_id, purpose=Purpose.CASEWORK, channel=Channel.API,
            what=["identity", "identifiers", "needs"], prefetch_related=["names"],
        )
        return Response(PersonDetailSerializer(person).data)
