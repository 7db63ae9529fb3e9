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
        current = request.path
        for label, url_name, action in NAVIGATION:
            if may(user, action):
                url = reverse(url_name)
                active = current == url or (url != "/" and current.startswith(url))
                nav.append({"label": label, "url": url, "active": active})
    return {
        "navigation": nav,
        "kommun_name": _kommun_name(),
        "contact_email": settings.KOMMUN_CONTACT_EMAIL,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def _kommun_name() -> str:
    from rounds.models import Kommun

    return Kommun.objects.values_list("name", flat=True).first() or ""
