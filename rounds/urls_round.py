"""URLs under /omgangar/: rounds, analyses and proposals, by budget year."""

from django.urls import include, path

from rounds.views import analysis_synthesis, analysis_workflow

urlpatterns: list = []

# Analysis workflow
urlpatterns += [
    path("<year:year>/analyser/", analysis_workflow.analysis_list, name="analysis_list"),
    path(
        "<year:year>/analyser/sammanstallning/",
        analysis_synthesis.analysis_synthesis,
        name="analysis_synthesis",
    ),
    path(
        "<year:year>/analyser/sammanstallning.xlsx",
        analysis_synthesis.analysis_synthesis_xlsx,
        name="analysis_synthesis_xlsx",
    ),
    path(
        "<year:year>/analyser/<id:forvaltning_id>/lamna-in/",
        analysis_workflow.analysis_submit,
        name="analysis_submit",
    ),
    path(
        "<year:year>/analyser/<id:forvaltning_id>/aterlamna/",
        analysis_workflow.analysis_return,
        name="analysis_return",
    ),
]

# Round
from rounds.views import round as round_views  # noqa: E402

urlpatterns += [
    path("", round_views.round_list, name="round_list"),
    path("ny/", round_views.round_create, name="round_create"),
    path("<year:year>/", round_views.round_detail, name="round_detail"),
    path("<year:year>/installningar/", round_views.round_settings, name="round_settings"),
    path("<year:year>/fas/", round_views.round_move_phase, name="round_move_phase"),
    path(
        "<year:year>/forutsattningar/",
        round_views.round_forutsattningar,
        name="round_forutsattningar",
    ),
    path(
        "<year:year>/bilagor/<id:pk>/",
        round_views.attachment_download,
        name="attachment_download",
    ),
    path("<year:year>/listor/", round_views.round_lists, name="round_lists"),
]

# Analysis grid
from rounds.views import analysis_grid  # noqa: E402

_ITEMS = "<year:year>/analyser/<id:forvaltning_id>/punkter/"
urlpatterns += [
    path(
        "<year:year>/analyser/<id:forvaltning_id>/",
        analysis_grid.analysis_grid,
        name="analysis_grid",
    ),
    path(
        _ITEMS + "ruta/<id:perspektiv_id>/<id:column>/",
        analysis_grid.analysis_cell,
        name="analysis_cell",
    ),
    path(_ITEMS + "ny/", analysis_grid.analysis_item_add, name="analysis_item_add"),
    path(
        _ITEMS + "<id:item_id>/andra/",
        analysis_grid.analysis_item_edit,
        name="analysis_item_edit",
    ),
    path(
        _ITEMS + "<id:item_id>/flytta/",
        analysis_grid.analysis_item_move,
        name="analysis_item_move",
    ),
    path(
        _ITEMS + "<id:item_id>/ta-bort/",
        analysis_grid.analysis_item_delete,
        name="analysis_item_delete",
    ),
    path(
        _ITEMS + "<id:item_id>/forslag/",
        analysis_grid.analysis_item_proposal,
        name="analysis_item_proposal",
    ),
]

# Proposals
from rounds.views import proposal as proposal_views  # noqa: E402

urlpatterns += [
    path("<year:year>/forslag/", proposal_views.proposal_list, name="proposal_list"),
    path(
        "<year:year>/forslag/nytt/<id:forvaltning_id>/",
        proposal_views.proposal_create,
        name="proposal_create",
    ),
    path(
        "<year:year>/forslag/<id:number>/",
        proposal_views.proposal_detail,
        name="proposal_detail",
    ),
    path(
        "<year:year>/forslag/<id:number>/andra/",
        proposal_views.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "<year:year>/forslag/<id:number>/aterkalla/",
        proposal_views.proposal_withdraw,
        name="proposal_withdraw",
    ),
]

# Faktaunderlag on proposals and analysis items
from rounds.views import faktaunderlag as fakta_views  # noqa: E402

urlpatterns += [
    path(
        "<year:year>/forslag/<id:number>/faktaunderlag/",
        fakta_views.proposal_faktaunderlag,
        name="proposal_faktaunderlag",
    ),
    path(
        _ITEMS + "<id:item_id>/faktaunderlag/",
        fakta_views.item_faktaunderlag,
        name="item_faktaunderlag",
    ),
    path(
        "<year:year>/faktaunderlag/<id:pk>/",
        fakta_views.faktaunderlag_download,
        name="faktaunderlag_download",
    ),
]

# Nämnd ranking
urlpatterns += [path("<year:year>/namnder/", include("ranking.urls_namnd"))]

# Forum
urlpatterns += [
    path("<year:year>/forum/", include("ranking.urls_forum")),
    path("<year:year>/forum/", include("ranking.urls_decision")),
]

# Documents
urlpatterns += [path("<year:year>/dokument/", include("rounds.urls_documents"))]

# Import
from rounds.views import importing  # noqa: E402

urlpatterns += [
    path("<year:year>/importera/", importing.import_upload, name="import_proposals"),
    path(
        "<year:year>/importera/bekrafta/",
        importing.import_confirm,
        name="import_proposals_confirm",
    ),
]
