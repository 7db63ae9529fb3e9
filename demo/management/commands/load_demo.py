"""Load the demo municipality, Exempelkommun, with its rounds 2026 (decided,
published and followed up) and 2027 (in the forum phase, or the phase
``--phase`` names). Safe to run again: what is there stays as it is."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loading import load_demo
from demo.organisation import DEMO_LEDAMOTER, DEMO_PASSWORD, DEMO_ROUND_USERS, DEMO_USERS
from demo.round_2027 import DEFAULT_PHASE, PHASES, describe_round


class Command(BaseCommand):
    help = (
        "Skapar demokommunen Exempelkommun med nämnder, förvaltningar, användare och "
        "prioriteringsomgångarna 2026 (beslutad och publicerad) och 2027 (i fasen "
        "Kommunövergripande prioritering, eller den fas --phase anger)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är av (skapar användare med ett känt lösenord).",
        )
        parser.add_argument(
            "--phase",
            default=DEFAULT_PHASE,
            help=(
                "Fasen omgång 2027 laddas i, med arbetet i faserna före gjort: "
                f"{', '.join(PHASES)} (standard: {DEFAULT_PHASE})."
            ),
        )

    def handle(self, *args, force=False, phase=DEFAULT_PHASE, **options):
        if phase not in PHASES:
            raise CommandError(
                f"Okänd fas: {phase!r}. Välj en av {', '.join(PHASES)} (standard: {DEFAULT_PHASE})."
            )
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG är av: demodata med det kända lösenordet 'demo' hör inte hemma i "
                "produktion. Använd --force om du verkligen vill."
            )
        with transaction.atomic():
            summary = load_demo(with_round=True, phase=phase)
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
            if summary.round.phase != PHASES[phase]:
                self.stdout.write(
                    f"Omgång {summary.round.budget_year} fanns redan och är kvar i sin fas. "
                    f"Töm databasen för att ladda den i fasen {phase}."
                )
        self.stdout.write(f"Demoanvändare (lösenord: {DEMO_PASSWORD}):")
        people = DEMO_USERS + DEMO_ROUND_USERS + DEMO_LEDAMOTER
        width = max(len(username) for username, *_ in people)
        for username, _first, _last, description, _memberships in people:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
