#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lock file, then builds.
set -euo pipefail
cd "$(dirname "$0")/.."
# A symlinked node_modules (a git worktree sharing another checkout's install) is never replaced:
# `npm ci` would empty the install it points to.
if [ -L node_modules ]; then
  :
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
