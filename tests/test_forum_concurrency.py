"""Twenty forumdeltagare save their sheets at the same moment (PostgreSQL,
threads with real connections): every rank is stored, nothing is lost, and the
sammanvägd rangordning is the one computed by hand from what they saved."""

import statistics

import pytest
from django.test import Client
from django.urls import reverse

from demo.loading import load_demo
from ranking import selectors
from ranking.models import ForumRank
from rounds.models import Membership, Phase, Role, User
from tests.factories import make_proposal, make_round, name_forum_members
from tests.forum_setup import send_on, submitted
from tests.helpers import run_together

MEMBERS = 20
PROPOSALS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_members_save_their_ranks_at_the_same_moment(postgres):
    load_demo()
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    proposals = [
        send_on(round, make_proposal(bildning, title=f"Förslag {i}"), "Bildningsnämnden")
        for i in range(PROPOSALS)
    ]
    members = list(User.objects.filter(memberships__role=Role.FORUMDELTAGARE).distinct())
    for i in range(len(members), MEMBERS):
        user = User.objects.create_user(
            f"ledamot-forum-{i}", first_name="Ledamot", last_name=str(i)
        )
        Membership.objects.create(user=user, role=Role.FORUMDELTAGARE)
        members.append(user)
    members = members[:MEMBERS]
    name_forum_members(round, members)  # only the round's members rank in it
    clients = []
    for member in members:
        client = Client()
        client.force_login(member)
        clients.append(client)
    # Member m ranks proposal p as 1 + (m + 2p) mod 10: every member differs.
    wanted = {
        member.pk: {p.pk: 1 + (m + 2 * i) % 10 for i, p in enumerate(proposals)}
        for m, member in enumerate(members)
    }
    sheet = reverse("forum_sheet", kwargs={"year": round.budget_year})

    def save(client, member):
        def target(barrier):
            data = {f"rank_{pk}": str(value) for pk, value in wanted[member.pk].items()}
            barrier.wait()
            return client.post(sheet, data).status_code

        return target

    statuses = run_together(*(save(c, m) for c, m in zip(clients, members, strict=True)))
    assert statuses == [302] * MEMBERS, statuses

    stored: dict[int, dict[int, int]] = {}
    for member_id, proposal_id, value in ForumRank.objects.filter(round=round).values_list(
        "member_id", "proposal_id", "rank"
    ):
        stored.setdefault(member_id, {})[proposal_id] = value
    assert stored == wanted
    # One history row per rank saved: nobody's save was lost or doubled.
    assert ForumRank.history.filter(round_id=round.pk).count() == MEMBERS * PROPOSALS

    table = {row.proposal.pk: row.combined for row in selectors.forum_table(round)}
    for proposal in proposals:
        ranks = [wanted[m.pk][proposal.pk] for m in members]
        combined = table[proposal.pk]
        assert combined.count == MEMBERS
        assert combined.median == statistics.median(ranks)
        assert combined.mean == pytest.approx(statistics.fmean(ranks))
