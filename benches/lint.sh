#!/usr/bin/env bash
# Issue 24 benchmark: `labnote lint` over the generated 2,000-lab course of benches/labs.sh,
# next to `labnote labs --json` on the same course, in the same run (goal: lint ≤ 1.5× labs).
# Needs hyperfine (Debian package). `lint` exits 1 when the course has errors (the generated
# labs have missing images), so its exit code is ignored (`-i`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote --example gen_course
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
target/release/examples/gen_course "$work/course" 2000
du -sh "$work/course"
(target/release/labnote --course "$work/course" lint --format json || true) | python3 -c "import sys, json, collections; print('findings:', dict(collections.Counter(json.loads(l)['code'] for l in sys.stdin)))"
hyperfine --export-json "$work/run1.json" --warmup 2 --runs 10 -N -i \
  -n 'labnote labs --json (2,000 labs)' "target/release/labnote --course $work/course labs --json" \
  -n 'labnote lint (2,000 labs)' "target/release/labnote --course $work/course lint --format json"
python3 benches/medians.py "$work"/run*.json
