#!/usr/bin/env bash
# Static checks for the deployment files under docker/ (no Docker engine needed).
#
#   bash test/docker/docker-config.check.sh
#
# Prints one PASS/FAIL/SKIP line per check (failure details indented below)
# and exits non-zero if any check failed.
#
# Needs: bash, nginx (apt-get install -y nginx-light), python3 with PyYAML
# (installed via apt-get python3-yaml if missing and running as root).
# Optional: promtool, `docker compose` (each skipped when absent).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
D="$ROOT/docker"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

failures=0
pass() { printf 'PASS  %s\n' "$1"; }
skip() { printf 'SKIP  %s (%s)\n' "$1" "$2"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /'
  failures=$((failures + 1))
}
# check NAME CMD...: run CMD, PASS on exit 0, FAIL with its output otherwise.
check() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name" "$out"; fi
}

# --- files present ----------------------------------------------------------
for f in Dockerfile Dockerfile.dockerignore compose.yaml nginx/nginx.conf \
         prometheus/prometheus.yml prometheus/alerts.yml \
         grafana/dashboards/scaleshop.json \
         grafana/provisioning/datasources/prometheus.yml \
         grafana/provisioning/dashboards/scaleshop.yml \
         postgres/primary-init.sh postgres/replica-entrypoint.sh; do
  check "exists docker/$f" test -s "$D/$f"
done

# --- shell scripts ----------------------------------------------------------
for f in "$D"/postgres/*.sh "$ROOT/test/docker/docker-config.check.sh"; do
  check "bash -n ${f#"$ROOT"/}" bash -n "$f"
done
for f in "$D"/postgres/*.sh; do
  check "executable ${f#"$ROOT"/}" test -x "$f"
done

# --- Dockerfile (no engine here: grep for the required pieces) -------------
dockerfile_check() {
  local f="$D/Dockerfile" missing=() p
  for p in '^FROM node:22-bookworm-slim AS build' \
           '^RUN npm ci' 'npm run build' 'npm prune --omit=dev' \
           '^FROM node:22-bookworm-slim AS runtime' \
           '^COPY --from=build /app/node_modules' '^COPY --from=build /app/dist' \
           '^COPY --from=build /app/package.json' \
           '^ENV NODE_ENV=production' '^USER node' '^EXPOSE 3000' \
           '^HEALTHCHECK .*' '/health/live' '^STOPSIGNAL SIGTERM' \
           '^CMD \["node", *"dist/src/main.js"\]'; do
    grep -Eq -- "$p" "$f" || missing+=("$p")
  done
  # the HEALTHCHECK continuation line holds the fetch call
  grep -q "fetch(" "$f" || missing+=("fetch( in HEALTHCHECK")
  [ "${#missing[@]}" -eq 0 ] || { printf 'missing: %s\n' "${missing[@]}"; return 1; }
}
check "Dockerfile has required instructions" dockerfile_check

dockerignore_check() {
  local missing=() p
  for p in node_modules dist .git bench/results coverage; do
    grep -Eq "^(\*\*/)?${p//./\\.}/?$" "$D/Dockerfile.dockerignore" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] || { printf 'not ignored: %s\n' "${missing[@]}"; return 1; }
}
check "Dockerfile.dockerignore excludes build junk" dockerignore_check

# --- nginx -t ---------------------------------------------------------------
if ! command -v nginx >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq nginx-light >/dev/null 2>&1; }
fi
if command -v nginx >/dev/null 2>&1; then
  # `api` only resolves on the compose network; nginx -t resolves upstream hosts.
  sed -E 's/\bapi:3000\b/127.0.0.1:3000/g' "$D/nginx/nginx.conf" > "$TMP/nginx.conf"
  check "nginx -t docker/nginx/nginx.conf ($(nginx -v 2>&1 | sed 's/^nginx version: //'))" \
    nginx -e stderr -t -q -c "$TMP/nginx.conf" -g "pid $TMP/nginx.pid;"
else
  fail "nginx -t docker/nginx/nginx.conf" "nginx not installed (apt-get install -y nginx-light)"
fi

# --- YAML -------------------------------------------------------------------
PY=""
for cand in python3 /usr/bin/python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import yaml' >/dev/null 2>&1; then
    PY="$cand"; break
  fi
done
if [ -z "$PY" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq python3-yaml >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-yaml >/dev/null 2>&1; }
  /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 && PY=/usr/bin/python3
fi

if [ -z "$PY" ]; then
  fail "YAML checks" "no python3 with PyYAML (apt-get install -y python3-yaml)"
else
  # Loads argv[1] into `c`; a parse error becomes one readable line, not a traceback.
  YAML_LOAD='import sys, yaml
try:
    c = yaml.safe_load(open(sys.argv[1]))
except Exception as e:
    sys.exit("cannot load: " + " ".join(str(e).split()))
'
  # yaml_check NAME FILE: python body on stdin runs after YAML_LOAD (file in `c`)
  # and fails the check by calling sys.exit("message").
  yaml_check() {
    yaml_checks=$((${yaml_checks:-0} + 1))
    local script="$TMP/check_${yaml_checks}.py"
    { printf '%s\n' "$YAML_LOAD"; cat; } > "$script"
    check "$1" "$PY" "$script" "$2"
  }

  for f in compose.yaml prometheus/prometheus.yml prometheus/alerts.yml \
           grafana/provisioning/datasources/prometheus.yml \
           grafana/provisioning/dashboards/scaleshop.yml; do
    yaml_check "YAML parses docker/$f" "$D/$f" </dev/null
  done

  yaml_check "compose.yaml structure" "$D/compose.yaml" <<'PYEOF'
s = c["services"]
errs = []
want = ["postgres-primary", "postgres-replica", "redis-queue", "redis-cache",
        "migrate", "api", "worker", "nginx", "prometheus", "grafana"]
errs += [f"missing service {n}" for n in want if n not in s]
def get(svc, *path):
    v = s.get(svc, {})
    for p in path:
        v = v.get(p) if isinstance(v, dict) else None
    return v
if get("api", "deploy", "replicas") != 3: errs.append("api.deploy.replicas != 3")
if get("worker", "deploy", "replicas") != 2: errs.append("worker.deploy.replicas != 2")
if get("api", "environment", "ROLE") != "api": errs.append("api ROLE != api")
if get("worker", "environment", "ROLE") != "worker": errs.append("worker ROLE != worker")
for svc in ("api", "worker"):
    if get(svc, "depends_on", "migrate", "condition") != "service_completed_successfully":
        errs.append(f"{svc} must depend on migrate completing")
if get("migrate", "depends_on", "postgres-primary", "condition") != "service_healthy":
    errs.append("migrate must wait for a healthy primary")
if "migrate.js" not in " ".join(get("migrate", "command") or []):
    errs.append("migrate does not run the migrate CLI")
for svc in ("postgres-primary", "postgres-replica", "redis-queue", "redis-cache"):
    if not get(svc, "healthcheck", "test"): errs.append(f"{svc} has no healthcheck")
for svc in ("migrate", "api", "worker"):
    env = get(svc, "environment") or {}
    for k in ("DATABASE_PRIMARY_URL", "DATABASE_REPLICA_URLS", "QUEUE_REDIS_URL",
              "CACHE_REDIS_URL", "JWT_ACCESS_SECRET", "JWT_REFRESH_SECRET",
              "ADMIN_EMAIL", "ADMIN_PASSWORD"):
        if k not in env: errs.append(f"{svc} lacks {k}")
    for k in ("JWT_ACCESS_SECRET", "JWT_REFRESH_SECRET"):
        v = str(env.get(k, ""))
        default = v.split(":-", 1)[1].rstrip("}") if ":-" in v else v
        if len(default) < 32: errs.append(f"{svc} {k} default shorter than 32 chars")
qcmd = " ".join(get("redis-queue", "command") or [])
if "noeviction" not in qcmd or "--appendonly yes" not in qcmd: errs.append("redis-queue flags")
ccmd = get("redis-cache", "command") or []
if not ("allkeys-lfu" in ccmd and "256mb" in ccmd and ["--save", ""] == ccmd[ccmd.index("--save"):ccmd.index("--save")+2]):
    errs.append("redis-cache flags")
if "8080:80" not in (get("nginx", "ports") or []): errs.append("nginx must publish 8080:80")
vols = " ".join(get("nginx", "volumes") or [])
if "./nginx/nginx.conf:/etc/nginx/nginx.conf" not in vols: errs.append("nginx.conf not mounted")
vols = " ".join(get("prometheus", "volumes") or [])
for f in ("prometheus.yml", "alerts.yml"):
    if f"./prometheus/{f}:/etc/prometheus/{f}" not in vols: errs.append(f"{f} not mounted")
if not str(get("grafana", "image") or "").startswith("grafana/grafana:11."):
    errs.append("grafana image must be grafana/grafana:11.x")
if "3001:3000" not in (get("grafana", "ports") or []): errs.append("grafana must publish 3001:3000")
vols = get("grafana", "volumes") or []
for mount in ("./grafana/provisioning/datasources:/etc/grafana/provisioning/datasources",
              "./grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards",
              "./grafana/dashboards:/var/lib/grafana/dashboards"):
    if not any(v == mount or v.startswith(mount + ":") for v in vols):
        errs.append(f"grafana lacks mount {mount}")
named = [v.split(":", 1)[0] for v in vols if not v.startswith((".", "/"))]
if not named or any(n not in (c.get("volumes") or {}) for n in named):
    errs.append("grafana needs a named volume declared under top-level volumes")
if ":-" not in str(get("grafana", "environment", "GF_SECURITY_ADMIN_PASSWORD") or ""):
    errs.append("grafana admin password must come from the environment with a dev default")
deps = get("grafana", "depends_on") or []
if "prometheus" not in deps: errs.append("grafana must depend on prometheus")
if errs: sys.exit("\n".join(errs))
PYEOF

  yaml_check "grafana datasource provisioning" "$D/grafana/provisioning/datasources/prometheus.yml" <<'PYEOF'
ds = {d.get("uid"): d for d in c.get("datasources") or []}
p = ds.get("prometheus")
if not p: sys.exit("no datasource with uid prometheus")
errs = []
if p.get("type") != "prometheus": errs.append("type must be prometheus")
if p.get("url") != "http://prometheus:9090": errs.append("url must be http://prometheus:9090")
if errs: sys.exit("\n".join(errs))
PYEOF

  yaml_check "grafana dashboard provisioning" "$D/grafana/provisioning/dashboards/scaleshop.yml" <<'PYEOF'
ps = c.get("providers") or []
if not any(p.get("type") == "file" and (p.get("options") or {}).get("path") == "/var/lib/grafana/dashboards"
           for p in ps):
    sys.exit("no file provider loading /var/lib/grafana/dashboards")
PYEOF

  yaml_check "prometheus.yml structure" "$D/prometheus/prometheus.yml" <<'PYEOF'
errs = []
if c.get("rule_files") != ["alerts.yml"]: errs.append("rule_files must be [alerts.yml]")
jobs = {j["job_name"]: j for j in c.get("scrape_configs", [])}
for job, name in (("scaleshop-api", "api"), ("scaleshop-worker", "worker")):
    j = jobs.get(job)
    if not j: errs.append(f"missing job {job}"); continue
    sd = (j.get("dns_sd_configs") or [{}])[0]
    if sd.get("names") != [name] or sd.get("type") != "A" or sd.get("port") != 3000:
        errs.append(f"{job}: dns_sd_configs must be A record {name}:3000")
    if j.get("scrape_interval", c.get("global", {}).get("scrape_interval")) != "15s":
        errs.append(f"{job}: scrape interval must be 15s")
if errs: sys.exit("\n".join(errs))
PYEOF

  yaml_check "alerts.yml structure" "$D/prometheus/alerts.yml" <<'PYEOF'
errs, names = [], []
for g in c["groups"]:
    for r in g["rules"]:
        name = r.get("alert") or r.get("record")
        names.append(name)
        if not str(r.get("expr", "")).strip(): errs.append(f"{name}: empty expr")
        if "alert" in r and "severity" not in (r.get("labels") or {}):
            errs.append(f"{name}: no severity label")
        expr = str(r.get("expr", ""))
        if expr.count("(") != expr.count(")"): errs.append(f"{name}: unbalanced parentheses")
want = ["HighP99Latency", "HighErrorRate", "ReplicaLagHigh", "ReplicaDown", "QueueBacklog",
        "QueueFailedJobs", "OutboxBacklog", "CacheBypassing", "InstanceDown"]
errs += [f"missing alert {n}" for n in want if n not in names]
dups = {n for n in names if names.count(n) > 1}
errs += [f"duplicate rule {n}" for n in sorted(dups)]
if errs: sys.exit("\n".join(errs))
PYEOF
fi

# --- Grafana dashboard JSON --------------------------------------------------
dashboard_check() {
  python3 - "$D/grafana/dashboards/scaleshop.json" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    sys.exit("cannot parse: " + " ".join(str(e).split()))
errs = []
if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
    errs.append("schemaVersion missing or older than 36")
variables = {v.get("name") for v in d.get("templating", {}).get("list", [])}
errs += [f"no template variable {v}" for v in ("job", "instance") if v not in variables]
def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels") or [])
panels = [p for p in walk(d.get("panels") or []) if p.get("type") != "row"]
if len(panels) < 10: errs.append(f"only {len(panels)} panels")
ids = [p.get("id") for p in walk(d.get("panels") or [])]
if len(ids) != len(set(ids)): errs.append("duplicate panel ids")
for p in panels:
    name = p.get("title") or f"panel {p.get('id')}"
    ds = p.get("datasource")
    if not (isinstance(ds, dict) and ds.get("uid")): errs.append(f"{name}: no datasource uid")
    targets = [t for t in p.get("targets") or [] if str(t.get("expr", "")).strip()]
    if not targets: errs.append(f"{name}: no target with an expr")
    for t in targets:
        if t["expr"].count("(") != t["expr"].count(")"):
            errs.append(f"{name}: unbalanced parentheses in {t['refId']}")
rows = [p.get("title") for p in d.get("panels") or [] if p.get("type") == "row"]
for r in ("HTTP", "Cache", "Database", "Queues & outbox", "Processes"):
    if r not in rows: errs.append(f"no row {r}")
if errs: sys.exit("\n".join(errs))
PYEOF
}
if command -v python3 >/dev/null 2>&1; then
  check "Grafana dashboard docker/grafana/dashboards/scaleshop.json" dashboard_check
else
  fail "Grafana dashboard JSON" "python3 not installed"
fi

# --- optional tools -----------------------------------------------------------
if command -v promtool >/dev/null 2>&1; then
  check "promtool check config" promtool check config "$D/prometheus/prometheus.yml"
  check "promtool check rules" promtool check rules "$D/prometheus/alerts.yml"
else
  skip "promtool check config/rules" "promtool not installed"
fi

if docker compose version >/dev/null 2>&1; then
  check "docker compose config" docker compose -f "$D/compose.yaml" config -q
else
  skip "docker compose config" "compose plugin not installed"
fi

if [ "$failures" -gt 0 ]; then
  printf '%d check(s) failed\n' "$failures"
  exit 1
fi
echo "all checks passed"
