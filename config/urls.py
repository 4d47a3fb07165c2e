"""URL wiring only: each app owns its own urls."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from whole_system.core.views import health

urlpatterns = [
    path("", include("whole_system.core.urls")),
    path("", include("whole_system.accounts.urls")),
    path("people/", include("whole_system.people.urls")),
    path("", include("whole_system.privacy.urls")),
    path("api/v1/", include("whole_system.people.api_urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("healthz", health, name="health"),
]
