"""Where each benchmarked page's time goes: queries, SQL time and the slowest query.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/page_queries.py --accounts A.json

bench/load.py runs it after the load, against the same database, in one process with no other
load: each page of bench/pages.py is opened once to warm up and then ROUNDS times through
Django's test client as the page's first role (signed in with the second factor proved, as
tests/world.py does). It prints the median request time, the number of queries, their total
time, the query shape repeated most (an N+1 shows as a large count) and the slowest query, and
writes them to bench/results/latest-queries.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from pages import PAGES  # noqa: E402

ROUNDS = 5
NUMBERS = re.compile(r"\b\d+\b|'[^']*'")


def shape(sql: str) -> str:
    """The query with its literals taken out: the same shape repeated is an N+1."""
    return NUMBERS.sub("?", sql)


def sign_in(client, user) -> None:
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods_user"] = user_id_to_str(user)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session.save()


def profile(accounts: list[dict]) -> list[dict]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grantees.models import User

    first_of = {}
    for account in accounts:
        first_of.setdefault(account["role"], account)
    rows = []
    for page in PAGES:
        account = first_of[page.roles[0]]
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, User.objects.get(email=account["email"]))
        headers = {"HX-Request": "true", "HX-Target": page.target} if page.kind == "htmx" else {}
        url = page.url(account, 0)
        client.get(url, headers=headers, secure=True)
        walls, sql_ms, counts = [], [], []
        slowest = (0.0, "")
        shapes: Counter = Counter()
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, headers=headers, secure=True)
                walls.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            times = [float(q["time"]) * 1000 for q in captured.captured_queries]
            sql_ms.append(sum(times))
            counts.append(len(times))
            shapes = Counter(shape(q["sql"]) for q in captured.captured_queries)
            for took, query in zip(times, captured.captured_queries, strict=True):
                if took > slowest[0]:
                    slowest = (took, query["sql"])
        repeated, repeats = shapes.most_common(1)[0] if shapes else ("", 0)
        rows.append(
            {
                "key": page.key,
                "title": page.title,
                "kind": page.kind,
                "url": url,
                "role": page.roles[0],
                "request_ms": round(statistics.median(walls), 1),
                "queries": max(counts),
                "sql_ms": round(statistics.median(sql_ms), 1),
                "most_repeated_query": {"times": repeats, "sql": repeated[:300]},
                "slowest_query": {"ms": round(slowest[0], 1), "sql": slowest[1][:600]},
            }
        )
    return rows


def render(rows: list[dict]) -> str:
    head = ("page", "kind", "request ms", "queries", "SQL ms", "repeats", "slowest query ms")
    lines = [head] + [
        (
            r["title"],
            r["kind"],
            f"{r['request_ms']:.0f}",
            f"{r['queries']}",
            f"{r['sql_ms']:.0f}",
            f"{r['most_repeated_query']['times']}",
            f"{r['slowest_query']['ms']:.0f}",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]

    def fmt(line):
        return " | ".join(
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)
        )

    out = [fmt(lines[0]), "-+-".join("-" * w for w in widths)] + [fmt(x) for x in lines[1:]]
    out.append(
        f"One request at a time in one process, median of {ROUNDS}; repeats: how often the "
        "most repeated query shape ran in one request. Slowest queries:"
    )
    for r in sorted(rows, key=lambda r: -r["slowest_query"]["ms"])[:5]:
        sql = " ".join(r["slowest_query"]["sql"].split())
        out.append(f"  {r['title']}: {r['slowest_query']['ms']:.0f} ms  {sql[:220]}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    args = parser.parse_args()
    rows = profile(json.loads(args.accounts.read_text()))
    print(render(rows))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest-queries.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
