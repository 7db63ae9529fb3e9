"""Exempelkommun: the organisation of the source documents and a user for every
role. ``load_organisation()`` is idempotent: it creates what is missing and
leaves what is there (a demo user's changed password stays changed).

Tests load the organisation only (``demo.loading.load_demo()``): they build the
rounds they need themselves."""

from django.contrib.auth.hashers import make_password

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
