#!/usr/bin/env bash
# Issue 12's registry benchmark: importing PEOPLE people (default 2,000,000) from one CSV file through
# `gongzhi import people` (every row checked, name, ID number and phone sealed and indexed) beside the sqlite3
# shell's `.import` of the same file into a plain table, then search latency at that size.
# Usage: Benchmarks/registry.sh [PEOPLE]   (release build: swift build -c release --product gongzhi --product gongzhi-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-2000000}
DIR=${GONGZHI_BENCH_DIR:-/tmp/gongzhi-registry-bench}
BIN=${GONGZHI_BIN:-.build/release}
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)"; exit 1; }
rm -rf "$DIR"; mkdir -p "$DIR"
export GONGZHI_SECRET=${GONGZHI_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
DB="sqlite://$DIR/registry.sqlite"

echo "== the demo district's tree (no registry)"
"$BIN/gongzhi" demo --no-serve --people-per-building 0 --database-url "$DB" | head -1
python3 Benchmarks/registry_files.py "$DIR/registry.sqlite" "$PEOPLE" "$DIR"
ls -l "$DIR"/*.csv

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }

echo "== houses through gongzhi import"
echo "houses: $(seconds "$BIN/gongzhi" import houses "$DIR/houses.csv" --database-url "$DB") s"
echo "== people through gongzhi import (checked, sealed, indexed, one transaction)"
GONGZHI=$(seconds "$BIN/gongzhi" import people "$DIR/people.csv" --database-url "$DB")
echo "gongzhi import people: $GONGZHI s"
echo "== the same file through the sqlite3 shell's .import into a plain table"
SHELL_IMPORT=$(seconds sqlite3 "$DIR/plain.sqlite" ".mode csv" ".import $DIR/people.csv people")
echo "sqlite3 .import: $SHELL_IMPORT s"
echo "ratio: $(echo "scale=2; $GONGZHI / $SHELL_IMPORT" | bc)x"
ls -l "$DIR"/*.sqlite
echo "== search latency"
"$BIN/gongzhi-bench" registry-search --db "$DB" --file "$DIR/people.csv"
