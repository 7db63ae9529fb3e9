"""The kinds of document there are, as the apps register them.

The machinery knows no document's content: each app registers what it
contributes — as django-oscar's dashboard registers its report generators —
and the queue (``generate``), the document pages and the access rules ask
here, so adding a document edits no ``if``/``elif`` in them.

An app registers from its ``documents`` module (a package's ``__init__``
will do), which :class:`~documents.apps.DocumentsConfig` imports when the
project starts, as the admin finds ``admin`` modules:

- one :class:`Kind` per kind of document: the value ``Document.kind``
  stores, its label, its scope, its format, who may ask for it and read it,
  and the builder that makes it;
- one :class:`Scope` per kind of thing its documents are of, besides their
  round (an analysis, a nämnd, a follow-up period): how to find one, name
  it and list it. The scopes themselves are the ``Document``'s own columns
  (:data:`SCOPES`), so a new one is a change to the model, not a registration.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What a document is of: its round as a whole, or one thing of its round,
# held in the Document's column of that name (in the order of its columns).
ROUND = "round"
ANALYSIS = "analysis"
NAMND = "namnd"
PERIOD = "period"
SCOPES = (ROUND, ANALYSIS, NAMND, PERIOD)

PDF = "pdf"
XLSX = "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnknownKindError(LookupError):
    """A kind nobody registered (a stored value, or one posted)."""


@dataclass(frozen=True)
class Readers:
    """Who may ask for a document of a kind, and read it: whoever may do
    ``action`` (a rule of ``prioritering.access``) on its material — the
    document's round (``of="round"``) or its analysis (``of="analysis"``).
    A document shows nothing its reader could not read on the pages it is
    made from."""

    action: str
    of: str = ROUND


@dataclass(frozen=True)
class Kind:
    """One kind of document.

    ``build`` makes its content, in the document's language, on the worker:
    for a PDF ``build(document)`` returns the :class:`~documents.pdf.Layout`
    the renderer lays out; for an Excel ``build(document, out, progress)``
    writes the workbook to ``out`` and returns the rows written
    (``progress(done, total)`` reports how far it has come). Builders import
    what they need when called: the web process never loads them.
    """

    value: str  # what Document.kind stores; never changes once used
    label: Any  # gettext_lazy: "Beslutsunderlag (PDF)"
    scope: str  # one of SCOPES
    format: str  # PDF or XLSX
    stem: str  # the first word of its file name: "beslutsunderlag"
    readers: Readers
    build: Callable
    help: Any = ""  # what the documents page says of a round's document
    # Whether a finished document is for everyone (the published decision
    # document), asked when it is made.
    public: Callable[[Any], bool] | None = None

    # What making or publishing it reads besides its scope (select_related
    # from Document), joined in when a document is read to be made.
    related: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


@dataclass(frozen=True)
class Scope:
    """What the documents of one scope are of, as the app that owns it says."""

    name: str  # ANALYSIS, NAMND or PERIOD: the Document's column, and the posted field
    # The object with this id in the round (raises Http404 when there is none).
    find: Callable[[Any, int], Any]
    # How a title or heading names one ("Socialförvaltningen"), and a file name.
    title: Callable[[Any], str]
    slug: Callable[[Any], str]
    # The objects the documents page offers this scope's documents of, for
    # this reader (only those they may read), and the page's section for them.
    listed: Callable[[Any, Any], list]
    template: str
    # What reading a document of this scope joins in (select_related from Document).
    related: tuple[str, ...] = ()
    # Where the material is on the site, for the progress page: (text, url), or None.
    link: Callable[[Any], tuple[str, str] | None] | None = None


_kinds: dict[str, Kind] = {}
_scopes: dict[str, Scope] = {}


def register(kind: Kind) -> Kind:
    if kind.value in _kinds:
        raise ValueError(f"document kind {kind.value!r} is registered twice")
    if kind.scope not in SCOPES or kind.format not in CONTENT_TYPES:
        raise ValueError(f"document kind {kind.value!r}: scope or format unknown")
    _kinds[kind.value] = kind
    return kind


def register_scope(scope: Scope) -> Scope:
    if scope.name in _scopes or scope.name not in SCOPES or scope.name == ROUND:
        raise ValueError(f"document scope {scope.name!r} is unknown or registered twice")
    _scopes[scope.name] = scope
    return scope


def get(value: str) -> Kind:
    try:
        return _kinds[value]
    except KeyError:
        raise UnknownKindError(value) from None


def kinds(scope: str | None = None) -> list[Kind]:
    """The registered kinds (of one scope), in the order they were registered."""
    return [kind for kind in _kinds.values() if scope is None or kind.scope == scope]


def scopes() -> list[Scope]:
    """The registered scopes, in the order of the Document's columns."""
    return [_scopes[name] for name in SCOPES if name in _scopes]


def scope(name: str) -> Scope:
    return _scopes[name]


def choices() -> list[tuple[str, Any]]:
    """``Document.kind``'s choices: every registered kind and its label."""
    return [(kind.value, kind.label) for kind in _kinds.values()]


def related() -> list[str]:
    """What reading a document of any kind and scope joins in (select_related)."""
    paths = [path for each in scopes() for path in each.related]
    paths += [path for kind in kinds() for path in kind.related]
    return list(dict.fromkeys(paths))


def subject(document) -> Any:
    """What ``document`` is of besides its round (its analysis, nämnd or
    period), or None for a document of the round as a whole."""
    name = get(document.kind).scope
    return None if name == ROUND else getattr(document, name)


def subject_name(document) -> str:
    """How headings and titles name what ``document`` is of ("" for a round's)."""
    found = subject(document)
    return "" if found is None else scope(get(document.kind).scope).title(found)
