"""Account pages and API routes served on every domain (console and every portal)."""

from django.urls import path
from rest_framework_simplejwt.views import TokenRefreshView

from . import views
from .api import views as api

app_name = "core"

urlpatterns = [
    path("accounts/login/", views.login_page, name="login"),
    path("accounts/login/code/", views.code_login_page, name="login-code"),
    path("accounts/register/", views.register_page, name="register"),
    path("accounts/password/reset/", views.reset_page, name="reset"),
    path("accounts/logout/", views.logout_page, name="logout"),
    path("accounts/relay/start/", views.relay_start, name="relay-start"),
    path("accounts/relay/out/", views.relay_out, name="relay-out"),
    path("accounts/relay/in/", views.relay_in, name="relay-in"),
    path("accounts/profile/", views.profile_page, name="profile"),
    path("notifications/", views.notifications_page, name="notifications"),
]

api_urlpatterns = [
    path("auth/codes/", api.SendCodeView.as_view(), name="api-codes"),
    path("auth/register/", api.RegisterView.as_view(), name="api-register"),
    path("auth/challenges/", api.ChallengeView.as_view(), name="api-challenges"),
    path("auth/token/", api.LoginView.as_view(), name="api-token"),
    path("auth/token/code/", api.CodeLoginView.as_view(), name="api-token-code"),
    path("auth/password/reset/", api.ResetPasswordView.as_view(), name="api-password-reset"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("ping/", views.ping, name="api-ping"),
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/unread/", api.UnreadCountView.as_view(), name="api-unread"),
    path("notifications/read/", api.MarkReadView.as_view(), name="api-read"),
]
