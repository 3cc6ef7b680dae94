#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (redis-server for the shared replay-store
# tests). Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq redis-server >/dev/null
# The tests start their own redis-server on 127.0.0.1; the packaged service is not needed.
($SUDO systemctl disable --now redis-server 2>/dev/null || $SUDO service redis-server stop 2>/dev/null) || true
