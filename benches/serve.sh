#!/usr/bin/env bash
# Issue 13 benchmark: `labnote serve` under 16 concurrent clients (wrk, Debian package), the
# largest lab page of the fixtures and bundled labs next to the server's static asset route,
# in the same run; requests per second and p99 latency of each. Goal: the lab page at least
# half the static route's rate. Everything stays on the loopback address and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "benches/serve.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
bin=${LABNOTE_BIN:-target/release/labnote}
[ -x "$bin" ] || cargo build --release --quiet --bin labnote
secs=${SECS:-10}
work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/course" "$work/xdg"
cp -r labs/day2 "$work/course/"
cp tests/fixtures/*.md "$work/course/day2/"
rm -f "$work/course/day2/README.md"
export HOME="$work" XDG_CONFIG_HOME="$work/xdg" LABNOTE_IDENTITY="$work/xdg/labnote/identity.txt"
"$bin" --course "$work/course" init >/dev/null 2>&1
# The largest lab of the course (by bytes) and its id.
largest=$("$bin" --course "$work/course" labs --json | python3 -c '
import json, os, sys
labs = json.load(sys.stdin)
root = sys.argv[1]
best = max(labs, key=lambda l: os.path.getsize(os.path.join(root, l["path"])))
# The server names a lab by its id, or by its path when two labs share the id.
key = best["id"] if sum(l["id"] == best["id"] for l in labs) == 1 else best["path"]
print(key, best["path"], os.path.getsize(os.path.join(root, best["path"])))' "$work/course")
read -r lab_id lab_path lab_bytes <<<"$largest"
"$bin" --course "$work/course" serve --port 0 >"$work/url" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
base=${url%%/\?token=*}
token=${url##*token=}
cookie="Cookie: labnote_token=$token"
page_bytes=$(curl -s -H "$cookie" "$base/lab/$lab_id" | wc -c)
echo "lab $lab_id ($lab_path, $lab_bytes bytes of markdown, $page_bytes bytes of HTML); $secs s per route, 16 connections, 2 threads"
run() {
  wrk -t2 -c16 -d"${secs}s" --latency -H "$cookie" "$1" >"$work/wrk.txt"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  printf '%-28s %10s req/s   p99 %s\n' "$2" "$rps" "$p99"
  echo "$rps"  >"$work/$3"
}
run "$base/static/app.css" "GET /static/app.css" static
run "$base/lab/$lab_id" "GET /lab/$lab_id" lab
# A page is rendered once per change of the course and then served from the cache: the
# first request after a change pays the render (view model, HTML, sanitizer).
step=$("$bin" --course "$work/course" steps "$lab_id" --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin)["steps"] if s["checkable"]][0])')
: >"$work/cold"
for i in $(seq 10); do
  if [ $((i % 2)) = 1 ]; then verb=done; else verb=undo; fi
  "$bin" --course "$work/course" -q "$verb" "$lab_id" "$step"
  sleep 0.4
  curl -s -o /dev/null -w '%{time_total}\n' -H "$cookie" "$base/lab/$lab_id" >>"$work/cold"
done
python3 - "$work/static" "$work/lab" "$work/cold" <<'PY'
import statistics, sys
s, l = (float(open(p).read()) for p in sys.argv[1:3])
cold = [float(x) * 1000 for x in open(sys.argv[3]).read().split()]
print(f"lab page / static route = {l / s:.2f} (goal >= 0.50)")
print(f"first request after a change (render): median {statistics.median(cold):.1f} ms, max {max(cold):.1f} ms")
PY
