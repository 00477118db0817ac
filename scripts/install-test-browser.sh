#!/bin/sh
# The console's browser tests (ConsoleIT) drive Debian's chromium through its chromedriver. This installs both when
# either is missing (apt-get, as root or through sudo) and does nothing when they are there.
set -eu
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
else
    as_root="sudo"
fi
echo "Installing chromium and chromium-driver for the browser tests..."
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium chromium-driver >/dev/null
