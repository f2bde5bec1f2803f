#!/usr/bin/env bash
# Entrypoint for postgres-replica (official postgres:15 image).
#
# On first start (no PG_VERSION in $PGDATA) it clones the primary with
#   pg_basebackup -R -X stream
# (-R writes standby.signal + primary_conninfo into postgresql.auto.conf), then
# starts postgres as a hot standby. On later starts the existing data dir is
# reused and the standby simply reconnects to the primary.
#
# Env: PRIMARY_HOST (default postgres-primary), PRIMARY_PORT (default 5432),
#      REPLICATION_USER (default replicator), REPLICATION_PASSWORD (required).
# Extra arguments are passed to postgres (e.g. -c max_connections=200).
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
PRIMARY_HOST="${PRIMARY_HOST:-postgres-primary}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICATION_USER="${REPLICATION_USER:-replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"

# Started as root (image default): fix ownership of the volume, then re-exec
# this script as the postgres user, like the image's own entrypoint does.
if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec gosu postgres bash "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: no cluster in $PGDATA, cloning from ${PRIMARY_HOST}:${PRIMARY_PORT}"

  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -d postgres; do
    echo "replica: waiting for primary..."
    sleep 2
  done

  # pg_basebackup needs an empty target; clear leftovers of an interrupted clone.
  find "$PGDATA" -mindepth 1 -delete

  # PGPASSWORD also ends up in primary_conninfo (written by -R), which the
  # standby needs to reconnect after restarts.
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
    --host="$PRIMARY_HOST" --port="$PRIMARY_PORT" --username="$REPLICATION_USER" \
    --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream \
    --checkpoint=fast --no-password

  chmod 700 "$PGDATA"
  echo "replica: base backup complete"
fi

# exec so postgres is PID 1 and gets the image's STOPSIGNAL (SIGINT = fast shutdown).
exec postgres -c hot_standby=on "$@"
