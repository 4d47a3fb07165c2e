from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("people/", api.PersonList.as_view(), name="people"),
    path("people/<uuid:person_id>/", api.PersonDetail.as_view(), name="person"),
]
