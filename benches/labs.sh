#!/usr/bin/env bash
# Issue 2 benchmark: `labnote labs --json` and `labnote labs` over a generated course of 2,000
# labs (~20 MB), next to a bare pulldown-cmark event walk over the same files (the floor), and
# `labnote labs` on the bundled course (issue 19's goal: `labs --json` <= 1.25x the floor).
# Needs hyperfine (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote --example cmark_walk --example gen_course
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
target/release/examples/gen_course "$work/course" 2000
du -sh "$work/course"
# ROUNDS rounds (default 5), each a hyperfine run of the three, the order turned each round.
rounds=${ROUNDS:-5}
for r in $(seq 1 "$rounds"); do
  walk=(-n 'pulldown-cmark walk (floor)' "target/release/examples/cmark_walk $work/course")
  json=(-n 'labnote labs --json (2,000 labs)' "target/release/labnote --course $work/course labs --json")
  text=(-n 'labnote labs (2,000 labs)' "target/release/labnote --course $work/course labs")
  if [ $((r % 2)) = 1 ]; then order=("${walk[@]}" "${json[@]}" "${text[@]}"); else order=("${json[@]}" "${text[@]}" "${walk[@]}"); fi
  hyperfine --export-json "$work/round$r.json" --warmup 2 --runs 15 -N --style none "${order[@]}" >/dev/null
done
hyperfine --export-json "$work/bundled.json" --warmup 5 --runs 100 -N -n 'labnote labs (bundled)' "target/release/labnote --course labs labs"
python3 benches/medians.py "$work"/round*.json "$work/bundled.json"
python3 benches/ratios.py 'labnote labs --json (2,000 labs)' 'pulldown-cmark walk (floor)' "$work"/round*.json
