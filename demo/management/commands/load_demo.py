"""Load the demo municipality, Exempelkommun, with its rounds 2026 (decided and
published) and 2027 (in verksamhetsanalys). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loading import load_demo
from demo.organisation import DEMO_PASSWORD, DEMO_ROUND_USERS, DEMO_USERS
from demo.round_2026 import DEMO_2026_USERS
from demo.round_2027 import describe_round


class Command(BaseCommand):
    help = (
        "Skapar demokommunen Exempelkommun med nämnder, förvaltningar, användare och "
        "prioriteringsomgångarna 2026 (beslutad och publicerad) och 2027 (i fasen "
        "Verksamhetsanalys)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är av (skapar användare med ett känt lösenord).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG är av: demodata med det kända lösenordet 'demo' hör inte hemma i "
                "produktion. Använd --force om du verkligen vill."
            )
        with transaction.atomic():
            summary = load_demo(with_round=True)
        self.stdout.write(
            f"Demokommunen {summary.kommun} är laddad: {summary.namnder} nämnder, "
            f"{summary.forvaltningar} förvaltningar, {summary.users} användare."
        )
        self.stdout.write(
            "Omgång 2026 är rangordnad, beslutad, publicerad och följs upp: "
            "/oppna-prioriteringar/2026/"
        )
        if summary.round is not None:
            self.stdout.write(describe_round(summary.round))
        self.stdout.write(f"Demoanvändare (lösenord: {DEMO_PASSWORD}):")
        people = DEMO_USERS + DEMO_ROUND_USERS + DEMO_2026_USERS
        width = max(len(username) for username, *_ in people)
        for username, _first, _last, description, _memberships in people:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
