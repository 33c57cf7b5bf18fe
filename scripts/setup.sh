#!/usr/bin/env bash
# Prepares a fresh machine: system packages (Java and Maven for the embedded database stand-in;
# CJK fonts, which the annual report's PDF embeds; Debian's Chromium and poppler-utils with
# --browser), npm packages, and the stand-in's jars.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

apt_packages=()
command -v java >/dev/null && command -v javac >/dev/null || apt_packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || apt_packages+=(maven)
# The annual report (PDF_FONT_PATH) and Chinese text in screenshots need a CJK font.
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || apt_packages+=(fonts-noto-cjk)
if $want_browser; then
  [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || apt_packages+=(chromium)
  # Tests look at the annual report's pages as images (pdftoppm).
  command -v pdftoppm >/dev/null || apt_packages+=(poppler-utils)
fi

# With MONGODB_URI set no embedded database is started, so Java and Maven are optional then.
if [[ -n "${MONGODB_URI:-}" ]]; then
  apt_packages=("${apt_packages[@]/openjdk-17-jdk-headless}")
  apt_packages=("${apt_packages[@]/maven}")
fi
missing=()
for p in "${apt_packages[@]}"; do [[ -n "$p" ]] && missing+=("$p"); done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]} (Debian packages)"
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

if [[ -z "${MONGODB_URI:-}" ]]; then
  bash scripts/mongo-standin.sh
fi
echo "setup: ready"
