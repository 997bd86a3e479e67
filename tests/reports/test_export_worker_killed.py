"""A real Celery worker killed (SIGKILL, the whole process group) in the middle of writing a
program export: nothing half-written is ever offered; the hourly sweep marks the job failed with
its reason and clears the orphaned part-file; Retry runs it to a whole file in a new worker.

What the design promises (reports/services.py): the file is written under a temporary name and
moved into place only when whole; a job whose worker was lost is failed by the sweep after
STALE_AFTER (a redelivery before then leaves it alone), and the person retries it."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from portal.models import Notification
from reports import exports, periods, services
from reports.models import ExportJob
from tests.factories import GranteeFactory
from tests.processes import portal_env
from tests.world import MARKER, sign_in

EXTRA_GRANTEES = 250  # enough rows that the CSV writer reports progress (and pauses) mid-file


def exports_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT, "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs a real Redis for the worker: set REDIS_URL (CI does)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"Redis at {url} does not answer")
    return url


def start_worker(log: Path, *extra: str) -> subprocess.Popen:
    """`celery -A portal worker` as deployed (prefork), in its own process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency=1"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        + ["--hostname", f"faults-{os.getpid()}-{time.monotonic_ns()}@%h", *extra],
        env=portal_env(REDIS_URL=redis_url(), PORTAL_VAR_DIR=str(log.parent)),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(worker: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)  # the main process and its pool child at once
    worker.wait(timeout=10)


def stop(worker: subprocess.Popen) -> None:
    """A warm shutdown (SIGTERM): the worker acknowledges what it has done, then exits."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill(worker)


def wait_for(check, *, what: str, log: Path, timeout: float = 25.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


def forget_unacked(url: str, task: str, arg: int) -> int:
    """Remove a killed worker's unacknowledged message for `task(arg)`, which Redis would hand
    out again after its visibility timeout (an hour), long after this test. Returns how many."""
    import json

    import redis

    broker = redis.Redis.from_url(url)
    removed = 0
    for tag, raw in broker.hgetall("unacked").items():
        headers = json.loads(raw)[0].get("headers", {})
        if headers.get("task") == task and headers.get("argsrepr") == f"({arg},)":
            removed += broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)
    return removed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_offers_nothing_half_written_and_the_retry_is_whole(
    tmp_path, request
):
    from portal.celery import app
    from tests.world import build_world

    url = redis_url()
    world = build_world()
    for _ in range(EXTRA_GRANTEES):
        GranteeFactory(program=world.program)
    grantees = world.program.grantees.count()
    state = world.users["state"]
    client = Client()
    sign_in(client, state)
    before = set(exports_dir().iterdir())
    log = tmp_path / "worker.log"

    # From here on the request really goes through Redis to the worker (tests run tasks inline).
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    request.addfinalizer(lambda: setattr(app.conf, "task_always_eager", eager))
    job = services.export_request(
        actor=state,
        program=world.program,
        period=periods.program_period(world.program, "year"),
        fmt="csv",
    )
    download = f"/p/{world.program.slug}/reports/exports/{job.pk}/"
    worker = start_worker(log, "-I", "tests.reports.export_pause")
    try:
        running = wait_for(
            lambda: ExportJob.objects.filter(pk=job.pk, status="running", progress__gte=70).first(),
            what="the worker to be part-way through the file",
            log=log,
        )
        kill(worker)
        assert running.attempts == 1
        # acks_late: the message was never acknowledged. Redeliveries before STALE_AFTER leave a
        # running job alone (tested in test_program_report.py); this test follows the sweep.
        assert forget_unacked(url, "reports.tasks.run_export", job.pk) == 1

        # Killed mid-way: the job is not done, offers no file, and nothing sits under a final
        # name; only the half-written part-file is left behind.
        job.refresh_from_db()
        assert job.status == ExportJob.Status.RUNNING and not job.file
        assert client.get(download).status_code == 404
        [part] = set(exports_dir().iterdir()) - before
        assert part.name.endswith(".csv.part")
        assert 0 < len(part.read_bytes().splitlines()) < grantees + 1

        # An hour later beat's sweep finds the lost job: failed with the reason, nothing left.
        services.exports_expire(
            now=timezone.now() + services.STALE_AFTER * 2 + timedelta(minutes=1)
        )
        job.refresh_from_db()
        assert job.status == ExportJob.Status.FAILED and "worker was lost" in job.error
        assert not job.file and client.get(download).status_code == 404
        assert set(exports_dir().iterdir()) == before

        # The person presses Retry; a worker (restarted, without the pause) writes it whole.
        services.export_retry(actor=state, job=job)
        worker = start_worker(log)
        done = wait_for(
            lambda: ExportJob.objects.filter(pk=job.pk, status="done").first(),
            what="the retried export",
            log=log,
        )
        ready = wait_for(
            lambda: Notification.objects.filter(
                key=f"export:{job.pk}:ready", sent_at__isnull=False
            ).first(),
            what="the e-mail saying the export is ready",
            log=log,
        )
        stop(worker)
    finally:
        kill(worker)
        forget_unacked(url, "reports.tasks.run_export", job.pk)

    assert done.attempts == 2 and done.progress == 100 and not done.error
    assert ready.recipient == state
    response = client.get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == Path(done.file.path).read_bytes()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == exports.program_header()
    assert len(rows) == grantees + 1 and {len(row) for row in rows} == {len(rows[0])}
    assert any(MARKER in cell for row in rows for cell in row)
    assert {p.name for p in set(exports_dir().iterdir()) - before} == {Path(done.file.name).name}


@pytest.mark.django_db
def test_the_sweep_removes_part_files_of_lost_runs_only():
    """A killed worker's part-file is never offered, but it would stay on disk for ever."""
    lost = exports_dir() / "lost.csv.part"
    lost.write_bytes(b"Grantee,Region\nAlpha,Bay")
    live = exports_dir() / "live.xlsx.part"
    live.write_bytes(b"PK")
    an_hour_ago = time.time() - 3600
    os.utime(lost, (an_hour_ago, an_hour_ago))
    services.exports_expire()
    assert not lost.exists()
    assert live.exists()  # a run still writing it: untouched for less than STALE_AFTER
    live.unlink()
