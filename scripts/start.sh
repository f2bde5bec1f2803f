#!/usr/bin/env bash
# The whole system on one machine: services (PostgreSQL primary + streaming replica, Redis),
# dependencies, build, migrations, demo data, then API + workers in one process (ROLE=all).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/ensure-deps.sh
# shellcheck source=scripts/dev.env
source scripts/dev.env
node dist/src/cli/migrate.js
node dist/src/cli/seed.js
echo "Scaleshop on http://127.0.0.1:${PORT} (REST /api/v1, GraphQL /graphql, docs /docs, metrics /metrics)"
exec node dist/src/main.js
