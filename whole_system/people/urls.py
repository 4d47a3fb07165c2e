from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<uuid:person_id>/", views.detail, name="detail"),
    path("<uuid:person_id>/edit/<slug:section>/", views.edit, name="edit"),
    path("<uuid:person_id>/names/add/", views.add_name, name="add_name"),
    path("<uuid:person_id>/names/<int:name_id>/remove/", views.remove_name, name="remove_name"),
    path("<uuid:person_id>/dependants/add/", views.add_dependant, name="add_dependant"),
    path(
        "<uuid:person_id>/dependants/<uuid:dependant_id>/remove/",
        views.remove_dependant,
        name="remove_dependant",
    ),
    path("<uuid:person_id>/needs/add/", views.add_need, name="add_need"),
    path("<uuid:person_id>/needs/<uuid:need_id>/remove/", views.remove_need, name="remove_need"),
    path("<uuid:person_id>/disclosures/add/", views.add_disclosure, name="add_disclosure"),
]
