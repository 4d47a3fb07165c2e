"""The privacy app's pages. Each area keeps its own list: consent and sharing, her rights
(subject access, erasure, restriction), and lawful bases without consent (safeguarding shares
and emergency access)."""

from django.urls import path

from . import consent_urls, lawful_urls, rights_urls, views

app_name = "privacy"
urlpatterns = [
    path("people/<uuid:person_id>/access-log/", views.access_log, name="access_log"),
    *consent_urls.urlpatterns,
    *rights_urls.urlpatterns,
    *lawful_urls.urlpatterns,
]
