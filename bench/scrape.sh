#!/usr/bin/env bash
# How long a Prometheus scrape of GET /metrics takes on an idle node serving session-demo.war: the
# median and the slowest of SCRAPES (101 by default) scrapes, after 20 warm-up scrapes.
# Usage: bench/scrape.sh            (results in bench/out/scrape.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
. bench/lib.sh
SCRAPES=${SCRAPES:-101}
ADMIN=${ADMIN:-19080}
bench_prepare
port_free "$ADMIN" || { echo "port $ADMIN is taken" >&2; exit 1; }

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && stop_pid "$pid"; rm -rf "$work"' EXIT
mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
# shellcheck disable=SC2086
java $NODE_FLAGS -jar "$JAR" --name scrape --webapps "$work/webapps" --work-dir "$work/work" \
  --http-port 0 --ajp-port 0 --admin-port "$ADMIN" --dispatcher never > "$work/node.log" 2>&1 &
pid=$!
wait_url "http://127.0.0.1:$ADMIN/health" 6000

url="http://127.0.0.1:$ADMIN/metrics"
for _ in $(seq 1 20); do curl -sf -o /dev/null "$url"; done
times=""
for _ in $(seq 1 "$SCRAPES"); do
  times="$times $(curl -sf -o /dev/null -w '%{time_total}' "$url" | awk '{printf "%.1f", $1 * 1000}')"
done
med=$(echo "$times" | median)
max=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | tail -1)
{
  echo "| GET /metrics, $SCRAPES scrapes | median ms | slowest ms |"
  echo "|---|---|---|"
  echo "| $(date -u +%Y-%m-%d), $(nproc) cores | $med | $max |"
} | tee "$OUT/scrape.md"
