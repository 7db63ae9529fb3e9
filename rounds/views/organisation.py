from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from prioritering.access import require
from rounds.forms import text_errors
from rounds.models import Forvaltning, Membership, Namnd, Role, User

PEOPLE_PER_PAGE = 50


@login_required
@require_GET
def organisation(request):
    require(request.user, "view_organisation")
    chefs = Membership.objects.filter(role=Role.FORVALTNINGSCHEF).select_related("user")
    namnder = Namnd.objects.select_related("kommun").prefetch_related(
        Prefetch(
            "forvaltningar",
            queryset=Forvaltning.objects.prefetch_related(
                Prefetch("memberships", queryset=chefs, to_attr="chefs")
            ),
        )
    )
    return render(request, "rounds/organisation.html", {"namnder": namnder})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def people(request):
    """Who holds which role. Filtering swaps only the results (htmx); the same
    URL gives the whole page, so Back and a reload show the same thing."""
    require(request.user, "view_people")
    query = request.GET.get("q", "").strip()
    if text_errors({"q": query}):
        query = ""  # a NUL: no name holds one (and PostgreSQL cannot compare it)
    role = request.GET.get("roll", "")
    users = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(memberships__forvaltning__name__icontains=query)
            | Q(memberships__namnd__name__icontains=query)
        ).distinct()
    if role in Role.values:
        users = users.filter(memberships__role=role).distinct()
    users = users.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("forvaltning", "namnd"))
    )
    page = Paginator(users, PEOPLE_PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "query": query,
        "role": role,
        "roles": Role.choices,
        "filter_query": _query_without_page(request),
    }
    template = "rounds/people.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("sida", None)
    return params.urlencode()
