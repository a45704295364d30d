#!/usr/bin/env bash
# The whole test suite, as the README says: installs the pinned test tools into .venv,
# starts a local IAM server (moto) for the IAM tests, runs every test, then the linters.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
source scripts/moto.sh
export AWS_EC2_METADATA_DISABLED=true
cargo test --all-targets --no-fail-fast
cargo clippy --all-targets -- -D warnings
cargo fmt --check
