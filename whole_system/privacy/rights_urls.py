"""URLs for rights pages (whole_system.privacy.rights_views)."""

from django.urls import URLPattern, path

from . import rights_views as views

_PERSON = "people/<uuid:person_id>/rights/"
_SAR = _PERSON + "subject-access/<uuid:request_id>/"
_REQUEST = _PERSON + "requests/<uuid:request_id>/"

urlpatterns: list[URLPattern] = [
    path("rights/", views.rights_list, name="rights_list"),
    path(_PERSON, views.person_rights, name="rights"),
    path(_PERSON + "subject-access/new/", views.sar_open, name="sar_open"),
    path(_SAR + "extend/", views.sar_extend, name="sar_extend"),
    path(_SAR + "complete/", views.sar_complete, name="sar_complete"),
    path(_SAR + "export.json", views.sar_export_json, name="sar_export_json"),
    path(_SAR + "export.pdf", views.sar_export_pdf, name="sar_export_pdf"),
    path(_PERSON + "requests/new/", views.rights_request_open, name="rights_request_open"),
    path(_REQUEST + "agree/", views.rights_request_agree, name="rights_request_agree"),
    path(_REQUEST + "refuse/", views.rights_request_refuse, name="rights_request_refuse"),
    path(_REQUEST + "lift/", views.rights_request_lift, name="rights_request_lift"),
]
