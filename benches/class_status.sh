#!/usr/bin/env bash
# Issue 25 benchmark: `labnote class status URL` of a class of 30 students × 18 labs (goal:
# under 2 s), next to its floor, a bare `git fetch` of the same 30 branches into a warm
# cache, and `--json`. The class repository is built once here: one course of 18 labs whose
# student joins under 30 names in turn, checking more steps before each `class push`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote
bin="$PWD/target/release/labnote"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME" "$work/course"
python3 - "$work/course" <<'PY'
import os, sys
root = sys.argv[1]
for n in range(18):
    day, lab = 2 + n // 9, 1 + n % 9
    os.makedirs(f"{root}/day{day}", exist_ok=True)
    body = f"# {day}일차 - Lab {lab}. 실습 {n + 1}\n\nⓘ 실습목표 : 벤치마크용 실습.\n\n---\n\n"
    for s in range(1, 5):
        body += f"## ✔ {s}. 단계 {s}\n\n"
        for t in range(1, 4):
            body += f"### ✔ {s}-{t}. 세부 {t}\n\n- 콘솔에서 값을 확인합니다.\n\n"
    open(f"{root}/day{day}/lab{lab}-bench.md", "w").write(body)
PY
git init --quiet --bare "$work/class.git"
url="file://$work/class.git"
ids=$("$bin" --course "$work/course" labs --json | python3 -c 'import json,sys; print(" ".join(l["id"] for l in json.load(sys.stdin)))')
k=0
for s in $(seq -w 1 30); do
  "$bin" -q --course "$work/course" class join "$url" --as "student-$s"
  # Each student a little further: lab k's first steps.
  lab=$(echo $ids | cut -d' ' -f$(( (k % 18) + 1 )))
  "$bin" -q --course "$work/course" done "$lab" 1 2 >/dev/null 2>&1 || true
  "$bin" -q --course "$work/course" class push
  k=$((k + 1))
done
"$bin" --course "$work/course" class leave -q
"$bin" class status "$url" | tail -3
"$bin" class status "$url" --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), "students,", len(r[0]["labs"]), "labs each")'
cache=$(ls -d "$XDG_CACHE_HOME"/labnote/class/*/git)
hyperfine --export-json "$work/run1.json" --warmup 3 --runs 30 -N \
  -n 'git fetch (30 branches, warm cache)' "git --git-dir $cache fetch --quiet --prune --no-tags $url +refs/heads/labnote/*:refs/heads/labnote/*" \
  -n 'labnote class status (30 × 18)' "$bin class status $url" \
  -n 'labnote class status --json (30 × 18)' "$bin class status $url --json"
python3 benches/medians.py "$work"/run*.json
