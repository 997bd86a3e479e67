#!/usr/bin/env bash
# The whole suite. Browser tests need Debian's Chromium and WeasyPrint's libraries:
# installed here with apt when we are root and they are missing; otherwise we say what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh --check-or-install
mkdir -p test-artifacts/screenshots
# Two workers on a 2-core machine (PYTEST_WORKERS=0 runs in one process); the PostgreSQL
# concurrency tests share one worker (tests/conftest.py).
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadgroup "$@"
