"""A decided proposal's genomförande: where it was taken into its nämnd's
verksamhetsplan, budget and internkontrollplan, with date and reference.
Whoever may read it sees what is recorded and its history; the controller and
the proposal's förvaltning record and correct it here (the source's step
"Genomförande"). Reached from the proposal page and the follow-up overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followup.forms import ImplementationForm
from followup.rules import parts_of
from followup.services import (
    ImplementationConflict,
    implementation_of,
    record_implementation,
)
from prioritering.access import may, require
from prioritering.history import implementation_history
from rounds.views.common import get_proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_implementation(request, year, number):
    proposal = get_proposal(request, year, number)
    require(request.user, "view_implementation", proposal)
    may_record = may(request.user, "record_implementation", proposal)
    implementation = implementation_of(proposal)
    conflict = None
    form = None
    if request.method == "POST":
        require(request.user, "record_implementation", proposal)
        form = ImplementationForm(request.POST)
        if form.is_valid():
            try:
                record_implementation(
                    proposal,
                    form.implementation_fields(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ImplementationConflict as error:
                # Nothing typed is lost: the form keeps it, the saved values
                # are shown beside it, and the next save is against them.
                conflict = implementation = error.current
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = ImplementationForm(data)
                form.is_valid()
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Genomförandet för %(reference)s är sparat.")
                    % {"reference": proposal.reference},
                )
                return redirect("proposal_implementation", year=year, number=number)
    elif may_record:
        form = ImplementationForm.for_implementation(implementation)
    context = {
        "proposal": proposal,
        "round": proposal.round,
        "analysis": proposal.analysis,
        "decision": proposal.decision,
        "implementation": implementation,
        "parts": parts_of(implementation),
        "form": form,
        "conflict": conflict,
        "history": implementation_history(implementation) if implementation else [],
        "may_view_overview": may(request.user, "view_follow_up_overview", proposal.round),
    }
    return render(request, "followup/implementation.html", context)
