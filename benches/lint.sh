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
# ROUNDS rounds (default 5), each a hyperfine run of both, the order turned each round.
rounds=${ROUNDS:-5}
for r in $(seq 1 "$rounds"); do
  labs=(-n 'labnote labs --json (2,000 labs)' "target/release/labnote --course $work/course labs --json")
  lint=(-n 'labnote lint (2,000 labs)' "target/release/labnote --course $work/course lint --format json")
  if [ $((r % 2)) = 1 ]; then order=("${labs[@]}" "${lint[@]}"); else order=("${lint[@]}" "${labs[@]}"); fi
  hyperfine --export-json "$work/round$r.json" --warmup 2 --runs 10 -N -i --style none "${order[@]}" >/dev/null
done
python3 benches/medians.py "$work"/round*.json
python3 benches/ratios.py 'labnote lint (2,000 labs)' 'labnote labs --json (2,000 labs)' "$work"/round*.json
