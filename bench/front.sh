#!/usr/bin/env bash
# The HTTP front, side by side with what users run instead, in front of the same two Herdcat nodes
# (session-demo.war, GET /session-demo/hello, a few bytes, no session), same machine, same wrk:
#   direct     wrk straight at node 1's HTTP connector (no front at all)
#   herdcat    the built-in front (on node 1, the elected node), AJP to both nodes
#   haproxy    HAProxy 2.6, one thread, HTTP to both nodes, roundrobin + cookie stickiness, checks
#   mod_jk     Apache httpd 2.4 (event MPM) + mod_jk 1.2, lb worker over AJP to both nodes, sticky
# Usage: bench/front.sh   (WRK_SECONDS=10; results in bench/out/front.md)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
WRK_SECONDS=${WRK_SECONDS:-10}
bench_prepare
for tool in wrk haproxy apache2; do
  command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk haproxy apache2 libapache2-mod-jk; break; }
done
[ -f /usr/lib/apache2/modules/mod_jk.so ] || apt-get install -y -qq libapache2-mod-jk

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/httpd.pid" ]; then kill "$(cat "$work/httpd.pid")" 2>/dev/null || true; fi
  sleep 1; rm -rf "$work"
}
trap cleanup EXIT

AJP_SECRET=bench-ajp-secret-0123456789
mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"
for n in 1 2; do
  # shellcheck disable=SC2086
  java $NODE_FLAGS -jar "$JAR" --name "node$n" --cluster front-bench --discovery-dir "$work/discovery" \
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret "$AJP_SECRET" \
    --webapps "$work/webapps" --work-dir "$work/work-$n" --http-port "1828$n" --ajp-port "1838$n" \
    --admin-port "1848$n" --tribes-port 0 --jgroups-port 0 --front-port 18100 --front-address 127.0.0.1 \
    --dispatcher "$([ "$n" = 1 ] && echo always || echo never)" --access-log false > "$work/node$n.log" 2>&1 &
  pids+=($!)
done
wait_url http://127.0.0.1:18281/session-demo/hello; wait_url http://127.0.0.1:18282/session-demo/hello
wait_url http://127.0.0.1:18100/session-demo/hello

cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend front
  bind 127.0.0.1:18101
  default_backend nodes
backend nodes
  balance roundrobin
  cookie JSESSIONID prefix nocache
  server node1 127.0.0.1:18281 check inter 2s fall 3 rise 2 cookie node1
  server node2 127.0.0.1:18282 check inter 2s fall 3 rise 2 cookie node2
CFG
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=($!)

cat > "$work/workers.properties" <<CFG
worker.list=lb,status
worker.node1.type=ajp13
worker.node1.host=127.0.0.1
worker.node1.port=18381
worker.node1.secret=$AJP_SECRET
worker.node2.type=ajp13
worker.node2.host=127.0.0.1
worker.node2.port=18382
worker.node2.secret=$AJP_SECRET
worker.lb.type=lb
worker.lb.balance_workers=node1,node2
worker.lb.sticky_session=1
worker.status.type=status
CFG
cat > "$work/httpd.conf" <<CFG
ServerName localhost
ServerRoot /etc/apache2
Listen 127.0.0.1:18102
PidFile $work/httpd.pid
ErrorLog $work/httpd-error.log
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule jk_module /usr/lib/apache2/modules/mod_jk.so
JkWorkersFile $work/workers.properties
JkShmFile $work/jk.shm
JkLogFile $work/jk.log
JkLogLevel error
JkMount /* lb
JkMountCopy All
CFG
apache2 -f "$work/httpd.conf" -k start
wait_url http://127.0.0.1:18101/session-demo/hello; wait_url http://127.0.0.1:18102/session-demo/hello

declare -A url=( [direct]=http://127.0.0.1:18281 [herdcat]=http://127.0.0.1:18100
                 [haproxy]=http://127.0.0.1:18101 [mod_jk]=http://127.0.0.1:18102 )
order=(direct herdcat haproxy mod_jk)
declare -A rps p50 p99
for f in "${order[@]}"; do
  wrk -t2 -c32 -d5s "${url[$f]}/session-demo/hello" > /dev/null   # warm-up
  out=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" "${url[$f]}/session-demo/hello")
  rps[$f]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  one=$(wrk -t1 -c1 -d"${WRK_SECONDS}s" --latency "${url[$f]}/session-demo/hello")
  p50[$f]=$(echo "$one" | awk '$1 == "50%" {print $2}')
  p99[$f]=$(echo "$one" | awk '$1 == "99%" {print $2}')
  echo "$f: ${rps[$f]} req/s, c1 p50 ${p50[$f]} p99 ${p99[$f]}" >&2
done
{
  echo "| front | requests/s (wrk -t2 -c32) | ÷ HAProxy | ÷ httpd + mod_jk | p50 at concurrency 1 | p99 at concurrency 1 |"
  echo "|---|---|---|---|---|---|"
  for f in "${order[@]}"; do
    printf '| %s | %s | %.2f | %.2f | %s | %s |\n' "$f" "${rps[$f]}" \
      "$(echo "${rps[$f]} / ${rps[haproxy]}" | bc -l)" "$(echo "${rps[$f]} / ${rps[mod_jk]}" | bc -l)" "${p50[$f]}" "${p99[$f]}"
  done
  echo
  echo "wrk ${WRK_SECONDS}s runs after a 5 s warm-up; two nodes on one 2-core machine with the fronts and wrk; $(date -u +%F)"
} | tee "$OUT/front.md"
