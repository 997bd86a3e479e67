"""Run a job on many threads at once, each with its own database connection (PostgreSQL tests)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

# Below PostgreSQL's default max_connections (100), with room for the test's own connection.
WORKERS = 50


def run_in_parallel(count: int, job) -> list:
    """Run job(i) for i in range(count) on WORKERS threads released together by a barrier."""
    start = threading.Barrier(min(count, WORKERS))

    def call(i):
        try:
            if i < WORKERS:
                start.wait(timeout=30)
            return job(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(call, range(count)))
