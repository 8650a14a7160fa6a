#!/usr/bin/env bash
# Runs the Open311 interoperability check: a small demo served on loopback, a resident's API token created
# through the web pages, and the georeport client library talking to /open311/v2.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:-.build/debug/gongzhi}
PORT=${OPEN311_PORT:-18311}
WORK=$(mktemp -d /tmp/gongzhi-open311.XXXXXX)
DB="sqlite://$WORK/demo.sqlite"
python3 -c "import georeport" 2>/dev/null || pip install -q georeport
# One secret for the demo and the server: it keys the audit chain, and serve refuses a chain keyed otherwise.
SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$BIN" demo --scale 0.02 --no-serve --database-url "$DB" --secret "$SECRET" > "$WORK/demo.txt"
"$BIN" serve --database-url "$DB" --port "$PORT" --insecure-cookies --log-level warning \
  --secret "$SECRET" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "open311 interop: the server did not start:"; cat "$WORK/server.log"; exit 1; }
PASS=$(awk '$1 == "resident" {print $2}' "$WORK/demo.txt")
JAR="$WORK/jar"
csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
T=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" | csrf)
curl -s -c "$JAR" -b "$JAR" -o /dev/null -d "_csrf=$T&username=resident&password=$PASS&next=/home" "http://127.0.0.1:$PORT/login"
T=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/account" | csrf)
KEY=$(curl -s -c "$JAR" -b "$JAR" -d "_csrf=$T&name=open311" "http://127.0.0.1:$PORT/account/tokens" | grep -o 'gz_[A-Za-z0-9_-]*' | head -1)
ME=$(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/me")
BUILDING=$(echo "$ME" | python3 -c "import json,sys; print(json.load(sys.stdin)['grants'][0]['nodeID'])")
COMMUNITY=$(echo "$ME" | python3 -c "import json,sys; print(json.load(sys.stdin)['user']['communityID'])")
python3 .ci/open311_interop.py "http://127.0.0.1:$PORT" "$COMMUNITY" "$KEY" "$BUILDING"
