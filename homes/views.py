"""Youth homes' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from capacity import waitlist
from capacity.models import Waiter
from core.errors import ServiceError
from core.forms import posted_id

from . import selectors, services
from .models import Booking


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
    return render(request, "homes/mine.html", {"page": page, "line": line})
