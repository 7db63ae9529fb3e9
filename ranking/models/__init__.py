"""The models of the ranking app, a module per area: ``namnd`` (the nämnd's
ranking), ``forum`` (each forumdeltagare's ranks, the forum's result and the
agreed order), ``forum_member`` (whom the controller named to a round's forum
and whom each represents), ``decision`` (the decision per proposal and its
rättelser) and ``body`` (the decisions of KS and KF above the forum)."""

from ranking.models.body import Body, BodyDecision
from ranking.models.decision import (
    FORUM_OUTCOMES,
    NAMND_OUTCOMES,
    Decision,
    DecisionCorrection,
    Outcome,
)
from ranking.models.forum import AgreedPlace, ForumRank, ForumResult
from ranking.models.forum_member import ForumMember, Representation
from ranking.models.namnd import Handling, NamndRanking, NamndResult

__all__ = [
    "FORUM_OUTCOMES",
    "NAMND_OUTCOMES",
    "AgreedPlace",
    "Body",
    "BodyDecision",
    "Decision",
    "DecisionCorrection",
    "ForumMember",
    "ForumRank",
    "ForumResult",
    "Handling",
    "NamndRanking",
    "NamndResult",
    "Outcome",
    "Representation",
]
