from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from organisation import views as org_views
from organisation.forms import PasswordChangeForm, SignInForm

admin.site.site_header = _("Committee for Ethnic Minorities — administration")
admin.site.site_title = _("IT planning administration")
admin.site.index_title = _("People, units and roles")

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", org_views.healthz, name="healthz"),
    path("favicon.ico", org_views.favicon),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("workflows.urls")),
    path("plans/", include("planning.urls")),
    path("estimates/", include("budgeting.urls")),
    path("standards/", include("standards.urls")),
    path("criteria/", include("reporting.urls")),
    path("audit/", include("workflows.audit_urls")),
    path("notifications/", include("reminders.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("followup/", include("followup.urls")),
    path("delegations/", include("delegation.urls")),
    path("leave/", include("leave.urls")),
    path("admin/", admin.site.urls),
    path("digitisation/", include("digitisation.urls")),
    path("verify/", include("verification.urls")),
    path("reports/", include("reports.urls")),
    path("individual/", include("individual.urls")),
    path("training/", include("training.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("incoming/", include("issuance.urls")),
]
