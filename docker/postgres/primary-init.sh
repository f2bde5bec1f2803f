#!/usr/bin/env bash
# Runs once, from /docker-entrypoint-initdb.d, when the primary's data
# directory is initialised for the first time (official postgres image).
#
# Creates the streaming-replication role used by postgres-replica and allows it
# in pg_hba.conf. The image's default "host all all all scram-sha-256" line does
# NOT match replication connections ("all" excludes the replication pseudo-db),
# hence the explicit line below.
#
# Env (set in compose.yaml): REPLICATION_USER, REPLICATION_PASSWORD, plus the
# image's own POSTGRES_USER / POSTGRES_DB / PGDATA.
#
# No `set -u`: if this file loses its executable bit the entrypoint *sources*
# it, and nounset would then leak into the entrypoint script.
set -eo pipefail

REPLICATION_USER="${REPLICATION_USER:-replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"

# psql variables (:"ident" / :'literal') do the quoting, so odd characters in the
# role name or password cannot break the statement.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=repl_user="$REPLICATION_USER" \
  --set=repl_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SQL

# Any address on the compose network may replicate as this role, password
# (SCRAM) required. pg_hba.conf is read when the server starts after init.
{
  echo ""
  echo "# streaming replication (added by primary-init.sh)"
  echo "host replication ${REPLICATION_USER} all scram-sha-256"
} >> "$PGDATA/pg_hba.conf"

echo "primary-init: replication role '${REPLICATION_USER}' created, pg_hba.conf updated"
