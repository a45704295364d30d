#!/usr/bin/env bash
# Install the Debian tools the tests use when they are missing: age (interop with the stock CLI),
# zsh and fish (`labnote env` evaluated by each shell), tmux (terminal tests drive `walk`),
# ssh-keygen (SSH identities), groff (the man page renders), hyperfine (benchmarks), chromium and
# chromedriver (the browser test of `labnote serve`) with CJK and emoji fonts (readable screenshots).
# apt-get when this user can run it (root, or sudo without a password); otherwise one line
# naming the packages to install, and a non-zero exit.
set -euo pipefail
declare -A pkg_of=(
  [age]=age [zsh]=zsh [fish]=fish [tmux]=tmux [ssh-keygen]=openssh-client [groff]=groff-base
  [hyperfine]=hyperfine [chromium]=chromium [chromedriver]=chromium-driver
)
tools=(age zsh fish tmux ssh-keygen groff hyperfine chromium chromedriver)
missing=()
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
done
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk fonts-noto-color-emoji)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo -n apt-get)
else
  echo "the tests need these Debian packages; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need: ${missing[*]} (no apt-get here: install them with your package manager)" >&2
  exit 1
fi
echo "installing test tools: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
