#!/usr/bin/env bash
# Wall time of the README's test command on a warm build cache, for two checkouts in one run
# (alternating, so both see the same machine): `benches/test_wall.sh BEFORE_DIR [AFTER_DIR]`.
# Each checkout must have built its tests once already (a warm cache); the first run of each is a
# warm-up. AFTER_DIR defaults to this checkout. Needs hyperfine (scripts/tools.sh installs it).
set -euo pipefail
before=$(cd "${1:?usage: benches/test_wall.sh BEFORE_DIR [AFTER_DIR]}" && pwd)
after=$(cd "${2:-$(dirname "$0")/..}" && pwd)
runs=${RUNS:-2}
hyperfine --warmup 1 --runs "$runs" --export-markdown "${OUT:-/dev/stdout}" \
  -n before "cd '$before' && scripts/test.sh >/dev/null 2>&1 </dev/null" \
  -n after "cd '$after' && scripts/test.sh >/dev/null 2>&1 </dev/null"
