#!/usr/bin/env bash
# Installs the Debian tools the tests run for real (ffmpeg, rclone, yt-dlp, python3-telethon, chromium,
# fpcalc, curl, espeak-ng, sox) and the whisper-cli build chain. Idempotent and quiet: skips apt entirely
# when every package is already installed.
set -euo pipefail

packages=(ffmpeg rclone yt-dlp python3-telethon espeak-ng sox chromium libchromaprint-tools curl cmake g++ make ca-certificates)
# npm installs Deno (.ci/install_deno.sh) and fetches the whisper.cpp sources; a machine
# without Node gets Debian's.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "apt: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install_apt: need root or sudo for: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "apt: installed ${missing[*]}"
