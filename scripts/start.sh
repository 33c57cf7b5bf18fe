#!/usr/bin/env bash
# README command 1: install what is missing, build, and start the app with demo data on the
# embedded database (or on MONGODB_URI when set). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build
exec npm start
