"""URLs for consent pages (whole_system.privacy.consent_views)."""

from django.urls import URLPattern, path

from . import consent_views as views

urlpatterns: list[URLPattern] = [
    path("people/<uuid:person_id>/consent/", views.consents, name="consents"),
    path("people/<uuid:person_id>/consent/new/", views.choose_purpose, name="consent_purpose"),
    path(
        "people/<uuid:person_id>/consent/new/<slug:purpose>/",
        views.record_decision,
        name="consent_record",
    ),
    path(
        "people/<uuid:person_id>/consent/<uuid:consent_id>/withdraw/",
        views.withdraw,
        name="consent_withdraw",
    ),
    path("people/<uuid:person_id>/consent/summary/", views.summary, name="consent_summary"),
    path(
        "people/<uuid:person_id>/consent/summary/<slug:lang>/",
        views.summary,
        name="consent_summary_language",
    ),
    path("people/<uuid:person_id>/share/", views.share, name="share"),
    path("people/<uuid:person_id>/share/confirm/", views.share_confirm, name="share_confirm"),
    path("people/<uuid:person_id>/case-team/<int:row_id>/end/", views.end_share, name="share_end"),
    path(
        "people/<uuid:person_id>/conditions/new/", views.record_condition, name="condition_record"
    ),
    path(
        "people/<uuid:person_id>/conditions/<uuid:condition_id>/end/",
        views.end_condition,
        name="condition_end",
    ),
    path("people/<uuid:person_id>/engagement/", views.engagement, name="engagement"),
]
