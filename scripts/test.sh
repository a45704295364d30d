#!/usr/bin/env bash
# The whole test suite, as the README says: installs the Debian tools the tests use when they are
# missing (scripts/tools.sh), the pinned Python test tools into .venv, starts a local IAM server
# (moto) for the IAM tests, runs every test of the workspace (labnote and crates/labnote-core),
# then the linters,
# and closes with one summary line of all the test binaries: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
scripts/venv.sh
source scripts/moto.sh
export AWS_EC2_METADATA_DISABLED=true
log=$(mktemp)
trap 'rm -f "$log"; kill $MOTO_PID 2>/dev/null; wait $MOTO_PID 2>/dev/null' EXIT
# Most tests wait (pauses, timeouts, other programs) more than they compute: run more of them
# at once than there are cores.
export RUST_TEST_THREADS=${RUST_TEST_THREADS:-$(( $(nproc) * 3 ))}
status=0
cargo test --workspace --all-targets --features labnote/test-hooks --no-fail-fast 2>&1 | tee "$log" || status=$?
cargo clippy --workspace --all-targets --features labnote/test-hooks -- -D warnings
cargo fmt --all --check
passed=$(grep -oE '^test result: .* ([0-9]+) passed' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '^test result: .* ([0-9]+) failed' "$log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
echo
echo "$passed passed, $failed failed"
exit "$status"
