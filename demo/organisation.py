"""Exempelkommun: the organisation of the source documents and a user for every
role. ``load_organisation()`` is idempotent: it creates what is missing and
leaves what is there (a demo user's changed password stays changed).

Both rounds write as the same people: the förvaltningar by name, who leads each
and who writes its analysis (``CHEFS``, ``AUTHORS``), who ranks for each nämnd
(``LEDAMOTER``) and in the forum (``FORUM_MEMBERS``), and the four
förvaltningschefer and four nämndledamöter the rounds add
(``ensure_round_users``).

Tests load the organisation only (``demo.loading.load_demo()``): they build the
rounds they need themselves."""

from django.contrib.auth.hashers import make_password

from prioritering.access import forget_roles
from prioritering.audit import save_as
from rounds.models import Forvaltning, Kommun, Membership, Namnd, Role, User

DEMO_PASSWORD = "demo"  # noqa: S105 (the demo's published password)
KOMMUN_NAME = "Exempelkommun"

# (nämnd, short name as in the source's tables, is kommunstyrelsen, förvaltning)
ORGANISATION = [
    ("Kommunstyrelsen", "Kommunstyrelse", True, "Kommunledningsförvaltningen"),
    ("Bildningsnämnden", "Bildning", False, "Bildningsförvaltningen"),
    ("Socialnämnden", "Social", False, "Socialförvaltningen"),
    ("Tekniska nämnden", "Teknisk", False, "Tekniska förvaltningen"),
    ("Plan- och miljönämnden", "Plan- och miljö", False, "Samhällsbyggnadsförvaltningen"),
]

# (username, first name, last name, description, [(role, unit name or None)])
DEMO_USERS = [
    ("admin", "Åsa", "Lindqvist", "administratör", [(Role.ADMINISTRATOR, None)]),
    ("controller", "Maria", "Holm", "controller", [(Role.CONTROLLER, None)]),
    (
        "chef-bildning",
        "Anders",
        "Berg",
        "förvaltningschef, Bildningsförvaltningen",
        [(Role.FORVALTNINGSCHEF, "Bildningsförvaltningen")],
    ),
    (
        "tjp-bildning",
        "Sara",
        "Nilsson",
        "tjänsteperson, Bildningsförvaltningen",
        [(Role.TJANSTEPERSON, "Bildningsförvaltningen")],
    ),
    (
        "tjp-social",
        "Omar",
        "Haddad",
        "tjänsteperson, Socialförvaltningen",
        [(Role.TJANSTEPERSON, "Socialförvaltningen")],
    ),
    (
        "ledamot-bildning",
        "Eva",
        "Sundberg",
        "nämndledamot, Bildningsnämnden",
        [(Role.NAMNDLEDAMOT, "Bildningsnämnden")],
    ),
    ("forum-1", "Lars", "Öberg", "forumdeltagare", [(Role.FORUMDELTAGARE, None)]),
    ("forum-2", "Fatima", "Karimi", "forumdeltagare", [(Role.FORUMDELTAGARE, None)]),
    ("forum-3", "Per", "Svensson", "forumdeltagare", [(Role.FORUMDELTAGARE, None)]),
    ("forum-4", "Lena", "Johansson", "forumdeltagare", [(Role.FORUMDELTAGARE, None)]),
    ("forum-5", "Nils", "Gustafsson", "forumdeltagare", [(Role.FORUMDELTAGARE, None)]),
    ("revisor", "Birgitta", "Wallin", "läsare", [(Role.LASARE, None)]),
]

# The förvaltningar by name, as the rounds' rows name them.
KLF = "Kommunledningsförvaltningen"
BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"
TEKNIK = "Tekniska förvaltningen"
SAMHALLSBYGGNAD = "Samhällsbyggnadsförvaltningen"

# The förvaltningschefer the rounds need besides the demo's chef-bildning, in
# the shape of DEMO_USERS: (username, first name, last name, description,
# [(role, förvaltning)]). The rounds create them (``ensure_round_users``):
# tests that load the organisation only do without.
DEMO_ROUND_USERS = [
    (
        "chef-klf",
        "Karin",
        "Ekström",
        f"förvaltningschef, {KLF}",
        [(Role.FORVALTNINGSCHEF, KLF)],
    ),
    (
        "chef-social",
        "Mikael",
        "Forsberg",
        f"förvaltningschef, {SOCIAL}",
        [(Role.FORVALTNINGSCHEF, SOCIAL)],
    ),
    (
        "chef-teknik",
        "Jonas",
        "Lund",
        f"förvaltningschef, {TEKNIK}",
        [(Role.FORVALTNINGSCHEF, TEKNIK)],
    ),
    (
        "chef-samhallsbyggnad",
        "Helena",
        "Åberg",
        f"förvaltningschef, {SAMHALLSBYGGNAD}",
        [(Role.FORVALTNINGSCHEF, SAMHALLSBYGGNAD)],
    ),
]

# The nämnder by name.
KS = "Kommunstyrelsen"
BILDNINGSNAMNDEN = "Bildningsnämnden"
SOCIALNAMNDEN = "Socialnämnden"
TEKNISKA_NAMNDEN = "Tekniska nämnden"
PLAN_MILJO = "Plan- och miljönämnden"

# The nämndledamöter the rounds need besides the demo's ledamot-bildning, in
# the shape of DEMO_USERS: (username, first name, last name, description,
# [(role, nämnd)]). The rounds create them too (``ensure_round_users``).
DEMO_LEDAMOTER = [
    ("ledamot-ks", "Göran", "Lindberg", f"nämndledamot, {KS}", [(Role.NAMNDLEDAMOT, KS)]),
    (
        "ledamot-social",
        "Amina",
        "Yusuf",
        f"nämndledamot, {SOCIALNAMNDEN}",
        [(Role.NAMNDLEDAMOT, SOCIALNAMNDEN)],
    ),
    (
        "ledamot-teknik",
        "Kent",
        "Larsson",
        f"nämndledamot, {TEKNISKA_NAMNDEN}",
        [(Role.NAMNDLEDAMOT, TEKNISKA_NAMNDEN)],
    ),
    (
        "ledamot-planmiljo",
        "Marie",
        "Sjöberg",
        f"nämndledamot, {PLAN_MILJO}",
        [(Role.NAMNDLEDAMOT, PLAN_MILJO)],
    ),
]

# Who records each nämnd's ranking, in both rounds.
LEDAMOTER = {
    KS: "ledamot-ks",
    BILDNINGSNAMNDEN: "ledamot-bildning",
    SOCIALNAMNDEN: "ledamot-social",
    TEKNISKA_NAMNDEN: "ledamot-teknik",
    PLAN_MILJO: "ledamot-planmiljo",
}

# The forumdeltagare, in the order of the rounds' forum ranks.
FORUM_MEMBERS = ["forum-1", "forum-2", "forum-3", "forum-4", "forum-5"]

# Whom each represents in both rounds' forum (source: "forum med representation
# från styrelse, nämnder, förvaltningar"): (kind, nämnd or förvaltning name).
FORUM_REPRESENTATION = {
    "forum-1": ("kommunstyrelsen", None),
    "forum-2": ("namnd", BILDNINGSNAMNDEN),
    "forum-3": ("namnd", SOCIALNAMNDEN),
    "forum-4": ("namnd", TEKNISKA_NAMNDEN),
    "forum-5": ("forvaltning", KLF),
}

# Who leads each förvaltning, and who writes its analysis and proposals.
CHEFS = {
    KLF: "chef-klf",
    BILDNING: "chef-bildning",
    SOCIAL: "chef-social",
    TEKNIK: "chef-teknik",
    SAMHALLSBYGGNAD: "chef-samhallsbyggnad",
}
AUTHORS = {
    KLF: "chef-klf",
    BILDNING: "tjp-bildning",
    SOCIAL: "tjp-social",
    TEKNIK: "chef-teknik",
    SAMHALLSBYGGNAD: "chef-samhallsbyggnad",
}


def load_organisation() -> tuple[Kommun, dict[str, User]]:
    """The kommun and the demo users by username."""
    kommun, _ = Kommun.objects.get_or_create(name=KOMMUN_NAME)
    namnder: dict[str, Namnd] = {}
    forvaltningar: dict[str, Forvaltning] = {}
    for namnd_name, short_name, is_ks, forvaltning_name in ORGANISATION:
        namnd, _ = Namnd.objects.get_or_create(
            kommun=kommun,
            name=namnd_name,
            defaults={"short_name": short_name, "is_kommunstyrelsen": is_ks},
        )
        namnder[namnd_name] = namnd
        forvaltningar[forvaltning_name], _ = Forvaltning.objects.get_or_create(
            namnd=namnd, name=forvaltning_name
        )

    password_hash = None
    users: dict[str, User] = {}
    for username, first_name, last_name, _description, memberships in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@exempelkommun.se",
                password=password_hash,
            )
            user.save()
        users[username] = user
        for role, unit in memberships:
            Membership.objects.get_or_create(
                user=user,
                role=role,
                forvaltning=forvaltningar.get(unit),
                namnd=namnder.get(unit),
            )
    return kommun, users


def ensure_round_users(kommun: Kommun, users: dict[str, User]) -> dict[str, User]:
    """The users with the förvaltningschefer and nämndledamöter the rounds add
    (DEMO_ROUND_USERS, DEMO_LEDAMOTER); created once, left alone after."""
    users = dict(users)
    admin = users.get("admin")
    password_hash = None
    units = {
        forvaltning.name: forvaltning
        for forvaltning in Forvaltning.objects.filter(namnd__kommun=kommun)
    } | {namnd.name: namnd for namnd in Namnd.objects.filter(kommun=kommun)}
    for username, first_name, last_name, _description, memberships in (
        DEMO_ROUND_USERS + DEMO_LEDAMOTER
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@exempelkommun.se",
                password=password_hash,
            )
            save_as(user, admin, "Demoanvändare")
        for role, unit in memberships:
            unit = units[unit]
            field = "namnd" if isinstance(unit, Namnd) else "forvaltning"
            if not Membership.objects.filter(user=user, role=role, **{field: unit}).exists():
                save_as(Membership(user=user, role=role, **{field: unit}), admin)
                forget_roles(user)
        users[username] = user
    return users
