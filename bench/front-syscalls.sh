#!/usr/bin/env bash
# System calls per request of the front's node, bench/front.sh's layout and load: two nodes, the front on
# node 1 (--dispatcher always), wrk -t2 -c32 GET /session-demo/hello through the front. After WARMUP
# seconds (60) of load, `strace -c -f` counts node 1's system calls (all its threads: the front and its
# Tomcat) for STRACE_SECONDS (10) of the same load; the table is divided by the requests wrk counted.
# strace slows the JVM down a lot: read the counts per request, not the speed.
# Usage: bench/front-syscalls.sh   (writes bench/out/front-syscalls.md; about 2 minutes)
#   knobs: WARMUP=60, STRACE_SECONDS=10, HERDCAT_JAR (default appliance/target/herdcat.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
WARMUP=${WARMUP:-60}
STRACE_SECONDS=${STRACE_SECONDS:-10}
say() { echo "[front-syscalls.sh $(date +%T)] $*" >&2; }
bench_prepare
for tool in wrk strace; do command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk strace; }; done
for port in 18100 18281 18282 18381 18382 18481 18482; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() { set +e; stop_all "${pids[@]}"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"
for n in 1 2; do
  # shellcheck disable=SC2086
  java $NODE_FLAGS -jar "$JAR" --name "node$n" --cluster front-syscalls --discovery-dir "$work/discovery" \
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret bench-ajp-secret-0123456789 \
    --webapps "$work/webapps" --work-dir "$work/work-$n" --http-port "1828$n" --ajp-port "1838$n" \
    --admin-port "1848$n" --tribes-port 0 --jgroups-port 0 --front-port 18100 --front-address 127.0.0.1 \
    --dispatcher "$([ "$n" = 1 ] && echo always || echo never)" --access-log false >> "$work/node$n.log" 2>&1 &
  pids+=($!)
done
wait_url http://127.0.0.1:18281/session-demo/hello 18000; wait_url http://127.0.0.1:18282/session-demo/hello 18000
wait_url http://127.0.0.1:18100/session-demo/hello 12000
until [[ "$(curl -s http://127.0.0.1:18100/session-demo/hello)" == "Hello from node2" ]]; do sleep 0.1; done
say "warming for $WARMUP s"
wrk -t2 -c32 -d"${WARMUP}s" http://127.0.0.1:18100/session-demo/hello > /dev/null
strace -c -f -p "${pids[0]}" -o "$work/strace.txt" 2> /dev/null &
tracer=$!
sleep 2   # attached to every thread
out=$(wrk -t2 -c32 -d"${STRACE_SECONDS}s" http://127.0.0.1:18100/session-demo/hello)
kill -INT "$tracer"; wait "$tracer" || true
requests=$(echo "$out" | awk '/requests in/ {print $1}')
{
  echo "## System calls per request, the front's node"
  echo
  echo "\`strace -c -f -p NODE1\` for ${STRACE_SECONDS} s of \`wrk -t2 -c32 GET /session-demo/hello\` through the front"
  echo "(after ${WARMUP} s of load): $requests requests, node 1's system calls (front and Tomcat) per request."
  echo
  echo "| system call | calls | per request |"
  echo "|---|---|---|"
  # strace -c: % time, seconds, usecs/call, calls, [errors,] syscall
  awk -v req="$requests" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" && $4 / req >= 0.01 {
      printf "| %s | %d | %.2f |\n", $NF, $4, $4 / req }
    $NF == "total" { printf "| **total** | %d | **%.2f** |\n", $4, $4 / req }' "$work/strace.txt"
  echo
  echo "$(java -version 2>&1 | head -1); $(date -u +%F); jar $JAR"
} > "$OUT/front-syscalls.md"
cat "$OUT/front-syscalls.md"
