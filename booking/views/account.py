"""The signed-in person's settings (time zone) and their secret calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from booking import calendar, selectors, services
from booking.forms.account import TimeZoneForm
from booking.models import CalendarFeed
from events import selectors as event_selectors
from events import services as event_services
from grantees.services import user_set_time_zone
from newsletter import selectors as newsletter_selectors
from portal.access import Rule, declare, signed_in
from portal.services import ServiceError

NEW_FEED_SESSION_KEY = "booking:new-feed-url"


@signed_in
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, "Saved. Times are now shown in your time zone.")
                return redirect("my_settings")
    context = {
        "form": form,
        "feed": CalendarFeed.objects.filter(user=user).first(),
        "new_feed_url": request.session.pop(NEW_FEED_SESSION_KEY, ""),
        "newsletter_subscribed": newsletter_selectors.is_subscribed(user),
    }
    return render(request, "booking/settings.html", context, status=status)


@signed_in
@require_POST
def calendar_feed_manage(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(
            request, "Your calendar feed is turned off; the old address stops working."
        )
    else:
        token = services.calendar_feed_reset(user=request.user)
        # Shown once, on the next page: only the token's hash is stored.
        request.session[NEW_FEED_SESSION_KEY] = request.build_absolute_uri(
            reverse("calendar_feed", args=[token])
        )
        messages.success(request, "Your new calendar feed address is ready; any old one stopped.")
    return redirect("my_settings")


@declare(Rule.PUBLIC)
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret address calendar programs poll. The token is the credential (no sign-in)."""
    feed = selectors.feed_owner(token=token)
    if feed is None:
        raise Http404("No such calendar feed.")
    services.calendar_feed_touch(feed)
    registrations = event_selectors.feed_registrations(user=feed.user)
    body = calendar.feed(
        selectors.feed_bookings(user=feed.user),
        name="Pathways TA Portal",
        others=[event_services.registration_vevent(r) for r in registrations],
    )
    response = HttpResponse(body, content_type=f"{calendar.ICS_MIMETYPE}; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
