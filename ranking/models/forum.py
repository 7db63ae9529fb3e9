"""The forum (phases "Kommunövergripande prioritering" and "Beslut"): each
forumdeltagare's own ranks, the round's forum result (the agreed order's,
the review's and the publication's record) and the agreed place of each
proposal."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models import AuditedManager, Proposal, Round


class ForumRank(models.Model):
    """One forumdeltagare's rank of one forwarded proposal: one row per member
    and proposal, so members never write the same row (no contention); the
    sammanvägd rangordning is computed from these rows."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="forum_ranks", verbose_name=_("omgång")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_ranks",
        verbose_name=_("forumdeltagare"),
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="forum_ranks", verbose_name=_("förslag")
    )
    rank = models.PositiveSmallIntegerField(
        _("rangordning"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # The member's order on their own sheet, within equal ranks (0 first).
    position = models.PositiveIntegerField(_("ordning"), default=0)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = AuditedManager()
    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forumrangordning")
        verbose_name_plural = _("forumrangordningar")
        indexes = [
            # Covers the sammanvägd rangordning's read — each proposal's
            # count per rank in a round, and its latest change (the ranks'
            # stamp; ranking.selectors._forum_rows) — so the 96,000 rows of a
            # large forum are counted from the index alone, without a sort.
            models.Index(
                fields=["round", "proposal", "rank", "updated_at"],
                name="forumrank_round_prop_rank_at",
            ),
            # How many each member of a round's forum has ranked (the
            # compilation's list of members, selectors.forum_members): counted
            # from this index per member, where the round's index alone made
            # each member's count read every rank of the round.
            models.Index(fields=["round", "member"], name="forumrank_round_member"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "proposal"], name="forumrank_one_per_member_and_proposal"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="forumrank_rank_1_10"
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference}: {self.rank}"


class ForumResult(models.Model):
    """The forum's outcome in one round: when the agreed order was recorded (its
    rows are AgreedPlace), the answers to the review questions, and when the
    round's result was published to the public."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="forum_result", verbose_name=_("omgång")
    )
    order_recorded_at = models.DateTimeField(_("ordning registrerad"), null=True, blank=True)
    order_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordning registrerad av"),
    )
    # The review questions (granskning) of the source and DESIGN.md.
    review_sarbehandling = models.TextField(_("risk för särbehandling"), blank=True)
    review_undantrangning = models.TextField(_("undanträngning"), blank=True)
    review_rimlighet = models.TextField(_("rimlighet"), blank=True)
    review_lagkrav = models.TextField(_("lagkrav"), blank=True)
    review_genomforbarhet = models.TextField(_("genomförbarhet"), blank=True)
    review_recorded_at = models.DateTimeField(_("granskning registrerad"), null=True, blank=True)
    review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskning registrerad av"),
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )
    # The order of the published ballots (ranking.open_data): a random seed
    # drawn at publication, so the order is the same on every request and
    # says nothing of who ranked.
    ballot_seed = models.PositiveBigIntegerField(
        _("slumptal för rangordningarnas ordning"), null=True, blank=True
    )

    # The versions of the controller's three whole-form pages: a form saved
    # from an older version is a conflict, not an overwrite.
    order_version = models.PositiveIntegerField(_("version av ordningen"), default=1)
    review_version = models.PositiveIntegerField(_("version av granskningen"), default=1)
    decisions_version = models.PositiveIntegerField(_("version av besluten"), default=1)

    objects = AuditedManager()
    history = history()

    REVIEW_FIELDS = (
        "review_sarbehandling",
        "review_undantrangning",
        "review_rimlighet",
        "review_lagkrav",
        "review_genomforbarhet",
    )

    class Meta:
        verbose_name = _("forumets resultat")
        verbose_name_plural = _("forumets resultat")

    def __str__(self):
        return _("Forumets resultat %(year)s") % {"year": self.round.budget_year}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_review(self) -> bool:
        return self.review_recorded_at is not None

    @property
    def has_order(self) -> bool:
        return self.order_recorded_at is not None


class AgreedPlace(models.Model):
    """A proposal's place in the forum's agreed order, with the place the
    sammanvägd rangordning gave it when the order was recorded and the
    motivation where the two differ."""

    result = models.ForeignKey(
        ForumResult,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("forumets resultat"),
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="agreed_place", verbose_name=_("förslag")
    )
    position = models.PositiveIntegerField(_("plats"))
    computed_position = models.PositiveIntegerField(_("plats enligt sammanvägd rangordning"))
    motivation = models.TextField(_("motivering"), blank=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("plats i forumets ordning")
        verbose_name_plural = _("platser i forumets ordning")
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.proposal.reference}"

    @property
    def departs(self) -> bool:
        return self.position != self.computed_position
