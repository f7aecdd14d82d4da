#!/usr/bin/env bash
# Nodes started at the same instant: how long from the first node being ready until all three are
# members of one view, and how often they first formed separate clusters and had to merge.
# Each round starts three nodes at once on this host (shared discovery folder, a new cluster name,
# the demo webapp), polls their ready files and /status every 10 ms, then stops them.
# Usage: bench/join.sh            (results in bench/out/join.md)
#   knobs: ROUNDS=10, HERDCAT_JAR (default appliance/target/herdcat.jar), BASELINE_JAR (another build of
#          Herdcat measured the same way in the same run, e.g. the previous release)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-10}
BASELINE=${BASELINE_JAR:-}
unset BASELINE_JAR
say() { echo "[join.sh $(date +%T)] $*" >&2; }

bench_prepare
work=$(mktemp -d)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# members ADMIN_PORT: the number of members in that node's view (0 when it does not answer)
members() {
  curl -s --max-time 1 "http://127.0.0.1:$1/status" \
    | grep -o '"members":\[[^]]*\]' | head -1 | grep -o '"[^"]*"' | grep -vc '^"members"$' || true
}

# round JAR N: prints "READY_TO_ONE_VIEW_MS MERGED(0|1)"
round() {
  local jar=$1 n=$2 i
  local dir="$work/r$n"
  mkdir -p "$dir/webapps" "$dir/discovery"
  cp "$WAR" "$dir/webapps/"
  pids=()
  local env=()
  if [ -n "${HERDCAT_ALLOW_ROOT:-}" ] && ! knows_allow_root "$jar"; then env=(-u HERDCAT_ALLOW_ROOT); fi
  for i in 0 1 2; do
    # shellcheck disable=SC2086
    env "${env[@]}" java $NODE_FLAGS -jar "$jar" --name "n$i" --webapps "$dir/webapps" --work-dir "$dir/work$i" \
      --cluster "join-$$-$n" --discovery-dir "$dir/discovery" --port-offset $((300 + i)) \
      --ready-file "$dir/ready$i" --access-log false > "$dir/log$i" 2>&1 &
    pids+=($!)
  done
  local first="" t
  until [ -n "$first" ]; do
    for i in 0 1 2; do [ -s "$dir/ready$i" ] && first=$(now_ms); done
    [ -n "$first" ] || sleep 0.01
  done
  local deadline=$((first + 120000))
  while :; do
    t=$(now_ms)
    if [ "$(members 9380)" = 3 ] && [ "$(members 9381)" = 3 ] && [ "$(members 9382)" = 3 ]; then break; fi
    [ "$t" -gt "$deadline" ] && { echo "round $n: not one view after 120 s" >&2; return 1; }
    sleep 0.01
  done
  local merged=0
  grep -qE 'both served while apart|partitions merged|MergeView' "$dir"/log* && merged=1
  for p in "${pids[@]}"; do stop_pid "$p"; done
  pids=()
  echo "$((t - first)) $merged"
}

measure() {
  local label=$1 jar=$2 n times=() merges=0 r
  for n in $(seq 1 "$ROUNDS"); do
    r=$(round "$jar" "$label-$n")
    times+=("${r% *}")
    merges=$((merges + ${r#* }))
    say "$label round $n: one view ${r% *} ms after the first node was ready, merged=${r#* }"
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "| $label | $(echo "$sorted" | median) ms | $(echo "$sorted" | tail -1) ms | $merges of $ROUNDS |"
}

for p in 8380 8381 8382 9380 9381 9382; do
  port_free "$p" || { echo "port $p is in use" >&2; exit 1; }
done
rows=()
rows+=("$(measure herdcat "$JAR")")
if [ -n "$BASELINE" ]; then rows+=("$(measure baseline "$BASELINE")"); fi
{
  echo "## Nodes started together"
  echo
  echo "Three nodes started at the same instant on one host (shared discovery folder), $ROUNDS rounds each:"
  echo "time from the first node's ready file to all three listing three members on /status."
  echo
  echo "| build | median | worst | rounds that formed separate clusters and merged |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "bench/join.sh, $(date -u +%F); $(java -version 2>&1 | head -1); $(nproc) cores"
} | tee "$OUT/join.md"
