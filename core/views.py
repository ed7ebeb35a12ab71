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

from . import access, challenges, relay, services
from .addresses import client_ip
from .errors import InvalidInput, ServiceError
from .forms import (
    CodeLoginForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    RelayForm,
    ResetPasswordForm,
)
from .images import CONTENT_TYPES
from .models import PhoneCode


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _sign_in(request, user):
    """Sign in by session, then go on to ``next``: a browser first by the console, which
    takes the session for every portal (``core.relay``)."""
    session_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(relay.push_url(request, _next_url(request)) or _next_url(request))


def _refused(form, exc: ServiceError) -> None:
    field = exc.field if exc.field in form.fields else None
    if exc.field == "challenge":
        field = "challenge_answer"
    form.add_error(field, exc.message)


def _render(request, template: str, form, *, purpose: str | None, challenge: bool, **extra):
    """The page with a fresh picture challenge when one is needed, and the seconds to wait
    before 获取验证码 may be pressed again."""
    ip = client_ip(request)
    needs = (
        challenge
        or (purpose in (None, PhoneCode.Purpose.LOGIN) and services.login_needs_challenge(ip))
        or (purpose is not None and services.codes_need_challenge(ip))
    )
    phone = form.data.get("phone", "") if form.is_bound else ""
    context = {
        "form": form,
        "next": _next_url(request),
        "challenge": challenges.issue() if needs else None,
        "code_wait_s": services.code_wait_s(phone=phone, purpose=purpose) if purpose else 0,
        **extra,
    }
    return render(request, template, context)


def login_page(request):
    """Sign in with the number and password (the picture challenge after many failures from
    the address); links to sign-in by code and to the password reset."""
    form = LoginForm(request.POST or None)
    asked = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.login(
                request=request,
                client_ip=client_ip(request),
                phone=data["phone"],
                password=data["password"],
                challenge=form.challenge(),
            )
        except ServiceError as exc:
            _refused(form, exc)
            asked = exc.code.startswith("challenge")
        else:
            return _sign_in(request, user)
    return _render(request, "core/login.html", form, purpose=None, challenge=asked)


def _send_code(request, form, purpose: str) -> bool:
    """The 获取验证码 step of a page; whether the refusal asks for the picture challenge."""
    try:
        services.send_phone_code(
            phone=form.cleaned_data["phone"],
            purpose=purpose,
            client_ip=client_ip(request),
            challenge=form.challenge(),
        )
    except ServiceError as exc:
        _refused(form, exc)
        return exc.code.startswith("challenge")
    messages.success(request, _("A code was sent to your phone."))
    return False


def code_login_page(request):
    """验证码登录: 获取验证码, then sign in with it."""
    purpose = PhoneCode.Purpose.LOGIN
    form = CodeLoginForm(request.POST or None)
    asked = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            asked = _send_code(request, form, purpose)
        else:
            try:
                user = services.login_with_code(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    client_ip=client_ip(request),
                    challenge=form.challenge(),
                )
            except ServiceError as exc:
                _refused(form, exc)
                asked = exc.code.startswith("challenge")
            else:
                return _sign_in(request, user)
    return _render(request, "core/login_code.html", form, purpose=purpose, challenge=asked)


def register_page(request):
    purpose = PhoneCode.Purpose.REGISTER
    form = RegisterForm(request.POST or None)
    asked = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send_code":
            asked = _send_code(request, form, purpose)
        else:
            try:
                user = services.register(
                    phone=data["phone"],
                    code=data["code"],
                    password=data["password"],
                    name=data["name"],
                )
            except ServiceError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Welcome! Your account works on every portal."))
                return _sign_in(request, user)
    return _render(request, "core/register.html", form, purpose=purpose, challenge=asked)


def reset_page(request):
    """忘记密码: 获取验证码, then a new password; signed in afterwards."""
    purpose = PhoneCode.Purpose.RESET
    form = ResetPasswordForm(request.POST or None)
    asked = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send_code":
            asked = _send_code(request, form, purpose)
        else:
            try:
                user = services.reset_password(
                    phone=data["phone"], code=data["code"], password=data["password"]
                )
            except ServiceError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Your new password is set; you are signed in."))
                return _sign_in(request, user)
    return _render(request, "core/reset.html", form, purpose=purpose, challenge=asked)


def _relay_query(request) -> dict:
    form = RelayForm(request.GET)
    if not form.is_valid():
        raise InvalidInput(form.errors)
    return form.cleaned_data


def relay_start(request):
    """On the console: take the session of the portal the browser just signed in on."""
    query = _relay_query(request)
    source = query["source"]
    if not relay.is_ours(source) or source == request.get_host():
        raise InvalidInput({"from": [_("Not a portal of this platform.")]})
    return redirect(relay.begin(request, source=source, next_url=query["next"]))


def relay_out(request):
    """On the host that has the session: back to ``to`` with a ticket for it, if signed in."""
    query = _relay_query(request)
    if not relay.is_ours(query["to"]):
        raise InvalidInput({"to": [_("Not a portal of this platform.")]})
    return redirect(
        relay.hand_over(request, to=query["to"], state=query["state"], next_url=query["next"])
    )


def relay_in(request):
    """On the host that asked: adopt the session the ticket names, then go on."""
    query = _relay_query(request)
    relay.take(request, query["ticket"])
    return redirect(relay.without_cookies(request, relay.safe_next(request, query["next"])))


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
