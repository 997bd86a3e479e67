"""`make bench`: the portal under load on this machine, each page against a bare Django view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal REDIS_URL=redis://127.0.0.1:6379/0 \
        make bench                      # SCALE=1 by default; BENCH_* variables below

Steps, each printed as it runs:

1. Creates a throwaway database on DATABASE_URL's server (`<name>_bench`, or BENCH_DATABASE),
   migrates it and loads `manage.py generate_load_data --scale $SCALE --seed $SEED`
   (BENCH_DATA=demo: `seed_demo` instead), then VACUUM ANALYZE so the planner has the statistics
   a production database has.
2. Starts gunicorn on 127.0.0.1 on a free port with the production settings (PORTAL_ENV=
   production, DEBUG off, a random SECRET_KEY, WhiteNoise, the psycopg pool, Redis at REDIS_URL)
   through bench/settings.py, which adds only the bare view's URL, room for 40 sign-ins a minute
   from one address, and a cache key prefix of its own.
3. Runs bench/loadgen.py (locust, in .venv-bench): sign-ins as every role, the mixed workload,
   each page alone, the bare view; it prints the table and writes bench/results/. Then
   bench/page_queries.py profiles each page alone (queries, SQL time, the slowest query).
4. Always (success, failure, Ctrl-C, SIGTERM): stops the load generator and gunicorn, drops the
   database, deletes the bench's Redis keys and its temporary directory.

Variables: SCALE (1), SEED (2026), BENCH_DATA (load | demo), BENCH_DATABASE, BENCH_USERS (8),
BENCH_WARMUP (10), BENCH_SECONDS (60), BENCH_SOLO_WARMUP (2), BENCH_SOLO_SECONDS (10),
BENCH_BARE_SECONDS (20), BENCH_WORKER_CLASS (sync | gthread), BENCH_WORKERS, BENCH_THREADS,
BENCH_PROFILE (0: skip the query profile), BENCH_KEEP_DB (1: keep the database for a look
afterwards or for BENCH_REUSE_DB=1, which runs against a kept database without loading it
again), BENCH_STRICT (1: exit 1 when a page misses a target).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
RESULTS = ROOT / "bench" / "results"

# Worker model on 2 cores, chosen by measurement (README, "Load benchmark"): sync workers,
# 2 x cores + 1 of them.
DEFAULT_WORKER_CLASS = "sync"


class Stop(Exception):
    """A signal arrived: unwind through the cleanup."""


def on_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def say(text: str) -> None:
    print(f"[bench] {text}", flush=True)


def run(args: list, env: dict, **kwargs) -> None:
    command = [str(a) for a in args]
    subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603 - ours


def database_urls(url: str, name: str) -> tuple[str, str]:
    """The bench database's URL and the maintenance database's, on DATABASE_URL's server."""
    parts = urlsplit(url)
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def admin_sql(maintenance_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def database_exists(maintenance_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    url = f"{base}/healthz"  # http://127.0.0.1:<port>, built here
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s")


def stop(process: subprocess.Popen | None, name: str, grace: float = 15) -> None:
    """Stop a process we started (its own process group) by its id: TERM, then KILL."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
    say(f"stopped {name}")


def delete_redis_keys(redis_url: str, prefix: str) -> None:
    """The bench's cache keys (KEY_PREFIX) and its Celery queue; nothing else in that Redis."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def git(*args: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603 - fixed git subcommands
            ["git", *args],  # noqa: S607 - git from PATH, as make does
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()
    except OSError:
        return ""


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    changed = git("status", "--porcelain", "--untracked-files=no").splitlines()
    commit = git("rev-parse", "--short", "HEAD")
    return f"{commit} + {len(changed)} changed files" if changed else commit


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("make bench needs DATABASE_URL naming a PostgreSQL server (postgres://...).")
        return 2
    if not redis_url.startswith("redis"):
        print("make bench needs REDIS_URL (redis://...): production settings use Redis.")
        return 2
    if not BENCH_PYTHON.exists():
        print("The load generator's venv is missing: run `make bench` (it builds .venv-bench).")
        return 2

    scale, seed = os.environ.get("SCALE", "1"), os.environ.get("SEED", "2026")
    has_generator = (ROOT / "portal" / "load_data.py").exists()
    data = os.environ.get("BENCH_DATA") or ("load" if has_generator else "demo")
    source_name = urlsplit(database_url).path.lstrip("/") or "portal"
    db_name = os.environ.get("BENCH_DATABASE") or f"{source_name}_bench"
    bench_url, maintenance_url = database_urls(database_url, db_name)
    worker_class = os.environ.get("BENCH_WORKER_CLASS", DEFAULT_WORKER_CLASS)
    cores = os.cpu_count() or 2
    default_workers = 2 * cores + 1 if worker_class == "sync" else cores
    workers = int(os.environ.get("BENCH_WORKERS") or default_workers)
    threads = int(os.environ.get("BENCH_THREADS") or (1 if worker_class == "sync" else 4))
    run_id = f"bench-{os.getpid()}-{int(time.time())}"
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PORTAL_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_RUN_ID": run_id,
        "PORTAL_VAR_DIR": str(tmp / "var"),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "SITE_URL": base,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        "PYTHONUNBUFFERED": "1",
    }
    # Mail goes to the console backend: nobody should get e-mail from a benchmark.
    env.pop("EMAIL_HOST", None)
    for key in ("BENCH_KEEP_DB",):
        env.pop(key, None)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, on_signal)
    server = loadgen = None
    created = False
    status = 1
    try:
        reuse = os.environ.get("BENCH_REUSE_DB") == "1" and database_exists(
            maintenance_url, db_name
        )
        load_seconds = None
        if reuse:
            # For trying server settings on one database: its data as the last run left it.
            say(f"database {db_name} reused as it is (BENCH_REUSE_DB)")
        else:
            say(f"database {db_name} (drop, create) on {urlsplit(database_url).hostname}")
            admin_sql(
                maintenance_url,
                f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)',
                f'CREATE DATABASE "{db_name}"',
            )
            created = True
            say("migrate")
            run([PYTHON, "manage.py", "migrate", "--verbosity", "0"], env)
            started = time.monotonic()
            if data == "load":
                say(f"generate_load_data --scale {scale} --seed {seed}")
                # --force: DEBUG is off, and this database exists only for the benchmark.
                generate = ["generate_load_data", "--scale", scale, "--seed", seed, "--force"]
                run([PYTHON, "manage.py", *generate], env)
            else:
                say("seed_demo (BENCH_DATA=demo)")
                run([PYTHON, "manage.py", "seed_demo", "--force"], env, stdout=subprocess.DEVNULL)
            load_seconds = round(time.monotonic() - started)
            say(f"data loaded in {load_seconds} s; VACUUM ANALYZE")
            admin_sql(bench_url, "VACUUM ANALYZE")
        say("collectstatic (WhiteNoise's manifest)")
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        accounts = tmp / "accounts.json"
        users = os.environ.get("BENCH_USERS", "8")
        run([PYTHON, "bench/accounts.py", "--data", data, "--users", users, "--out", accounts], env)

        log = tmp / "gunicorn.log"
        command = [
            GUNICORN,
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            worker_class,
            "--threads",
            threads,
            "--worker-tmp-dir",
            tmp,
            "--error-logfile",
            log,
            "--log-level",
            "warning",
        ]
        say(f"gunicorn {worker_class}, {workers} workers x {threads} threads on {base}")
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [str(c) for c in command], env=env, cwd=ROOT, start_new_session=True
        )
        wait_until_up(base, server, log)

        meta = {
            "data": data,
            "scale": float(scale) if data == "load" else None,
            "seed": int(seed) if data == "load" else None,
            "data_load_seconds": load_seconds,
            "database_reused": reuse,
            "commit": code_version(),
            "gunicorn": {"worker_class": worker_class, "workers": workers, "threads": threads},
            "database": f"PostgreSQL {postgres_version(bench_url)} on "
            + (urlsplit(database_url).hostname or ""),
        }
        loadgen = subprocess.Popen(  # noqa: S603 - our own command line
            [
                str(BENCH_PYTHON),
                "bench/loadgen.py",
                "--host",
                base,
                "--accounts",
                str(accounts),
                "--results",
                str(RESULTS),
                "--server-pid",
                str(server.pid),
                "--meta",
                json.dumps(meta),
            ],
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=ROOT,
            start_new_session=True,
        )
        status = loadgen.wait()
        if status == 0 and os.environ.get("BENCH_PROFILE", "1") != "0":
            say("where the time goes: each page alone, one request at a time, in one process")
            profile = ["bench/page_queries.py", "--accounts", accounts, "--results", RESULTS]
            run([PYTHON, *profile], env)
        if server.poll() is not None:
            say(f"gunicorn died during the run:\n{log.read_text()[-3000:]}")
            status = status or 1
        errors = [line for line in log.read_text().splitlines() if "Error" in line]
        if errors:
            say(f"gunicorn's log has {len(errors)} error lines; the last ones:")
            print("\n".join(errors[-10:]))
    except Stop as reason:
        say(f"interrupted ({reason}); cleaning up")
        status = 130
    except (subprocess.CalledProcessError, RuntimeError) as error:
        say(f"failed: {error}")
        status = 1
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)  # let the cleanup finish
        stop(loadgen, "the load generator", grace=5)
        stop(server, "gunicorn")
        if created and not os.environ.get("BENCH_KEEP_DB"):
            try:
                admin_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
                say(f"dropped {db_name}")
            except Exception as error:  # noqa: BLE001 - report and go on cleaning
                say(f"could not drop {db_name}: {error}")
        elif created:
            say(f"kept {db_name} (BENCH_KEEP_DB)")
        try:
            delete_redis_keys(redis_url, run_id)
        except Exception as error:  # noqa: BLE001
            say(f"could not delete the bench's Redis keys: {error}")
        shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
