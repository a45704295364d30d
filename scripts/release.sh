#!/usr/bin/env bash
# Build the release binary dist/labnote-x86_64-linux and its SHA-256 sum file.
#
# Why zig: a binary linked on this machine asks for the glibc it was linked against (2.34+),
# which Amazon Linux 2 (glibc 2.26, still common for Cloud9) does not have. cargo-zigbuild
# links with zig against glibc 2.26's symbol versions, so the one binary runs on both.
# Both tools come from PyPI (ziglang, cargo-zigbuild) into a venv under target/, so nothing
# is installed system-wide; `cargo install cargo-zigbuild` is the fallback.
set -euo pipefail
cd "$(dirname "$0")/.."

glibc=2.26
triple=x86_64-unknown-linux-gnu
venv=target/release-venv
reqs=scripts/requirements-release.txt
stamp=$venv/.requirements-release.txt
out=dist/labnote-x86_64-linux

if [ ! -x "$venv/bin/python" ] || ! cmp -s "$reqs" "$stamp"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$reqs"
  cp "$reqs" "$stamp"
fi
export PATH="$PWD/$venv/bin:$PATH"
command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild
rustup target list --installed 2>/dev/null | grep -qx "$triple" || rustup target add "$triple"

cargo zigbuild --release --locked --target "$triple.$glibc"

# Refuse to ship a binary that asks for a newer glibc than promised.
built=target/$triple/release/labnote
need=$(objdump -T "$built" | grep -o 'GLIBC_[0-9.]*' | sed 's/^GLIBC_//' | sort -Vu | tail -1)
if [ "$(printf '%s\n%s\n' "$need" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
  echo "release.sh: $built needs GLIBC_$need, newer than $glibc; nothing copied to dist/" >&2
  exit 1
fi

mkdir -p dist
cp "$built" "$out.tmp"
mv "$out.tmp" "$out"
(cd dist && sha256sum "$(basename "$out")" > "$(basename "$out").sha256.tmp" \
  && mv "$(basename "$out").sha256.tmp" "$(basename "$out").sha256")
echo "built $out: needs glibc >= $need ($("$out" --version))"
cat "$out.sha256"
