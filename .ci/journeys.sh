#!/usr/bin/env bash
# Browser journeys: a demo district on SQLite served by the built binary, walked by Selenium in headless Chromium at
# phone and desk sizes, in Chinese and English. Screenshots go to $GONGZHI_ARTIFACTS (default .ci/artifacts).
# With --readme, the two README screenshots are written anew into docs/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."

ARTIFACTS=${GONGZHI_ARTIFACTS:-.ci/artifacts}/journeys
PORT=${GONGZHI_JOURNEY_PORT:-18480}
BIN=${GONGZHI_BIN:-.build/debug/gongzhi}

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium

[ -x "$BIN" ] || swift build --product gongzhi
rm -rf "$ARTIFACTS"; mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d /tmp/gongzhi-journeys.XXXXXX)
# A stand-in tile service, so pages with JavaScript use Leaflet (from Debian's libjs-leaflet, when installed).
TILES_PORT=$((PORT + 1))
python3 .ci/journeys/tiles.py "$TILES_PORT" &
TILES=$!
GONGZHI_MAP_TILES_URL="http://127.0.0.1:$TILES_PORT/{z}/{x}/{y}.png" GONGZHI_MAP_TILES_ATTRIBUTION="journey tiles" \
GONGZHI_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  "$BIN" demo --scale 0.05 --people-per-building 40 --database-url "sqlite://$WORK/db.sqlite" --port "$PORT" --insecure-cookies \
  >"$WORK/accounts.txt" 2>"$WORK/server.log" &
SERVER=$!
stop() { kill "$SERVER" "$TILES" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; cp "$WORK/server.log" "$ARTIFACTS/" 2>/dev/null || true; rm -rf "$WORK"; }
trap stop EXIT
for _ in $(seq 1 120); do
  grep -q "listening on" "$WORK/accounts.txt" "$WORK/server.log" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; echo "the demo server did not start"; exit 1; }
  sleep 1
done
grep -q "listening on" "$WORK/accounts.txt" "$WORK/server.log" || { echo "the demo server did not start in 120 s"; exit 1; }

README=()
[ "${1:-}" = "--readme" ] && README=(--readme docs/screenshots)
python3 .ci/journeys/journeys.py --base "http://127.0.0.1:$PORT" --accounts "$WORK/accounts.txt" --out "$ARTIFACTS" "${README[@]}"
