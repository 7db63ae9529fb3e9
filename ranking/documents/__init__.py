"""The ranking's documents, registered with the document machinery
(``documents.registry``): the decision document and one nämnd's ranking as
PDF (``pdf_content``), and the ranking tools, the forum's compilation and the
decisions as Excel (``excel``).

The builders import their modules when called: only the worker makes
documents, and the web process never loads the renderer.
"""

from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from documents import registry
from documents.registry import NAMND, PDF, ROUND, XLSX, Kind, Readers, Scope
from ranking.models import NamndResult
from rounds.models import Namnd

DECISION_PDF = "beslut-pdf"
RANKING_PDF = "namnd-pdf"
BASE_XLSX = "bas-xlsx"
INVESTMENT_XLSX = "investering-xlsx"
FORUM_XLSX = "forum-xlsx"
DECISIONS_XLSX = "beslut-xlsx"


def _is_published(document) -> bool:
    """A decision document made from a published round is the published one."""
    result = getattr(document.round, "forum_result", None)
    return bool(result and result.published_at)


def _decision_pdf(document):
    from ranking.documents.pdf_content import decision_document

    return decision_document(document.round)


def _base_xlsx(document, out, progress):
    from ranking.documents.excel import write_base_ranking

    return write_base_ranking(document.round, out, progress=progress)


def _investment_xlsx(document, out, progress):
    from ranking.documents.excel import write_investments

    return write_investments(document.round, out, progress=progress)


def _forum_xlsx(document, out, progress):
    from ranking.documents.excel import write_forum_compilation

    return write_forum_compilation(document.round, out, progress=progress)


def _decisions_xlsx(document, out, progress):
    from ranking.documents.excel import write_decisions

    return write_decisions(document.round, out, progress=progress)


# --- the round's documents -------------------------------------------------------------

# The forum's and the nämnder's pages are every signed-in reader's, and so are
# their documents.
registry.register(
    Kind(
        value=DECISION_PDF,
        label=gettext_lazy("Beslutsunderlag (PDF)"),
        scope=ROUND,
        format=PDF,
        stem="beslutsunderlag",
        readers=Readers("view_forum"),
        build=_decision_pdf,
        help=gettext_lazy(
            "Beslutsunderlaget till kommunstyrelsen: sammanfattning, budgetlinje, matris, "
            "rangordnad tabell, granskning, beslut och en sida per förslag."
        ),
        public=_is_published,
        related=("round__forum_result",),
    )
)
registry.register(
    Kind(
        value=BASE_XLSX,
        label=gettext_lazy("Rangordningsverktyg, bas (Excel)"),
        scope=ROUND,
        format=XLSX,
        stem="rangordning-bas",
        readers=Readers("view_namnd_ranking"),
        build=_base_xlsx,
        help=gettext_lazy("Basverktyget för rangordning, ett blad per nämnd."),
    )
)
registry.register(
    Kind(
        value=INVESTMENT_XLSX,
        label=gettext_lazy("Rangordningsverktyg, investeringar (Excel)"),
        scope=ROUND,
        format=XLSX,
        stem="rangordning-investeringar",
        readers=Readers("view_namnd_ranking"),
        build=_investment_xlsx,
        help=gettext_lazy("Verktyget för investeringar: år 1, 2, 3 och 4–10."),
    )
)
registry.register(
    Kind(
        value=FORUM_XLSX,
        label=gettext_lazy("Forumsammanställning (Excel)"),
        scope=ROUND,
        format=XLSX,
        stem="forumsammanstallning",
        readers=Readers("view_forum"),
        build=_forum_xlsx,
        help=gettext_lazy("Forumets sammanställning av förslagen som nämnderna skickat vidare."),
    )
)
registry.register(
    Kind(
        value=DECISIONS_XLSX,
        label=gettext_lazy("Beslut (Excel)"),
        scope=ROUND,
        format=XLSX,
        stem="beslut",
        readers=Readers("view_forum"),
        build=_decisions_xlsx,
        help=gettext_lazy("Den beslutade ordningen med varje beslut och motivering."),
    )
)


# --- one nämnd's ranking ----------------------------------------------------------------


def _find_namnd(round, pk: int) -> Namnd:
    """A nämnd that has a ranking in the round."""
    return get_object_or_404(
        NamndResult.objects.select_related("namnd"), round=round, namnd_id=pk
    ).namnd


def _namnder(user, round) -> list[Namnd]:
    """The nämnder that have begun their ranking in the round, by name."""
    return list(
        Namnd.objects.filter(
            pk__in=NamndResult.objects.filter(round=round).values("namnd")
        ).order_by("name")
    )


def _ranking_pdf(document):
    from ranking.documents.pdf_content import ranking_document

    result = NamndResult.objects.select_related("round", "namnd").get(
        round=document.round, namnd=document.namnd
    )
    return ranking_document(result)


registry.register_scope(
    Scope(
        name=NAMND,
        find=_find_namnd,
        title=lambda namnd: namnd.name,
        slug=lambda namnd: slugify(namnd.name),
        listed=_namnder,
        template="ranking/documents/list_namnder.html",
        related=("namnd",),
    )
)
registry.register(
    Kind(
        value=RANKING_PDF,
        label=gettext_lazy("Nämndens rangordning (PDF)"),
        scope=NAMND,
        format=PDF,
        stem="rangordning",
        readers=Readers("view_namnd_ranking"),
        build=_ranking_pdf,
    )
)
