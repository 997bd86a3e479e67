"""Library pages: search with facets (HTMX live results, the query in the URL), a resource,
its download (access checked, counted), bookmarks, collections; TA staff add and edit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grantees.models import Grantee, Program
from library import selectors, services
from library.forms import CollectionForm, ResourceForm, resource_initial
from library.models import Resource
from portal.access import Rule, role_required, signed_in
from portal.roles import roles_for
from portal.services import ServiceError
from portal.uploads import private_file_response


def _filters(request: HttpRequest) -> selectors.SearchFilters:
    kind = request.GET.get("kind", "")
    return selectors.SearchFilters(
        query=request.GET.get("q", "").strip()[:200],
        kind=kind if kind in Resource.Kind.values else "",
        topic=request.GET.get("topic", "")[:80],
        model=request.GET.get("model", "")[:80],
    )


@signed_in
def library_home(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    filters = _filters(request)
    result = selectors.search(roles, filters, page_number=request.GET.get("page", 1))
    marked = selectors.bookmarked_ids(request.user, [r.pk for r in result.page.object_list])
    for resource in result.page.object_list:
        resource.is_bookmarked = resource.pk in marked
    params = {k: v for k, v in vars(filters).items() if v}
    context = {
        "result": result,
        "filters": filters,
        "page_query": urlencode({("q" if k == "query" else k): v for k, v in params.items()}),
        "is_ta_staff": roles.is_coach or roles.is_ta_admin,
    }
    if request.htmx and request.htmx.target == "library-results":
        return render(request, "library/library.html#results", context)
    since = services.library_visit(user=request.user)
    context["new_since"] = selectors.new_since(roles, since)
    context["since"] = since
    context["collections"] = selectors.collections(roles)
    return render(request, "library/library.html", context)


@signed_in
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    roles = roles_for(request)
    resource = selectors.resource_for(roles, resource_id)
    services.count_view(resource)
    context = {
        "resource": resource,
        "is_bookmarked": bool(selectors.bookmarked_ids(request.user, [resource.pk])),
        "is_ta_staff": roles.is_coach or roles.is_ta_admin,
    }
    return render(request, "library/resource_detail.html", context)


@signed_in
def resource_download(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_for(roles_for(request), resource_id)
    if not resource.file:
        return redirect("resource_detail", resource_id=resource.pk)
    services.count_download(resource)
    return private_file_response(
        resource.file, filename=resource.file_name, mimetype=resource.file_type
    )


@signed_in
@require_POST
def resource_bookmark(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_for(roles_for(request), resource_id)
    is_bookmarked = services.bookmark_toggle(user=request.user, resource=resource)
    if request.htmx:
        context = {"resource": resource, "is_bookmarked": is_bookmarked}
        return render(request, "library/partials/bookmark_button.html", context)
    messages.success(
        request, "Saved to My library." if is_bookmarked else "Removed from My library."
    )
    return redirect("resource_detail", resource_id=resource.pk)


@signed_in
def my_library(request: HttpRequest) -> HttpResponse:
    resources = selectors.bookmarks(roles_for(request), request.user)
    for resource in resources:
        resource.is_bookmarked = True
    return render(request, "library/my_library.html", {"resources": resources})


@signed_in
def collection_detail(request: HttpRequest, collection_id: int) -> HttpResponse:
    roles = roles_for(request)
    collection, resources = selectors.collection_for(roles, collection_id)
    context = {
        "collection": collection,
        "resources": resources,
        "is_ta_staff": roles.is_coach or roles.is_ta_admin,
    }
    return render(request, "library/collection_detail.html", context)


def _resource_form(request: HttpRequest, *, resource: Resource | None = None) -> HttpResponse:
    roles = roles_for(request)
    programs = Program.objects.filter(pk__in=services.program_ids_served(roles))
    grantees = Grantee.objects.filter(
        Q(pk__in=roles.coach_of) | Q(program_id__in=roles.ta_admin_of)
    ).order_by("name")
    initial = resource_initial(resource) if resource else {"visibility": "portal"}
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        programs=programs,
        grantees=grantees,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            upload = data.pop("file") or None
            try:
                if resource is None:
                    resource = services.resource_create(
                        actor=request.user, data=data, upload=upload
                    )
                else:
                    resource = services.resource_update(
                        actor=request.user, resource=resource, data=data, upload=upload
                    )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request,
                    "Published." if resource.is_published else "Saved as a draft.",
                )
                return redirect("resource_detail", resource_id=resource.pk)
    context = {"form": form, "resource": resource}
    return render(request, "library/resource_form.html", context, status=status)


def _collection_form_page(request, *, form, collection=None, status=200) -> HttpResponse:
    context = {"form": form, "collection": collection}
    if collection is not None:
        query = request.GET.get("q", "").strip()[:200]
        context["query"] = query
        context["editing"] = selectors.collection_editing(roles_for(request), collection, query)
    return render(request, "library/collection_form.html", context, status=status)


@role_required(Rule.TA_STAFF)
def collection_new(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_save(
                actor=request.user, data=form.cleaned_data, resources=[]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Collection created; now add its resources.")
            return redirect("collection_edit", collection_id=collection.pk)
    return _collection_form_page(request, form=form, status=422 if form.errors else 200)


@role_required(Rule.TA_STAFF)
def collection_edit(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_by_id(collection_id)
    initial = {"title": collection.title, "summary": collection.summary}
    form = CollectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(
                actor=request.user, collection=collection, data=form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Collection saved.")
            return redirect("collection_edit", collection_id=collection.pk)
    status = 422 if form.errors else 200
    return _collection_form_page(request, form=form, collection=collection, status=status)


COLLECTION_ACTIONS = {"up": -1, "down": 1}


@role_required(Rule.TA_STAFF)
@require_POST
def collection_items(request: HttpRequest, collection_id: int) -> HttpResponse:
    """Add, move or remove one item; back to the editing page (with the search kept)."""
    collection = selectors.collection_by_id(collection_id)
    roles = roles_for(request)
    action = request.POST.get("action", "")
    try:
        resource_id = int(request.POST.get("resource", ""))
    except ValueError:
        resource_id = 0
    if action == "add":
        resource = selectors.resource_for(roles, resource_id)
        try:
            services.collection_add(actor=request.user, collection=collection, resource=resource)
        except ServiceError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Added “{resource.title}”.")
    elif action in COLLECTION_ACTIONS:
        services.collection_move(
            actor=request.user,
            collection=collection,
            resource_id=resource_id,
            offset=COLLECTION_ACTIONS[action],
        )
    elif action == "remove":
        services.collection_remove(
            actor=request.user, collection=collection, resource_id=resource_id
        )
        messages.success(request, "Removed from the collection.")
    url = reverse("collection_edit", args=[collection.pk])
    query = request.POST.get("q", "").strip()
    return redirect(url + (f"?{urlencode({'q': query})}" if query else "") + "#items")


@role_required(Rule.TA_STAFF)
@require_POST
def collection_delete(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_by_id(collection_id)
    services.collection_delete(actor=request.user, collection=collection)
    messages.success(request, f"Collection “{collection.title}” deleted; its resources stay.")
    return redirect("library")


@role_required(Rule.TA_STAFF)
def resource_new(request: HttpRequest) -> HttpResponse:
    return _resource_form(request)


@role_required(Rule.LIBRARY_EDIT)
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_for(roles_for(request), resource_id)
    return _resource_form(request, resource=resource)
