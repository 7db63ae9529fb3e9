"""URLs under /omgangar/: rounds, analyses and proposals, by budget year."""

from django.urls import include, path

from rounds.views import analysis_workflow

urlpatterns: list = []

# --- analysis workflow ---
urlpatterns += [
    path("<int:year>/analyser/", analysis_workflow.analysis_list, name="analysis_list"),
    path(
        "<int:year>/analyser/<int:forvaltning_id>/lamna-in/",
        analysis_workflow.analysis_submit,
        name="analysis_submit",
    ),
    path(
        "<int:year>/analyser/<int:forvaltning_id>/aterlamna/",
        analysis_workflow.analysis_return,
        name="analysis_return",
    ),
]
# --- end analysis workflow ---

# --- round ---
from rounds.views import round as round_views  # noqa: E402

urlpatterns += [
    path("", round_views.round_list, name="round_list"),
    path("ny/", round_views.round_create, name="round_create"),
    path("<int:year>/", round_views.round_detail, name="round_detail"),
    path("<int:year>/installningar/", round_views.round_settings, name="round_settings"),
    path("<int:year>/fas/", round_views.round_move_phase, name="round_move_phase"),
    path(
        "<int:year>/forutsattningar/",
        round_views.round_forutsattningar,
        name="round_forutsattningar",
    ),
    path(
        "<int:year>/bilagor/<int:pk>/",
        round_views.attachment_download,
        name="attachment_download",
    ),
    path("<int:year>/listor/", round_views.round_lists, name="round_lists"),
]
# --- end round ---

# --- analysis grid ---
from rounds.views import analysis_grid  # noqa: E402

_ITEMS = "<int:year>/analyser/<int:forvaltning_id>/punkter/"
urlpatterns += [
    path(
        "<int:year>/analyser/<int:forvaltning_id>/",
        analysis_grid.analysis_grid,
        name="analysis_grid",
    ),
    path(
        _ITEMS + "ruta/<int:perspektiv_id>/<int:column>/",
        analysis_grid.analysis_cell,
        name="analysis_cell",
    ),
    path(_ITEMS + "ny/", analysis_grid.analysis_item_add, name="analysis_item_add"),
    path(
        _ITEMS + "<int:item_id>/andra/",
        analysis_grid.analysis_item_edit,
        name="analysis_item_edit",
    ),
    path(
        _ITEMS + "<int:item_id>/flytta/",
        analysis_grid.analysis_item_move,
        name="analysis_item_move",
    ),
    path(
        _ITEMS + "<int:item_id>/ta-bort/",
        analysis_grid.analysis_item_delete,
        name="analysis_item_delete",
    ),
    path(
        _ITEMS + "<int:item_id>/forslag/",
        analysis_grid.analysis_item_proposal,
        name="analysis_item_proposal",
    ),
]
# --- end analysis grid ---

# --- proposals ---
from rounds.views import proposal as proposal_views  # noqa: E402

urlpatterns += [
    path("<int:year>/forslag/", proposal_views.proposal_list, name="proposal_list"),
    path(
        "<int:year>/forslag/nytt/<int:forvaltning_id>/",
        proposal_views.proposal_create,
        name="proposal_create",
    ),
    path(
        "<int:year>/forslag/<int:number>/",
        proposal_views.proposal_detail,
        name="proposal_detail",
    ),
    path(
        "<int:year>/forslag/<int:number>/andra/",
        proposal_views.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "<int:year>/forslag/<int:number>/aterkalla/",
        proposal_views.proposal_withdraw,
        name="proposal_withdraw",
    ),
]
# --- end proposals ---

# --- nämnd ranking ---
urlpatterns += [path("<int:year>/namnder/", include("ranking.urls"))]
# --- end nämnd ranking ---

# --- forum ---
urlpatterns += [path("<int:year>/forum/", include("ranking.urls_forum"))]
# --- end forum ---

# --- documents ---
urlpatterns += [path("<int:year>/dokument/", include("ranking.urls_documents"))]
# --- end documents ---

# --- import ---
from rounds.views import importing  # noqa: E402

urlpatterns += [
    path("<int:year>/importera/", importing.import_upload, name="import_proposals"),
    path(
        "<int:year>/importera/bekrafta/",
        importing.import_confirm,
        name="import_proposals_confirm",
    ),
]
# --- end import ---

# --- follow-up carry ---
from rounds.views import followup_carry, round_comparison  # noqa: E402

urlpatterns += [
    path(
        "<int:year>/forslag/<int:number>/for-over/",
        followup_carry.proposal_carry_over,
        name="proposal_carry_over",
    ),
    path("<int:year>/overforing/", followup_carry.followup_carry_list, name="followup_carry_list"),
    path("<int:year>/jamforelse/", round_comparison.round_comparison, name="round_comparison"),
]
# --- end follow-up carry ---

# --- follow-up overview ---
from rounds.views import followup_overview  # noqa: E402

urlpatterns += [
    path(
        "<int:year>/uppfoljning/<str:period>/",
        followup_overview.followup_overview,
        name="followup_overview",
    ),
]
# --- end follow-up overview ---

# --- follow-up reports ---
from rounds.views import followup_reports  # noqa: E402

# "perioder" would also match a period slug (<str:period>) of the overview's
# URL, so the periods' page goes first whatever the order of the blocks here.
urlpatterns[:0] = [
    path(
        "<int:year>/uppfoljning/perioder/",
        followup_reports.followup_periods,
        name="followup_periods",
    ),
]
urlpatterns += [
    path("<int:year>/uppfoljning/", followup_reports.followup_index, name="followup_index"),
    path(
        "<int:year>/uppfoljning/<str:period>/<int:number>/",
        followup_reports.followup_report,
        name="followup_report",
    ),
    path(
        "<int:year>/uppfoljning/<str:period>/<int:number>/aterlamna/",
        followup_reports.followup_report_return,
        name="followup_report_return",
    ),
]
# --- end follow-up reports ---
