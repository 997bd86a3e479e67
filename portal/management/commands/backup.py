from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder under --dir."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="Where backups go (default backups/).")

    def handle(self, *args, **options):
        try:
            target = backup(Path(options["dir"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
