#!/usr/bin/env bash
# Every check and test: services up, build, lint + format + module boundaries, schema drift,
# deployment config checks, unit tests, then e2e tests against the real primary, replica, Redis
# and worker processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/ensure-deps.sh
echo "== lint, format, module boundaries"
npx eslint . --max-warnings=0
npx prettier --check . --log-level=warn
npx depcruise src --config .dependency-cruiser.cjs --output-type err
echo "== deployment config"
bash test/docker/docker-config.check.sh
echo "== unit + e2e tests"
node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand --ci "$@"
echo "== bench smoke (flash sale, hot SKU: no errors, nothing oversold, no server died)"
npm run bench -- smoke
