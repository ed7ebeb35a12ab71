from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from . import services
from .models import Share


def opened(request, token):
    """A share link opened: counted, then on to what it shares."""
    share = get_object_or_404(Share, token=token)
    to = services.open_link(share, request)
    if to is None:
        raise Http404
    return redirect(to)
