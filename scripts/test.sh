#!/usr/bin/env bash
# The whole test suite, as the README says: installs the pinned test tools into .venv,
# starts a local IAM server (moto) for the IAM tests, runs every test, then the linters,
# and closes with one summary line of all the test binaries: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
# The browser test of `labnote serve` drives Debian's headless Chromium through chromedriver;
# the CJK and emoji fonts make its screenshots readable.
web_pkgs=""
command -v chromium >/dev/null || web_pkgs="$web_pkgs chromium"
command -v chromedriver >/dev/null || web_pkgs="$web_pkgs chromium-driver"
[ -d /usr/share/fonts/opentype/noto ] || web_pkgs="$web_pkgs fonts-noto-cjk fonts-noto-color-emoji"
if [ -n "$web_pkgs" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $web_pkgs >/dev/null
  else
    echo "scripts/test.sh: the browser test needs the Debian packages:$web_pkgs (apt-get install them)" >&2
  fi
fi
source scripts/moto.sh
export AWS_EC2_METADATA_DISABLED=true
log=$(mktemp)
trap 'rm -f "$log"; kill $MOTO_PID 2>/dev/null; wait $MOTO_PID 2>/dev/null' EXIT
status=0
cargo test --all-targets --no-fail-fast 2>&1 | tee "$log" || status=$?
cargo clippy --all-targets -- -D warnings
cargo fmt --check
passed=$(grep -oE '^test result: .* ([0-9]+) passed' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '^test result: .* ([0-9]+) failed' "$log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
echo
echo "$passed passed, $failed failed"
exit "$status"
