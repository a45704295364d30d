#!/usr/bin/env bash
# Issue 14 benchmark: `labnote credential-process` while an issuance is interrupted (a pending
# intent in .labnote/) and IAM is unreachable (AWS_ENDPOINT_URL on a closed loopback port, and a
# black-hole address). It must answer from the memo without touching the network, well under
# 50 ms. Peers in the same run: the same command with no pending file, and the stock `age -d`.
# Needs hyperfine and age.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote --bin labnote-credentials
bin="$PWD/target/release/labnote"
# What `aws-profile` writes into the AWS config: the small executable beside labnote.
small="$PWD/target/release/labnote-credentials"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" LABNOTE_COURSE="$work/course"
mkdir -p "$work/course"
cp -R labs/. "$work/course/"
"$bin" -q init
printf 'AKIAEXAMPLEEXAMPLE12\n' | "$bin" -q memo set 2-4 "AWS Access Key ID" -
printf 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' | "$bin" -q memo set 2-4 "AWS Secret Access key" -
payload=$(grep -o 'age:[A-Za-z0-9+/=]*' "$work/course/day2/lab4-aws-access-key.md" | head -1 | cut -c5-)
printf %s "$payload" | base64 -d > "$work/secret.age"
id="$XDG_CONFIG_HOME/labnote/identity.txt"

# An interrupted issuance: the intent was recorded, CreateAccessKey may have been sent.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
later=$(date -u -d '+10 seconds' +%Y-%m-%dT%H:%M:%SZ)
pending="$work/course/.labnote/pending-key.yaml"
printf "stage: intent\nlab: '2-4'\npath: day2/lab4-aws-access-key.md\nuser: mspuser\niam_date: %s\ndeadline: %s\n" \
  "$now" "$later" > "$pending"
chmod 600 "$pending"
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=us-east-1

# The answer and the stderr note, once, for the record.
AWS_ENDPOINT_URL=http://10.255.255.1:81 "$bin" credential-process | python3 -c 'import json,sys; d=json.load(sys.stdin); print("answered with", d["AccessKeyId"])'
AWS_ENDPOINT_URL=http://10.255.255.1:81 "$bin" credential-process 2>&1 >/dev/null | head -2

hyperfine --export-json "$work/run1.json" --warmup 10 --runs 200 -N \
  -n 'age -d (stock CLI)' "age -d -i $id $work/secret.age" \
  -n 'credential-process, interrupted issuance, IAM closed port' \
     "env AWS_ENDPOINT_URL=http://127.0.0.1:9 $bin credential-process" \
  -n 'credential-process, interrupted issuance, IAM black hole' \
     "env AWS_ENDPOINT_URL=http://10.255.255.1:81 $bin credential-process" \
  -n 'labnote-credentials, interrupted issuance, IAM closed port' \
     "env AWS_ENDPOINT_URL=http://127.0.0.1:9 $small credential-process"
rm -f "$pending"
hyperfine --export-json "$work/run2.json" --warmup 10 --runs 200 -N \
  -n 'age -d (stock CLI), again' "age -d -i $id $work/secret.age" \
  -n 'labnote credential-process, no pending issuance' "$bin credential-process" \
  -n 'labnote-credentials credential-process (what the AWS profile runs)' "$small credential-process"
python3 benches/medians.py "$work"/run*.json
