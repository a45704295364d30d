#!/usr/bin/env bash
# Wall time of the README's test command on a warm build cache, for two checkouts in one run
# (alternating, so both see the same machine): `benches/test_wall.sh BEFORE_DIR [AFTER_DIR]`.
# Each checkout must have built its tests once already (a warm cache); the first run of each is a
# warm-up. AFTER_DIR defaults to this checkout. Needs hyperfine (scripts/tools.sh installs it).
set -euo pipefail
before=$(cd "${1:?usage: benches/test_wall.sh BEFORE_DIR [AFTER_DIR]}" && pwd)
after=$(cd "${2:-$(dirname "$0")/..}" && pwd)
runs=${RUNS:-2}
# TOUCH=1: a source file changed before each run (`touch src/lib.rs` in each checkout), so the
# build relinks what links the library: the edit-then-test loop.
prepare=()
if [ "${TOUCH:-0}" = 1 ]; then
  prepare=(--prepare "touch '$before/src/lib.rs'" --prepare "touch '$after/src/lib.rs'")
fi
hyperfine --warmup 1 --runs "$runs" "${prepare[@]}" --export-markdown "${OUT:-/dev/stdout}" \
  -n before "cd '$before' && scripts/test.sh >/dev/null 2>&1 </dev/null" \
  -n after "cd '$after' && scripts/test.sh >/dev/null 2>&1 </dev/null"
