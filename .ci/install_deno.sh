#!/usr/bin/env bash
# Installs the pinned Deno from npm into .tools/ (git-ignored, its own package.json, never the
# project root's). Idempotent: does nothing when the pinned version is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${DENO_VERSION:-2.9.6}"
tools="$root/.tools"
deno="$tools/node_modules/.bin/deno"

if [[ -x "$deno" ]] && [[ "$("$deno" --version 2>/dev/null | head -n1)" == "deno $version "* ]]; then
  echo "deno $version: already in .tools"
  exit 0
fi
command -v npm >/dev/null || { echo "install_deno: npm is required" >&2; exit 1; }
mkdir -p "$tools"
[[ -f "$tools/package.json" ]] || echo '{ "private": true, "description": "CI tools for tgpipe" }' >"$tools/package.json"
# The deno package's postinstall links the platform binary; it must run.
npm install --prefix "$tools" --no-audit --no-fund --loglevel=error --save-exact "deno@$version" >/dev/null
"$deno" --version | head -n1
