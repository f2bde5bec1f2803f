#!/usr/bin/env bash
# scripts/replica.sh stop|start|restart|status — control the local streaming replica
# created by scripts/services.sh (data dir $REPLICA_DIR, 127.0.0.1:$REPLICA_PORT).
# Used by e2e tests to take the replica away mid-test and bring it back.
#   stop     pg_ctl -m fast -w stop (no-op if already stopped)
#   start    pg_ctl -w start, then waits until 127.0.0.1:$REPLICA_PORT accepts queries
#   status   prints state; exit 0 if running, 3 if stopped (like pg_ctl status)
# Run as root (uses runuser -u postgres) or as postgres.
set -euo pipefail

REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/var/lib/postgresql/scaleshop-replica}"
REPLICA_LOG="${REPLICA_LOG:-/var/log/postgresql/scaleshop-replica.log}"
HOST=127.0.0.1
START_TIMEOUT="${REPLICA_START_TIMEOUT:-60}"

unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD PGPASSFILE \
  PGSSLMODE PGTARGETSESSIONATTRS || true
export PGCONNECT_TIMEOUT=3

die() {
  printf 'replica.sh: ERROR: %s\n' "$*" >&2
  exit 1
}
usage() {
  echo "usage: $0 stop|start|restart|status" >&2
  exit 2
}

as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  elif [[ "$(id -un)" == postgres ]]; then
    (cd / && "$@")
  else
    die "must run as root or postgres"
  fi
}

[[ $# -eq 1 ]] || usage
[[ -f "$REPLICA_DIR/PG_VERSION" ]] ||
  die "no replica data directory at $REPLICA_DIR (run: bash scripts/services.sh)"
BIN="/usr/lib/postgresql/$(<"$REPLICA_DIR/PG_VERSION")/bin"
[[ -x "$BIN/pg_ctl" ]] || die "$BIN/pg_ctl not found"

pg_ctl_() { as_pg "$BIN/pg_ctl" -D "$REPLICA_DIR" "$@"; }
is_running() { pg_ctl_ status >/dev/null 2>&1; }
rq() { psql -X -w -q -A -t -h "$HOST" -p "$REPLICA_PORT" -U postgres -d postgres -c "$1" 2>/dev/null; }

wait_accepting() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until [[ "$(rq 'select 1')" == 1 ]]; do
    if ((SECONDS >= deadline)); then
      tail -n 20 "$REPLICA_LOG" >&2 2>/dev/null || true
      die "replica did not accept connections on $HOST:$REPLICA_PORT within ${START_TIMEOUT}s (log: $REPLICA_LOG)"
    fi
    sleep 0.2
  done
}

do_stop() {
  if is_running; then
    local out
    out="$(pg_ctl_ -m fast -w -t "$START_TIMEOUT" stop 2>&1)" || die "pg_ctl stop failed: $out"
    echo "replica: stopped"
  else
    echo "replica: already stopped"
  fi
}

do_start() {
  if is_running; then
    wait_accepting
    echo "replica: already running on $HOST:$REPLICA_PORT (in recovery: $(rq 'select pg_is_in_recovery()'))"
    return
  fi
  if [[ ! -d /var/run/postgresql ]]; then
    install -d -m 2775 -o postgres -g postgres /var/run/postgresql
  fi
  [[ -f "$REPLICA_LOG" ]] || install -m 0640 -o postgres -g postgres /dev/null "$REPLICA_LOG"
  local out
  # The daemon must not inherit our stdout/stderr (callers may capture them).
  out="$(pg_ctl_ -l "$REPLICA_LOG" -w -t "$START_TIMEOUT" start </dev/null 2>&1)" || {
    tail -n 20 "$REPLICA_LOG" >&2 2>/dev/null || true
    die "pg_ctl start failed: $out"
  }
  wait_accepting
  echo "replica: started on $HOST:$REPLICA_PORT (in recovery: $(rq 'select pg_is_in_recovery()'))"
}

do_status() {
  if is_running; then
    local pid info
    pid="$(head -n1 "$REPLICA_DIR/postmaster.pid" 2>/dev/null || echo '?')"
    info="$(rq "select 'in recovery: ' || pg_is_in_recovery() || ', wal receiver: ' ||
                 coalesce((select status from pg_stat_wal_receiver), 'none')")" || true
    echo "replica: running on $HOST:$REPLICA_PORT (pid $pid, ${info:-not accepting connections yet})"
    return 0
  fi
  echo "replica: stopped"
  return 3
}

case "$1" in
  stop) do_stop ;;
  start) do_start ;;
  restart)
    do_stop
    do_start
    ;;
  status) do_status ;;
  *) usage ;;
esac
