"""Newsletter pages: TA admins compose, preview, make the PDF and publish; anyone with the link
in their e-mail can unsubscribe without signing in."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from newsletter import selectors, services
from newsletter.forms import IssueForm
from newsletter.models import Issue
from portal.access import Rule, declare, program_access, signed_in
from portal.services import ServiceError
from portal.uploads import private_file_response


@program_access(Rule.PROGRAM_MANAGE)
def issue_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    context = {"program": request.program, "issues": selectors.issues_for(request.program)}
    return render(request, "newsletter/list.html", context)


def _form_page(request: HttpRequest, issue: Issue | None) -> HttpResponse:
    program = request.program
    if issue is None:
        today = timezone.localdate()
        initial = {
            "title": f"{program.name} newsletter, {today:%B %Y}",
            "period_starts_on": today - timedelta(days=182),
            "period_ends_on": today,
        }
    else:
        initial = {name: getattr(issue, name) for name in services.FIELDS}
    form = IssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_save(
                actor=request.user, program=program, data=form.cleaned_data, issue=issue
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Saved. Check the preview, then make the PDF.")
            return redirect("newsletter_issue", program_slug=program.slug, issue_id=issue.pk)
    return render(
        request,
        "newsletter/form.html",
        {"program": program, "issue": issue, "form": form},
        status=422 if form.errors else 200,
    )


@program_access(Rule.PROGRAM_MANAGE)
def issue_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    return _form_page(request, None)


@program_access(Rule.PROGRAM_MANAGE)
def issue_edit(request: HttpRequest, program_slug: str, issue_id: int) -> HttpResponse:
    issue = selectors.issue_in(request.program, issue_id)
    if not issue.editable:
        messages.error(request, "A published issue can no longer change.")
        return redirect("newsletter_issue", program_slug=program_slug, issue_id=issue.pk)
    return _form_page(request, issue)


@program_access(Rule.PROGRAM_MANAGE)
def issue_detail(request: HttpRequest, program_slug: str, issue_id: int) -> HttpResponse:
    """The preview, exactly as the PDF will read, with the issue's next step."""
    issue = selectors.issue_in(request.program, issue_id)
    context = {
        "program": request.program,
        "issue": issue,
        "content": selectors.issue_content(issue),
        "subscribers": selectors.subscribers(request.program).count(),
    }
    if request.htmx and request.htmx.target == "issue-status":
        return render(request, "newsletter/partials/status.html", context)
    return render(request, "newsletter/detail.html", context)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def issue_generate(request: HttpRequest, program_slug: str, issue_id: int) -> HttpResponse:
    issue = selectors.issue_in(request.program, issue_id)
    try:
        services.issue_generate(actor=request.user, issue=issue)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    return redirect("newsletter_issue", program_slug=program_slug, issue_id=issue.pk)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def issue_publish(request: HttpRequest, program_slug: str, issue_id: int) -> HttpResponse:
    issue = selectors.issue_in(request.program, issue_id)
    try:
        services.issue_publish(actor=request.user, issue=issue)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Published to the library; the e-mails are on their way.")
    return redirect("newsletter_issue", program_slug=program_slug, issue_id=issue.pk)


@program_access(Rule.PROGRAM_MANAGE)
def issue_pdf(request: HttpRequest, program_slug: str, issue_id: int) -> HttpResponse:
    issue = selectors.issue_in(request.program, issue_id)
    if not issue.pdf:
        raise Http404("This issue has no PDF yet.")
    return private_file_response(
        issue.pdf, filename=issue.pdf.name.rsplit("/", 1)[-1], mimetype="application/pdf"
    )


@signed_in
@require_POST
def subscription(request: HttpRequest) -> HttpResponse:
    subscribed = request.POST.get("subscribed") == "on"
    services.subscription_set(user=request.user, subscribed=subscribed)
    messages.success(
        request,
        "You will receive the newsletter by e-mail."
        if subscribed
        else "You will no longer receive the newsletter by e-mail.",
    )
    return redirect("my_settings")


@declare(Rule.PUBLIC)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in a newsletter e-mail, no sign-in: the link itself says who. GET asks
    (mail scanners follow links), POST unsubscribes."""
    user = services.user_from_token(token)
    if user is None:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.subscription_set(user=user, subscribed=False)
        return render(request, "newsletter/unsubscribe.html", {"done": True, "email": user.email})
    return render(request, "newsletter/unsubscribe.html", {"email": user.email})
