"""The controller's page of a round's forum members: who is in the forum and
whom each represents, a form to name one more, a member's representation
changed, and a member who has not ranked removed. The page stays readable
after the forum phase; it is written only while the members may change
(``name_forum_members``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prioritering.access import may, require
from prioritering.history import forum_member_history
from ranking import selectors
from ranking.forms import ForumMemberForm
from ranking.models import ForumMember
from ranking.services import forum_members as services
from ranking.views.common import forum_context, get_forum_round
from rounds.models import User


def _candidates(round):
    """Who can be named: the active users not in the forum already."""
    return (
        User.objects.filter(is_active=True)
        .exclude(forum_memberships__round=round)
        .order_by("first_name", "last_name", "username")
    )


def _representation(data) -> dict:
    return {
        "namnd": data.get("namnd"),
        "forvaltning": data.get("forvaltning"),
        "other": data.get("other", ""),
    }


def _list_url(round) -> str:
    return reverse("forum_members", args=[round.budget_year])


def _page(request, round, form, editing=None):
    members = selectors.forum_members(round)
    context = forum_context(
        round,
        request,
        form=form,
        members=members,
        editing=editing,
        can_name=may(request.user, "name_forum_members", round),
        proposals=selectors.forwarded_proposals(round).count(),
        ranked=sum(1 for member in members if member.ranked),
        history=forum_member_history(round),
    )
    return render(request, "ranking/forum/members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def forum_members(request, year):
    """The members, and the form that names one more."""
    round = get_forum_round(year)
    require(request.user, "manage_round", round)
    if request.method == "POST":
        require(request.user, "name_forum_members", round)
    form = None
    if may(request.user, "name_forum_members", round):
        form = ForumMemberForm(
            request.POST if request.method == "POST" else None,
            round=round,
            users=_candidates(round),
            initial={"representation": ""},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_forum_member(
                round,
                data["user"],
                data["representation"],
                by=request.user,
                **_representation(data),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(name)s är med i forumet och representerar %(represents)s.")
                % {"name": _name(member.user), "represents": member.represents},
            )
            return redirect(f"{_list_url(round)}#deltagare-{member.pk}")
    return _page(request, round, form)


@login_required
@require_http_methods(["GET", "POST"])
def forum_member_edit(request, year, pk):
    """Change whom one member represents."""
    round = get_forum_round(year)
    require(request.user, "name_forum_members", round)
    member = get_object_or_404(
        ForumMember.objects.select_related("user", "namnd", "forvaltning"), pk=pk, round=round
    )
    initial = {
        "representation": member.representation,
        "namnd": member.namnd_id,
        "forvaltning": member.forvaltning_id,
        "other": member.other,
    }
    form = ForumMemberForm(
        request.POST if request.method == "POST" else None, round=round, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.change_representation(
                member, data["representation"], by=request.user, **_representation(data)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(name)s representerar nu %(represents)s.")
                % {"name": _name(member.user), "represents": member.represents},
            )
            return redirect(f"{_list_url(round)}#deltagare-{member.pk}")
    return _page(request, round, form, editing=member)


@login_required
@require_POST
def forum_member_remove(request, year, pk):
    """Remove a member who has not ranked; one who has is refused, with why."""
    round = get_forum_round(year)
    require(request.user, "name_forum_members", round)
    member = get_object_or_404(ForumMember.objects.select_related("user"), pk=pk, round=round)
    try:
        services.remove_forum_member(member, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{_list_url(round)}#deltagare-{member.pk}")
    messages.success(request, _("%(name)s är borttagen ur forumet.") % {"name": _name(member.user)})
    return redirect(_list_url(round))


def _name(user) -> str:
    return user.get_full_name() or user.username
