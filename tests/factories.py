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
