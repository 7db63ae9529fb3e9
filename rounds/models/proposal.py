"""The proposal (förslag): one situation + åtgärd with its full assessment, in
the scales of Prioriteringscentrum's tools (see DESIGN.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models.analysis import Analysis, AnalysisItem
from rounds.models.organisation import AuditedManager
from rounds.models.round import ListItem, Round


class ProposalType(models.TextChoices):
    """What a proposal is about: the four kinds of needs the model is for (the
    source: "nya behov och åtgärder", "förbisedda behov och åtgärder – öka
    kvaliteten", "befintliga behov och åtgärder", "minskade behov och
    utmönstrade åtgärder") and the ways of holding resources the sample
    workbooks name. A proposal has a main type and may combine others
    (``Proposal.also_types``), as the source's "Effektivisering/Ransonering"."""

    NYA_BEHOV = "nya_behov", _("Nya behov")
    FORBISEDDA = "forbisedda", _("Förbisedda behov och åtgärder – öka kvaliteten")
    BEFINTLIGA = "befintliga", _("Befintliga behov och åtgärder")
    MINSKADE = "minskade", _("Minskade behov och utmönstrade åtgärder")
    RANSONERING = "ransonering", _("Ransonering")
    EFFEKTIVISERING = "effektivisering", _("Effektivisering")
    INVESTERING = "investering", _("Investering")


# The type codes in the choices' order, made once: ProposalType.values builds
# its list anew on every use, which a long table did 1,200 times a page.
TYPE_CODES = tuple(member.value for member in ProposalType)


def split_types(value: str, main: str = "") -> list[str]:
    """The known type codes in ``also_types`` (comma-separated), in the
    choices' order, without the main type and without repeats."""
    if not value:
        return []
    named = {code.strip() for code in value.split(",")}
    return [typ for typ in TYPE_CODES if typ in named and typ != main]


def types_text(typ: str, also_types: str, labels: dict | None = None) -> str:
    """A proposal's types in words, the main one first: "Effektivisering /
    Ransonering". ``labels``: code -> label, when the caller has them."""
    if not typ:
        return ""
    codes = [typ, *split_types(also_types, typ)]
    if labels is None:
        return " / ".join(str(ProposalType(code).label) for code in codes)
    return " / ".join(str(labels.get(code, code)) for code in codes)


def join_types(types, main: str = "") -> str:
    """``also_types`` for a list of type codes (the inverse of split_types)."""
    return ",".join(split_types(",".join(types), main))


class RansoneringKind(models.TextChoices):
    STRUKTUR = "struktur", _("Strukturransonering")
    PROCESS = "process", _("Processransonering")
    RESULTAT = "resultat", _("Resultatransonering")
    ANNAT = "annat", _("Annat – effektivitetssänkning")


class RansoneringDetail(models.TextChoices):
    UTRUSTNING_LOKALER = "utrustning_lokaler", _("Utrustning, lokaler")
    KOMPETENS = "kompetens", _("Kompetens")
    PERSONALSTYRKA = "personalstyrka", _("Personalstyrka")
    INDIKATIONSSKARPNING = "indikationsskarpning", _("Indikationsskärpning inför åtgärd")
    TIDSRANSONERING = "tidsransonering", _("Tidsransonering för åtgärder")
    UTSPADNING = "utspadning", _("Utspädning av åtgärder")
    MALRANSONERING = "malransonering", _("Målransonering")
    EFFEKTIVITETSSANKNING = "effektivitetssankning", _("Effektivitetssänkning")


# Which details belong to which kind of ransonering (the source's table).
RANSONERING_DETAILS = {
    RansoneringKind.STRUKTUR: [
        RansoneringDetail.UTRUSTNING_LOKALER,
        RansoneringDetail.KOMPETENS,
        RansoneringDetail.PERSONALSTYRKA,
    ],
    RansoneringKind.PROCESS: [
        RansoneringDetail.INDIKATIONSSKARPNING,
        RansoneringDetail.TIDSRANSONERING,
        RansoneringDetail.UTSPADNING,
    ],
    RansoneringKind.RESULTAT: [RansoneringDetail.MALRANSONERING],
    RansoneringKind.ANNAT: [RansoneringDetail.EFFEKTIVITETSSANKNING],
}


class Malomrade(models.TextChoices):
    SAMHALLE = "samhalle", _("Samhällets livskraft")
    INVANARE = "invanare", _("Invånares hälsa och välbefinnande")
    ORGANISATION = "organisation", _("Organisationens effektivitet")


# Ordinal scales: the integer orders (higher = more), the label is what users see.
class Svarighetsgrad(models.IntegerChoices):
    MYCKET_STOR = 4, _("Mycket stor")
    STOR = 3, _("Stor")
    MATTLIG = 2, _("Måttlig")
    LITEN = 1, _("Liten")


class Grad(models.IntegerChoices):
    """Effekt, nytta and måluppfyllelse."""

    MYCKET_STOR = 4, _("Mycket stor")
    STOR = 3, _("Stor")
    MATTLIG = 2, _("Måttlig")
    LITEN = 1, _("Liten")
    INGEN = 0, _("Ingen")


class Kostnadseffektivitet(models.IntegerChoices):
    MYCKET_HOG = 4, _("Mycket hög")
    HOG = 3, _("Hög")
    MATTLIG = 2, _("Måttlig")
    LAG = 1, _("Låg")


class Kunskapsunderlag(models.IntegerChoices):
    GOD = 3, _("God")
    MATTLIG = 2, _("Måttlig")
    LAG = 1, _("Låg")
    SAKNAS = 0, _("Saknas")


class EffektFramstFor(models.TextChoices):
    INDIVIDEN = "individen", _("Den enskilde medborgaren")
    SAMHALLET = "samhallet", _("Samhället")
    ORGANISATIONEN = "organisationen", _("Organisationen")


class EtikBedomning(models.TextChoices):
    FORENLIG = "forenlig", _("Förenlig med principen")
    RISK = "risk", _("Risk – se kommentaren")


class Rekommendation(models.TextChoices):
    RANGORDNAS = "rangordnas", _("Rangordnas")
    ICKE_GORA = "icke_gora", _("Icke-göra (avveckla)")
    FOU = "fou", _("FoU (endast inom forskning eller utvärdering)")


def _list(kind: str, label, related: str):
    return models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related,
        limit_choices_to={"kind": kind},
        verbose_name=label,
    )


def reference_for(budget_year: int, number: int) -> str:
    """A proposal's reference, e.g. 2027-004 (Proposal.reference without the
    round, for long tables and history rows)."""
    return f"{budget_year}-{number:03d}"


class Proposal(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("omgång")
    )
    analysis = models.ForeignKey(
        Analysis, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("analys")
    )
    analysis_item = models.OneToOneField(
        AnalysisItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("från analyspunkt"),
    )
    number = models.PositiveIntegerField(_("nummer"))

    # Identity
    title = models.CharField(_("rubrik / sammanfattande beskrivning"), max_length=200)
    verksamhetsomrade = _list("verksamhetsomrade", _("verksamhetsområde"), "+")
    fokusomrade = _list("fokusomrade", _("fokusområde"), "+")
    perspektiv = _list("perspektiv", _("perspektiv"), "+")
    malomrade = models.CharField(
        _("målområde"), max_length=20, choices=Malomrade.choices, blank=True
    )

    # Texts
    situation = models.TextField(_("situation"), blank=True)
    atgard = models.TextField(_("åtgärd/insats"), blank=True)
    jamforelsealternativ = models.TextField(_("jämförelsealternativ"), blank=True)
    orsak = _list("orsak", _("orsak till behov"), "+")
    effekt_pa_sikt = _list("effekt_pa_sikt", _("effekt på längre sikt"), "+")
    konsekvensanalys = models.TextField(_("konsekvensanalys"), blank=True)
    kommentar = models.TextField(_("kommentar"), blank=True)

    # Typ: the main one, and the others it combines (codes of ProposalType,
    # comma-separated, in the choices' order; see ``types``)
    typ = models.CharField(_("typ"), max_length=20, choices=ProposalType.choices)
    also_types = models.CharField(_("även av typen"), max_length=120, blank=True)
    ransonering_kind = models.CharField(
        _("slag av ransonering"), max_length=20, choices=RansoneringKind.choices, blank=True
    )
    ransonering_detail = models.CharField(
        _("ransoneringens inriktning"),
        max_length=30,
        choices=RansoneringDetail.choices,
        blank=True,
    )

    # Costs in whole tkr; a saving is negative.
    cost_year1 = models.IntegerField(_("kostnad år 1 (tkr)"), default=0)
    cost_year2 = models.IntegerField(_("kostnad år 2 (tkr)"), default=0)
    cost_year3 = models.IntegerField(_("kostnad år 3 (tkr)"), default=0)
    cost_years4_10 = models.IntegerField(_("kostnad år 4–10 (tkr)"), default=0)
    cost_per_year_min = models.IntegerField(_("kostnad per år, från (tkr)"), null=True, blank=True)
    cost_per_year_max = models.IntegerField(_("kostnad per år, till (tkr)"), null=True, blank=True)

    # Assessment
    svarighetsgrad = models.PositiveSmallIntegerField(
        _("svårighetsgrad"), choices=Svarighetsgrad.choices, null=True, blank=True
    )
    effekt = models.PositiveSmallIntegerField(
        _("åtgärdens effekt"), choices=Grad.choices, null=True, blank=True
    )
    nytta = models.PositiveSmallIntegerField(
        _("nytta för målområdet"), choices=Grad.choices, null=True, blank=True
    )
    kostnadseffektivitet = models.PositiveSmallIntegerField(
        _("kostnadseffektivitet"), choices=Kostnadseffektivitet.choices, null=True, blank=True
    )
    kunskapsunderlag = models.PositiveSmallIntegerField(
        _("kvalitet i kunskapsunderlaget"), choices=Kunskapsunderlag.choices, null=True, blank=True
    )
    maluppfyllelse = models.PositiveSmallIntegerField(
        _("måluppfyllelse"), choices=Grad.choices, null=True, blank=True
    )
    mal = models.ManyToManyField(
        ListItem,
        blank=True,
        related_name="proposals_by_goal",
        limit_choices_to={"kind": "politiskt_mal"},
        verbose_name=_("politiska mål som berörs"),
    )
    effekt_framst_for = models.CharField(
        _("effekt främst för"), max_length=20, choices=EffektFramstFor.choices, blank=True
    )
    rekommendation = models.CharField(
        _("rekommendation"),
        max_length=20,
        choices=Rekommendation.choices,
        default=Rekommendation.RANGORDNAS,
    )
    rangordning = models.PositiveSmallIntegerField(
        _("rangordning"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 = högst prioriterat, 10 = lägst."),
    )

    # Etisk granskning against the three principles
    etik_manniskovarde = models.CharField(
        _("människovärdesprincipen"), max_length=10, choices=EtikBedomning.choices, blank=True
    )
    etik_behov = models.CharField(
        _("behovs-solidaritetsprincipen"), max_length=10, choices=EtikBedomning.choices, blank=True
    )
    etik_kostnadseffektivitet = models.CharField(
        _("kostnadseffektivitetsprincipen"),
        max_length=10,
        choices=EtikBedomning.choices,
        blank=True,
    )
    etik_kommentar = models.TextField(_("kommentar till den etiska granskningen"), blank=True)

    # Withdrawn proposals stay, marked; nothing is deleted.
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallat av"),
    )
    withdrawn_reason = models.TextField(_("skäl för återkallande"), blank=True)

    # Follow-up
    # A proposal carried over from an earlier round's follow-up: a deviation or
    # something left unfinished, proposed again. Each proposal is carried on
    # at most once; the new one may in its turn be carried on.
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name=_("överfört från"),
    )
    carry_over_reason = models.TextField(_("skäl för överföring"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapat av"),
    )
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    objects = AuditedManager()
    history = history(m2m_fields=[mal], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="proposal_unique_number"),
            models.CheckConstraint(
                condition=Q(rangordning__isnull=True) | Q(rangordning__gte=1, rangordning__lte=10),
                name="proposal_rank_1_10",
            ),
            models.CheckConstraint(
                condition=Q(rekommendation="rangordnas") | Q(rangordning__isnull=True),
                name="proposal_rank_only_when_ranked",
            ),
            models.CheckConstraint(
                condition=Q(typ="ransonering") | Q(ransonering_kind="", ransonering_detail=""),
                name="proposal_ransonering_kind_only_for_ransonering",
            ),
            models.CheckConstraint(
                condition=Q(cost_per_year_min__isnull=True)
                | Q(cost_per_year_max__isnull=True)
                | Q(cost_per_year_min__lte=models.F("cost_per_year_max")),
                name="proposal_cost_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["round", "typ"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def types(self) -> list[str]:
        """The main type first, then the others it combines."""
        return [self.typ, *split_types(self.also_types, self.typ)] if self.typ else []

    def get_typ_display(self) -> str:
        """The type as the source writes a combined one: "Effektivisering /
        Ransonering"."""
        return types_text(self.typ, self.also_types)

    @property
    def reference(self) -> str:
        return reference_for(self.round.budget_year, self.number)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def forvaltning(self):
        return self.analysis.forvaltning

    @property
    def cost_years1_3(self) -> int:
        return self.cost_year1 + self.cost_year2 + self.cost_year3
