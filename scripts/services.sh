#!/usr/bin/env bash
# scripts/services.sh — make sure the local infrastructure scaleshop needs is up:
#   * PostgreSQL primary         127.0.0.1:${PG_PORT:-5432}   (Debian cluster, trust auth for 127.0.0.1)
#   * PostgreSQL streaming replica 127.0.0.1:${REPLICA_PORT:-5433} (data dir ${REPLICA_DIR})
#   * Redis                      127.0.0.1:${REDIS_PORT:-6379}
#   * nginx binary (only for `nginx -t` config checks; never started here)
#   * databases scaleshop and scaleshop_test on the primary
#
# Idempotent: installs (apt-get) what is missing, starts what is stopped, reuses
# what is running, rebuilds the replica when it is broken. A second run is a no-op.
# Must run as root (apt-get, runuser). See also scripts/replica.sh.
set -euo pipefail

# Serialise concurrent runs. flock -o: the lock fd is NOT inherited by the script,
# so daemons started below (postgres, redis) never keep the lock held.
LOCK_FILE="${SCALESHOP_SERVICES_LOCK:-/tmp/scaleshop-services.lock}"
if [[ -z "${SCALESHOP_SERVICES_LOCKED:-}" ]] && command -v flock >/dev/null 2>&1; then
  exec env SCALESHOP_SERVICES_LOCKED=1 flock -o -w 600 "$LOCK_FILE" bash "${BASH_SOURCE[0]}" "$@"
fi

PG_PORT="${PG_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/var/lib/postgresql/scaleshop-replica}"
REPLICA_LOG="${REPLICA_LOG:-/var/log/postgresql/scaleshop-replica.log}"
REDIS_PORT="${REDIS_PORT:-6379}"
HOST=127.0.0.1
REPLICA_NAME=scaleshop-replica   # cluster_name => application_name in pg_stat_replication
DATABASES=(scaleshop scaleshop_test)
PG_SOCKET_DIR=/var/run/postgresql
STREAM_TIMEOUT=30

# Never let the caller's libpq environment redirect our admin connections.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD PGPASSFILE \
  PGSSLMODE PGTARGETSESSIONATTRS PGAPPNAME || true
export PGCONNECT_TIMEOUT=3

LOG="$(mktemp /tmp/scaleshop-services.XXXXXX.log)"
POLICY_RC=/usr/sbin/policy-rc.d
CREATED_POLICY_RC=0
APT_UPDATED=0

cleanup() {
  local rc=$?
  if ((CREATED_POLICY_RC)); then rm -f "$POLICY_RC"; fi
  if ((rc == 0)) || [[ ! -s "$LOG" ]]; then
    rm -f "$LOG"
  else
    echo "services.sh: failed (details: $LOG)" >&2
  fi
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
die() {
  printf 'services.sh: ERROR: %s\n' "$*" >&2
  if [[ -s "$LOG" ]]; then
    echo "---- last lines of $LOG ----" >&2
    tail -n 25 "$LOG" >&2
  fi
  exit 1
}
# Run a command with its output captured in $LOG (shown by die on failure).
quiet() {
  printf '+ %s\n' "$*" >>"$LOG"
  "$@" >>"$LOG" 2>&1
}
need_root() { [[ $EUID -eq 0 ]] || die "must run as root to $*"; }

# Run as the postgres OS user (cd / so tools don't complain about an unreadable cwd).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  elif [[ "$(id -un)" == postgres ]]; then
    (cd / && "$@")
  else
    die "must run as root (or postgres) to run: $*"
  fi
}

# ---------------------------------------------------------------- apt helpers
# Package maintainer scripts must not start services on their own (we start them
# ourselves with the exact options we want), so install a temporary policy-rc.d
# unless the machine already has one (Docker images usually do).
block_service_autostart() {
  if [[ ! -e "$POLICY_RC" ]]; then
    printf '#!/bin/sh\n# temporary, created by scaleshop scripts/services.sh\nexit 101\n' >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    CREATED_POLICY_RC=1
  fi
}
apt_install() {
  need_root "apt-get install $*"
  block_service_autostart
  # C.UTF-8 so that a cluster created by the postgresql postinst gets UTF8 encoding.
  local -a env_=(env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8)
  if ((!APT_UPDATED)); then
    quiet "${env_[@]}" apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  quiet "${env_[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

# ------------------------------------------------------------ probes / waits
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# 0 = accepting connections, 1 = up but rejecting (starting/stopping), 2 = down
pg_state() {
  local rc=0
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$1" -U postgres -d postgres -t 2 || rc=$?
    ((rc <= 1)) || rc=2
  else
    tcp_open "$1" || rc=2
  fi
  return "$rc"
}
wait_pg_ready() { # port timeout_seconds
  local deadline=$((SECONDS + $2))
  while :; do
    pg_state "$1" && return 0
    ((SECONDS >= deadline)) && return 1
    sleep 0.3
  done
}

# ------------------------------------------------------------ primary
PSQL_MODE=tcp # tcp (postgres@127.0.0.1, trust) or socket (peer auth as OS user postgres)
psql_primary() {
  if [[ $PSQL_MODE == tcp ]]; then
    psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres -d postgres "$@"
  else
    as_pg psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
  fi
}
primary_tcp_ok() {
  psql -X -w -q -A -t -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1
}

primary_socket_ok() {
  as_pg psql -X -w -q -A -t -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1
}

have_pg_server() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# "<version> <cluster> <status>" of the Debian cluster configured on PG_PORT (empty if none)
debian_cluster_on_port() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1, $2, $4; exit }'
}

ensure_run_dir() {
  if [[ ! -d "$PG_SOCKET_DIR" ]]; then
    need_root "create $PG_SOCKET_DIR"
    install -d -m 2775 -o postgres -g postgres "$PG_SOCKET_DIR"
  fi
}

PRIMARY_NOTES=()
PG_CLUSTER_VER="" PG_CLUSTER_NAME=""

start_primary() {
  local status=reused rc=0 ver="" name="" cstate=""
  pg_state "$PG_PORT" || rc=$?
  if ((rc == 1)); then # starting up / shutting down: give it a moment
    if wait_pg_ready "$PG_PORT" 30; then rc=0; else rc=2; fi
  fi
  if ((rc != 0)); then
    if ! have_pg_server; then
      apt_install postgresql || die "apt-get install postgresql failed"
      status=installed
    fi
    read -r ver name cstate < <(debian_cluster_on_port) || true
    if [[ -z "${ver:-}" ]]; then
      # The postgresql package normally creates <ver>/main; create it if that was skipped.
      ver="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n1)"
      [[ -n "$ver" ]] || ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n1)"
      if [[ -d "/etc/postgresql/$ver/main" ]]; then
        die "cluster $ver/main exists but is not configured for port $PG_PORT (see /etc/postgresql/$ver/main/postgresql.conf)"
      fi
      need_root "create a PostgreSQL cluster"
      quiet env LANG=C.UTF-8 LC_ALL=C.UTF-8 pg_createcluster --locale C.UTF-8 -p "$PG_PORT" "$ver" main ||
        die "pg_createcluster $ver main failed"
      name=main cstate=down
      PRIMARY_NOTES+=("cluster $ver/main created")
    fi
    ensure_run_dir
    if [[ "$cstate" != online ]]; then
      quiet pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start ||
        die "pg_ctlcluster $ver $name start failed"
      [[ $status == installed ]] || status=started
    fi
    PG_CLUSTER_VER=$ver PG_CLUSTER_NAME=$name
    # It may be up but not reachable on 127.0.0.1 (listen_addresses); configure_primary fixes that.
    local deadline=$((SECONDS + 30))
    until pg_state "$PG_PORT"; do
      if primary_socket_ok; then
        PSQL_MODE=socket
        break
      fi
      ((SECONDS < deadline)) || die "primary on port $PG_PORT did not come up (see /var/log/postgresql/)"
      sleep 0.3
    done
  fi
  PRIMARY_STATUS=$status
  if ! command -v psql >/dev/null 2>&1; then
    apt_install postgresql-client || die "apt-get install postgresql-client failed"
  fi
  if [[ $PSQL_MODE == tcp ]] && ! primary_tcp_ok; then
    PSQL_MODE=socket # e.g. fresh Debian: host connections use scram-sha-256
  fi
  psql_primary -c 'select 1' >/dev/null 2>&1 ||
    die "cannot connect to the primary on port $PG_PORT (neither TCP trust nor local socket)"
}

restart_primary() {
  local ver=$PG_CLUSTER_VER name=$PG_CLUSTER_NAME cstate
  if [[ -z "$ver" ]]; then read -r ver name cstate < <(debian_cluster_on_port) || true; fi
  if [[ -n "${ver:-}" ]]; then
    quiet pg_ctlcluster --skip-systemctl-redirect --mode fast "$ver" "$name" restart ||
      die "pg_ctlcluster $ver $name restart failed"
  else
    quiet as_pg "/usr/lib/postgresql/$PG_MAJOR/bin/pg_ctl" -D "$PRIMARY_DATA_DIR" -m fast -w restart ||
      die "pg_ctl restart of the primary failed"
  fi
  wait_pg_ready "$PG_PORT" 60 || true
}

# Rewrite the 127.0.0.1/32 "host all all" and "host replication all" lines to trust;
# append them when absent. Writes in place (keeps owner/mode). Returns 0 if changed.
fix_hba() {
  local hba=$1 tmp
  tmp="$(mktemp)"
  awk '
    function trust(db) { return sprintf("host    %-15s all             127.0.0.1/32            trust", db) }
    $1 == "host" && ($2 == "all" || $2 == "replication") && $3 == "all" && $4 == "127.0.0.1/32" {
      seen[$2] = 1
      if ($5 != "trust") { print trust($2); next }
    }
    { print }
    END {
      if (!seen["all"] || !seen["replication"]) print "# added by scaleshop scripts/services.sh"
      if (!seen["all"]) print trust("all")
      if (!seen["replication"]) print trust("replication")
    }' "$hba" >"$tmp"
  if cmp -s "$tmp" "$hba"; then
    rm -f "$tmp"
    return 1
  fi
  cat "$tmp" >"$hba"
  rm -f "$tmp"
  return 0
}

configure_primary() {
  local info wal_level senders listen keep ok_listen=0 a need_restart=0 need_reload=0
  local -a addrs
  info="$(psql_primary -F '|' -c "select current_setting('server_version_num')::int / 10000,
      current_setting('data_directory'), current_setting('hba_file'), current_setting('wal_level'),
      current_setting('max_wal_senders'), current_setting('listen_addresses'),
      (select setting::bigint from pg_settings where name = 'wal_keep_size'),
      (select system_identifier from pg_control_system()),
      current_setting('max_connections'), current_setting('max_worker_processes'),
      current_setting('max_prepared_transactions'), current_setting('max_locks_per_transaction'),
      current_setting('TimeZone'), pg_is_in_recovery()")" || die "cannot query primary settings"
  IFS='|' read -r PG_MAJOR PRIMARY_DATA_DIR HBA_FILE wal_level senders listen keep PRIMARY_SYSID \
    P_MAX_CONN P_MAX_WORKERS P_MAX_PREPARED P_MAX_LOCKS P_TIMEZONE P_IN_RECOVERY <<<"$info"
  [[ "$P_IN_RECOVERY" == f ]] || die "the server on port $PG_PORT is a standby, not a primary"

  # wal_level / max_wal_senders / listen_addresses need a restart.
  if [[ "$wal_level" == minimal ]]; then
    psql_primary -c "alter system set wal_level = 'replica'" >/dev/null
    need_restart=1
  fi
  if ((senders < 5)); then
    psql_primary -c "alter system set max_wal_senders = 10" >/dev/null
    need_restart=1
    senders=10
  fi
  P_MAX_SENDERS=$((senders > 10 ? senders : 10))
  IFS=',' read -ra addrs <<<"$listen"
  for a in "${addrs[@]}"; do
    a="${a// /}"
    case "$a" in '*' | localhost | 127.0.0.1 | 0.0.0.0) ok_listen=1 ;; esac
  done
  if ((!ok_listen)); then
    psql_primary -c "alter system set listen_addresses = '${listen:+$listen,}127.0.0.1'" >/dev/null
    need_restart=1
  fi
  # Keep some WAL around so a replica stopped for a while (replica.sh stop) can catch up.
  if ((keep < 256)); then
    psql_primary -c "alter system set wal_keep_size = '256MB'" >/dev/null
    need_reload=1
    PRIMARY_NOTES+=("wal_keep_size=256MB")
  fi
  if fix_hba "$HBA_FILE"; then
    need_reload=1
    PRIMARY_NOTES+=("pg_hba: 127.0.0.1 trust")
  fi
  if ((need_reload)); then
    psql_primary -c 'select pg_reload_conf()' >/dev/null
    local errs
    errs="$(psql_primary -c "select line_number || ': ' || error from pg_hba_file_rules where error is not null")"
    [[ -z "$errs" ]] || die "$HBA_FILE has errors: $errs"
  fi
  if ((need_restart)); then
    restart_primary
    PRIMARY_NOTES+=("restarted for wal/listen settings")
  fi
  # From now on everything goes over TCP 127.0.0.1 with trust.
  local deadline=$((SECONDS + 10))
  until primary_tcp_ok; do
    ((SECONDS < deadline)) ||
      die "postgres@$HOST:$PG_PORT still needs a password; check rule order in $HBA_FILE"
    sleep 0.3
  done
  PSQL_MODE=tcp
}

ensure_primary() {
  start_primary
  configure_primary
  local notes="" n
  for n in "${PRIMARY_NOTES[@]}"; do notes+="; $n"; done
  say "postgres primary: up on $HOST:$PG_PORT, PG $PG_MAJOR ($PRIMARY_STATUS$notes)"
}

# ------------------------------------------------------------ replica
psql_replica() {
  psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$REPLICA_PORT" -U postgres -d postgres "$@"
}

replica_pg_ctl() { as_pg "$REPLICA_BIN/pg_ctl" -D "$REPLICA_DIR" "$@"; }

replica_dir_running() { # is a postmaster running out of REPLICA_DIR?
  [[ -f "$REPLICA_DIR/postmaster.pid" ]] && replica_pg_ctl status >/dev/null 2>&1
}

# Refuse to ever wipe something that is not clearly our replica data directory.
guard_replica_dir() {
  local d=$REPLICA_DIR p
  p="$(realpath -m -- "$PRIMARY_DATA_DIR")"
  [[ "$d" == /?*/?* ]] || die "REPLICA_DIR=$d is not a safe absolute path"
  if [[ "$d" == "$p" || "$p" == "$d"/* || "$d" == "$p"/* ]]; then
    die "REPLICA_DIR=$d overlaps the primary data directory $p"
  fi
  if [[ -d "$d" && -n "$(ls -A -- "$d")" && ! -f "$d/PG_VERSION" ]]; then
    die "REPLICA_DIR=$d is not empty and is not a PostgreSQL data directory; refusing to wipe it"
  fi
}

write_replica_config() {
  local max_conn=$((P_MAX_CONN > 200 ? P_MAX_CONN : 200))
  # Debian keeps postgresql.conf/pg_hba.conf in /etc, so pg_basebackup copied none.
  # Do NOT copy /etc/postgresql/*/main/postgresql.conf (port, data_directory, pid file...).
  cat >"$REPLICA_DIR/postgresql.conf" <<EOF
# Generated by scaleshop scripts/services.sh — rewritten whenever the replica is (re)started by it.
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_SOCKET_DIR'
cluster_name = '$REPLICA_NAME'
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
max_standby_streaming_delay = 30s
shared_buffers = 128MB
max_connections = $max_conn
# A hot standby refuses to start if these are lower than on the primary.
max_wal_senders = $P_MAX_SENDERS
max_worker_processes = $P_MAX_WORKERS
max_prepared_transactions = $P_MAX_PREPARED
max_locks_per_transaction = $P_MAX_LOCKS
timezone = '$P_TIMEZONE'
log_timezone = '$P_TIMEZONE'
EOF
  cat >"$REPLICA_DIR/pg_hba.conf" <<'EOF'
# Generated by scaleshop scripts/services.sh
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    replication     all             127.0.0.1/32            trust
EOF
  : >"$REPLICA_DIR/pg_ident.conf"
  # postgresql.auto.conf came from the primary (its ALTER SYSTEM settings, e.g. port or
  # listen_addresses would override ours): keep only what pg_basebackup -R wrote.
  if [[ -f "$REPLICA_DIR/postgresql.auto.conf" ]]; then
    local auto
    auto="$(grep -E '^[[:space:]]*(#|$|primary_conninfo|primary_slot_name)' "$REPLICA_DIR/postgresql.auto.conf" || true)"
    printf '%s\n' "$auto" >"$REPLICA_DIR/postgresql.auto.conf"
  fi
  chown postgres:postgres "$REPLICA_DIR"/postgresql.conf "$REPLICA_DIR"/pg_hba.conf \
    "$REPLICA_DIR"/pg_ident.conf "$REPLICA_DIR"/postgresql.auto.conf
  chmod 0600 "$REPLICA_DIR"/postgresql.conf "$REPLICA_DIR"/pg_hba.conf "$REPLICA_DIR"/pg_ident.conf
}

start_replica_dir() {
  ensure_run_dir
  [[ -d "$(dirname "$REPLICA_LOG")" ]] || install -d -m 1775 -o root -g postgres "$(dirname "$REPLICA_LOG")"
  [[ -f "$REPLICA_LOG" ]] || install -m 0640 -o postgres -g postgres /dev/null "$REPLICA_LOG"
  quiet replica_pg_ctl -l "$REPLICA_LOG" -w -t 60 start || return 1
  wait_pg_ready "$REPLICA_PORT" 30
}

# system identifier of the (stopped or running) cluster in REPLICA_DIR
replica_dir_sysid() {
  as_pg env LC_ALL=C "$REPLICA_BIN/pg_controldata" -D "$REPLICA_DIR" 2>/dev/null |
    awk -F':[[:space:]]*' '/^Database system identifier/ { print $2 }'
}

# Why REPLICA_DIR (stopped) cannot be reused as-is; empty if it looks fine.
replica_dir_problem() {
  [[ -d "$REPLICA_DIR" ]] || { echo "missing"; return; }
  [[ -f "$REPLICA_DIR/PG_VERSION" ]] || { echo "no PG_VERSION"; return; }
  [[ "$(<"$REPLICA_DIR/PG_VERSION")" == "$PG_MAJOR" ]] || { echo "major version differs"; return; }
  [[ -f "$REPLICA_DIR/standby.signal" ]] || { echo "no standby.signal (not a standby)"; return; }
  [[ "$(replica_dir_sysid)" == "$PRIMARY_SYSID" ]] || { echo "system identifier differs from the primary"; return; }
}

rebuild_replica() {
  need_root "rebuild the replica"
  guard_replica_dir
  if replica_dir_running; then
    quiet replica_pg_ctl -m immediate -w -t 60 stop || die "cannot stop the old replica in $REPLICA_DIR"
  fi
  rm -rf -- "$REPLICA_DIR"
  install -d -m 0700 -o postgres -g postgres "$REPLICA_DIR"
  quiet as_pg "$REPLICA_BIN/pg_basebackup" -h "$HOST" -p "$PG_PORT" -U postgres -w \
    -D "$REPLICA_DIR" -R -X stream -c fast || die "pg_basebackup failed"
  write_replica_config
  start_replica_dir || die "replica failed to start after rebuild (log: $REPLICA_LOG)"
}

replica_streaming() {
  local p r
  p="$(psql_primary -c "select count(*) from pg_stat_replication
        where application_name = '$REPLICA_NAME' and state = 'streaming'" 2>/dev/null)" || return 1
  r="$(psql_replica -c 'select pg_is_in_recovery()' 2>/dev/null)" || return 1
  [[ "${p:-0}" -ge 1 && "$r" == t ]]
}
wait_streaming() {
  local deadline=$((SECONDS + STREAM_TIMEOUT))
  until replica_streaming; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

ensure_replica() {
  REPLICA_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
  [[ -x "$REPLICA_BIN/pg_ctl" ]] || die "$REPLICA_BIN/pg_ctl missing (install postgresql-$PG_MAJOR)"
  REPLICA_DIR="$(realpath -m -- "$REPLICA_DIR")"
  guard_replica_dir # before touching (stopping, starting, wiping) anything in it

  local status="" reason="" rc=0 info rdir rrec rsys
  pg_state "$REPLICA_PORT" || rc=$?
  if ((rc == 1)); then
    if wait_pg_ready "$REPLICA_PORT" 30; then rc=0; else rc=2; fi
  fi

  if ((rc == 0)); then
    if info="$(psql_replica -F '|' -c "select current_setting('data_directory'), pg_is_in_recovery(),
                 (select system_identifier from pg_control_system())" 2>/dev/null)"; then
      IFS='|' read -r rdir rrec rsys <<<"$info"
      [[ "$(realpath -m -- "$rdir")" == "$REPLICA_DIR" ]] ||
        die "port $REPLICA_PORT is taken by another PostgreSQL cluster ($rdir)"
      if [[ "$rrec" != t ]]; then
        reason="running but not in recovery"
      elif [[ "$rsys" != "$PRIMARY_SYSID" ]]; then
        reason="system identifier differs from the primary"
      else
        status=reused
      fi
    elif replica_dir_running; then
      reason="running but not answering queries"
    else
      die "something on $HOST:$REPLICA_PORT is not our replica (REPLICA_DIR=$REPLICA_DIR)"
    fi
  else
    if replica_dir_running; then # running but not reachable on 127.0.0.1:port
      quiet replica_pg_ctl -m fast -w -t 60 stop || true
    fi
    reason="$(replica_dir_problem)"
    if [[ -z "$reason" ]]; then
      write_replica_config
      if ! start_replica_dir; then
        reason="failed to start"
      elif [[ "$(psql_replica -c 'select pg_is_in_recovery()' 2>/dev/null)" != t ]]; then
        reason="started but not in recovery"
      else
        status=started
      fi
    fi
  fi

  if [[ -z "$status" ]]; then
    rebuild_replica
    status="rebuilt: $reason"
  fi
  if ! wait_streaming; then
    if [[ "$status" == rebuilt* ]]; then
      die "replica on $HOST:$REPLICA_PORT is not streaming from $HOST:$PG_PORT after ${STREAM_TIMEOUT}s (log: $REPLICA_LOG)"
    fi
    reason="not streaming after ${STREAM_TIMEOUT}s"
    rebuild_replica
    status="rebuilt: $reason"
    wait_streaming || die "replica on $HOST:$REPLICA_PORT is not streaming after rebuild (log: $REPLICA_LOG)"
  fi
  say "postgres replica: up on $HOST:$REPLICA_PORT, streaming ($status)"
}

# ------------------------------------------------------------ redis
redis_up() {
  local out
  if command -v redis-cli >/dev/null 2>&1; then
    out="$(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>&1)" || true
    [[ "$out" == PONG || "$out" == *NOAUTH* ]]
  else
    tcp_open "$REDIS_PORT"
  fi
}

ensure_redis() {
  local status=reused
  if ! redis_up; then
    if ! command -v redis-server >/dev/null 2>&1; then
      apt_install redis-server || die "apt-get install redis-server failed"
      status=installed
    fi
    if ! redis_up; then # (the package's init script may have started one)
      need_root "start redis"
      local owner=root
      id -u redis >/dev/null 2>&1 && owner=redis
      [[ -d /var/lib/redis ]] || install -d -m 0750 -o "$owner" -g "$owner" /var/lib/redis
      [[ -d /var/log/redis ]] || install -d -m 0750 -o "$owner" -g "$owner" /var/log/redis
      quiet redis-server --daemonize yes --bind "$HOST" --port "$REDIS_PORT" --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/scaleshop.log ||
        die "redis-server failed to start"
      local deadline=$((SECONDS + 10))
      until redis_up; do
        ((SECONDS < deadline)) || die "redis on $HOST:$REDIS_PORT did not answer PING (log: /var/log/redis/scaleshop.log)"
        sleep 0.2
      done
      [[ $status == installed ]] || status=started
    fi
  fi
  say "redis: up on $HOST:$REDIS_PORT ($status)"
}

# ------------------------------------------------------------ nginx (binary only)
ensure_nginx() {
  local status=present
  if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
    apt_install nginx-light || apt_install nginx || die "apt-get install nginx failed"
    status=installed
    # Only needed for `nginx -t`; stop it if a maintainer script started it anyway.
    if [[ -s /run/nginx.pid ]] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
      /usr/sbin/nginx -s quit >/dev/null 2>&1 || true
    fi
  fi
  say "nginx: binary $status (not started)"
}

# ------------------------------------------------------------ databases
ensure_databases() {
  local db created=()
  for db in "${DATABASES[@]}"; do
    if [[ "$(psql_primary -c "select 1 from pg_database where datname = '$db'")" != 1 ]]; then
      psql_primary -c "create database \"$db\" owner postgres" >/dev/null
      created+=("$db")
    fi
  done
  if ((${#created[@]})); then
    say "databases: ${DATABASES[*]} (created: ${created[*]})"
  else
    say "databases: ${DATABASES[*]} (exist)"
  fi
}

ensure_primary
ensure_replica
ensure_redis
ensure_nginx
ensure_databases
