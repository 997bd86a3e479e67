"""Settings for `make bench`: the production settings, unchanged except for what a benchmark on
one machine needs. Run with PORTAL_ENV=production (bench/load.py sets it), so DEBUG is off, the
cookies are Secure, HSTS and the SSL redirect are on and static files come from WhiteNoise.

Plain HTTP without weakening any of that: the load generator sends `X-Forwarded-Proto: https`
on every request, as the TLS proxy in front of production does (BEHIND_TLS_PROXY, on by default),
and sends the Secure cookies itself. So nothing about HTTPS is overridden here.
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import ACCOUNT_RATE_LIMITS, CACHES

# The bare Django view (the ceiling every page is compared with) lives only in the bench's URLs.
ROOT_URLCONF = "bench.urls"

# Every simulated person signs in from 127.0.0.1 within a few seconds (5 roles x 8 users); allauth's
# default of 30 sign-ins a minute per address would refuse most of them. Failed sign-ins keep
# the portal's limit.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}

# The bench may share a Redis database with a development server: its cache keys and its
# Celery queue get a prefix of their own (deleted afterwards), so the bench never reads a
# cached value from another database and no running worker picks up its tasks.
BENCH_RUN_ID = os.environ.get("BENCH_RUN_ID", "bench")
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": BENCH_RUN_ID}}
CELERY_TASK_DEFAULT_QUEUE = BENCH_RUN_ID
