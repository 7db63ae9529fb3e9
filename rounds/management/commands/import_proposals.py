"""Import proposals (or a verksamhetsanalys grid) from an Excel file into a round.

    python manage.py import_proposals FILE --round YEAR [--dry-run] [--forvaltning NAME]
                                           [--user USERNAME]

All or nothing: on any problem it prints one line per problem (sheet, row,
column, what was expected) and exits non-zero, and nothing is stored. On
success the last line is ``Importerade N förslag.``. ``--dry-run`` reads and
places every row, prints what would be imported, and stores nothing.

The import is done as a controller (``--user``, or the kommun's first
controller by username), who is named in the history.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from prioritering.templatetags.formatting import signed_number
from rounds.importing import (
    ImportRefused,
    UnreadableWorkbook,
    find_forvaltning,
    import_workbook,
    plan_import,
    read_workbook,
)
from rounds.models import Forvaltning, Membership, Role, Round, User


class Command(BaseCommand):
    help = (
        "Importerar förslag från en Excel-fil (forumsammanställning, basverktyg, "
        "investeringsverktyg) eller en verksamhetsanalys till en omgång. Allt eller inget."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel-filen (.xlsx).")
        parser.add_argument("--round", type=int, required=True, help="Omgångens budgetår.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle importeras, spara inget."
        )
        parser.add_argument(
            "--forvaltning",
            help="Förvaltningen raderna hör till, för blad utan kolumnen Nämnd.",
        )
        parser.add_argument("--user", help="Controllern som importerar (användarnamn).")

    def handle(self, *args, **options):
        with translation.override("sv"):
            return self._handle(**options)

    def _handle(self, *, file, round, dry_run, forvaltning, user, **_options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan inte läsa {file}: {error.strerror}.") from None
        the_round = Round.objects.filter(budget_year=round).first()
        if the_round is None:
            raise CommandError(f"Det finns ingen omgång för budgetår {round}.")
        chosen = self._forvaltning(the_round, forvaltning)
        actor = self._actor(user)
        try:
            parsed = read_workbook(data, path.name)
        except UnreadableWorkbook as error:
            self.stdout.write(f"{path.name}: {error}")
            raise CommandError("Ingenting importerades.") from None
        if dry_run:
            plan = plan_import(the_round, parsed, forvaltning=chosen)
            if not plan.ok:
                self._refuse(plan.problems)
            self._describe(plan)
            self.stdout.write(
                f"Torrkörning: skulle importera {plan.proposal_count} förslag"
                + (f" och {plan.item_count} analyspunkter" if plan.item_count else "")
                + ". Ingenting sparades."
            )
            return
        try:
            result = import_workbook(the_round, parsed, by=actor, forvaltning=chosen)
        except ImportRefused as refused:
            self._refuse(refused.problems)
        except PermissionDenied:
            raise CommandError(
                f"{actor.username} får inte importera till omgång {round} "
                "(bara en controller, och inte när omgången är publicerad)."
            ) from None
        if result.items:
            self.stdout.write(f"Importerade {result.items} analyspunkter.")
        self.stdout.write(f"Importerade {result.proposals} förslag.")

    def _refuse(self, problems) -> None:
        for problem in problems:
            self.stdout.write(str(problem))
        raise CommandError(f"Ingenting importerades: {len(problems)} problem.")

    def _forvaltning(self, round: Round, name: str | None) -> Forvaltning | None:
        if not name:
            return None
        found = find_forvaltning(round, name)
        if found is None:
            names = ", ".join(
                Forvaltning.objects.filter(namnd__kommun=round.kommun).values_list(
                    "name", flat=True
                )
            )
            raise CommandError(f"Okänd förvaltning ”{name}”. Förvaltningar: {names}.")
        return found

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Det finns ingen aktiv användare {username}.")
            return actor
        membership = (
            Membership.objects.filter(role=Role.CONTROLLER, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if membership is None:
            raise CommandError("Det finns ingen controller att importera som: ange --user.")
        return membership.user

    def _describe(self, plan) -> None:
        for sheet in plan.parsed.sheets:
            self.stdout.write(f"Blad ”{sheet.title}”: {sheet.layout_label}")
            for row in sheet.proposals:
                costs = " / ".join(
                    signed_number(getattr(row, name))
                    for name in ("cost_year1", "cost_year2", "cost_year3")
                )
                self.stdout.write(
                    f"  rad {row.row}: {row.title} → {row.forvaltning_name} "
                    f"({row.typ_label}; {costs} tkr)"
                )
            for row in sheet.grid:
                self.stdout.write(f"  rad {row.row}: {row.perspektiv}, {len(row.items)} punkter")
