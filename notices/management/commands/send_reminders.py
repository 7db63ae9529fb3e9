"""``manage.py send_reminders [--days N] [--dry-run]``: remind each user of
their unfinished work due within N days (default 7), one mail a day at most.
Run daily (docker-compose's ``scheduler`` service, or cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format

from notices import reminders
from notices.delivery import requeue_unsent


class Command(BaseCommand):
    help = "Send each user one reminder of their work due within N days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=reminders.DEFAULT_DAYS)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print whom it would mail and what; send nothing.",
        )

    def handle(self, *, days: int, dry_run: bool, **options):
        if days < 0:
            self.stderr.write("--days must be 0 or more")
            return
        today = timezone.localdate()
        found = reminders.reminders(days, today)
        sent = 0
        for reminder in found:
            if dry_run:
                self.stdout.write(f"{reminder.user.username} <{reminder.user.email}>:")
                for item in reminder.items:
                    self.stdout.write(f"  - {item.text} ({date_format(item.deadline, 'Y-m-d')})")
                continue
            sent += reminders.send(reminder, today)
        if dry_run:
            self.stdout.write(f"{len(found)} reminder(s) would be sent; nothing was sent.")
            return
        requeued = requeue_unsent()
        self.stdout.write(
            f"{sent} reminder(s) queued, {len(found) - sent} already sent today; "
            f"{requeued} unsent mail(s) enqueued again."
        )
