#!/usr/bin/env bash
# Builds whisper-cli from the whisper.cpp sources vendored in npm:nodejs-whisper (no GitHub here)
# into .cache/whisper/bin/whisper-cli. Skipped when a working binary is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$root/.cache/whisper"
bin="$out_dir/bin/whisper-cli"
pkg_version="0.3.1"
jobs="${WHISPER_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# "Working" means it starts and prints its usage; a half-written binary from a killed build fails.
if [[ -x "$bin" ]] && "$bin" --help >/dev/null 2>&1; then
  echo "whisper-cli: cached at $bin"
  exit 0
fi

for tool in npm tar cmake make g++; do
  command -v "$tool" >/dev/null || { echo "build_whisper: $tool is required" >&2; exit 1; }
done

work="$out_dir/build-src"
rm -rf "$work"
mkdir -p "$work" "$out_dir/bin"
cd "$work"
npm pack --silent "nodejs-whisper@$pkg_version" >/dev/null
tar -xzf "nodejs-whisper-$pkg_version.tgz"
cmake -S package/cpp/whisper.cpp -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_SERVER=OFF -DWHISPER_SDL2=OFF -DGGML_NATIVE=OFF \
  >cmake-configure.log 2>&1 || { tail -n 40 cmake-configure.log >&2; exit 1; }
cmake --build build -j"$jobs" --target whisper-cli >cmake-build.log 2>&1 ||
  { tail -n 40 cmake-build.log >&2; exit 1; }

# Write under a temporary name, then rename, so a concurrent reader never sees a partial binary.
cp build/bin/whisper-cli "$bin.tmp"
chmod 0755 "$bin.tmp"
mv -f "$bin.tmp" "$bin"
cd "$root"
rm -rf "$work"
"$bin" --help >/dev/null 2>&1 || { echo "build_whisper: built binary does not run" >&2; exit 1; }
echo "whisper-cli: built at $bin"
