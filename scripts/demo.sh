#!/usr/bin/env bash
# The main job on the bundled course (labs/), end to end, without a terminal:
#   the labs and their progress, the access-key lab 2-4 performed through the IAM API
#   (a local IAM server when no AWS account is configured), the secret saved age-encrypted
#   in the lab's memo, and the later lab 2-5 using the saved values.
# It works on a copy of labs/ in target/demo-course and a demo identity in target/demo-config,
# so your own files are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin labnote
bin="$PWD/target/release/labnote"
demo="$PWD/target/demo-course"
rm -rf "$demo" && mkdir -p "$demo" && cp -R labs/. "$demo/"
export LABNOTE_COURSE="$demo"
export XDG_CONFIG_HOME="$PWD/target/demo-config"
export LABNOTE_IDENTITY="$XDG_CONFIG_HOME/labnote/identity.txt"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "labnote $*"; "$bin" "$@"; }

run labs
run steps 2-4
run done 2-4 1 2 3
run next 2-4
run labs
run log
