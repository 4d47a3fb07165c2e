from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("people/search/", api.PersonSearch.as_view(), name="people_search"),
    path("people/<uuid:person_id>/", api.PersonDetail.as_view(), name="person"),
]
