#!/bin/sh
# The Dockerfile's build and start steps, as one script that CI also runs outside Docker
# (packages/cli/test/docker-build-steps.test.ts), so the image's recipe is tested without a
# Docker engine.
#   docker-build-steps.sh deps               npm ci in the clone (the toolchain compiles better-sqlite3)
#   docker-build-steps.sh build              build every package
#   docker-build-steps.sh install <prefix>   pack the command with its dependencies and install it under <prefix>
#   docker-build-steps.sh start <prefix>     run the installed server (exec: signals reach it)
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
  deps) npm ci --no-audit --no-fund ;;
  build) npm run build ;;
  install)
    prefix="${2:?usage: docker-build-steps.sh install <prefix>}"
    out="$(mktemp -d)"
    tarball="$(node scripts/pack-cli.mjs "$out")"
    npm install -g --offline --ignore-scripts --no-audit --no-fund --prefix "$prefix" "$tarball"
    rm -rf "$out"
    ;;
  start)
    prefix="${2:?usage: docker-build-steps.sh start <prefix>}"
    exec "$prefix/bin/opstrails" serve
    ;;
  *)
    echo "usage: docker-build-steps.sh deps | build | install <prefix> | start <prefix>" >&2
    exit 2
    ;;
esac
