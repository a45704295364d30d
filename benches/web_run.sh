#!/usr/bin/env bash
# Issue 22 benchmark: a block run from the page (`POST /api/run`, its output read back as the
# event stream, at the HTTP level) against the same block run by `labnote run --yes`, in the
# same run:
#   1. time from Run to the first output byte (median of 30; the page keeps its shell session,
#      `labnote run` starts its own each time, as a student's terminal would);
#   2. throughput of a block printing 10 MB (hyperfine: curl reading the whole event stream,
#      against `labnote run` writing to /dev/null).
# Needs hyperfine, python3 and curl. LABNOTE_BIN picks the binary (default: release build).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LABNOTE_BIN:-target/release/labnote}
[ -x "$bin" ] || cargo build --release --quiet --bin labnote
bin=$(realpath "$bin")
work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/course" "$work/xdg"
cat >"$work/course/bench-run.md" <<'LAB'
# 9일차 - Lab 9. 실행 성능 확인

ⓘ 실습목표 : 페이지와 터미널에서 같은 명령을 실행해 출력 속도를 비교한다.

---

## ✔ 1. 짧은 출력

- 한 줄을 출력합니다.

```bash
echo "첫 줄"
```

## ✔ 2. 긴 출력

- 10 MB를 100자 줄로 출력합니다.

```bash
head -c 9900000 /dev/zero | tr '\0' 'x' | fold -w 99
```
LAB
export HOME="$work" XDG_CONFIG_HOME="$work/xdg" LABNOTE_IDENTITY="$work/xdg/labnote/identity.txt"
"$bin" --course "$work/course" init >/dev/null 2>&1
"$bin" --course "$work/course" serve --port 0 >"$work/url" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
cat >"$work/client.py" <<'PY'
# One run from the page, as run.js makes it: POST /api/run, then the event stream.
# `first`: seconds to the first output event; `all`: read the whole stream, print its bytes.
import http.client, json, sys, time, urllib.parse
url, step, mode = sys.argv[1], sys.argv[2], sys.argv[3]
u = urllib.parse.urlsplit(url)
token = urllib.parse.parse_qs(u.query)["token"][0]
host = u.netloc
cookie = "labnote_token=" + token
def csrf():
    c = http.client.HTTPConnection(host)
    c.request("GET", "/", headers={"Cookie": cookie})
    page = c.getresponse().read().decode()
    at = page.index('name="labnote-csrf" content="') + 29
    return page[at:at + 48]
def run(token_csrf):
    c = http.client.HTTPConnection(host)
    body = json.dumps({"lab": "9-9", "step": step, "block": 1})
    t0 = time.perf_counter()
    c.request("POST", "/api/run", body=body, headers={
        "Cookie": cookie, "X-CSRF-Token": token_csrf, "Content-Type": "application/json",
        "Origin": "http://" + host})
    r = c.getresponse()
    assert r.status == 200, r.read()
    first, size, event = None, 0, None
    for line in r:
        line = line.decode()
        if line.startswith("event: "):
            event = line[7:].strip()
        elif line.startswith("data: ") and event == "output":
            if first is None:
                first = time.perf_counter() - t0
                if mode == "first":
                    r.close(); c.close()
                    return first, 0
            size += len(json.loads(line[6:])["text"].encode())
    return first, size
tok = csrf()
if mode == "first":
    n = int(sys.argv[4])
    times = []
    for _ in range(n):
        f, _ = run(tok)
        times.append(f)
        time.sleep(0.05)  # the run's end (journal) before the next one
    times.sort()
    print(f"{times[len(times)//2]*1000:.2f}")
else:
    _, size = run(tok)
    print(size, file=sys.stderr)
PY
cat >"$work/first_cli.py" <<'PY'
# `labnote run --yes`: seconds from its start to the first byte of the block's output.
import subprocess, sys, time
bin, course, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(n):
    t0 = time.perf_counter()
    p = subprocess.Popen([bin, "--course", course, "-q", "run", "9-9", "1", "--yes"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=course)
    p.stdout.read(1)
    times.append(time.perf_counter() - t0)
    p.stdout.read(); p.wait()
times.sort()
print(f"{times[len(times)//2]*1000:.2f}")
PY
echo "size of the long block's output through the page: $(python3 "$work/client.py" "$url" 2 all 2>&1) bytes"
web_first=$(python3 "$work/client.py" "$url" 1 first 30)
cli_first=$(python3 "$work/first_cli.py" "$bin" "$work/course" 30)
echo "time to the first output byte (median of 30):"
echo "  page (POST /api/run, event stream):  ${web_first} ms"
echo "  labnote run --yes (new process):     ${cli_first} ms"
python3 -c "print(f'  ratio page / labnote run:           {float(\"$web_first\")/float(\"$cli_first\"):.2f}')"
# The stream read by curl (a Python reader costs more than the server; a browser reads it
# natively): the server's side of the page's run.
base=${url%%/\?token=*}
token=${url##*token=}
csrf=$(curl -s -H "Cookie: labnote_token=$token" "$base/" | grep -o 'labnote-csrf" content="[0-9a-f]*' | cut -d'"' -f3)
cat >"$work/web.sh" <<SH
curl -sfN -H 'Cookie: labnote_token=$token' -H 'X-CSRF-Token: $csrf' -H 'Content-Type: application/json' \\
  -H 'Origin: $base' -d '{"lab":"9-9","step":"2","block":1}' '$base/api/run' -o /dev/null
SH
hyperfine --export-json "$work/tp.json" --warmup 1 --runs 10 \
  -n 'page: run the 10 MB block, stream read by curl' "bash $work/web.sh" \
  -n 'labnote run --yes, 10 MB block to /dev/null' "$bin --course $work/course -q run 9-9 2 --yes >/dev/null"
python3 - "$work/tp.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
web, cli = (x["median"] for x in r)
print(f"throughput of 9.9 MB: page {9.9/web:.1f} MB/s, labnote run {9.9/cli:.1f} MB/s; ratio page/run {cli/web:.2f} (time {web/cli:.2f}x)")
PY
