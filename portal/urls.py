from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from portal import views

# The Django admin signs in through allauth, so it gets the same MFA and rate limits.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Pathways TA Portal administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("grantees.urls")),
    path("", include("support_hours.urls")),
    path("", include("booking.urls")),
    path("", include("events.urls")),
    path("", include("library.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("newsletter.urls")),
    path("", include("labor_market.urls")),
    path("", include("partners.urls")),
    path("", include("pathways.urls")),
    path("", include("outcomes.urls")),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
