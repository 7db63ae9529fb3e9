"""Small builders for tests that need more data than the demo has."""

from itertools import cycle

from rounds.models import Forvaltning, Kommun, Membership, Namnd, Role, User


def grow_organisation(namnder: int, users: int) -> None:
    """Add ``namnder`` nämnder with a förvaltning each, and ``users`` users with
    memberships of every kind spread over them."""
    kommun = Kommun.objects.first() or Kommun.objects.create(name="Testkommun")
    forvaltningar = []
    start = Namnd.objects.count()
    for i in range(start, start + namnder):
        namnd = Namnd.objects.create(kommun=kommun, name=f"Nämnd {i}")
        forvaltningar.append(Forvaltning.objects.create(namnd=namnd, name=f"Förvaltning {i}"))
    roles = cycle(Role.values)
    units = cycle(forvaltningar or list(Forvaltning.objects.all()))
    start = User.objects.count()
    for i in range(start, start + users):
        user = User.objects.create_user(f"person-{i}", first_name="Person", last_name=str(i))
        role = next(roles)
        forvaltning = next(units)
        if role in (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON):
            Membership.objects.create(user=user, role=role, forvaltning=forvaltning)
        elif role == Role.NAMNDLEDAMOT:
            Membership.objects.create(user=user, role=role, namnd=forvaltning.namnd)
        else:
            Membership.objects.create(user=user, role=role)


def name_forum_members(round, users=None):
    """Name ``users`` (default: everyone holding the role forumdeltagare)
    members of ``round``'s forum, each representing "Annan: Forumdeltagare"
    — as the migration named them when the forum became a round's."""
    from ranking.models import ForumMember, Representation

    if users is None:
        users = User.objects.filter(memberships__role=Role.FORUMDELTAGARE).distinct()
    for user in users:
        if isinstance(user, str):
            user = User.objects.get(username=user)
        ForumMember.objects.get_or_create(
            round=round,
            user=user,
            defaults={"representation": Representation.ANNAN, "other": "Forumdeltagare"},
        )


def make_round(year=2027, phase=None, deadline_days=30, by=None, forum_members=True):
    """A round of the demo kommun with the default lists, its analyses, and the
    verksamhetsanalys deadline ``deadline_days`` from today. Needs the demo.
    The users holding the role forumdeltagare are named its forum's members,
    unless ``forum_members`` is false."""
    import datetime

    from django.utils import timezone

    from rounds.models import Phase, PhaseDeadline, Round
    from rounds.services.round import create_round

    by = by or User.objects.get(username="controller")
    round = create_round(Kommun.objects.get(), budget_year=year, by=by, frame_tkr=20000)
    PhaseDeadline.objects.create(
        round=round,
        phase=Phase.VERKSAMHETSANALYS,
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_days),
    )
    round.phase = Phase.VERKSAMHETSANALYS if phase is None else phase
    round.save()
    if forum_members:
        name_forum_members(round)
    return Round.objects.get(pk=round.pk)


def analysis_of(round, forvaltning_name):
    return round.analyses.select_related("round", "forvaltning__namnd").get(
        forvaltning__name=forvaltning_name
    )


def make_proposal(analysis, by=None, **fields):
    """A proposal written straight to the database (for reading tests)."""
    from django.db.models import Max

    from rounds.models import Grad, Kostnadseffektivitet, Proposal, ProposalType, Svarighetsgrad

    by = by or User.objects.get(username="tjp-bildning")
    number = (
        Proposal.objects.filter(round=analysis.round).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    # Complete as the model requires before a ranking (rounds.criteria): the
    # three central criteria, middling, and a cost; a test of what is missing
    # passes None.
    defaults = {
        "title": f"Förslag {number}",
        "typ": ProposalType.NYA_BEHOV,
        "cost_year1": 100,
        "svarighetsgrad": Svarighetsgrad.MATTLIG,
        "nytta": Grad.MATTLIG,
        "kostnadseffektivitet": Kostnadseffektivitet.MATTLIG,
    }
    defaults.update(fields)
    return Proposal.objects.create(
        round=analysis.round, analysis=analysis, number=number, created_by=by, **defaults
    )
