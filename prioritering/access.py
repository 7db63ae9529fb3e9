"""Who may do what — the one place that answers it.

Every view asks :func:`require` (or :func:`may`) before it acts, and every
template asks the same question through ``{% may user "action" obj as ok %}``,
so a button is shown exactly when the server would allow its action.

Rules are default-deny: an action with no rule is a programming error
(``UnknownActionError``), and a rule that does not say yes says no. A user's
memberships are read once per request and kept on the user object.

Actions defined so far (later features add theirs here, with a test row each
in ``tests/test_access.py``):

=====================  ==================================================
``view_start``         see one's own start page ("Mina uppgifter")
``view_organisation``  read the kommun's nämnder and förvaltningar
``view_people``        read who holds which role (administratör, controller)
``administer``         the admin site: organisation, users, memberships
``change_password``    change one's own password
``enrol_two_factor``   add, replace or remove one's own second factor (TOTP)
                       (obj: how the session signed in, "oidc" or
                       "password"/None): administratör and controller,
                       signed in with a password (prioritering.two_factor)
``change_notice_settings``  choose one's own e-mail notices and their
                       language (``/konto/aviseringar/``)
``view_round``         read a round's instructions, timeline, förutsättningar
``manage_round``       create rounds, move a round's phase forward, set the
                       follow-up periods (controller)
``set_up_round``       change a round's set-up: settings, frame, deadlines,
                       förutsättningar, attachments, lists (controller;
                       final once published)
``move_phase_back``    move a round's phase back (controller; never once
                       the round is published)
``view_analysis``      read a verksamhetsanalys and its proposals
``edit_analysis``      edit a förvaltning's grid and proposals, now
``submit_analysis``    submit the analysis to the nämnd (förvaltningschef)
``return_analysis``    return a submitted analysis with a comment
``view_analysis_synthesis``  read the sammanställning of a round's analyses
                       across förvaltningar, and export it: anyone signed
                       in; it lists only the analyses the reader may read
                       (:func:`visible_analyses`: another förvaltning's
                       draft never)
``view_proposal``      read a proposal and its history
``edit_proposal``      change a proposal, now
``withdraw_proposal``  mark a proposal withdrawn
``view_namnd_ranking``  read a nämnd's ranking of its proposals
``rank_in_namnd``      set ranks, order and handling in the nämnd, now
``record_namnd_result``  record the nämnd's result (date, §)
``view_forum``         read the forum's compiled list and sammanvägd rangordning
``rank_in_forum``      set one's own ranks in the forum (a round), now: the
                       round's forum members (``ranking.ForumMember``), in
                       the forum phase — the role forumdeltagare alone is
                       not enough
``view_forum_history``  read one's own earlier forum ranks in a round (its
                       forum members)
``view_own_forum_sheet``  read one's own forum sheet, read-only once the forum
                       phase is over (the round's forum members, from the
                       forum phase)
``name_forum_members``  name a round's forum members and whom each represents,
                       and remove one who has not ranked (controller, until
                       the forum phase ends; final once published)
``decide_in_forum``    record the agreed order, the review and the decisions
                       (controller, in the forum and Beslut phases, until
                       the round is published)
``publish_round``      publish the round's result to the public (controller,
                       from the Beslut phase, once)
``view_published``     read a round's published result: anyone, signed in or
                       not, once the round is published
``correct_decision``   record a rättelse of a published decision, with its
                       reason, beside the original (controller, once the
                       round is published)
``record_body_decision``  record and correct the decisions of the
                       kommunstyrelse and the kommunfullmäktige on the round
                       (controller and administratör, from the Beslut phase;
                       published or not: KS and KF decide after the forum)
``download_body_protocol``  fetch the protocol of such a decision: anyone,
                       signed in or not, once the round is published; before
                       that only who may record them
``generate_document``  ask for a document (PDF, Excel) of a round's material:
                       whoever may read that material — each kind of
                       document names the action that reads it, on its
                       round or its analysis (``documents.registry``:
                       its ``readers``), e.g. ``view_analysis`` for an
                       analysis's documents, ``view_forum`` for the
                       decision document
``download_document``  fetch a generated document: as ``generate_document``;
                       and anyone, signed in or not, for a published round's
                       decision document made after publication
``import_proposals``   import proposals and analysis items from Excel into
                       a round (controller, until the round is published)
``view_follow_up_overview``  read the follow-up of every förvaltning in a
                       round: the overview, what is carried over, comparing
                       rounds (controller; and the läsare, read-only; the
                       periods are the round's set-up: ``manage_round``)
``export_follow_up``   ask for the follow-up's documents (PDF, Excel):
                       the controller
``view_follow_up_index``  open a round's follow-up page: the controller and
                       the läsare, and förvaltning staff (who see their own
                       förvaltningar's)
``view_follow_up``     one förvaltning's follow-up reports in a round
                       (obj: its Analysis): the controller, the läsare and
                       the förvaltning's staff
``report_follow_up``   write and submit a report (obj: FollowUpReport, saved
                       or not): the responsible förvaltning's staff, in the
                       uppföljning phase, while the report is not submitted
``return_follow_up_report``  reopen a submitted report with a comment
                       (controller, in the uppföljning phase)
``record_period_decision``  record and correct the decisions of a nämnd,
                       KS or KF on the measures a follow-up period proposes
                       (obj: the FollowUpPeriod; the controller, once the
                       round is followed up)
``carry_over_proposal``  carry a decided proposal into the next round as a
                       new proposal: the controller, or the förvaltning's
                       staff while their analysis there is open for work
``view_implementation``  read where a decided proposal was taken into its
                       nämnd's verksamhetsplan, budget and
                       internkontrollplan (obj: the Proposal, decided to be
                       carried out, its round published): the controller,
                       the läsare, the nämndledamöter and the proposal's
                       förvaltning's staff
``record_implementation``  record and correct that (genomförande): the
                       controller, and the proposal's förvaltning's staff
=====================  ==================================================

**Publication is final.** Once a round is published, nothing its public
page, its published decision document and its decisions rest on may change:
the actions in :data:`FINAL_ONCE_PUBLISHED` are refused for everyone,
whatever their rule says (:func:`may` applies it, so the rules need not
remember to). A refusal for that reason raises :class:`RoundIsFinal`, so the
page can say why. Follow-up, carrying over and rättelser go on.

Who may read what is also needed as a query (lists must not show what the
user may not read): :func:`visible_analyses` and :func:`visible_proposals`
give the same answer as ``view_analysis`` and ``view_proposal``, and a test
holds them to it. The shared lists — the nämnd's ranking, the forum and its
outcome, the public page and their documents — show the same material to
every reader, so they list :func:`shared_proposals`: what every signed-in
user may read (the proposals of submitted analyses), never a draft.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q

from documents import registry
from rounds.models import Analysis, AnalysisStatus, Membership, Phase, Proposal, Role, Round

security_log = logging.getLogger("prioritering.security")


class UnknownActionError(LookupError):
    """An action nobody wrote a rule for: a typo or a missing rule."""


@dataclass(frozen=True)
class Roles:
    """A user's memberships, read once, in the shapes the rules need."""

    roles: frozenset[str]
    forvaltning_ids: dict[str, frozenset[int]]
    namnd_ids: dict[str, frozenset[int]]
    is_superuser: bool = False

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def in_forvaltning(self, forvaltning_id: int, *roles: str) -> bool:
        return any(forvaltning_id in self.forvaltning_ids.get(role, ()) for role in roles)

    def in_namnd(self, namnd_id: int, *roles: str) -> bool:
        return any(namnd_id in self.namnd_ids.get(role, ()) for role in roles)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.roles


NO_ROLES = Roles(frozenset(), {}, {})


def roles_of(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_prioritering_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    forvaltningar: dict[str, set[int]] = {}
    namnder: dict[str, set[int]] = {}
    for role, forvaltning_id, namnd_id in Membership.objects.filter(user=user).values_list(
        "role", "forvaltning_id", "namnd_id"
    ):
        roles.add(role)
        if forvaltning_id:
            forvaltningar.setdefault(role, set()).add(forvaltning_id)
        if namnd_id:
            namnder.setdefault(role, set()).add(namnd_id)
    result = Roles(
        frozenset(roles),
        {role: frozenset(ids) for role, ids in forvaltningar.items()},
        {role: frozenset(ids) for role, ids in namnder.items()},
        is_superuser=user.is_superuser,
    )
    user._prioritering_roles = result
    return result


def forget_roles(user) -> None:
    """Drop the cached roles, e.g. after memberships changed in this request."""
    user.__dict__.pop("_prioritering_roles", None)
    user.__dict__.pop("_prioritering_forum_rounds", None)


Rule = Callable[[object, Roles, object], bool]


def _signed_in(user, roles: Roles, obj) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _administer(user, roles: Roles, obj) -> bool:
    return _signed_in(user, roles, obj) and roles.is_admin


# Two-factor (TOTP): how a session signed in, as prioritering.two_factor reads it.
SIGNED_IN_WITH_OIDC = "oidc"


def _enrol_two_factor(user, roles: Roles, sign_in_method) -> bool:
    """A second factor for password accounts that administer; an account that
    signed in through OpenID Connect has its provider's MFA instead."""
    return (
        _signed_in(user, roles, sign_in_method)
        and (roles.is_admin or roles.has(Role.CONTROLLER))
        and sign_in_method != SIGNED_IN_WITH_OIDC
    )


def _view_people(user, roles: Roles, obj) -> bool:
    return _signed_in(user, roles, obj) and (roles.is_admin or roles.has(Role.CONTROLLER))


def _manage_round(user, roles: Roles, obj) -> bool:
    return _signed_in(user, roles, obj) and roles.has(Role.CONTROLLER)


def _move_phase_back(user, roles: Roles, round) -> bool:
    return _manage_round(user, roles, round) and round.phase > Phase.PLANERING


STAFF = (Role.TJANSTEPERSON, Role.FORVALTNINGSCHEF)
EDITABLE = {AnalysisStatus.DRAFT, AnalysisStatus.RETURNED}
# The status of the analyses everyone signed in may read: submitted. Drafts
# and returned analyses stay within their förvaltning (and the controller).
SHARED_STATUS = AnalysisStatus.SUBMITTED


def _view_analysis(user, roles: Roles, analysis: Analysis) -> bool:
    if not _signed_in(user, roles, analysis):
        return False
    return (
        roles.has(Role.CONTROLLER)
        or analysis.status == SHARED_STATUS
        or roles.in_forvaltning(analysis.forvaltning_id, *STAFF)
        or (
            analysis.status == AnalysisStatus.RETURNED
            and roles.in_namnd(analysis.forvaltning.namnd_id, Role.NAMNDLEDAMOT)
        )
    )


def _open_for_work(analysis: Analysis) -> bool:
    """The förvaltning may work on the analysis now: it is a draft in the
    verksamhetsanalys phase, or it was returned, and its deadline (or the
    extension the controller gave) has not passed."""
    phase = analysis.round.phase
    in_phase = phase == Phase.VERKSAMHETSANALYS or (
        analysis.status == AnalysisStatus.RETURNED and phase == Phase.NAMND
    )
    return analysis.status in EDITABLE and in_phase and not analysis.deadline_passed()


def _edit_analysis(user, roles: Roles, analysis: Analysis) -> bool:
    return (
        _signed_in(user, roles, analysis)
        and roles.in_forvaltning(analysis.forvaltning_id, *STAFF)
        and _open_for_work(analysis)
    )


def _submit_analysis(user, roles: Roles, analysis: Analysis) -> bool:
    return (
        _signed_in(user, roles, analysis)
        and roles.in_forvaltning(analysis.forvaltning_id, Role.FORVALTNINGSCHEF)
        and _open_for_work(analysis)
    )


def _return_analysis(user, roles: Roles, analysis: Analysis) -> bool:
    """The controller, at any time the analysis is still in play; a ledamot of
    the nämnd only before the deadline — after it, only the controller reopens."""
    if not _signed_in(user, roles, analysis) or analysis.status != AnalysisStatus.SUBMITTED:
        return False
    if analysis.round.phase not in (Phase.VERKSAMHETSANALYS, Phase.NAMND):
        return False
    if roles.has(Role.CONTROLLER):
        return True
    return (
        roles.in_namnd(analysis.forvaltning.namnd_id, Role.NAMNDLEDAMOT)
        and analysis.round.phase == Phase.VERKSAMHETSANALYS
        and not analysis.round.deadline_passed(Phase.VERKSAMHETSANALYS)
    )


def _view_proposal(user, roles: Roles, proposal: Proposal) -> bool:
    return _view_analysis(user, roles, proposal.analysis)


def _edit_proposal(user, roles: Roles, proposal: Proposal) -> bool:
    return not proposal.is_withdrawn and _edit_analysis(user, roles, proposal.analysis)


def _rank_in_namnd(user, roles: Roles, result) -> bool:
    """A ledamot of that nämnd, while the round is in the nämnd phase; when the
    phase ends the nämnd's ranking is locked."""
    return (
        _signed_in(user, roles, result)
        and roles.in_namnd(result.namnd_id, Role.NAMNDLEDAMOT)
        and result.round.phase == Phase.NAMND
    )


def _forum_result(round):
    """The round's ForumResult, or None (one query unless already loaded)."""
    try:
        return round.forum_result
    except ObjectDoesNotExist:
        return None


def _is_published(round) -> bool:
    result = _forum_result(round)
    return result is not None and result.published_at is not None


def is_forum_member(user, round) -> bool:
    """Did the controller name ``user`` to ``round``'s forum
    (``ranking.ForumMember``)? Read once per user object and round; a service
    that acts on it under its lock forgets it first
    (:func:`forget_forum_membership`) and asks afresh."""
    if round is None or not user or not user.is_authenticated or not user.is_active:
        return False
    cache = user.__dict__.setdefault("_prioritering_forum_rounds", {})
    if round.pk not in cache:
        # The reverse relation of ranking.ForumMember: the project does not
        # import the apps' models above rounds.
        cache[round.pk] = round.forum_members.filter(user_id=user.pk).exists()
    return cache[round.pk]


def forget_forum_membership(user) -> None:
    user.__dict__.pop("_prioritering_forum_rounds", None)


def _rank_in_forum(user, roles: Roles, round) -> bool:
    """A member of that round's forum, while the round is in the forum phase.
    The kommun-wide role forumdeltagare alone is not enough: the controller
    names each round's members (``name_forum_members``)."""
    return (
        _signed_in(user, roles, round)
        and round.phase == Phase.FORUM
        and is_forum_member(user, round)
    )


def _view_forum_history(user, roles: Roles, round) -> bool:
    """One's own earlier ranks in a round's forum: its members."""
    return _signed_in(user, roles, round) and is_forum_member(user, round)


def _view_own_forum_sheet(user, roles: Roles, round) -> bool:
    """A member's own sheet exists from the forum phase on; after it (and
    once published) it is read as the member left it."""
    return (
        _signed_in(user, roles, round)
        and round.phase >= Phase.FORUM
        and is_forum_member(user, round)
    )


def _name_forum_members(user, roles: Roles, round) -> bool:
    """The controller names the round's forum members and whom each
    represents, until the forum phase ends (then the "n av m" of the
    compilation and the members' sheets stand as they were ranked)."""
    return (
        _signed_in(user, roles, round) and roles.has(Role.CONTROLLER) and round.phase <= Phase.FORUM
    )


def _decide_in_forum(user, roles: Roles, round) -> bool:
    return (
        _signed_in(user, roles, round)
        and roles.has(Role.CONTROLLER)
        and round.phase in (Phase.FORUM, Phase.BESLUT)
    )


def _publish_round(user, roles: Roles, round) -> bool:
    return (
        _signed_in(user, roles, round)
        and roles.has(Role.CONTROLLER)
        and round.phase >= Phase.BESLUT
    )


def _view_published(user, roles: Roles, round) -> bool:
    return _is_published(round)


def _correct_decision(user, roles: Roles, round) -> bool:
    """A published decision is never changed; the controller records a
    rättelse beside it (kommunfullmäktige decided otherwise)."""
    return _signed_in(user, roles, round) and roles.has(Role.CONTROLLER) and _is_published(round)


def _record_body_decision(user, roles: Roles, round) -> bool:
    return (
        _signed_in(user, roles, round)
        and (roles.has(Role.CONTROLLER) or roles.is_admin)
        and round.phase >= Phase.BESLUT
    )


def _download_body_protocol(user, roles: Roles, round) -> bool:
    """A draft round's protocol never leaks: the public reads it with the
    published round."""
    return _is_published(round) or _record_body_decision(user, roles, round)


# Documents


def _generate_document(user, roles: Roles, document) -> bool:
    """The same readers as the material: a document shows nothing its reader
    could not already read on the pages it is made from. Its kind names the
    rule (``documents.registry.Readers``)."""
    if not _signed_in(user, roles, document):
        return False
    readers = registry.get(document.kind).readers
    return bool(RULES[readers.action](user, roles, getattr(document, readers.of)))


def _download_document(user, roles: Roles, document) -> bool:
    if document.public and _is_published(document.round):
        return True
    return _generate_document(user, roles, document)


# Import
def _import_proposals(user, roles: Roles, round) -> bool:
    """The controller brings in the kommun's spreadsheets."""
    return _signed_in(user, roles, round) and roles.has(Role.CONTROLLER)


# Follow-up


# Who reads every förvaltning's follow-up: the controller, who runs it, and
# the läsare (a revisor), who audits it and writes nothing.
FOLLOW_UP_READERS = (Role.CONTROLLER, Role.LASARE)


def _view_follow_up_overview(user, roles: Roles, round) -> bool:
    return _signed_in(user, roles, round) and roles.has(*FOLLOW_UP_READERS)


def _export_follow_up(user, roles: Roles, round) -> bool:
    """Asking for a document is a write (it queues the work); the läsare
    reads the pages and the controller makes the documents."""
    return _signed_in(user, roles, round) and roles.has(Role.CONTROLLER)


def _view_follow_up_index(user, roles: Roles, round) -> bool:
    """The round's follow-up page: the controller and the läsare, and every
    förvaltning's staff, who find their own förvaltningar's reports there."""
    return _signed_in(user, roles, round) and (
        roles.has(*FOLLOW_UP_READERS) or any(roles.forvaltning_ids.get(role) for role in STAFF)
    )


def _view_follow_up(user, roles: Roles, analysis: Analysis) -> bool:
    """One förvaltning's reports: its own staff, the controller and the
    läsare; the rest of the organisation reads the published decisions, not
    the follow-up."""
    return _signed_in(user, roles, analysis) and (
        roles.has(*FOLLOW_UP_READERS) or roles.in_forvaltning(analysis.forvaltning_id, *STAFF)
    )


def _report_follow_up(user, roles: Roles, report) -> bool:
    analysis = report.proposal.analysis
    return (
        _signed_in(user, roles, report)
        and roles.in_forvaltning(analysis.forvaltning_id, *STAFF)
        and analysis.round.phase == Phase.UPPFOLJNING
        and report.state in EDITABLE
    )


def _return_follow_up_report(user, roles: Roles, report) -> bool:
    return (
        _signed_in(user, roles, report)
        and roles.has(Role.CONTROLLER)
        and report.state == AnalysisStatus.SUBMITTED
        and report.proposal.round.phase == Phase.UPPFOLJNING
    )


def _record_period_decision(user, roles: Roles, period) -> bool:
    return (
        _signed_in(user, roles, period)
        and roles.has(Role.CONTROLLER)
        and period.round.phase >= Phase.UPPFOLJNING
    )


def _carry_over_proposal(user, roles: Roles, proposal: Proposal) -> bool:
    """From a round being followed up (or closed) into the next year's round
    while it still takes proposals. Whether the proposal is one to carry (to
    be investigated further, or unfinished by its latest report; not carried
    already: ``followup.services.may_be_carried``) is the service's
    question; this is who and when."""
    from followup.rules import next_round  # the follow-up builds on the access rules

    if not _signed_in(user, roles, proposal) or proposal.is_withdrawn:
        return False
    if proposal.round.phase not in (Phase.UPPFOLJNING, Phase.AVSLUTAD):
        return False
    if roles.has(Role.CONTROLLER):
        target = next_round(proposal.round)
        return target is not None and target.phase <= Phase.VERKSAMHETSANALYS
    if not roles.in_forvaltning(proposal.analysis.forvaltning_id, *STAFF):
        return False
    # Staff: their förvaltning's analysis of the next year, open for their work.
    analysis = (
        Analysis.objects.select_related("round", "forvaltning__namnd")
        .prefetch_related("round__deadlines")
        .filter(
            round__kommun_id=proposal.round.kommun_id,
            round__budget_year=proposal.round.budget_year + 1,
            forvaltning_id=proposal.analysis.forvaltning_id,
        )
        .first()
    )
    return analysis is not None and _edit_analysis(user, roles, analysis)


def _implemented(proposal: Proposal) -> bool:
    """A proposal whose genomförande is recorded: not withdrawn, decided to be
    carried out (the decisions the follow-up follows), its round published."""
    from followup.rules import FOLLOWED_UP  # the follow-up builds on the access rules

    if proposal.is_withdrawn:
        return False
    decision = getattr(proposal, "decision", None)
    return (
        decision is not None and decision.outcome in FOLLOWED_UP and _is_published(proposal.round)
    )


def _view_implementation(user, roles: Roles, proposal: Proposal) -> bool:
    """The nämnd's plans are read by those who read the follow-up and by the
    ledamöter, whose nämnd decides them; not by other förvaltningar's staff
    or forumdeltagare as such."""
    if not _signed_in(user, roles, proposal):
        return False
    reads = roles.has(*FOLLOW_UP_READERS, Role.NAMNDLEDAMOT) or roles.in_forvaltning(
        proposal.analysis.forvaltning_id, *STAFF
    )
    return reads and _implemented(proposal)


def _record_implementation(user, roles: Roles, proposal: Proposal) -> bool:
    """The controller, and the staff of the proposal's förvaltning, which
    takes it into its nämnd's plans; from publication on (also once the round
    is closed: a plan may be decided late)."""
    if not _signed_in(user, roles, proposal):
        return False
    records = roles.has(Role.CONTROLLER) or roles.in_forvaltning(
        proposal.analysis.forvaltning_id, *STAFF
    )
    return records and _implemented(proposal)


RULES: dict[str, Rule] = {
    "view_start": _signed_in,
    "view_organisation": _signed_in,
    "view_people": _view_people,
    "administer": _administer,
    "change_password": _signed_in,
    "enrol_two_factor": _enrol_two_factor,
    "change_notice_settings": _signed_in,
    "view_round": _signed_in,
    "manage_round": _manage_round,
    "set_up_round": _manage_round,
    "move_phase_back": _move_phase_back,
    "view_analysis": _view_analysis,
    "edit_analysis": _edit_analysis,
    "submit_analysis": _submit_analysis,
    "return_analysis": _return_analysis,
    # Every signed-in reader; what it lists is visible_analyses(user).
    "view_analysis_synthesis": _signed_in,
    "view_proposal": _view_proposal,
    "edit_proposal": _edit_proposal,
    "withdraw_proposal": _edit_proposal,
    "view_namnd_ranking": _signed_in,
    "rank_in_namnd": _rank_in_namnd,
    "record_namnd_result": _rank_in_namnd,
    "view_forum": _signed_in,
    "rank_in_forum": _rank_in_forum,
    "view_forum_history": _view_forum_history,
    "view_own_forum_sheet": _view_own_forum_sheet,
    "name_forum_members": _name_forum_members,
    "decide_in_forum": _decide_in_forum,
    "publish_round": _publish_round,
    "view_published": _view_published,
    "correct_decision": _correct_decision,
    "record_body_decision": _record_body_decision,
    "download_body_protocol": _download_body_protocol,
    "generate_document": _generate_document,
    "download_document": _download_document,
    # Import
    "import_proposals": _import_proposals,
    # Follow-up
    "view_follow_up_overview": _view_follow_up_overview,
    "export_follow_up": _export_follow_up,
    "view_follow_up_index": _view_follow_up_index,
    "view_follow_up": _view_follow_up,
    "report_follow_up": _report_follow_up,
    "return_follow_up_report": _return_follow_up_report,
    "record_period_decision": _record_period_decision,
    "carry_over_proposal": _carry_over_proposal,
    "view_implementation": _view_implementation,
    "record_implementation": _record_implementation,
}


def analysis_visibility(user) -> Q:
    """The analyses ``user`` may read, as a filter: ``view_analysis`` as a query."""
    roles = roles_of(user)
    if not user or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if roles.has(Role.CONTROLLER):
        return Q()
    own = set().union(*(roles.forvaltning_ids.get(role, ()) for role in STAFF))
    q = Q(status=SHARED_STATUS) | Q(forvaltning_id__in=own)
    namnder = roles.namnd_ids.get(Role.NAMNDLEDAMOT, frozenset())
    if namnder:
        q |= Q(status=AnalysisStatus.RETURNED, forvaltning__namnd_id__in=namnder)
    return q


def visible_analyses(user, queryset=None):
    queryset = Analysis.objects.all() if queryset is None else queryset
    return queryset.filter(analysis_visibility(user))


def visible_proposals(user, queryset=None):
    queryset = Proposal.objects.all() if queryset is None else queryset
    return queryset.filter(analysis__in=visible_analyses(user))


def readable_documents(user, round) -> Q:
    """The documents of ``round`` that ``user`` may read, as a filter: the
    rule of ``generate_document`` as a query, kind by kind — a rule asked of
    the round is asked once; one asked of each analysis
    (``view_analysis``) is :func:`visible_analyses`; any other rule asked of
    an analysis lists nothing (fail closed)."""
    roles = roles_of(user)
    readable = Q(pk__in=[])
    if not _signed_in(user, roles, round):
        return readable
    for kind in registry.kinds():
        readers = kind.readers
        if readers.of == registry.ANALYSIS and readers.action == "view_analysis":
            readable |= Q(kind=kind.value, analysis__in=visible_analyses(user))
        elif readers.of == registry.ROUND and RULES[readers.action](user, roles, round):
            readable |= Q(kind=kind.value)
    return readable


def shared_proposals(queryset=None):
    """The proposals every reader of the shared material may read, whoever
    asks: those of submitted analyses. The nämnd's ranking, the forum, its
    outcome and budget line, the public page and every document made of them
    list only these — a proposal whose analysis is returned to draft leaves
    them until it is submitted again."""
    queryset = Proposal.objects.all() if queryset is None else queryset
    return queryset.filter(analysis__status=SHARED_STATUS)


# What a published round rests on (DESIGN.md: "Publication is final"): its
# analyses, proposals and their assessments, the nämnder's rankings, the forum's
# ranks, order, review and decisions, its frame and the rest of its set-up, and
# its phase (which then only moves forward). Every action that writes any of it
# is listed here, and may() refuses it for a published round, whoever asks.
FINAL_ONCE_PUBLISHED = frozenset(
    {
        "set_up_round",
        "move_phase_back",
        "edit_analysis",
        "submit_analysis",
        "return_analysis",
        "edit_proposal",
        "withdraw_proposal",
        "rank_in_namnd",
        "record_namnd_result",
        "rank_in_forum",
        "name_forum_members",
        "decide_in_forum",
        "publish_round",
        "import_proposals",
    }
)


class RoundIsFinal(PermissionDenied):
    """Refused because the round is published: its record is final."""


def _round_of(obj):
    """The round ``obj`` belongs to (a Round is its own), or None."""
    if obj is None or isinstance(obj, Round):
        return obj
    return getattr(obj, "round", None)


def is_final(round) -> bool:
    """Is ``round``'s record final (published)? A round moved back after it was
    published is final all the same."""
    return round is not None and _is_published(round)


_ALLOWED, _REFUSED, _FINAL = "allowed", "refused", "final"


def _verdict(user, action: str, obj) -> str:
    try:
        rule = RULES[action]
    except KeyError:
        raise UnknownActionError(action) from None
    try:
        if not rule(user, roles_of(user), obj):
            return _REFUSED
        # Asked last, so the pages that ask per row (whose rules mostly say no
        # for other reasons first) pay no query for it.
        if action in FINAL_ONCE_PUBLISHED and is_final(_round_of(obj)):
            return _FINAL
        return _ALLOWED
    except UnknownActionError:
        raise
    except Exception:
        # Fail closed: a rule that breaks refuses, and says so in the log.
        security_log.exception("access rule %s failed; refusing", action)
        return _REFUSED


def may(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (on ``obj``) now? Default no."""
    return _verdict(user, action, obj) == _ALLOWED


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless ``may(user, action, obj)`` — RoundIsFinal
    when only the publication stands in the way; log the refusal."""
    verdict = _verdict(user, action, obj)
    if verdict == _ALLOWED:
        return
    security_log.warning(
        "access refused: user=%s action=%s object=%s%s",
        getattr(user, "pk", None) or "anonymous",
        action,
        f"{type(obj).__name__}:{getattr(obj, 'pk', '')}" if obj is not None else "-",
        " (the round is published)" if verdict == _FINAL else "",
    )
    raise (RoundIsFinal if verdict == _FINAL else PermissionDenied)(action)
