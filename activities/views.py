"""Activities' pages: the list, an activity with registration alone or as a team, a team's
invitation page, my activities with the scanner, and for the organisers publishing, the
participants, messages, photos and the venue's rotating code."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity import waitlist
from core.addresses import client_ip
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.forms import posted_id
from core.links import on_portal
from core.models import User
from core.qr import code_image
from franchise.models import CaseStudy, Category
from ratings.forms import RealRateForm
from shares import services as shares
from tenants.models import Committee

from . import campaigns, cases, checkin, ideas, registration, reports, selectors, services, voting
from .forms import ActivityForm, BallotForm, EntryForm, MessageForm, PhotoForm, TeamForm
from .models import (
    Activity,
    ActivityPhoto,
    Ballot,
    Entry,
    Idea,
    Registration,
    Reviewer,
    Score,
    Squad,
    Vote,
)


def index(request):
    """Coming activities (or past ones), by category."""
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    category = request.GET.get("category") or None
    found = selectors.listed(category=category, when=when)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/index.html",
        {
            "page": page,
            "when": when,
            "category": category,
            "categories": Category.objects.all(),
        },
    )


def _act(request, found: Activity) -> str | None:
    """One youth's step on an activity's page, by the posted ``action``; where to go next,
    if not back to the page."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "register":
        registration.register(activity=found, youth=user)
        messages.success(request, _("Registered: scan the venue's code when you arrive."))
    elif action == "wait":
        registration.join_waitlist(activity=found, youth=user)
        messages.success(request, _("On the waitlist: you are told when a place frees."))
    elif action == "team":
        named = TeamForm(request.POST)
        if not named.is_valid():
            raise ServiceError("required", _("Name the team."), field="name")
        squad = registration.form_team(activity=found, captain=user, **named.cleaned_data)
        messages.success(request, _("Team formed: send its link to your members."))
        return reverse("activities:team", args=[squad.token])
    elif action == "withdraw":
        mine = selectors.registration_of(found, user)
        if mine is None:
            raise ServiceError("not_registered", _("You have not registered for this activity."))
        registration.withdraw(registration=mine, youth=user)
        messages.success(request, _("Cancelled: your place goes to the next in line."))
    elif action == "rate":
        mine = get_object_or_404(Registration, pk=posted_id(request.POST, "pk"), youth=user)
        form = RealRateForm(request.POST)
        if not form.is_valid():
            raise ServiceError("invalid", _("Give 1 to 5 stars."), field="stars")
        services.rate(registration=mine, youth=user, **form.cleaned_data)
        messages.success(request, _("Thank you: your rating counts for this activity."))
    elif action == "photo":
        upload = request.FILES.get("image")
        if upload is None:
            raise ServiceError("required", _("Choose a photo."), field="image")
        services.add_photo(
            activity=found, upload=upload, by=user, caption=request.POST.get("caption", "")
        )
        messages.success(request, _("Added: the organisers choose the photos shown."))
    elif action == "idea":
        ideas.propose(activity=found, author=user, text=request.POST.get("text", ""))
        messages.success(request, _("Proposed: others can vote for it."))
    elif action == "vote-idea":
        idea = get_object_or_404(Idea, pk=posted_id(request.POST, "pk"), activity=found)
        ideas.vote_up(idea=idea, youth=user)
    elif action == "take-idea":
        idea = get_object_or_404(Idea, pk=posted_id(request.POST, "pk"), activity=found)
        ideas.take(idea=idea, actor=user, answer=request.POST.get("answer", ""))
        messages.success(request, _("Marked as taken."))
    elif action == "report":
        reports.report(activity=found, reporter=user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Reported: the committee above reviews it and tells you."))
    else:
        raise PermissionDenied
    return None


def activity(request, pk):
    """An activity: what, where, when, places left; register alone or form a team, wait for
    a place; after it, the participant rates it and adds photos."""
    found = get_object_or_404(selectors.visible(), pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            then = _act(request, found)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if then:
                return redirect(then)
        return redirect("activities:activity", pk=found.pk)
    user = request.user
    mine = selectors.registration_of(found, user)
    rated = selectors.rated_ids(user, [mine]) if mine else set()
    now = timezone.now()
    return render(
        request,
        "activities/activity.html",
        {
            "activity": found,
            "mine": mine,
            "checked_in": bool(mine and hasattr(mine, "check_in")),
            "may_rate": bool(mine and hasattr(mine, "check_in") and mine.pk not in rated),
            "may_add_photo": bool(mine) and now >= found.starts_at,
            "team": selectors.team_of(found, user),
            "line": selectors.line_of(found, user),
            "is_open": registration.is_open(found, now),
            "now": now,
            "photos": selectors.shown_photos(found),
            "ideas": ideas.of(found)[:30],
            "share": request.build_absolute_uri(
                reverse("shares:opened", args=[shares.link_for(found, user).token])
            )
            if found.state == Activity.State.PUBLISHED
            else "",
            "takes_ideas": found.state == Activity.State.PUBLISHED and now < found.starts_at,
            "may_manage": user.is_authenticated and services.may_manage(user, found),
            "team_form": TeamForm(),
            "rate_form": RealRateForm(),
            "photo_form": PhotoForm(),
        },
    )


def team(request, token):
    """A team's page, reached by its invitation link: join it; its captain registers it or
    puts it in line."""
    squad = registration.current_team(
        get_object_or_404(Squad.objects.select_related("activity"), token=token)
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        action = request.POST.get("action", "")
        try:
            if action == "join":
                registration.join_team(squad=squad, youth=request.user)
                messages.success(request, _("You are in the team."))
            elif action == "register":
                registration.register_team(squad=squad, captain=request.user)
                messages.success(request, _("The team is registered: each member has a place."))
            elif action == "wait":
                registration.team_waits(squad=squad, captain=request.user)
                messages.success(request, _("The team is on the waitlist, as one."))
            elif action == "leave":
                registration.leave_team(squad=squad, youth=request.user)
                messages.success(request, _("You left the team."))
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("activities:team", token=squad.token)
    members = list(squad.members.order_by("id"))
    is_member = request.user.is_authenticated and any(
        m.youth_id == request.user.pk for m in members
    )
    activity = squad.activity
    return render(
        request,
        "activities/team.html",
        {
            "squad": squad,
            "activity": activity,
            "members": members,
            "is_member": is_member,
            "is_captain": request.user.is_authenticated and squad.captain_id == request.user.pk,
            "fits": activity.free >= len(members),
            "invite": request.build_absolute_uri(),
        },
    )


@login_required
def mine(request):
    """My activities: registrations (rate after checking in), teams and places in line."""
    if request.method == "POST":
        action, pk = request.POST.get("action", ""), posted_id(request.POST, "pk")
        waiter = get_object_or_404(selectors.places_in_line(request.user), pk=pk)
        try:
            if action == "accept":
                registration.accept_offer(waiter=waiter, youth=request.user)
                messages.success(request, _("Registered: scan the venue's code when you arrive."))
            elif action == "leave":
                registration.leave_line(waiter=waiter, youth=request.user)
                messages.success(request, _("You left the waitlist."))
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("activities:mine")
    page = Paginator(selectors.registrations_of(request.user), 20).get_page(request.GET.get("page"))
    rated = selectors.rated_ids(request.user, page)
    for item in page:
        item.may_rate = item.has_checked_in and item.pk not in rated
    line = list(selectors.places_in_line(request.user))
    titles = dict(
        Activity.objects.filter(pk__in=[w.pool_id for w in line]).values_list("pk", "title")
    )
    for waiter in line:
        waiter.title = titles.get(waiter.pool_id, "")
    forming = Squad.objects.filter(
        members__youth=request.user, state__in=[Squad.State.FORMING, Squad.State.WAITING]
    ).select_related("activity")
    return render(
        request,
        "activities/mine.html",
        {"page": page, "line": line, "forming": forming, "rate_form": RealRateForm()},
    )


@login_required
def scan(request):
    """The scanner: the phone's camera reads the venue's code (or the phone's own camera
    opened this page with it, ``?c=``); the scan is sent with its position, or kept on the
    phone while offline and sent when back. Without scripts, the code is posted."""
    if request.method == "POST":
        try:
            done = checkin.scan(
                code=request.POST.get("code", ""),
                youth=request.user,
                nonce=request.POST.get("nonce") or secrets.token_hex(16),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("activities:scan")
        messages.success(
            request,
            _("Checked in: %(title)s.") % {"title": done.check_in.activity.title},
        )
        return redirect("activities:activity", pk=done.check_in.activity_id)
    return render(request, "activities/scan.html", {"code": request.GET.get("c", "")[:300]})


# ---------------------------------------------------------------- the organisers


def _publish(request, form: ActivityForm) -> Activity | None:
    data = dict(form.cleaned_data)
    organiser = data.pop("organiser")
    cover = data.pop("cover")
    data["category"] = data["category"].code
    try:
        return services.publish(actor=request.user, organiser=organiser, cover=cover, **data)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


@requires(committee_reader)
def staff_activities(request):
    """The committee's activities for its staff; publishing one."""
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        campaigns=campaigns.received(),
        initial={"campaign": request.GET.get("campaign", "")},
    )
    if request.method == "POST" and form.is_valid():
        made = _publish(request, form)
        if made is not None:
            messages.success(request, _("Published: youths can register now."))
            return redirect("activities:manage", pk=made.pk)
    page = Paginator(selectors.managed(), 20).get_page(request.GET.get("page"))
    return render(request, "activities/staff.html", {"page": page, "form": form})


def _manage_step(request, found: Activity) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "present":
        mine = get_object_or_404(Registration, pk=posted_id(request.POST, "pk"), activity=found)
        checkin.mark_present(registration=mine, actor=user)
        messages.success(request, _("Marked present."))
    elif action == "message":
        form = MessageForm(request.POST)
        if not form.is_valid():
            raise ServiceError("required", _("Write the message."), field="text")
        sent = services.message(activity=found, actor=user, **form.cleaned_data)
        messages.success(request, _("Sent to %(n)s participants.") % {"n": sent})
    elif action in ("show", "hide"):
        photo = get_object_or_404(ActivityPhoto, pk=posted_id(request.POST, "pk"), activity=found)
        services.select_photo(photo=photo, actor=user, is_selected=action == "show")
    elif action == "photo":
        upload = request.FILES.get("image")
        if upload is None:
            raise ServiceError("required", _("Choose a photo."), field="image")
        services.add_photo(
            activity=found, upload=upload, by=user, caption=request.POST.get("caption", "")
        )
        messages.success(request, _("Added: it shows on the activity's page."))
    elif action == "ballot":
        opened = BallotForm(request.POST)
        if not opened.is_valid():
            field, errors = next(iter(opened.errors.items()))
            raise ServiceError("invalid", str(errors[0]), field=field)
        data = dict(opened.cleaned_data)
        share = data.pop("panel_weight") / 100
        voting.open_ballot(
            activity=found, actor=user, vote_weight=1 - share, panel_weight=share, **data
        )
        messages.success(request, _("The vote is open to entries."))
    elif action == "nominate":
        cases.nominate(activity=found, actor=user, summary=request.POST.get("summary", ""))
        messages.success(request, _("Nominated: the committee above decides."))
    elif action == "cancel":
        services.cancel(activity=found, actor=user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Cancelled: the participants are told."))
    else:
        raise PermissionDenied


@requires(committee_reader)
def manage(request, pk):
    """One activity for its organisers: figures, participants (mark them present), teams,
    a message to all, photos to show; readers from above see it without the actions."""
    found = get_object_or_404(selectors.visible(), pk=pk)
    may_manage = services.may_manage(request.user, found)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        try:
            _manage_step(request, found)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("activities:manage", pk=found.pk)
    sees = services.may_see_participants(request.user, found)
    participants = selectors.participants(found) if sees else Registration.objects.none()
    page = Paginator(participants, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/manage.html",
        {
            "activity": found,
            "may_manage": may_manage,
            "sees_participants": sees,
            "figures": selectors.figures(found),
            "page": page,
            "teams": selectors.teams(found),
            "photos": found.photos.all(),
            "line": waitlist.waiting(found) if sees else [],
            "message_form": MessageForm(),
            "photo_form": PhotoForm(),
            "ballots": found.ballots.order_by("id"),
            "is_held": found.ends_at <= timezone.now(),
            "case": CaseStudy.objects.filter(
                committee=request.committee, activity_id=found.pk
            ).first(),
            "ballot_form": BallotForm(),
        },
    )


@requires(committee_reader)
def venue(request, pk):
    """The venue's screen: the code youths scan, changing every 30 seconds."""
    found = get_object_or_404(selectors.visible(), pk=pk)
    try:
        code = checkin.venue_code(found, actor=request.user)
    except ServiceError as exc:
        raise PermissionDenied from exc
    url = request.build_absolute_uri(code.url)
    return render(
        request,
        "activities/venue.html",
        {
            "activity": found,
            "image": code_image(url),
            "expires_at": code.expires_at,
            "window_s": checkin.WINDOW_S,
        },
    )


# ---------------------------------------------------------------- votes


def ballot(request, pk):
    """A vote: its rule, its entries to vote for, the live results; a participant enters."""
    found = get_object_or_404(Ballot.objects.select_related("activity"), pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            if request.POST.get("action") == "enter":
                form = EntryForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ServiceError("required", _("Give it a title."), field="title")
                voting.submit_entry(ballot=found, by=request.user, **form.cleaned_data)
                messages.success(request, _("Entered: youths can vote for it."))
            else:
                entry = get_object_or_404(Entry, pk=posted_id(request.POST, "entry"), ballot=found)
                voting.vote(entry=entry, voter=request.user, address=client_ip(request))
                messages.success(request, _("Voted: thank you."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("activities:ballot", pk=found.pk)
    mine = set()
    if request.user.is_authenticated:
        mine = set(
            Vote.objects.filter(ballot=found, voter=request.user).values_list("entry", flat=True)
        )
    return render(
        request,
        "activities/ballot.html",
        {
            "ballot": found,
            "activity": found.activity,
            "entries": found.entries.filter(is_withdrawn=False).select_related("squad"),
            "standings": voting.standings(found),
            "mine": mine,
            "votes_left": found.votes_per_account - len(mine),
            "is_open": voting.is_open(found),
            "entry_form": EntryForm(),
        },
    )


@requires(committee_reader)
def ballot_review(request, pk):
    """The review panel's page: each member scores each entry on every criterion; the
    organisers see the flags and seat members."""
    found = get_object_or_404(Ballot.objects.select_related("activity"), pk=pk)
    seat = Reviewer.objects.filter(ballot=found, user=request.user).first()
    may_manage = services.may_manage(request.user, found.activity)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "appoint":
                if not may_manage:
                    raise PermissionDenied
                user = get_object_or_404(User, pk=posted_id(request.POST, "user"))
                voting.appoint(ballot=found, actor=request.user, user=user)
                messages.success(request, _("Seated on the panel."))
            else:
                entry = get_object_or_404(Entry, pk=posted_id(request.POST, "entry"), ballot=found)
                points = {}
                for criterion in found.criteria:
                    raw = request.POST.get(f"points-{criterion['code']}", "")
                    points[criterion["code"]] = int(raw) if raw.isdecimal() else -1
                voting.score(entry=entry, reviewer_user=request.user, points=points)
                messages.success(request, _("Scored."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("activities:ballot-review", pk=found.pk)
    if seat is None and not may_manage:
        raise PermissionDenied
    given = {}
    if seat is not None:
        for row in Score.objects.filter(reviewer=seat):
            given.setdefault(row.entry_id, {})[row.criterion] = row.points
    entries = list(found.entries.filter(is_withdrawn=False))
    for entry in entries:
        entry.given = [(c, given.get(entry.pk, {}).get(c["code"], "")) for c in found.criteria]
    return render(
        request,
        "activities/ballot_review.html",
        {
            "ballot": found,
            "entries": entries,
            "seat": seat,
            "may_manage": may_manage,
            "flags": voting.anomalies(found) if may_manage else None,
            "panel": Reviewer.objects.filter(ballot=found).select_related("user"),
            "staff": selectors.staff_accounts() if may_manage else [],
            "standings": voting.standings(found),
        },
    )


# ---------------------------------------------------------------- the case library


@requires(committee_reader)
def library(request):
    """The case library: accepted cases of every committee, by category, theme, region and
    words; this committee's admins curate the nominations of the committees below."""
    if request.method == "POST":
        case = get_object_or_404(CaseStudy, pk=posted_id(request.POST, "pk"))
        action = request.POST.get("action", "")
        if action not in ("accept", "decline"):
            raise PermissionDenied
        try:
            cases.curate(
                case=case,
                actor=request.user,
                accept=action == "accept",
                note=request.POST.get("note", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Curated."))
        return redirect("activities:library")
    query = {k: request.GET.get(k, "")[:100] for k in ("category", "theme", "region", "q")}
    found = cases.library(
        category=query["category"],
        theme=query["theme"],
        region=query["region"],
        words=query["q"],
    )
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    for case in page:
        case.url = on_portal(request, case.committee.code, case.link)
    nominated = list(cases.to_curate(request.user)[:50])
    for case in nominated:
        case.url = on_portal(request, case.committee.code, case.link)
    return render(
        request,
        "activities/library.html",
        {
            "page": page,
            "query": query,
            "categories": Category.objects.all(),
            "themes": cases.themes(),
            "regions": Committee.objects.filter(
                level__in=[Committee.Level.CENTRAL, Committee.Level.PROVINCE]
            ).order_by("path"),
            "nominated": nominated,
        },
    )


def poster(request, pk):
    """The activity's poster, made here: what, when, where, and the QR code of the
    viewer's share link (opened shares are counted)."""
    found = get_object_or_404(selectors.listed(when="upcoming"), pk=pk)
    link = request.build_absolute_uri(
        reverse("shares:opened", args=[shares.link_for(found, request.user).token])
    )
    response = render(
        request,
        "activities/poster.svg",
        {
            "activity": found,
            "qr": code_image(link),
            "where": _("Online") if found.is_online else found.place,
            "scan": _("Scan to sign up"),
            "left": ngettext("%(n)s place left", "%(n)s places left", found.free)
            % {"n": found.free},
        },
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'inline; filename="activity-{found.pk}.svg"'
    return response
