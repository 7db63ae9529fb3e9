from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prioritering.access import may

# The main navigation: (label, url name, action). Each role sees the entries
# the access function allows it.
NAVIGATION = [
    (_("Mina uppgifter"), "start", "view_start"),
    (_("Organisation"), "organisation", "view_organisation"),
    (_("Personer och roller"), "people", "view_people"),
    (_("Administration"), "admin:index", "administer"),
]


def shell(request):
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        for label, url_name, action in NAVIGATION:
            if may(user, action):
                nav.append({"label": label, "url": reverse(url_name), "active": False})
        # The entry whose URL is the longest prefix of this page is the current one.
        matches = [item for item in nav if _within(request.path, item["url"])]
        if matches:
            max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "navigation": nav,
        "kommun_name": _kommun_name(),
        "contact_email": settings.KOMMUN_CONTACT_EMAIL,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def _kommun_name() -> str:
    from rounds.models import Kommun

    return Kommun.objects.values_list("name", flat=True).first() or ""


def _within(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))
