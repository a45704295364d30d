#!/usr/bin/env bash
# Issue 25 benchmark: `labnote done` in a course that joined a class whose remote cannot be
# reached (a closed local port) next to the same `done` in a course that joined none — the
# student's command must not wait for the network. Three rows, one hyperfine run:
#   no class;
#   class joined, a background push already alive (the usual case: it lives 30 s after a
#     push, and retries with growing waits when the remote is down) — `done` only checks
#     its lock;
#   class joined, no background push alive (its lock file removed before each run) —
#     `done` starts the detached `labnote class push --background`.
# Each run records a step (the journal is removed before it). The background pushes started
# here are ended at the end by their process ids.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote
bin="$PWD/target/release/labnote"
work=$(mktemp -d)
export HOME="$work/home" XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"
for c in plain joined; do
  mkdir -p "$work/$c"; cp -R labs/. "$work/$c/"
done
"$bin" -q --course "$work/joined" class join "http://127.0.0.1:9/class.git" --as bench
cleanup() {
  # Our own background pushes only: those started for this temporary course.
  for pid in $(pgrep -f -- "--course $work/joined" || true); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
hyperfine --export-json "$work/run1.json" --warmup 5 --runs 100 -N \
  -n 'done (no class)' --prepare "rm -f $work/plain/.labnote/journal.yaml" \
  "$bin -q --course $work/plain done 2-3 1-1" \
  -n 'done (class unreachable, push alive)' --prepare "rm -f $work/joined/.labnote/journal.yaml" \
  "$bin -q --course $work/joined done 2-3 1-1" \
  -n 'done (class unreachable, starts a push)' \
  --prepare "rm -f $work/joined/.labnote/journal.yaml $work/joined/.labnote/class/background.lock" \
  "$bin -q --course $work/joined done 2-3 1-1"
python3 benches/medians.py "$work"/run*.json
