#!/usr/bin/env bash
# Signed-in pages on an existing database (the million-case demo): how long `serve` takes to be ready, then each page
# for SECONDS with `wrk -t2 -c8 --latency` while the server's RSS is read every second.
# Usage: GONGZHI_SECRET=… Benchmarks/pages.sh DATABASE_URL WORKER_PASSWORD [SECONDS]
#   BIN names the build (default .build/release/gongzhi); BENCH_PORT the port (default 18662). Needs wrk and curl.
set -euo pipefail
DB=$1; PASS=$2; SECS=${3:-15}
BIN=${BIN:-.build/release/gongzhi}; PORT=${BENCH_PORT:-18662}; BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/gongzhi-pages.XXXXXX)
start=$(date +%s.%N)
$BIN serve --database-url "$DB" --port "$PORT" --insecure-cookies --log-level warning > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")" = 200 ]; do
  kill -0 $PID 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.01
done
echo "serve ready after $(echo "$(date +%s.%N) - $start" | bc) s"
. "$(dirname "$0")/signin.sh"
sign_in "$BASE" worker "$PASS" "$WORK/jar"
COMMUNITY=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" | grep -o '"nodeID":[0-9]*' | head -1 | cut -d: -f2)
CASE=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases?view=area&limit=1" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
run() {
  local label=$1; shift
  ( for _ in $(seq "$SECS"); do awk '/VmRSS/ {print $2}' "/proc/$PID/status"; sleep 1; done ) > "$WORK/rss.txt" &
  local sampler=$!
  wrk -t2 -c8 -d"${SECS}s" --latency "$@" > "$WORK/wrk.txt"
  wait $sampler  # not the server, also a child of this script
  printf '| %-36s | %9s | %8s | %8s | %4d MB | %s\n' "$label" "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")" "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")" \
    $(($(sort -n "$WORK/rss.txt" | tail -1) / 1024)) "$(awk '/Non-2xx/ {print "non-2xx: " $5}' "$WORK/wrk.txt")"
}
echo "| page (community $COMMUNITY, case $CASE) | req/s | p50 | p99 | RSS max |"
echo "|---|---|---|---|---|"
run "GET /healthz" "$BASE/healthz"
run "GET /home" -H "Cookie: gz_session=$SESSION" "$BASE/home"
run "GET /cases?view=area" -H "Cookie: gz_session=$SESSION" "$BASE/cases?view=area"
run "GET /cases/{id}" -H "Cookie: gz_session=$SESSION" "$BASE/cases/$CASE"
run "GET /nodes/{community}" -H "Cookie: gz_session=$SESSION" "$BASE/nodes/$COMMUNITY"
run "GET /api/v1/cases?view=area" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases?view=area"
run "GET /cases/map" -H "Cookie: gz_session=$SESSION" "$BASE/cases/map"
grep -E 'VmHWM' "/proc/$PID/status" | tr -s ' \t' ' '
