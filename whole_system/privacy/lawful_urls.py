"""URLs for lawful pages (whole_system.privacy.lawful_views)."""

from django.urls import URLPattern, path

from . import lawful_views as views

urlpatterns: list[URLPattern] = [
    path(
        "people/<uuid:person_id>/safeguarding/share/",
        views.safeguarding_share,
        name="safeguarding_share",
    ),
    path(
        "people/<uuid:person_id>/safeguarding/<uuid:share_id>/revoke/",
        views.safeguarding_revoke,
        name="safeguarding_revoke",
    ),
    path("safeguarding/<uuid:share_id>/", views.safeguarding_detail, name="safeguarding_detail"),
    path("emergency/", views.emergency_search, name="emergency_search"),
    path("emergency/open/", views.emergency_open, name="emergency_open"),
    path("emergency/reviews/", views.emergency_reviews, name="emergency_reviews"),
    path("emergency/<uuid:access_id>/review/", views.emergency_review, name="emergency_review"),
]
