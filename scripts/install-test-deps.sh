#!/usr/bin/env bash
# Installs the Debian packages the test suite and the CI checks use: redis-server for the shared replay-store
# tests; a C toolchain (clang, or gcc where it is already there) and zlib1g-dev for the native AOT publish in
# .ci/extra-checks (the ILCompiler package links its output with the platform toolchain). Safe to run repeatedly;
# does nothing when everything is present.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
{ command -v clang || command -v gcc; } >/dev/null 2>&1 || need+=(clang)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ "${#need[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
if [[ " ${need[*]} " == *" redis-server "* ]]; then
  # The tests start their own redis-server on 127.0.0.1; the packaged service is not needed.
  ($SUDO systemctl disable --now redis-server 2>/dev/null || $SUDO service redis-server stop 2>/dev/null) || true
fi
