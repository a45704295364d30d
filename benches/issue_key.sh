#!/usr/bin/env bash
# Issue 4 benchmark: `labnote issue-key` whole process against moto on loopback (memo write
# and journal included), next to `aws iam create-access-key` (awscli from PyPI) against the
# same server in the same run. Each timed run starts from a reset server with a fresh user.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote
scripts/venv.sh
source scripts/moto.sh
bin="$PWD/target/release/labnote"
work=$(mktemp -d); trap 'rm -rf "$work"; kill $MOTO_PID 2>/dev/null' EXIT
export AWS_ENDPOINT_URL="$LABNOTE_MOTO_URL" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export XDG_CONFIG_HOME="$work/config"
touch "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE"
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
