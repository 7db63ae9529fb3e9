from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prioritering.access import may

# The main navigation: (label, url name, action, needs the current round's
# year). Each role sees the entries the access function allows it.
NAVIGATION = [
    (_("Mina uppgifter"), "start", "view_start", False),
    (_("Verksamhetsanalyser"), "analysis_list", "view_round", True),
    (_("Förslag"), "proposal_list", "view_round", True),
    (_("Omgångar"), "round_list", "view_round", False),
    (_("Organisation"), "organisation", "view_organisation", False),
    (_("Personer och roller"), "people", "view_people", False),
    (_("Administration"), "admin:index", "administer", False),
]


def shell(request):
    user = getattr(request, "user", None)
    nav = []
    kommun_name = None
    if user is not None and user.is_authenticated:
        year, kommun_name = _current_round(request)
        for label, url_name, action, per_round in NAVIGATION:
            if per_round and year is None:
                continue
            if may(user, action):
                url = reverse(url_name, args=[year] if per_round else [])
                nav.append({"label": label, "url": url, "active": False})
        # The entry whose URL is the longest prefix of this page is the current one.
        matches = [item for item in nav if _within(request.path, item["url"])]
        if matches:
            max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "navigation": nav,
        "kommun_name": _kommun_name() if kommun_name is None else kommun_name,
        "contact_email": settings.KOMMUN_CONTACT_EMAIL,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def _kommun_name() -> str:
    from rounds.models import Kommun

    return Kommun.objects.values_list("name", flat=True).first() or ""


def _within(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _current_round(request=None) -> tuple[int | None, str | None]:
    """The budget year of the round in progress and its kommun's name, in one
    query — none when the view has read the round already and left it on the
    request (``request.current_round``); (None, None) when no round is in
    progress."""
    from rounds.models import Phase, Round

    if request is not None and hasattr(request, "current_round"):
        read = request.current_round
        return (read.budget_year, read.kommun.name) if read is not None else (None, None)

    row = (
        Round.objects.exclude(phase=Phase.AVSLUTAD)
        .order_by("-budget_year")
        .values_list("budget_year", "kommun__name")
        .first()
    )
    return row or (None, None)


def _current_year() -> int | None:
    """The budget year of the round in progress, if any."""
    return _current_round()[0]
