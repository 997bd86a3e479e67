"""Backups: the database (pg_dump's custom format, or SQLite's online backup) plus the uploaded
files, in one directory with a manifest of row counts and hour-ledger balances, so a restore can
be checked against what was saved.

    backups/20261129-171500/
        database.dump | database.sqlite3
        files.tar.gz          MEDIA_ROOT and PRIVATE_MEDIA_ROOT
        manifest.json         counts per table, ledger balance per hour account
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FILE_ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    pass


def _client(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(name):
            env[key] = str(db[name])
    return env


def snapshot(using: str = "default") -> dict:
    """Row counts of every table the portal owns and each hour account's ledger balance: what a
    restore must reproduce exactly."""
    conn = connections[using]
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    )
    existing = set(conn.introspection.table_names())
    counts = {}
    with conn.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our table names
                counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT account_id, SUM(minutes) FROM support_hours_ledgerentry "
            "GROUP BY account_id ORDER BY account_id"
        )
        balances = {str(account): int(total) for account, total in cursor.fetchall()}
    return {"counts": counts, "ledger_balances": balances}


def backup(directory: Path) -> Path:
    """Write a backup into a new folder under `directory` and return it."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = Path(directory) / stamp
    target.mkdir(parents=True, exist_ok=False)
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        # The manifest and the dump must describe the same moment: take the counts first, then
        # dump; a change in between shows up as a mismatch when the restore is checked.
        manifest = snapshot()
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target / "database.dump"),
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        manifest = snapshot()
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(target / "database.sqlite3"))
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    with tarfile.open(target / "files.tar.gz", "w:gz") as archive:
        for name, setting in FILE_ROOTS.items():
            root = Path(getattr(settings, setting))
            if root.exists():
                archive.add(root, arcname=name)
    manifest.update({"created_at": timezone.now().isoformat(), "vendor": connection.vendor})
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def restore(source: Path, *, using: str = "default") -> dict:
    """Replace the database `using` and the uploaded files with a backup's. Returns what the
    restored database holds (its snapshot) after checking it against the manifest."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    db = settings.DATABASES[using]
    conn = connections[using]
    if manifest["vendor"] != conn.vendor:
        raise BackupError(f"This backup is from {manifest['vendor']}, not {conn.vendor}.")
    if conn.vendor == "postgresql":
        conn.close()
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _client("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                db["NAME"],
                str(source / "database.dump"),
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        conn.close()
        saved = sqlite3.connect(str(source / "database.sqlite3"))
        live = sqlite3.connect(str(db["NAME"]))
        with live:
            saved.backup(live)
        saved.close()
        live.close()
    with tarfile.open(source / "files.tar.gz", "r:gz") as archive:
        for name, setting in FILE_ROOTS.items():
            root = Path(getattr(settings, setting))
            members = [m for m in archive.getmembers() if m.name.split("/")[0] == name]
            if not members:
                continue
            if root.exists():
                shutil.rmtree(root)
            root.parent.mkdir(parents=True, exist_ok=True)
            for member in members:
                member.name = member.name[len(name) :].lstrip("/") or "."
            archive.extractall(root, members=members, filter="data")
    restored = snapshot(using)
    if restored["counts"] != manifest["counts"]:
        differ = sorted(
            t
            for t in set(restored["counts"]) | set(manifest["counts"])
            if restored["counts"].get(t) != manifest["counts"].get(t)
        )
        raise BackupError(f"Restored row counts differ from the backup's for: {differ}")
    if restored["ledger_balances"] != manifest["ledger_balances"]:
        raise BackupError("Restored hour-ledger balances differ from the backup's.")
    return restored
