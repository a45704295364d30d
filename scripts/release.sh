#!/usr/bin/env bash
# Build the release binary dist/labnote-x86_64-linux and its SHA-256 sum.
#
# Why zig: a binary linked on this machine needs the glibc it was built against (2.34+),
# which Amazon Linux 2 (glibc 2.26, still common for Cloud9) does not have. cargo-zigbuild
# links with zig against glibc 2.26's symbol versions, so the one binary runs on both.
# The tools come from PyPI (ziglang, cargo-zigbuild) into a venv under target/, so nothing
# is installed system-wide; `cargo install cargo-zigbuild` is the fallback.
set -euo pipefail
cd "$(dirname "$0")/.."

glibc=2.26
triple=x86_64-unknown-linux-gnu
venv=target/release-venv
reqs=scripts/requirements-release.txt
stamp=$venv/.requirements-release.txt

if ! { [ -x "$venv/bin/python-zig" ] || [ -x "$venv/bin/python" ]; } || ! cmp -s "$reqs" "$stamp"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$reqs" \
    || "$venv/bin/pip" install --quiet --disable-pip-version-check "$(grep '^ziglang' "$reqs")"
  cp "$reqs" "$stamp"
fi
export PATH="$PWD/$venv/bin:$PATH"
if ! command -v cargo-zigbuild >/dev/null; then
  cargo install --locked cargo-zigbuild
fi
rustup target list --installed 2>/dev/null | grep -qx "$triple" || rustup target add "$triple"

cargo zigbuild --release --locked --target "$triple.$glibc"

mkdir -p dist
out=dist/labnote-x86_64-linux
cp "target/$triple/release/labnote" "$out.tmp"
mv "$out.tmp" "$out"
(cd dist && sha256sum labnote-x86_64-linux > labnote-x86_64-linux.sha256)

# Refuse to ship a binary that asks for a newer glibc than promised.
need=$(objdump -T "$out" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1)
if [ "$(printf '%s\n%s\n' "$need" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
  echo "release.sh: $out needs GLIBC_$need, more than $glibc" >&2
  exit 1
fi
echo "built $out (needs glibc >= $need)"
cat dist/labnote-x86_64-linux.sha256
