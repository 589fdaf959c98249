# tgpipe as a container: `docker build -t tgpipe .` then
#   docker run --rm -v "$PWD/tgpipe-data:/data" tgpipe doctor
# Build stage: Deno from npm (same pin as CI), then `deno task compile` into one binary.
FROM node:22-bookworm-slim AS build
ARG DENO_VERSION=2.9.6
RUN npm install --global --no-audit --no-fund "deno@${DENO_VERSION}" && deno --version
WORKDIR /src
# Dependencies first so source edits do not refetch npm packages. The ffmpeg/ffprobe platform
# packages set their exec bit in install scripts, so exactly those are approved (see .ci/run).
COPY deno.json deno.lock ./
RUN case "$(uname -m)" in \
      x86_64) s="npm:@ffmpeg-installer/linux-x64@4.1.0,npm:@ffprobe-installer/linux-x64@5.2.0" ;; \
      aarch64) s="npm:@ffmpeg-installer/linux-arm64@4.1.4,npm:@ffprobe-installer/linux-arm64@5.2.0" ;; \
      *) s="" ;; \
    esac \
 && deno install --frozen ${s:+--allow-scripts=$s}
COPY . .
RUN deno task compile && ./dist/tgpipe --version

# Runtime stage: the binary plus Debian's ffmpeg (preferred over the embedded copy because it is
# found on PATH first) and CA certificates for Telegram, KV Connect and HTTP downloads.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --home-dir /home/tgpipe --uid 10001 tgpipe \
 && mkdir -p /data && chown tgpipe:tgpipe /data
COPY --from=build /src/dist/tgpipe /usr/local/bin/tgpipe
USER tgpipe
# Session, progress store and caches live in /data so one volume keeps all state.
ENV TGPIPE_DATA_DIR=/data XDG_CACHE_HOME=/data/cache XDG_CONFIG_HOME=/data/config
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["tgpipe"]
CMD ["--help"]
