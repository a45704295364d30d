#!/usr/bin/env bash
# Create .venv (ignored by git) with the pinned test tools, once; later calls are no-ops
# unless scripts/requirements-test.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-test.txt
if [ -x .venv/bin/moto_server ] && cmp -s scripts/requirements-test.txt "$stamp"; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
cp scripts/requirements-test.txt "$stamp"
