"""Youth homes' pages: finding a home (near me, by service, open now), a home with its
slots to book, my bookings with their codes, and for the home's staff the day's arrivals
and the scanner at the door."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from capacity import waitlist
from capacity.models import Waiter
from casework import cases
from core import access
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.forms import posted_id
from core.links import on_portal
from core.models import Role
from core.qr import code_image
from franchise.models import Category, HomeListing
from ratings.forms import RealRateForm

from . import referrals, selectors, services, standard
from .api.serializers import NearQuery
from .forms import (
    WEEKDAYS,
    ComplianceForm,
    ConsultForm,
    HomeForm,
    ScheduleForm,
    ServiceForm,
)
from .models import (
    Booking,
    Compliance,
    HomePhoto,
    Referral,
    Schedule,
    Service,
    Slot,
    YouthHome,
)


def index(request):
    """The committee's youth homes: near the phone's position when it gave one, by service,
    open now."""
    query = NearQuery(data=request.GET)
    if not query.is_valid():
        messages.error(request, _("That search could not be read; showing every home."))
        query = NearQuery(data={})
        query.is_valid()
    found = query.validated_data
    homes = selectors.found_by(found)
    page = Paginator(selectors.with_services(homes), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "homes/index.html",
        {
            "page": page,
            "found": found,
            "is_near": "lat" in found,
            "categories": Category.objects.all(),
        },
    )


def home(request, pk):
    """A home: where, when, what it offers, and its slots of the coming two weeks."""
    found = get_object_or_404(selectors.with_services(selectors.published()), pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.POST.get("action") == "ask":
            form = ConsultForm(request.POST)
            if form.is_valid():
                try:
                    question = services.consult(home=found, youth=request.user, **form.cleaned_data)
                except ServiceError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Asked: the home's staff answer you here."))
                    return redirect("qa:question", pk=question.pk)
            else:
                messages.error(request, _("A question needs a title."))
            return redirect("homes:home", pk=found.pk)
        slot = get_object_or_404(Slot, pk=posted_id(request.POST, "slot"), service__home=found)
        places = posted_id(request.POST, "places") if request.POST.get("places") else 1
        try:
            if request.POST.get("action") == "wait":
                services.join_waitlist(slot=slot, youth=request.user, places=places)
                messages.success(request, _("On the waitlist: you are told when a place frees."))
            else:
                services.book(slot=slot, youth=request.user, places=places)
                messages.success(request, _("Booked: show your code at the door."))
                return redirect("homes:mine")
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("homes:home", pk=found.pk)
    slots = list(selectors.upcoming_slots(found))
    return render(
        request,
        "homes/home.html",
        {
            "home": found,
            "slots": slots,
            "satisfaction": selectors.satisfaction(found),
            "standard": standard.measure(found),
            "ask_form": ConsultForm(),
        },
    )


@login_required
def mine(request):
    """My bookings with their check-in codes, and my places on waitlists."""
    if request.method == "POST":
        action, pk = request.POST.get("action", ""), posted_id(request.POST, "pk")
        try:
            if action == "cancel":
                booking = get_object_or_404(Booking, pk=pk, youth=request.user)
                services.cancel(booking=booking, youth=request.user)
                messages.success(request, _("Cancelled: the place goes to the next in line."))
            elif action == "rate":
                booking = get_object_or_404(Booking, pk=pk, youth=request.user)
                form = RealRateForm(request.POST)
                if not form.is_valid():
                    raise ServiceError("invalid", _("Give 1 to 5 stars."), field="stars")
                services.rate(booking=booking, youth=request.user, **form.cleaned_data)
                messages.success(request, _("Thank you: your rating counts for this home."))
            elif action in ("accept", "leave"):
                waiter = get_object_or_404(Waiter, pk=pk, youth=request.user)
                if action == "accept":
                    services.accept_offer(waiter=waiter, youth=request.user)
                    messages.success(request, _("Booked: show your code at the door."))
                else:
                    waitlist.leave(waiter, youth=request.user)
                    messages.success(request, _("You left the waitlist."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("homes:mine")
    page = Paginator(selectors.bookings_of(request.user), 20).get_page(request.GET.get("page"))
    line = list(selectors.places_in_line(request.user))
    slots = selectors.slots_by_id(w.pool_id for w in line)
    for waiter in line:
        waiter.slot = slots.get(waiter.pool_id)
    rated = selectors.rated_ids(request.user, page)
    for booking in page:
        if booking.state == Booking.State.CONFIRMED:
            booking.image = code_image(booking.code)
        booking.may_rate = booking.state == Booking.State.ATTENDED and booking.pk not in rated
    sent = selectors.referrals_of(request.user).filter(
        state__in=[Referral.State.REQUESTED, Referral.State.OFFERED]
    )
    for referral in sent:
        referral.source_url = on_portal(request, referral.source_committee, referral.source_link)
    return render(
        request,
        "homes/mine.html",
        {"page": page, "line": line, "sent": sent, "rate_form": RealRateForm()},
    )


# ---------------------------------------------------------------- the home's staff


def _is_admin(request) -> bool:
    grant = access.access_to(request.user, request.committee)
    return grant.can_write and grant.has(Role.Kind.ADMIN)


@requires(committee_reader)
def staff_homes(request):
    """The committee's youth homes, for its staff: each with its arrivals and scanner; its
    admins open new ones."""
    is_admin = _is_admin(request)
    form = HomeForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                home = services.open_home(**form.cleaned_data)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Opened: now give it services and their times."))
                return redirect("homes:setup", pk=home.pk)
    homes = YouthHome.objects.select_related("team").order_by("name", "id")
    page = Paginator(homes, 20).get_page(request.GET.get("page"))
    for item in page:
        item.may_check_in = services.may_check_in(request.user, item)
    return render(
        request, "homes/staff_homes.html", {"page": page, "form": form, "is_admin": is_admin}
    )


@requires(committee_reader)
def setup(request, pk):
    """A home's services and their weekly openings, for the committee's admins."""
    found = get_object_or_404(YouthHome, pk=pk)
    is_admin = _is_admin(request)
    service_form, schedule_form = ServiceForm(), ScheduleForm()
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "service":
                service_form = ServiceForm(request.POST)
                if service_form.is_valid():
                    data = service_form.cleaned_data
                    services.add_service(
                        home=found,
                        name=data["name"],
                        category=data["category"].code,
                        group_max=data["group_max"],
                    )
                    return redirect("homes:setup", pk=found.pk)
            elif action == "schedule":
                service = get_object_or_404(
                    Service, pk=posted_id(request.POST, "service"), home=found
                )
                schedule_form = ScheduleForm(request.POST)
                if schedule_form.is_valid():
                    services.add_schedule(service=service, **schedule_form.cleaned_data)
                    messages.success(request, _("Added: its times are open for booking."))
                    return redirect("homes:setup", pk=found.pk)
            elif action == "end":
                schedule = get_object_or_404(
                    Schedule, pk=posted_id(request.POST, "pk"), service__home=found
                )
                services.end_schedule(schedule=schedule)
                return redirect("homes:setup", pk=found.pk)
            elif action in ("publish", "withdraw"):
                services.change_home(home=found, is_published=action == "publish")
                return redirect("homes:setup", pk=found.pk)
            elif action == "photo":
                upload = request.FILES.get("image")
                if upload is None:
                    raise ServiceError("required", _("Choose a photo."), field="image")
                services.add_photo(
                    home=found, upload=upload, caption=request.POST.get("caption", "")
                )
                messages.success(request, _("Added: it shows on the home's page."))
                return redirect("homes:setup", pk=found.pk)
            elif action == "remove-photo":
                photo = get_object_or_404(HomePhoto, pk=posted_id(request.POST, "pk"), home=found)
                services.remove_photo(photo=photo)
                return redirect("homes:setup", pk=found.pk)
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
    today = timezone.localdate()
    offered = found.services.prefetch_related(
        Prefetch(
            "schedules",
            queryset=Schedule.objects.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            ).order_by("weekday", "starts"),
        )
    ).order_by("id")
    names = dict(WEEKDAYS)
    for service in offered:
        for schedule in service.schedules.all():
            schedule.weekday_name = names[schedule.weekday]
    return render(
        request,
        "homes/setup.html",
        {
            "home": found,
            "offered": offered,
            "photos": found.photos.all(),
            "photos_max": services.PHOTOS_MAX,
            "is_admin": is_admin,
            "service_form": service_form,
            "schedule_form": schedule_form,
        },
    )


@requires(committee_reader)
def door(request, pk):
    """A home's door: today's arrivals, the scanner (camera, or a photo of the code) and the
    code typed by hand. Checking in is for the home's staff and the committee's cadres."""
    found = get_object_or_404(YouthHome.objects.select_related("team"), pk=pk)
    may_check_in = services.may_check_in(request.user, found)
    if request.method == "POST":
        if not may_check_in:
            raise PermissionDenied
        try:
            booking = services.check_in(code=request.POST.get("code", ""), actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            said = {"name": str(booking.youth), "places": booking.places}
            if booking.slot.service.home_id != found.pk:
                said["home"] = booking.slot.service.home.name
                messages.warning(request, _("Checked in %(name)s, booked at %(home)s.") % said)
            else:
                messages.success(request, _("Checked in: %(name)s, %(places)s place(s).") % said)
        return redirect("homes:door", pk=found.pk)
    arrivals = selectors.todays_bookings(found).select_related("youth")
    arrive = request.build_absolute_uri(
        reverse("homes:arrive", args=[found.pk])
        + "?"
        + urlencode({"code": services.home_code(found)})
    )
    return render(
        request,
        "homes/door.html",
        {
            "home": found,
            "arrivals": arrivals,
            "may_check_in": may_check_in,
            "home_code": code_image(arrive),
        },
    )


@requires(committee_reader)
def standard_page(request, pk):
    """A home against the youth-home standard: the committee's admins record each item with
    its evidence and the day it was seen; admins of a committee above confirm or return."""
    found = get_object_or_404(YouthHome, pk=pk)
    may_record, may_check = standard.may_record(request.user), standard.may_check(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "record":
                if not may_record:
                    raise PermissionDenied
                form = ComplianceForm(request.POST)
                if not form.is_valid():
                    raise ServiceError("invalid", _("Say what shows it and on which day."))
                standard.record(home=found, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Recorded: it awaits the parent committee's check."))
            elif action in ("confirm", "return"):
                if not may_check:
                    raise PermissionDenied
                record = get_object_or_404(Compliance, pk=posted_id(request.POST, "pk"), home=found)
                standard.check(
                    compliance=record,
                    confirm=action == "confirm",
                    actor=request.user,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Checked: the home's page shows it."))
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("homes:standard", pk=found.pk)
    return render(
        request,
        "homes/standard.html",
        {
            "home": found,
            "measure": standard.measure(found),
            "may_record": may_record,
            "may_check": may_check,
            "today": timezone.localdate(),
        },
    )


@requires(committee_reader)
def referrals_page(request, pk):
    """Youths sent to a home from questions and help cases: what they asked, and a time to
    offer each (its staff)."""
    found = get_object_or_404(YouthHome.objects.select_related("team"), pk=pk)
    may_offer = services.may_check_in(request.user, found)
    if request.method == "POST":
        if not may_offer:
            raise PermissionDenied
        referral = get_object_or_404(Referral, pk=posted_id(request.POST, "pk"), home=found)
        slot = get_object_or_404(Slot, pk=posted_id(request.POST, "slot"), service__home=found)
        try:
            referrals.offer(referral=referral, slot=slot, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Offered: the youth is told and confirms."))
        return redirect("homes:referrals", pk=found.pk)
    page = Paginator(selectors.referrals_to(found), 20).get_page(request.GET.get("page"))
    for referral in page:
        referral.source_url = on_portal(request, referral.source_committee, referral.source_link)
    return render(
        request,
        "homes/referrals.html",
        {
            "home": found,
            "page": page,
            "may_offer": may_offer,
            "slots": [slot for slot in selectors.upcoming_slots(found) if slot.free],
            "waiting": selectors.waitlists(found),
        },
    )


@requires(committee_reader)
def refer(request, subject, pk):
    """The one action on a question's or help case's handling page that sends its youth to a
    youth home (一键转至线下); back to the handling page."""
    if request.method != "POST":
        raise PermissionDenied
    grant = access.access_to(request.user, request.committee)
    try:
        case_type = cases.of(subject)
    except KeyError:
        raise PermissionDenied from None
    item = get_object_or_404(case_type.model._default_manager, pk=pk)
    if not grant.can_write:
        raise PermissionDenied
    listing = get_object_or_404(
        HomeListing.objects.select_related("committee"), pk=posted_id(request.POST, "listing")
    )
    field = f"slot-{listing.pk}"
    try:
        slot = referrals.slot_for(
            listing, posted_id(request.POST, field) if request.POST.get(field) else None
        )
        referrals.refer(
            case_type,
            item,
            actor=request.user,
            listing=listing,
            slot=slot,
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if slot is not None:
            messages.success(request, _("Sent: the youth is offered the time and confirms."))
        else:
            messages.success(request, _("Sent: the home offers a time; you see each step here."))
    return redirect(case_type.link(item) + "#offline")


@login_required
def referral(request, pk):
    """What a youth was sent to a home for, from their question or help case: the time
    offered, to confirm or decline."""
    found = get_object_or_404(selectors.referrals_of(request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                referrals.accept(referral=found, youth=request.user)
                messages.success(request, _("Booked: show your code at the door."))
                return redirect("homes:mine")
            referrals.decline(referral=found, youth=request.user)
            messages.success(request, _("Declined: the staff who sent you are told."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("homes:referral", pk=found.pk)
    found.source_url = on_portal(request, found.source_committee, found.source_link)
    return render(request, "homes/referral.html", {"referral": found})


def _arrive_path(home: YouthHome, code: str) -> str:
    return f"{reverse('homes:arrive', args=[home.pk])}?{urlencode({'code': code})}"


@login_required
def arrive(request, pk):
    """Where the home's own code at its door leads: the youth checks themselves in."""
    found = get_object_or_404(selectors.published(), pk=pk)
    code = request.POST.get("code") or request.GET.get("code", "")
    if request.method == "POST":
        try:
            booking = services.arrive(home=found, code=code, youth=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(
                f"{reverse('homes:arrive', args=[found.pk])}?{urlencode({'code': code})}"
            )
        messages.success(
            request, _("Checked in: %(service)s. Welcome!") % {"service": booking.slot.service.name}
        )
        return redirect("homes:mine")
    return render(request, "homes/arrive.html", {"home": found, "code": code})
