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
hyperfine --export-json "$work/run2.json" --warmup 2 --runs 15 -N \
  -n 'pulldown-cmark walk (floor)' "target/release/examples/cmark_walk $work/course" \
  -n 'labnote labs --json (2,000 labs)' "target/release/labnote --course $work/course labs --json" \
  -n 'labnote labs (2,000 labs)' "target/release/labnote --course $work/course labs"
hyperfine --export-json "$work/run3.json" --warmup 5 --runs 100 -N -n 'labnote labs (bundled)' "target/release/labnote --course labs labs"
python3 benches/medians.py "$work"/run*.json
