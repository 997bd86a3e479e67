"""A program's booking policy page (TA admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from booking import services
from booking.forms.program import BookingPolicyForm
from grantees.models import Program
from portal.access import Rule, program_access
from portal.services import ServiceError


@program_access(Rule.PROGRAM_MANAGE)
def booking_policy(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    # Validate on a copy: a refused form must not leave half-changed values on the program.
    form = BookingPolicyForm(request.POST or None, instance=Program.objects.get(pk=program.pk))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.program_booking_policy_update(
                    actor=request.user, program=program, data=form.cleaned_data
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, "Booking settings saved; they apply from now on.")
                return redirect("booking_policy", program_slug=program.slug)
    context = {"program": program, "form": form}
    return render(request, "booking/program_policy.html", context, status=status)
