#!/usr/bin/env bash
# The whole suite. Browser tests need Debian's Chromium and WeasyPrint's libraries:
# installed here with apt when we are root and they are missing; otherwise we say what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh --check-or-install
mkdir -p test-artifacts/screenshots
exec .venv/bin/python -m pytest "$@"
