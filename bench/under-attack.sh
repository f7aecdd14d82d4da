#!/usr/bin/env bash
# Normal clients under a slow-client attack, side by side for three fronts over the same two Herdcat
# nodes in one run: the Herdcat front (node 1, --dispatcher always, its defaults), HAProxy 2.6 with the
# timeouts its documentation recommends against slow clients, and Apache httpd 2.4 + mod_jk with Debian's
# defaults (event MPM from mpm_event.conf, mod_reqtimeout on with reqtimeout.conf, Timeout 300, KeepAlive).
# For each front in turn:
#   1. warm-up: wrk -t2 -c$CONNS for WARMUP s (the JVM front needs ~30 s of load to compile its hot path);
#   2. undisturbed: wrk -t2 -c$CONNS -d$DURATION --latency on GET /session-demo/hello;
#   3. attack: bench/SlowClients.java holds ATTACK connections of each kind against that front, each
#      kind from its own loopback address (wrk's clients come from 127.0.0.1):
#        slow-body  POST /session-demo/hello, Content-Length: 1, the byte never sent      (127.0.0.2)
#        slow-read  GET /bench/big.bin ($BIG_MB MiB), 4 KiB receive buffer, a byte every 10 s (127.0.0.3)
#        slowloris  GET /session-demo/hello, one more header line every 5 s, never ended (127.0.0.4)
#      a connection the front closes is opened again at once, so the attack keeps its size; once all are
#      open and SETTLE s have passed, the same wrk run as in 2;
#   4. the attack stops; SETTLE s for the front to recover before the next one.
# Reported per front: requests/s and p99 with and without the attack and their ratio (goal: requests/s
# under attack ≥ 0.9 of undisturbed, no 5xx and no socket errors for the normal clients), and what
# happened to the attackers' connections.
# Usage: bench/under-attack.sh   (results in bench/out/under-attack.md)
#   knobs: DURATION=30 (s, each measured wrk run), WARMUP=30, SETTLE=5, ATTACK=1000 (per kind), CONNS=32,
#          BIG_MB=16, FRONTS="herdcat haproxy mod_jk", HERDCAT_JAR (default appliance/target/herdcat.jar),
#          KEEP_WORK=1 (keep the temporary folder with the logs)
#   a short trial: DURATION=5 WARMUP=5 ATTACK=200 bench/under-attack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
SETTLE=${SETTLE:-5}
ATTACK=${ATTACK:-1000}
CONNS=${CONNS:-32}
BIG_MB=${BIG_MB:-16}
FRONTS=${FRONTS:-herdcat haproxy mod_jk}
say() { echo "[under-attack.sh $(date +%T)] $*" >&2; }
started_at=$SECONDS

bench_prepare
for tool in wrk haproxy apache2; do
  command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk haproxy apache2 libapache2-mod-jk; break; }
done
[ -f /usr/lib/apache2/modules/mod_jk.so ] || apt-get install -y -qq libapache2-mod-jk
# 3 x ATTACK client sockets here, as many in the front, and the fronts' connections to the nodes.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((6 * ATTACK + 2000)) ]; then
  say "warning: open-files limit $(ulimit -n) may be too low for 3 x $ATTACK attacking connections"
fi
for port in 18600 18601 18602 18681 18682 18781 18782 18881 18882; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"
pids=()
attack_pid=""
cleanup() {
  set +e
  [ -n "$attack_pid" ] && kill -9 "$attack_pid" 2>/dev/null
  local all=("${pids[@]}")
  [ -f "$work/httpd.pid" ] && all+=("$(cat "$work/httpd.pid")")
  stop_all "${all[@]}"
  if [ -n "${KEEP_WORK:-}" ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

AJP_SECRET=bench-ajp-secret-0123456789
mkdir -p "$work/webapps/bench"
cp "$WAR" "$work/webapps/"
head -c $((BIG_MB << 20)) /dev/zero | tr '\0' 'x' > "$work/webapps/bench/big.bin"   # served by the default servlet
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"

node_args() {
  args=(--name "node$1" --cluster attack-bench --discovery-dir "$work/discovery"
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret "$AJP_SECRET"
    --webapps "$work/webapps" --work-dir "$work/work-$1" --http-port "1868$1" --ajp-port "1878$1"
    --admin-port "1888$1" --tribes-port 0 --jgroups-port 0 --front-port 18600 --front-address 127.0.0.1
    --dispatcher "$([ "$1" = 1 ] && echo always || echo never)" --access-log false)
}
for n in 1 2; do
  node_args "$n"
  # shellcheck disable=SC2086
  java $NODE_FLAGS -jar "$JAR" "${args[@]}" >> "$work/node$n.log" 2>&1 &
  pids+=($!)
done
say "starting two nodes ($JAR)"
for n in 1 2; do
  wait_url "http://127.0.0.1:1868$n/session-demo/hello" 18000 || { tail -n 40 "$work/node$n.log" >&2; exit 1; }
  wait_url "http://127.0.0.1:1868$n/bench/big.bin" 3000
done
wait_url http://127.0.0.1:18600/session-demo/hello 12000

# HAProxy: the timeouts its configuration manual recommends against slow clients (timeout http-request
# for slow heads and, with option http-buffer-request, slow bodies; timeout client for slow readers).
cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 9000
defaults
  mode http
  option http-buffer-request
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout http-keep-alive 10s
frontend front
  bind 127.0.0.1:18601
  default_backend nodes
backend nodes
  balance roundrobin
  cookie JSESSIONID prefix nocache
  server node1 127.0.0.1:18681 check inter 2s fall 3 rise 2 cookie node1
  server node2 127.0.0.1:18682 check inter 2s fall 3 rise 2 cookie node2
CFG
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=($!)

cat > "$work/workers.properties" <<CFG
worker.list=lb
worker.node1.type=ajp13
worker.node1.host=127.0.0.1
worker.node1.port=18781
worker.node1.secret=$AJP_SECRET
worker.node2.type=ajp13
worker.node2.host=127.0.0.1
worker.node2.port=18782
worker.node2.secret=$AJP_SECRET
worker.lb.type=lb
worker.lb.balance_workers=node1,node2
worker.lb.sticky_session=1
CFG
# httpd: Debian's defaults from /etc/apache2 (apache2.conf's Timeout and KeepAlive lines, the event
# MPM's mpm_event.conf, mod_reqtimeout with reqtimeout.conf), mod_jk as in front.sh.
httpd_jk_conf 127.0.0.1:18602 "Timeout 300" "KeepAlive On" "MaxKeepAliveRequests 100" "KeepAliveTimeout 5" \
  "Include /etc/apache2/mods-available/mpm_event.conf" \
  "LoadModule reqtimeout_module /usr/lib/apache2/modules/mod_reqtimeout.so" \
  "Include /etc/apache2/mods-available/reqtimeout.conf" -- "/* lb" > "$work/httpd.conf"
apache2 -f "$work/httpd.conf" -k start
wait_url http://127.0.0.1:18601/session-demo/hello
wait_url http://127.0.0.1:18602/session-demo/hello

declare -A port=( [herdcat]=18600 [haproxy]=18601 [mod_jk]=18602 )

# measure FRONT LABEL: one wrk run; sets rps p99 non2xx errs statuses (and keeps the output).
measure() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s bench/failures.lua \
    "http://127.0.0.1:${port[$1]}/session-demo/hello")
  echo "$out" > "$work/wrk-$1-$2.txt"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  answered=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
  non2xx=${non2xx:-0}
  errs=$(echo "$out" | sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p')
  errs=$(( ${errs:-0} ))
  statuses=$(echo "$out" | sed -n 's/^statuses: //p')
}

# to_us 1.23ms: a wrk duration in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; f = 1
    if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1000000
    printf "%.0f", n * f }'
}

rows=()
for f in $FRONTS; do
  say "$f: warm-up ${WARMUP} s"
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:${port[$f]}/session-demo/hello" > /dev/null
  measure "$f" calm
  calm_rps=$rps calm_p99=$p99 calm_bad=$((non2xx + errs))
  say "$f undisturbed: $rps req/s, p99 $p99, non-2xx $non2xx, socket errors $errs"

  rm -f "$work/attack.ready" "$work/attack.stop"
  java -Xmx256m bench/SlowClients.java 127.0.0.1 "${port[$f]}" "$work/attack.ready" "$work/attack.stop" \
    /session-demo/hello /bench/big.bin /session-demo/hello \
    "slow-body@127.0.0.2=$ATTACK" "slow-read@127.0.0.3=$ATTACK" "slowloris@127.0.0.4=$ATTACK" \
    > "$work/attack-$f.out" 2> "$work/attack-$f.err" &
  attack_pid=$!
  t0=$SECONDS
  until [ -f "$work/attack.ready" ]; do
    kill -0 "$attack_pid" 2>/dev/null || { echo "SlowClients stopped:" >&2; cat "$work/attack-$f.err" >&2; exit 1; }
    [ $((SECONDS - t0)) -gt 300 ] && { echo "SlowClients not ready in 300 s" >&2; exit 1; }
    sleep 0.2
  done
  say "$f: attack of 3 x $ATTACK connections in place after $((SECONDS - t0)) s; settling ${SETTLE} s"
  sleep "$SETTLE"
  measure "$f" attacked
  touch "$work/attack.stop"
  wait "$attack_pid" || true
  attack_pid=""
  say "$f under attack: $rps req/s, p99 $p99, non-2xx $non2xx, socket errors $errs"
  attackers=$(sed -n 's/^RESULT kind=\([^ ]*\) from=[^ ]* target=[0-9]* opened=\([0-9]*\) closed_by_server=\([0-9]*\) connect_failures=\([0-9]*\)/\1: \2 opened, \3 closed by the front, \4 failed connects/p' \
    "$work/attack-$f.out" | paste -sd ';' | sed 's/;/; /g')
  ratio=$(echo "$rps / $calm_rps" | bc -l)
  if [ "$(to_us "$calm_p99")" -gt 0 ]; then
    p99_ratio=$(printf '%.1f' "$(echo "$(to_us "$p99") / $(to_us "$calm_p99")" | bc -l)")
  else
    p99_ratio="-"
  fi
  rows+=("$(printf '| %s | %s | %s | **%.2f** | %s | %s | %s | %s | %s | %s (%s) | %s |' "$f" "$calm_rps" "$rps" "$ratio" \
    "$calm_p99" "$p99" "$p99_ratio" "$calm_bad" "$answered" "$((non2xx + errs))" "${statuses:-none}" "$attackers")")
  sleep "$SETTLE"
done

md="$work/under-attack.md"
{
  echo "## Under attack"
  echo
  echo "Normal clients: \`wrk -t2 -c$CONNS -d${DURATION}s --timeout 10s --latency -s bench/failures.lua URL/session-demo/hello\`"
  echo "from 127.0.0.1, after a ${WARMUP} s warm-up; then the same while bench/SlowClients.java holds $ATTACK slow-body"
  echo "(127.0.0.2), $ATTACK slow-read (127.0.0.3, GET of a $BIG_MB MiB file) and $ATTACK slowloris (127.0.0.4)"
  echo "connections, opened again whenever the front closes one. failed = non-2xx/3xx + socket errors"
  echo "(connect, read, write, timeout > 10 s); a request still unanswered when wrk stops is in neither column."
  echo
  echo "| front | requests/s undisturbed | requests/s under attack | ratio | p99 undisturbed | p99 under attack | p99 ratio | failed undisturbed | answered under attack | failed under attack (statuses) | the attackers' connections |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "$r"; done
  echo
  echo "herdcat: defaults (front.body.timeout 10s at 500 B/s, front.send.timeout 60s, front.header.timeout 10s,"
  echo "front.client.max.connections 1024, front.client.max.requests 64)."
  echo "haproxy: nbthread 1, option http-buffer-request, timeout http-request 10s, client 30s, server 30s,"
  echo "http-keep-alive 10s, connect 5s."
  echo "mod_jk: httpd $(apache2 -v | sed -n 's/^Server version: Apache\/\([^ ]*\).*/\1/p') event MPM with Debian's mpm_event.conf"
  echo "and reqtimeout.conf (header=20-40,MinRate=500 body=10,MinRate=500), Timeout 300, mod_jk defaults."
  echo
  echo "bench/under-attack.sh, $(( SECONDS - started_at )) s; two nodes (\`$NODE_FLAGS\`), the fronts, wrk and the"
  echo "attackers on one $(nproc)-core machine; HAProxy $(haproxy -v | awk 'NR == 1 {print $3}'); $(java -version 2>&1 | head -1); $(date -u +%F)"
} > "$md"
mkdir -p "$OUT"
cp "$md" "$OUT/under-attack.md"
cat "$OUT/under-attack.md"
