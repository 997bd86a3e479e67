"""Backup and restore: a backup restored into a fresh database holds the same rows, the same
hour-ledger balances and the same uploaded files. Restores run as `manage.py restore` in their
own process, pointed at the fresh database the way an operator would (`make restore`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from portal.backup import backup, snapshot

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def manage(*args, env: dict, stdin: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*MANAGE, *args], env=env, capture_output=True, text=True, input=stdin, timeout=300
    )
    if result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def _server(dbname: str = "postgres"):
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database's name (dropped afterwards)."""
    name = f"test_restore_{uuid.uuid4().hex[:8]}"
    with _server() as server:
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env_for(database: str, files: Path) -> dict:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "development",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{database}",
        "PRIVATE_MEDIA_ROOT": str(files / "private"),
        "MEDIA_ROOT": str(files / "media"),
    }
    return env


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_into_a_fresh_database_matches_the_backup(tmp_path, fresh_database):
    from tests.world import build_world

    build_world()
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    uploaded = {
        str(p.relative_to(private)): p.read_bytes() for p in private.rglob("*") if p.is_file()
    }
    assert uploaded, "the world has uploaded files (library, newsletter, exports)"
    before = snapshot()
    assert before["ledger_balances"] and before["counts"]["grantees_grantee"] == 3

    folder = backup(tmp_path / "backups")
    assert {p.name for p in folder.iterdir()} == {"database.dump", "files.tar.gz", "manifest.json"}

    # A new machine: an empty database and no files.
    target_files = tmp_path / "new-machine"
    out = manage("restore", str(folder), "--yes", env=_env_for(fresh_database, target_files))
    assert "ledger balances match the backup" in out.stdout

    restored_files = {
        str(p.relative_to(target_files / "private")): p.read_bytes()
        for p in (target_files / "private").rglob("*")
        if p.is_file()
    }
    assert restored_files == uploaded
    with _server(fresh_database) as restored:
        for table, count in before["counts"].items():
            assert restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table
        balances = restored.execute(
            "SELECT account_id, SUM(minutes) FROM support_hours_ledgerentry GROUP BY account_id"
        ).fetchall()
        assert {str(a): int(m) for a, m in balances} == before["ledger_balances"]
        names = restored.execute("SELECT name FROM grantees_grantee ORDER BY name").fetchall()
        assert len(names) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_that_does_not_match_its_manifest_is_reported(tmp_path, fresh_database):
    from tests.world import build_world

    build_world()
    folder = backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["counts"]["grantees_grantee"] += 1  # as if a row had been lost on the way
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(
        AssertionError, match="differ from the backup's for: \\['grantees_grantee'\\]"
    ):
        manage("restore", str(folder), "--yes", env=_env_for(fresh_database, tmp_path / "files"))


def test_backup_and_restore_commands_on_sqlite(tmp_path):
    """The SQLite database `make run` uses, end to end in a separate process: migrate, add a
    row and a file, back up, lose both, decline a restore, restore, and both are back."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PORTAL_ENV": "development",
    }
    for name in ("DATABASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        env.pop(name, None)

    def regions() -> str:
        code = "from grantees.models import Region; print(Region.objects.filter(slug='bt').count())"
        return manage("shell", "-v0", "-c", code, env=env).stdout.strip()

    (tmp_path / "var").mkdir()
    manage("migrate", "-v0", env=env)
    code = (
        "from grantees.models import Region; Region.objects.create(name='Backup test', slug='bt')"
    )
    manage("shell", "-c", code, env=env)
    upload = tmp_path / "var" / "private" / "kept.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("an upload")
    out = manage("backup", "--dir", str(tmp_path / "backups"), env=env).stdout
    folder = Path(out.strip().rsplit(" ", 1)[-1])
    manage(
        "shell", "-c", code.replace("create(name='Backup test', ", "filter(") + ".delete()", env=env
    )
    upload.unlink()
    assert regions() == "0"
    with pytest.raises(AssertionError, match="Nothing restored"):
        manage("restore", str(folder), env=env, stdin="n\n")
    assert regions() == "0"
    assert "ledger balances match" in manage("restore", str(folder), "--yes", env=env).stdout
    assert regions() == "1"
    assert upload.read_text() == "an upload"
