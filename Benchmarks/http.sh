#!/usr/bin/env bash
# HTTP benchmark: requests per second of a bare /healthz, an authenticated page and a JSON API endpoint,
# on a release build serving the full demo district (SQLite). Needs wrk (Debian package `wrk`).
# Usage: Benchmarks/http.sh [seconds] [connections]
# BENCH_PG=postgres://user@host:port runs the same on PostgreSQL: a fresh database is created there and dropped after.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-32}
PORT=${BENCH_PORT:-8097}
WORK=$(mktemp -d /tmp/gongzhi-bench.XXXXXX)
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

# BIN names another build to measure (an older commit, for a before/after figure).
if [ -z "${BIN:-}" ]; then swift build -c release --product gongzhi >/dev/null; BIN=.build/release/gongzhi; fi
DB="sqlite://$WORK/bench.sqlite"
if [ -n "${BENCH_PG:-}" ]; then
  PGDB="gongzhi_http_bench_$$"
  psql "$BENCH_PG/postgres" -qc "CREATE DATABASE $PGDB" >/dev/null
  DB="$BENCH_PG/$PGDB"
fi
# One secret for the demo and the server: it keys the audit chain, and serve refuses a chain keyed otherwise.
export GONGZHI_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
$BIN demo --no-serve --database-url "$DB" > "$WORK/demo.txt"
head -1 "$WORK/demo.txt"
PASS=$(awk '$1 == "worker" {print $2}' "$WORK/demo.txt")

$BIN serve --database-url "$DB" --port "$PORT" --insecure-cookies --log-level warning > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; sleep 1; rm -rf "$WORK"; [ -n "${PGDB:-}" ] && psql "$BENCH_PG/postgres" -qc "DROP DATABASE $PGDB" >/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# Log in as the community worker and create an API token, as a user would.
. Benchmarks/signin.sh
sign_in "http://127.0.0.1:$PORT" worker "$PASS" "$WORK/jar"
COMMUNITY=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/me" | grep -o '"nodeID":[0-9]*' | head -1 | cut -d: -f2)

run() {
  local label=$1; shift
  local rps
  rps=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" | tee "$WORK/wrk.txt" | awk '/Requests\/sec/ {print $2}')
  local p50 p99
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
  printf '| %-44s | %9s | %8s | %8s | %s\n' "$label" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}
echo
echo "| endpoint | req/s | p50 | p99 |"
echo "|---|---|---|---|"
run "GET /healthz (no session)" "http://127.0.0.1:$PORT/healthz"
run "GET /home (signed-in community worker)" -H "Cookie: gz_session=$SESSION" "http://127.0.0.1:$PORT/home"
run "GET /nodes/{community} (tree page, 8 grids)" -H "Cookie: gz_session=$SESSION" "http://127.0.0.1:$PORT/nodes/$COMMUNITY"
run "GET /api/v1/nodes/{community}/children (JSON)" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/nodes/$COMMUNITY/children"
# The case pages: the worker's area list and one case of the area (its first row).
CASE=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases?view=area&limit=1" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
run "GET /cases?view=area (case list)" -H "Cookie: gz_session=$SESSION" "http://127.0.0.1:$PORT/cases?view=area"
run "GET /cases/{id} (case page)" -H "Cookie: gz_session=$SESSION" "http://127.0.0.1:$PORT/cases/$CASE"
run "GET /api/v1/cases?view=area (JSON case list)" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases?view=area"
# The server's memory after these loads: resident now and at its peak.
echo
grep -E 'VmRSS|VmHWM' "/proc/$SERVER/status" | tr -s ' \t' ' ' | sed 's/^/    /'
