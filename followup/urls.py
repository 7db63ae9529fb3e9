"""URLs under /omgangar/<year>/ of the follow-up: the reports and periods, the
overview, the bodies' decisions on a period's measures, a decided proposal's
genomförande, carrying over and the
comparison of two rounds. Included beside rounds' URLs (prioritering.urls),
so rounds knows nothing of them; no path here overlaps one of rounds'."""

from django.urls import path

from followup.views import carry, comparison, decisions, implementation, overview, reports

urlpatterns = [
    # "perioder" would also match a period slug (<str:period>) of the
    # overview's URL, so the periods' page goes first.
    path("<year:year>/uppfoljning/perioder/", reports.followup_periods, name="followup_periods"),
    path("<year:year>/uppfoljning/", reports.followup_index, name="followup_index"),
    path(
        "<year:year>/uppfoljning/<str:period>/",
        overview.followup_overview,
        name="followup_overview",
    ),
    path(
        "<year:year>/uppfoljning/<str:period>/beslut/",
        decisions.period_decisions_page,
        name="period_decisions",
    ),
    path(
        "<year:year>/uppfoljning/<str:period>/beslut/<id:pk>/",
        decisions.period_decision_edit,
        name="period_decision_edit",
    ),
    path(
        "<year:year>/uppfoljning/<str:period>/<id:number>/",
        reports.followup_report,
        name="followup_report",
    ),
    path(
        "<year:year>/uppfoljning/<str:period>/<id:number>/aterlamna/",
        reports.followup_report_return,
        name="followup_report_return",
    ),
    path(
        "<year:year>/forslag/<id:number>/for-over/",
        carry.proposal_carry_over,
        name="proposal_carry_over",
    ),
    path(
        "<year:year>/forslag/<id:number>/genomforande/",
        implementation.proposal_implementation,
        name="proposal_implementation",
    ),
    path("<year:year>/overforing/", carry.followup_carry_list, name="followup_carry_list"),
    path("<year:year>/jamforelse/", comparison.round_comparison, name="round_comparison"),
]
