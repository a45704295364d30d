#!/usr/bin/env bash
# Issue 3 benchmark: `labnote memo get` of a secret (one X25519 decrypt, whole process) next to
# the stock `age -d` decrypting the same payload; and `memo set` of a secret on a 30 KB CRLF
# lab. Also issue 5: `labnote credential-process` next to `age -d`. Needs hyperfine and age.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote
bin="$PWD/target/release/labnote"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" LABNOTE_COURSE="$work/course"
mkdir -p "$work/course"
cp -R labs/. "$work/course/"
"$bin" init >/dev/null 2>&1
printf 'AKIAEXAMPLEEXAMPLE12\n' | "$bin" -q memo set 2-4 "AWS Access Key ID" -
printf 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' | "$bin" -q memo set 2-4 "AWS Secret Access key" -
payload=$(grep -o 'age:[A-Za-z0-9+/=]*' "$work/course/day2/lab4-aws-access-key.md" | head -1 | cut -c5-)
printf %s "$payload" | base64 -d > "$work/secret.age"
id="$XDG_CONFIG_HOME/labnote/identity.txt"

hyperfine --export-json "$work/run2.json" --warmup 10 --runs 200 -N \
  -n 'age -d (stock CLI)' "age -d -i $id $work/secret.age" \
  -n 'labnote memo get' "$bin memo get 'AWS Secret Access key'" \
  -n 'labnote credential-process' "$bin credential-process"

# A 30 KB CRLF lab with a memo block.
python3 - "$work/course/big.md" <<'PY'
import sys
head = "# 9일차 - Lab 9. 큰 실습\n\n---\n\n- [1. a](#1-a)\n\n---\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< AWS Access Key ID>>_ :  \n>  ➕ _<< AWS Secret Access key>>_ :\n\n<br>\n\n"
body, n = "", 1
while len((head + body).encode()) < 30_000:
    body += f"## ✔ {n}. 단계 {n}\n\n- 콘솔에서 `IAM` 서비스로 이동한 후 값을 입력한다.<br>\n\n```bash\naws sts get-caller-identity\n```\n\n<br>\n\n"
    n += 1
open(sys.argv[1], "wb").write((head + body).replace("\n", "\r\n").encode())
PY
cp "$work/course/big.md" "$work/big.orig"
ls -l "$work/course/big.md"
hyperfine --export-json "$work/run3.json" --warmup 5 --runs 100 -N --prepare "cp $work/big.orig $work/course/big.md" \
  -n 'labnote memo set (secret, 30 KB CRLF lab)' "$bin -q memo set 9-9 'AWS Secret Access key' wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
python3 benches/medians.py "$work"/run*.json
