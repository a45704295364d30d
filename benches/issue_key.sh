#!/usr/bin/env bash
# Issue 4 benchmark: `labnote issue-key` whole process against moto on loopback (memo write
# and journal included), next to `aws iam create-access-key` (awscli from PyPI) against the
# same server in the same run. Each timed run starts from a reset server with a fresh user.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/moto_env.sh
"$bin" init >/dev/null 2>&1
mkdir -p "$work/orig" && cp -R labs/. "$work/orig/"
export VENV_AWS="$PWD/.venv/bin/aws" LABNOTE_MOTO_URL
prep="$PWD/benches/issue_key_prepare.sh"
hyperfine --export-json "$work/run1.json" --warmup 2 --runs 30 -N \
  --prepare "$prep $work" \
  -n 'labnote issue-key' "$bin --course $work/course -q issue-key 2-4 --user mspuser --yes" \
  --prepare "$prep" \
  -n 'aws iam create-access-key' "$PWD/.venv/bin/aws iam create-access-key --user-name mspuser"
python3 benches/medians.py "$work"/run*.json
