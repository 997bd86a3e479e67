from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and uploaded files with a backup folder's, then check row counts "
        "and hour-ledger balances against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not (path / "manifest.json").exists():
            raise CommandError(f"{path} is not a backup folder (no manifest.json).")
        if not options["yes"]:
            answer = input(f"Replace the current database and files with {path}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            restored = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(restored["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows:,} rows; counts and {len(restored['ledger_balances'])} ledger "
                "balances match the backup."
            )
        )
