#!/usr/bin/env bash
# Reads and writes together (issue 11): case lists read and cases filed over Open311 at the same time, for minutes,
# beside each load alone and beside /healthz. Every filing is answered only after its durable commit.
# Prints one line per window (reads/s, filings/s, WAL size, server RSS) and a summary with the ratios.
# Usage: Benchmarks/mixed.sh [--duration 180] [--window 10] [--clients 8] [--database-url URL] [--same-community]
#   By default the sub-district administrator files into a building of another community than the one whose list is
#   read, so the list keeps its size; --same-community has the demo resident file into the read community instead.
#   --database-url  sqlite:///path (default: a fresh file under /tmp) or postgres://… naming an EMPTY database
#   BIN=path/to/gongzhi measures another build (a before/after figure). Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=180 WINDOW=10 CLIENTS=8 DB="" SAME=""
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --database-url) DB=$2; shift 2 ;;
    --same-community) SAME=1; shift ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
PORT=${BENCH_PORT:-8098}
WORK=$(mktemp -d /tmp/gongzhi-mixed.XXXXXX)
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
if [ -z "${BIN:-}" ]; then swift build -c release --product gongzhi >/dev/null; BIN=.build/release/gongzhi; fi
[ -n "$DB" ] || DB="sqlite://$WORK/bench.sqlite"
WAL=""
case $DB in sqlite://*) WAL="${DB#sqlite://}-wal" ;; esac

export GONGZHI_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
$BIN demo --no-serve --database-url "$DB" > "$WORK/demo.txt"
head -1 "$WORK/demo.txt"
APIKEY=$(grep 'Open311 api_key of resident' "$WORK/demo.txt" | grep -o 'gz_[A-Za-z0-9_-]*' | tail -1)

$BIN serve --database-url "$DB" --port "$PORT" --insecure-cookies --log-level warning > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$PORT"

# The reader: the community worker's JSON case list, with an API token made as a user would.
. Benchmarks/signin.sh
# token USER: USER's API token, made as a user would.
token() { sign_in "$BASE" "$1" "$(awk -v u="$1" '$1 == u {print $2}' "$WORK/demo.txt")" "$WORK/jar"; echo "$TOKEN"; }
# The reader: the community worker's JSON case list.
SECRET=$(token worker)
READ_URL="$BASE/api/v1/cases?view=area"

# The writer files a street-light case over Open311 (form post, api_key): the resident at their own building, or
# the sub-district administrator at the first building of the sub-district's second community.
if [ -n "$SAME" ]; then
  PLACE="address_string=%E7%99%BD%E7%9F%B3%E8%B7%AF101%E5%8F%B7"
else
  APIKEY=$(token subdistrict)
  kids() { curl -s -H "Authorization: Bearer $APIKEY" "$BASE/api/v1/nodes/$1/children" | grep -o '"id":[0-9]*' | cut -d: -f2; }
  SUB=$(curl -s -H "Authorization: Bearer $APIKEY" "$BASE/api/v1/me" | grep -o '"nodeID":[0-9]*' | head -1 | cut -d: -f2)
  COMMUNITY=$(kids "$SUB" | sed -n 2p)
  BUILDING=$(kids "$(kids "$COMMUNITY" | head -1)" | head -1)
  PLACE="address_id=$BUILDING"
fi
cat > "$WORK/file.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "api_key=$APIKEY&service_code=10&description=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE&$PLACE"
EOF
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-binary "api_key=$APIKEY&service_code=10&description=%E8%B7%AF%E7%81%AF&$PLACE" "$BASE/open311/v2/requests.json")
[ "$code" = 201 ] || { echo "Open311 filing answered $code"; exit 1; }

# rate LABEL SECONDS CONNECTIONS wrk-arguments…: prints req/s and keeps wrk's output in $WORK/LABEL.txt.
rate() {
  local label=$1 secs=$2 conns=$3 threads=2; shift 3
  [ "$conns" -lt 32 ] && threads=1  # as in the mixed windows: one wrk thread per load
  wrk -t$threads -c"$conns" -d"${secs}s" --latency "$@" > "$WORK/$label.txt"
  if grep -q 'Non-2xx' "$WORK/$label.txt"; then echo "$label: $(grep 'Non-2xx' "$WORK/$label.txt")" >&2; fi
  awk '/Requests\/sec/ {print $2}' "$WORK/$label.txt"
}
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
walsize() { if [ -n "$WAL" ] && [ -f "$WAL" ]; then stat -c %s "$WAL" | awk '{printf "%.1f", $1 / 1048576}'; else echo -; fi; }

echo "backend: ${DB%%:*}, window ${WINDOW}s, $CLIENTS readers + $CLIENTS filers, ${DURATION}s mixed, filings into $([ -n "$SAME" ] && echo the read community || echo another community)"
# Reads alone are measured before and after the mixed run and the ratio taken against their mean: with
# --same-community every filing lands in the list that is read, and the list gets dearer as it grows.
HEALTH=$(rate healthz "$WINDOW" 32 "$BASE/healthz")
READ_ALONE1=$(rate reads "$WINDOW" "$CLIENTS" -H "Authorization: Bearer $SECRET" "$READ_URL")
FILE_ALONE=$(rate files "$WINDOW" "$CLIENTS" -s "$WORK/file.lua" "$BASE/open311/v2/requests.json")
FILE32=$(rate file32 "$WINDOW" 32 -s "$WORK/file.lua" "$BASE/open311/v2/requests.json")
echo "alone: /healthz $HEALTH req/s (32 conns); filings $FILE32/s (32 conns), $FILE_ALONE/s ($CLIENTS conns); reads $READ_ALONE1/s ($CLIENTS conns)"
echo
echo "| t (s) | reads/s | filings/s | WAL MB | RSS MB |"
echo "|---|---|---|---|---|"
START=$(date +%s)
t=0 sum_r=0 sum_f=0 n=0
while [ "$t" -lt "$DURATION" ]; do
  wrk -t1 -c"$CLIENTS" -d"${WINDOW}s" -H "Authorization: Bearer $SECRET" "$READ_URL" > "$WORK/mr.txt" &
  R=$!
  wrk -t1 -c"$CLIENTS" -d"${WINDOW}s" -s "$WORK/file.lua" "$BASE/open311/v2/requests.json" > "$WORK/mf.txt" &
  F=$!
  wait $R $F
  t=$(( $(date +%s) - START ))
  r=$(awk '/Requests\/sec/ {print $2}' "$WORK/mr.txt")
  f=$(awk '/Requests\/sec/ {print $2}' "$WORK/mf.txt")
  for x in mr mf; do grep -q 'Non-2xx' "$WORK/$x.txt" && echo "$x: $(grep 'Non-2xx' "$WORK/$x.txt")" >&2; done
  printf '| %d | %s | %s | %s | %s |\n' "$t" "$r" "$f" "$(walsize)" "$(rss)"
  sum_r=$(awk -v a="$sum_r" -v b="$r" 'BEGIN {print a + b}')
  sum_f=$(awk -v a="$sum_f" -v b="$f" 'BEGIN {print a + b}')
  n=$((n + 1))
done
READ_ALONE2=$(rate reads2 "$WINDOW" "$CLIENTS" -H "Authorization: Bearer $SECRET" "$READ_URL")
READ_ALONE=$(awk -v a="$READ_ALONE1" -v b="$READ_ALONE2" 'BEGIN {print (a + b) / 2}')
echo
echo "reads alone after the mixed run: $READ_ALONE2/s (before it: $READ_ALONE1/s)"
awk -v h="$HEALTH" -v f32="$FILE32" -v ra="$READ_ALONE" -v fa="$FILE_ALONE" -v sr="$sum_r" -v sf="$sum_f" -v n="$n" 'BEGIN {
  mr = sr / n; mf = sf / n
  printf "summary: filings %.0f/s alone = %.3fx /healthz (%.0f/s); mixed reads %.0f/s = %.2fx alone (%.0f/s), mixed filings %.0f/s = %.2fx alone (%.0f/s)\n", f32, f32 / h, h, mr, mr / ra, ra, mf, mf / fa, fa
}'
