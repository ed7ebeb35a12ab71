"""Account pages (login, register, logout, profile) and the health check, on every domain."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve
from django_redis import get_redis_connection

from . import access, services
from .api.views import client_ip
from .errors import ServiceError
from .forms import LoginForm, ProfileForm, RegisterForm
from .images import CONTENT_TYPES


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def login_page(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login(
                request=request, client_ip=client_ip(request), **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            session_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request))
    return render(request, "core/login.html", {"form": form, "next": _next_url(request)})


def register_page(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send_code":
                services.send_phone_code(phone=data["phone"], client_ip=client_ip(request))
                messages.success(request, _("A code was sent to your phone."))
            else:
                user = services.register(
                    phone=data["phone"],
                    code=data["code"],
                    password=data["password"],
                    name=data["name"],
                )
                session_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account works on every portal."))
                return redirect(_next_url(request))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "core/register.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_page(request):
    session_logout(request)
    return redirect("/")


@login_required
def profile_page(request):
    form = ProfileForm(request.POST or None, initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        request.user.name = form.cleaned_data["name"].strip()
        request.user.save(update_fields=["name"])
        messages.success(request, _("Saved."))
        return redirect("core:profile")
    roles = request.user.roles.select_related("committee").order_by("committee__path")
    grant = access.access_to(request.user, getattr(request, "committee", None))
    return render(request, "core/profile.html", {"form": form, "roles": roles, "grant": grant})


@login_required
def notifications_page(request):
    """My notifications from every portal; opening the page marks them read."""
    from django.core.paginator import Paginator

    from . import notifications

    page = Paginator(notifications.inbox(request.user), 20).get_page(request.GET.get("page"))
    items = [
        {
            "text": notifications.text_of(n),
            "link": notifications.link_of(n, request),
            "committee": n.committee,
            "created_at": n.created_at,
            "is_unread": n.read_at is None,
        }
        for n in page
    ]
    notifications.mark_read(request.user, [n.pk for n in page])
    return render(request, "core/notifications.html", {"page": page, "items": items})


def healthz(request):
    """Readiness, as ``/healthz/ready``: kept at its first address for existing probes."""
    return healthz_ready(request)


def healthz_live(request):
    """Liveness: this process answers requests (it asks no server: a database or Redis outage
    must not get a healthy process restarted)."""
    return JsonResponse({"status": "ok"})


def healthz_ready(request):
    """Readiness: the database, Redis and at least one Celery worker answer (503 if not). A
    Redis that failed a moment ago is reported without being waited on again."""
    from config.celery import app

    from . import redisguard

    report = {"committee": getattr(getattr(request, "committee", None), "code", None)}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as exc:  # any failure is the report, not a crash
        report["database"] = f"error: {exc.__class__.__name__}"
    try:
        redisguard.call(get_redis_connection("default").ping)
        report["redis"] = "ok"
    except redisguard.Skipped:
        report["redis"] = redisguard.status()
    except Exception as exc:
        report["redis"] = f"error: {exc.__class__.__name__}"
    try:
        workers = app.control.ping(timeout=0.5) if report["redis"] == "ok" else []
        report["celery"] = f"ok ({len(workers)} worker(s))" if workers else "no worker answered"
    except Exception as exc:
        report["celery"] = f"error: {exc.__class__.__name__}"
    healthy = all(report[k].startswith("ok") for k in ("database", "redis", "celery"))
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503
    )


def media(request, path: str):
    """Logos and banners, each served as the raster image it is; any other file is not found
    (an SVG or HTML file would run script on the portal's origin)."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = CONTENT_TYPES.get(extension)
    if content_type is None:
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


def ping(request):
    """The smallest JSON answer: which committee served it, and when."""
    committee = getattr(request, "committee", None)
    return JsonResponse(
        {"committee": committee.code if committee else None, "time": timezone.now().isoformat()}
    )
