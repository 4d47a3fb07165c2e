from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("<uuid:person_id>/access-log/", views.access_log, name="access_log"),
]
