"""API routes. Authentication and permission are DRF's (401/403 JSON, not a sign-in redirect)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path(
        "people/search/",
        login_not_required(api.PersonSearch.as_view()),
        name="people_search",
    ),
    path(
        "people/<uuid:person_id>/",
        login_not_required(api.PersonDetail.as_view()),
        name="person",
    ),
]
