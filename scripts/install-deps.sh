#!/usr/bin/env bash
# Installs the Debian packages FiberNode needs, only those missing. Idempotent, non-interactive.
set -euo pipefail
packages=(libncursesw5-dev libsqlite3-dev libargon2-dev libqrencode-dev libxlsxwriter-dev
          tmux sqlite3 pkg-config man-db groff-base python3 python3-openpyxl procps curl openssl
          openssh-client openssh-server)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
