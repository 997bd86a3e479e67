"""The load generator of `make bench`: locust (headless, as a library) against a running portal.

    .venv-bench/bin/python bench/loadgen.py --host http://127.0.0.1:PORT --accounts A.json \
        --results bench/results

bench/load.py starts it after the database, gunicorn and the accounts are ready; it runs in its
own venv and never imports Django. What it does:

1. Signs every account in over real HTTP, as a browser would: GET the sign-in page for the CSRF
   token, POST e-mail and password, and for coaches, TA admins and state admins the TOTP code at
   allauth's authenticate step (computed here from the known secret). The portal runs with its
   production settings, so its cookies are Secure and it redirects plain HTTP to HTTPS: every
   request carries `X-Forwarded-Proto: https` as the TLS proxy in front of production sends,
   and the cookies are sent by this script (a cookie jar would keep Secure cookies off http).
2. Mixed workload: BENCH_USERS (8) users without think time, each one person of one role
   (2 leads, 2 grantee staff, 2 coaches, a TA admin and a state admin), each opening its role's
   pages in random order. BENCH_WARMUP s (10) are not counted, then BENCH_SECONDS (60) are.
   These give each page's latency under a realistic mix: p50/p95/p99/max and errors.
3. Each page alone: the same users all open only that page (as a person of a role that may see
   it) for BENCH_SOLO_SECONDS (10) after BENCH_SOLO_WARMUP (2). This is the page's throughput
   ceiling on this stack, the number compared with the bare view.
4. The bare view (/bench/bare/: HttpResponse, whole middleware chain, no database), same users,
   BENCH_BARE_SECONDS (20): the ceiling of gunicorn + Django here.

Latencies are the client's (locust's timer, the full response read), kept per request so the
percentiles are exact. It prints the table and writes JSON and CSV into --results.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import struct
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import psutil
from gevent.pool import Pool
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import BARE, PAGES, Page  # noqa: E402

FULL_P95_MS = 200
HTMX_P95_MS = 100
MAX_MS = 1200
MIN_RATIO = 0.10
# Who the mixed workload's users are, in order; more users repeat the list.
ROLE_MIX = ("lead", "staff", "coach", "ta_admin", "state_admin", "lead", "staff", "coach")
# Seconds each mixed-workload user waits after a page (0: a closed loop, the strict reading of
# "8 concurrent users"; a person reading pages would wait seconds).
THINK = float(os.environ.get("BENCH_THINK") or 0)


def env_number(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


# --- Signing in over HTTP -------------------------------------------------------------------


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with allauth's defaults: SHA-1, 30-second steps, 6 digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at or time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Browser:
    """Just enough of a browser behind a TLS proxy: cookies (Secure ones too), CSRF, no redirects
    followed on their own."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"https://{parts.netloc}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers.get("Location", ""), text

    def csrf_form_token(self, text: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)


def sign_in(base: str, account: dict) -> tuple[dict, float]:
    """Sign in as a person would; returns the session's cookies and the seconds it took."""
    started = time.perf_counter()
    browser = Browser(base)
    status, _, text = browser.request("GET", "/accounts/login/")
    if status != 200:
        raise RuntimeError(f"{account['email']}: sign-in page answered {status}")
    form = {
        "csrfmiddlewaretoken": browser.csrf_form_token(text),
        "login": account["email"],
        "password": account["password"],
    }
    status, location, text = browser.request("POST", "/accounts/login/", form)
    if status != 302:
        raise RuntimeError(f"{account['email']}: sign-in refused ({status})")
    if "/2fa/authenticate" in location:
        if not account.get("totp_secret"):
            raise RuntimeError(f"{account['email']}: asked for a code but has no TOTP secret")
        for attempt in range(2):
            status, _, text = browser.request("GET", location)
            form = {
                "csrfmiddlewaretoken": browser.csrf_form_token(text),
                "code": totp_code(account["totp_secret"]),
            }
            status, location, text = browser.request("POST", "/accounts/2fa/authenticate/", form)
            if status == 302:
                break
            # allauth takes each code once per account: a run started within 30 s of the last
            # one may find this account's code used. Wait for the next one.
            if attempt == 0:
                gevent.sleep(30 - time.time() % 30 + 0.5)
        else:
            raise RuntimeError(f"{account['email']}: TOTP code refused ({status})")
    status, location, _ = browser.request("GET", "/")
    if status not in (200, 302) or "/accounts/" in location:
        raise RuntimeError(f"{account['email']}: not signed in after the sign-in ({location})")
    return dict(browser.cookies), time.perf_counter() - started


# --- The load ---------------------------------------------------------------------------------


@dataclass
class Phase:
    label: str  # "mixed", "solo:<page key>", "bare"
    page: Page | None = None
    window: tuple[float, float] = (0.0, 0.0)


@dataclass
class State:
    phase: Phase = field(default_factory=lambda: Phase("idle"))
    sessions: dict[str, list[dict]] = field(default_factory=dict)  # role -> [{account, cookies}]
    samples: dict = field(default_factory=lambda: defaultdict(list))  # (phase, page) -> [ms]
    errors: dict = field(default_factory=lambda: defaultdict(list))  # (phase, page) -> [text]
    next_index: int = 0


STATE = State()


class PortalUser(FastHttpUser):
    wait_time = constant(0)  # a closed loop: each user has one request in flight at all times
    # The portal behind its TLS proxy: see Browser.
    default_headers = {"X-Forwarded-Proto": "https", "User-Agent": "portal-bench"}
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        self.index = STATE.next_index
        STATE.next_index += 1
        self.count = random.randrange(1000)
        self.rng = random.Random(self.index)

    def _session(self, role: str) -> dict:
        sessions = STATE.sessions[role]
        return sessions[self.index % len(sessions)]

    @task
    def step(self) -> None:
        phase = STATE.phase
        if phase.label == "idle":
            gevent.sleep(0.05)
            return
        if phase.label == "bare":
            self._open(BARE, None, phase)
            return
        if phase.page is not None:
            page, role = phase.page, phase.page.roles[0]
        else:
            role = ROLE_MIX[self.index % len(ROLE_MIX)]
            page = self.rng.choice([p for p in PAGES if role in p.roles])
        self._open(page, self._session(role), phase)
        if THINK and phase.page is None:
            gevent.sleep(THINK)

    def _open(self, page: Page, session: dict | None, phase: Phase) -> None:
        self.count += 1
        headers = {}
        if session:
            headers["Cookie"] = session["cookie_header"]
            url = page.url(session["account"], self.count)
        else:
            url = page.path
        if page.kind == "htmx":
            headers.update({"HX-Request": "true", "HX-Target": page.target})
        context = {"phase": phase, "page": page}
        with self.client.get(
            url,
            name=page.key,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            context=context,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {url}")
            elif page is not BARE:
                whole = "</html>" in (response.text or "")
                if page.kind == "htmx" and whole:
                    response.failure(f"whole page instead of the partial: {url}")
                elif page.kind == "full" and not whole:
                    response.failure(f"not a whole page: {url}")


@events.request.add_listener
def on_request(response_time, context, exception, start_time, **kwargs) -> None:
    # Counted by when the request started: one still running when its phase ends counts too
    # (dropping those would drop the slowest).
    phase: Phase | None = context.get("phase")
    if phase is None:
        return
    start, end = phase.window
    if not (start <= start_time < end):
        return
    key = (phase.label, context["page"].key)
    STATE.samples[key].append(response_time)
    if exception:
        STATE.errors[key].append(str(exception)[:200])


def run_phase(phase: Phase, warmup: float, seconds: float, server: psutil.Process) -> dict:
    """Run one phase: warm up uncounted, then count `seconds`; returns CPU use while counting."""
    STATE.phase = phase
    gevent.sleep(warmup)
    me = psutil.Process()
    before = cpu_snapshot(me, server)
    now = time.time()
    phase.window = (now, now + seconds)
    gevent.sleep(seconds)
    after = cpu_snapshot(me, server)
    wall = after["wall"] - before["wall"]
    return {
        name: round(100 * (after[name] - before[name]) / wall)
        for name in ("load_generator", "gunicorn", "machine")
    }


def cpu_snapshot(me: psutil.Process, server: psutil.Process) -> dict:
    def used(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    workers = 0.0
    for process in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):  # a worker restarted meanwhile
            workers += used(process)
    machine = psutil.cpu_times()
    return {
        "wall": time.time(),
        "load_generator": used(me),
        "gunicorn": workers,
        "machine": machine.user + machine.system + getattr(machine, "nice", 0),
    }


# --- Results ----------------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summarize(samples: list[float], errors: list[str], seconds: float) -> dict:
    ordered = sorted(samples)
    return {
        "requests": len(ordered),
        "req_per_s": round(len(ordered) / seconds, 1) if seconds else 0.0,
        "mean_ms": round(sum(ordered) / len(ordered), 1) if ordered else 0.0,
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1) if ordered else 0.0,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
    }


def cpu_ms(cpu: dict, stats: dict) -> float:
    """gunicorn's CPU time per request while a phase was counted: what a request costs the
    server, whatever share of the cores the load generator took."""
    return round(cpu["gunicorn"] * 10 / stats["req_per_s"], 2) if stats["req_per_s"] else 0.0


def judge(page: Page, mixed: dict, alone: dict, bare_rps: float) -> dict:
    ratio = alone["req_per_s"] / bare_rps if bare_rps else 0.0
    p95_target = HTMX_P95_MS if page.kind == "htmx" else FULL_P95_MS
    worst = max(mixed["max_ms"], alone["max_ms"])
    misses = []
    if mixed["requests"] == 0 or mixed["p95_ms"] > p95_target:
        misses.append(f"p95>{p95_target}")
    if worst >= MAX_MS:
        misses.append(f"max>={MAX_MS}")
    if ratio < MIN_RATIO:
        misses.append(f"ratio<{MIN_RATIO:.0%}")
    if mixed["errors"] or alone["errors"]:
        misses.append("errors")
    return {
        "ratio_to_bare": round(ratio, 3),
        "max_ms_any_phase": worst,
        "p95_target_ms": p95_target,
        "result": "PASS" if not misses else "FAIL",
        "missed": misses,
    }


def render_table(rows: list[dict], bare: dict, meta: dict) -> str:
    head = (
        "page",
        "kind",
        "requests",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "errors",
        "req/s alone",
        "x bare",
        "result",
    )
    lines = [head]
    for row in rows:
        m = row["mixed"]
        lines.append(
            (
                row["title"],
                row["kind"],
                f"{m['requests']}",
                f"{m['p50_ms']:.0f}",
                f"{m['p95_ms']:.0f}",
                f"{m['p99_ms']:.0f}",
                f"{row['max_ms_any_phase']:.0f}",
                f"{m['errors'] + row['alone']['errors']}",
                f"{row['alone']['req_per_s']:.0f}",
                f"{row['ratio_to_bare']:.1%}",
                row["result"] + (f" ({', '.join(row['missed'])})" if row["missed"] else ""),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    numeric = {2, 3, 4, 5, 6, 7, 8, 9}

    def fmt(line):
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return " | ".join(cells).rstrip()

    out = [fmt(lines[0]), "-+-".join("-" * w for w in widths)]
    out += [fmt(line) for line in lines[1:]]
    mixed = meta["mixed"]
    out += [
        "",
        f"Bare Django view: {bare['req_per_s']:.0f} req/s (p50 {bare['p50_ms']:.1f} ms, "
        f"p95 {bare['p95_ms']:.1f} ms, errors {bare['errors']}); CPU while counting: "
        f"load generator {meta['cpu']['bare']['load_generator']} %, gunicorn "
        f"{meta['cpu']['bare']['gunicorn']} %, machine {meta['cpu']['bare']['machine']} % "
        f"of {meta['cores'] * 100} %.",
        f"Mixed workload: {mixed['users']} users ({mixed['roles']}), "
        f"{f'{THINK:g} s think time' if THINK else 'no think time'}, "
        f"{mixed['requests']} requests in {mixed['seconds']:.0f} s = {mixed['req_per_s']:.0f} "
        f"req/s after {mixed['warmup']:.0f} s warm-up; CPU: load generator "
        f"{meta['cpu']['mixed']['load_generator']} %, gunicorn {meta['cpu']['mixed']['gunicorn']} "
        f"%, machine {meta['cpu']['mixed']['machine']} %.",
        f"Stack: {meta.get('data')} data at scale {meta.get('scale')}, gunicorn "
        f"{meta['gunicorn']['worker_class']} {meta['gunicorn']['workers']} workers x "
        f"{meta['gunicorn']['threads']} threads, {meta.get('database')}, commit "
        f"{meta.get('commit')}, {meta['cores']} cores.",
        f"Machine CPU in use before the load started (not by the bench): "
        f"{meta['cpu']['machine_busy_before_start']} %.",
        "requests, p50-p99: the mixed workload; max: the slowest request of any phase; "
        "req/s alone: the same users opening only that page; x bare: that over the bare view.",
        f"Targets: p95 <= {FULL_P95_MS} ms (full page), <= {HTMX_P95_MS} ms (HTMX partial); "
        f"no request >= {MAX_MS} ms; each page >= {MIN_RATIO:.0%} of the bare view's req/s; "
        "no errors.",
        f"Overall: {meta['verdict']}",
    ]
    return "\n".join(out)


def write_results(directory: Path, result: dict) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = result["meta"]["started_at"].replace(":", "").replace("-", "")[:15]
    base = directory / f"load-{stamp}"
    json_path, csv_path, txt_path = (base.with_suffix(s) for s in (".json", ".csv", ".txt"))
    json_path.write_text(json.dumps(result, indent=2))
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "page",
                "key",
                "kind",
                "requests",
                "req_per_s_mixed",
                "p50_ms",
                "p95_ms",
                "p99_ms",
                "max_ms",
                "errors",
                "req_per_s_alone",
                "p95_ms_alone",
                "gunicorn_cpu_ms_per_request",
                "ratio_to_bare",
                "result",
                "missed",
            ]
        )
        for row in [*result["pages"], result["bare_row"]]:
            m, a = row["mixed"], row["alone"]
            writer.writerow(
                [
                    row["title"],
                    row["key"],
                    row["kind"],
                    m["requests"],
                    m["req_per_s"],
                    m["p50_ms"],
                    m["p95_ms"],
                    m["p99_ms"],
                    row["max_ms_any_phase"],
                    m["errors"] + a["errors"],
                    a["req_per_s"],
                    a["p95_ms"],
                    row["gunicorn_cpu_ms_per_request"],
                    row["ratio_to_bare"],
                    row["result"],
                    " ".join(row["missed"]),
                ]
            )
    txt_path.write_text(result["table"] + "\n")
    for path in (json_path, csv_path, txt_path):
        latest = directory / f"latest{path.suffix}"
        latest.write_bytes(path.read_bytes())
    return [json_path, csv_path, txt_path]


# --- Main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--accounts", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--server-pid", type=int, required=True, help="gunicorn's master")
    parser.add_argument("--meta", default="{}", help="JSON merged into the results' meta")
    args = parser.parse_args()
    users = int(env_number("BENCH_USERS", 8))
    warmup, seconds = env_number("BENCH_WARMUP", 10), env_number("BENCH_SECONDS", 60)
    solo_warmup = env_number("BENCH_SOLO_WARMUP", 2)
    solo_seconds = env_number("BENCH_SOLO_SECONDS", 10)
    bare_seconds = env_number("BENCH_BARE_SECONDS", 20)
    server = psutil.Process(args.server_pid)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")

    # Nothing of ours runs yet: whatever uses the CPU now will slow every number below.
    quiet = cpu_snapshot(psutil.Process(), server)
    gevent.sleep(3)
    busy = cpu_snapshot(psutil.Process(), server)
    idle_busy = round(100 * (busy["machine"] - quiet["machine"]) / (busy["wall"] - quiet["wall"]))
    if idle_busy > 20:
        print(
            f"WARNING: before the load the machine was already {idle_busy} % busy (of "
            f"{psutil.cpu_count() * 100} %): something else is running; the numbers will be low.",
            flush=True,
        )

    # Sign in: one session per account, `users` accounts per role at most.
    accounts = json.loads(args.accounts.read_text())
    wanted = [
        a
        for role in dict.fromkeys(a["role"] for a in accounts)
        for a in [b for b in accounts if b["role"] == role][:users]
    ]
    print(f"Signing in {len(wanted)} accounts over HTTP ...", flush=True)
    sign_in_seconds = []

    def one(account):
        cookies, took = sign_in(args.host, account)
        sign_in_seconds.append(took)
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        STATE.sessions.setdefault(account["role"], []).append(
            {"account": account, "cookie_header": header}
        )

    pool = Pool(2)  # two at a time: password hashing is meant to be slow, and there are 2 cores
    for greenlet in [pool.spawn(one, a) for a in wanted]:
        greenlet.join()
        if greenlet.exception:
            raise greenlet.exception
    for sessions in STATE.sessions.values():
        sessions.sort(key=lambda s: s["account"]["email"])
    ordered_signins = sorted(sign_in_seconds)
    print(
        f"  signed in: {', '.join(f'{len(v)} {k}' for k, v in STATE.sessions.items())}; "
        f"each took p50 {percentile(ordered_signins, 0.5):.2f} s, "
        f"max {ordered_signins[-1]:.2f} s (2 at a time)",
        flush=True,
    )

    env = Environment(user_classes=[PortalUser], events=events, host=args.host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(0.5)
    cpu = {}
    mixed = Phase("mixed")
    print(f"Mixed workload: {users} users, {warmup:.0f} s warm-up + {seconds:.0f} s", flush=True)
    cpu["mixed"] = run_phase(mixed, warmup, seconds, server)
    solo_cpu = {}
    for page in PAGES:
        print(f"  alone: {page.title} ({solo_seconds:.0f} s)", flush=True)
        phase = Phase(f"solo:{page.key}", page)
        solo_cpu[page.key] = run_phase(phase, solo_warmup, solo_seconds, server)
    print(f"Bare view: {bare_seconds:.0f} s ...", flush=True)
    cpu["bare"] = run_phase(Phase("bare"), solo_warmup, bare_seconds, server)
    STATE.phase = Phase("idle")
    gevent.sleep(2)  # let the last requests finish: they count
    runner.quit()

    def stats(label: str, key: str, secs: float) -> dict:
        return summarize(STATE.samples[(label, key)], STATE.errors[(label, key)], secs)

    bare = stats("bare", "bare", bare_seconds)
    rows = []
    for page in PAGES:
        mixed_stats = stats("mixed", page.key, seconds)
        alone = stats(f"solo:{page.key}", page.key, solo_seconds)
        rows.append(
            {
                "key": page.key,
                "title": page.title,
                "kind": page.kind,
                "roles": list(page.roles),
                "example_path": page.path,
                "mixed": mixed_stats,
                "alone": alone,
                "cpu_alone": solo_cpu[page.key],
                "gunicorn_cpu_ms_per_request": cpu_ms(solo_cpu[page.key], alone),
                **judge(page, mixed_stats, alone, bare["req_per_s"]),
            }
        )
    total = sum(row["mixed"]["requests"] for row in rows)
    role_counts = defaultdict(int)
    for n in range(users):
        role_counts[ROLE_MIX[n % len(ROLE_MIX)]] += 1
    failed = [row["title"] for row in rows if row["result"] == "FAIL"]
    meta = {
        **json.loads(args.meta),
        "started_at": started_at,
        "cores": psutil.cpu_count(),
        "cpu": {**cpu, "machine_busy_before_start": idle_busy},
        "sign_in_seconds": {
            "count": len(ordered_signins),
            "p50": round(percentile(ordered_signins, 0.5), 3),
            "max": round(ordered_signins[-1], 3),
        },
        "mixed": {
            "users": users,
            "roles": ", ".join(f"{n} {role}" for role, n in role_counts.items()),
            "warmup": warmup,
            "seconds": seconds,
            "think_seconds": THINK,
            "requests": total,
            "req_per_s": round(total / seconds, 1),
        },
        "alone": {"warmup": solo_warmup, "seconds": solo_seconds},
        "bare_seconds": bare_seconds,
        "targets": {
            "full_p95_ms": FULL_P95_MS,
            "htmx_p95_ms": HTMX_P95_MS,
            "max_ms": MAX_MS,
            "min_ratio_to_bare": MIN_RATIO,
        },
        "verdict": "PASS (every page met every target)"
        if not failed
        else f"FAIL: {len(failed)} of {len(rows)} pages missed a target ({', '.join(failed)})",
    }
    bare_row = {
        "key": "bare",
        "title": BARE.title,
        "kind": "full",
        "mixed": summarize([], [], seconds),
        "alone": bare,
        "max_ms_any_phase": bare["max_ms"],
        "ratio_to_bare": 1.0,
        "gunicorn_cpu_ms_per_request": cpu_ms(cpu["bare"], bare),
        "result": "",
        "missed": [],
    }
    table = render_table(rows, bare, meta)
    result = {"meta": meta, "bare": bare, "pages": rows, "bare_row": bare_row, "table": table}
    print()
    print(table)
    paths = write_results(args.results, result)
    print(f"\nResults: {', '.join(str(p) for p in paths)}")
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
