#!/usr/bin/env bash
# WebSocket and HTTP/2 through the front, side by side with HAProxy 2.6 in front of the same two Herdcat
# nodes (session-demo.war), same machine, one run:
#   direct       straight at node 1's HTTP connector (no front)
#   herdcat      the built-in front on node 1 (--dispatcher always); WebSocket goes over HTTP/1.1 to the
#                node's HTTP connector, HTTP/2 streams go over AJP
#   haproxy-1t   HAProxy, nbthread 1, HTTP/1.1 to both nodes' HTTP connectors, roundrobin + cookie
#   haproxy-2t   the same with nbthread 2 (one thread per CPU)
# Sections (SECTIONS="ws idle h2" by default; any subset, in this order):
#   ws    WebSocket echo (/session-demo/ws echoes every text message): bench/WsEcho.java, WS_CONNECTIONS
#         (100) connections each sending WS_MESSAGES (1000) messages one after the other, each after the
#         echo of the previous one; 64-byte and 1 KiB messages. Round trip p50/p99 and messages/s.
#   idle  IDLE_WEBSOCKETS (5000) idle WebSockets held open through the herdcat front, all to node 2 (by a
#         session cookie naming node 2, so node 1's own Tomcat holds none of them): the front JVM's heap
#         after a full GC and its RSS, before and while held, per WebSocket; HAProxy's RSS for the same
#         count beside it. Afterwards each held WebSocket must still echo.
#   h2    HTTP/2 over TLS (one self-signed EC P-256 certificate for both fronts, ALPN h2):
#         h2load -c H2_CLIENTS (32) -m H2_STREAMS (10) -t 1 for H2_SECONDS (10 s) on GET
#         /session-demo/hello, H2_ROUNDS (3) rounds taking the fronts in turn, each front first warmed until
#         the JVMs' compilers settle; median requests/s and p99 (from h2load's --log-file).
#   Beside each herdcat result: how many methods node 1's JVM compiled during the measurement
#   (jcmd PerfCounter sun.ci.totalCompiles), to show it was warm.
# Usage: bench/protocols.sh   (results in bench/out/protocols.md; about 14 minutes with the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
WS_CONNECTIONS=${WS_CONNECTIONS:-100}
WS_MESSAGES=${WS_MESSAGES:-1000}
IDLE_WEBSOCKETS=${IDLE_WEBSOCKETS:-5000}
H2_CLIENTS=${H2_CLIENTS:-32}
H2_STREAMS=${H2_STREAMS:-10}
H2_SECONDS=${H2_SECONDS:-10}
# The JVMs' compilers are still busy after a minute of this load on two cores (the TLS and HTTP/2 paths
# are long; about 11,000 methods): each front is warmed for at least H2_WARMUP s and until both JVMs
# compile fewer than H2_SETTLED methods in 10 s (at most H2_WARMUP_MAX s).
H2_WARMUP=${H2_WARMUP:-60}
H2_WARMUP_MAX=${H2_WARMUP_MAX:-300}
H2_SETTLED=${H2_SETTLED:-150}
H2_ROUNDS=${H2_ROUNDS:-3}
WS_WARMUP_MESSAGES=${WS_WARMUP_MESSAGES:-5000}
SECTIONS=${SECTIONS:-ws idle h2}
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
say() { echo "[protocols.sh $(date +%T)] $*" >&2; }

bench_prepare
command -v haproxy >/dev/null || { apt-get update -qq; apt-get install -y -qq haproxy; }
if want h2 && ! command -v h2load >/dev/null; then
  apt-get update -qq; apt-get install -y -qq nghttp2-client
fi
# idle WebSockets: one socket each in the client, two in the front (client and node side), one in node 2
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for port in 19100 19101 19102 19103 19104 19181 19182 19281 19282 19381 19382; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"
node_pid=()
haproxy_pid=()
idle_pid=""
cleanup() {
  set +e
  [ -n "$idle_pid" ] && kill -9 "$idle_pid" 2>/dev/null
  stop_all "${node_pid[@]}" "${haproxy_pid[@]}"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$work/front.key" -out "$work/front.crt" 2>/dev/null
cat "$work/front.crt" "$work/front.key" > "$work/front.pem"

# start_node N [EXTRA ARGS...]: node N in the background (node 1 runs the front), pid in node_pid[N].
start_node() {
  local n=$1; shift
  # shellcheck disable=SC2086
  java $NODE_FLAGS -jar "$JAR" --name "node$n" --cluster protocols-bench --discovery-dir "$work/discovery" \
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret bench-ajp-secret-0123456789 \
    --webapps "$work/webapps" --work-dir "$work/work-$n" --http-port "1918$n" --ajp-port "1928$n" \
    --admin-port "1938$n" --tribes-port 0 --jgroups-port 0 --front-port 19100 --front-address 127.0.0.1 \
    --dispatcher "$([ "$n" = 1 ] && echo always || echo never)" --access-log false \
    --front-client-max-connections 0 --front-client-max-requests 0 --front-idle-timeout 300s "$@" \
    >> "$work/node$n.log" 2>&1 &
  node_pid[n]=$!
}
wait_node() {
  local end=$((SECONDS + 180))
  until curl -sf -o /dev/null "http://127.0.0.1:1918$1/session-demo/hello"; do
    if ! kill -0 "${node_pid[$1]}" 2>/dev/null || [ "$SECONDS" -gt "$end" ]; then
      echo "node $1 did not start; its log:" >&2; tail -n 40 "$work/node$1.log" >&2; return 1
    fi
    sleep 0.05
  done
}
# haproxy_cfg PORT THREADS [BIND OPTIONS]: HTTP/1.1 to both nodes' HTTP connectors, long tunnel timeout.
haproxy_cfg() {
  cat <<CFG
global
  nbthread $2
  maxconn 9000
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
frontend front
  bind 127.0.0.1:$1 ${3:-}
  default_backend nodes
backend nodes
  balance roundrobin
  cookie JSESSIONID prefix nocache
  server node1 127.0.0.1:19181 check inter 2s cookie node1
  server node2 127.0.0.1:19182 check inter 2s cookie node2
CFG
}
start_haproxy() {  # start_haproxy NAME PORT THREADS [BIND OPTIONS]
  haproxy_cfg "$2" "$3" "${4:-}" > "$work/$1.cfg"
  haproxy -f "$work/$1.cfg" -db > "$work/$1.log" 2>&1 &
  haproxy_pid+=($!)
}

say "starting two nodes ($JAR)"
start_node 1; start_node 2
wait_node 1; wait_node 2
wait_url http://127.0.0.1:19100/session-demo/hello 12000
start_haproxy haproxy-1t 19101 1
start_haproxy haproxy-2t 19102 2
start_haproxy haproxy-1t-tls 19103 1 "ssl crt $work/front.pem alpn h2,http/1.1"
start_haproxy haproxy-2t-tls 19104 2 "ssl crt $work/front.pem alpn h2,http/1.1"
for port in 19101 19102; do wait_url "http://127.0.0.1:$port/session-demo/hello"; done
for port in 19103 19104; do
  until curl -sfk -o /dev/null "https://127.0.0.1:$port/session-demo/hello"; do sleep 0.05; done
done

md="$work/protocols.md"
: > "$md"
declare -A ws_url=( [direct]=ws://127.0.0.1:19181 [herdcat]=ws://127.0.0.1:19100
                    [haproxy-1t]=ws://127.0.0.1:19101 [haproxy-2t]=ws://127.0.0.1:19102 )
order=(direct herdcat haproxy-1t haproxy-2t)
# compiles PID: methods the JVM has compiled so far.
compiles() { jcmd "$1" PerfCounter.print | sed -n 's/^sun.ci.totalCompiles=//p'; }
res() { sed -n "s/^RESULT .*\<$2=\([^ ]*\).*/\1/p" <<< "$1"; }
# better A B: the larger of two numbers
better() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ---------------------------------------------------------------------------------------------------
if want ws; then
  javac -d "$work/classes" bench/WsEcho.java
  echo_run() { java -cp "$work/classes" WsEcho echo "$1/session-demo/ws" "$2" "$3" "$4"; }
  {
    echo "## WebSocket echo"
    echo
    echo "\`java bench/WsEcho.java echo URL/session-demo/ws $WS_CONNECTIONS $WS_MESSAGES SIZE\`: $WS_CONNECTIONS" \
         "connections, each sending $WS_MESSAGES text messages one after the other (the next one after the echo of" \
         "the previous one), after a warm-up of $WS_WARMUP_MESSAGES 64-byte messages per connection on each target." \
         "Round trip = send to echo received."
    echo
    echo "| size | target | messages/s | ÷ better HAProxy | p50 (µs) | p99 (µs) | max (µs) | bad echoes |"
    echo "|---|---|---|---|---|---|---|---|"
  } >> "$md"
  for t in "${order[@]}"; do
    say "ws: warming up $t"
    echo_run "${ws_url[$t]}" "$WS_CONNECTIONS" "$WS_WARMUP_MESSAGES" 64 > /dev/null
  done
  declare -A ws_compiled=()
  for size in 64 1024; do
    declare -A mps=() p50=() p99=() mx=() bad=()
    for t in "${order[@]}"; do
      say "ws: $t, $size-byte messages"
      c0=$(compiles "${node_pid[1]}")
      out=$(echo_run "${ws_url[$t]}" "$WS_CONNECTIONS" "$WS_MESSAGES" "$size")
      [ "$t" = herdcat ] && ws_compiled[$size]=$(( $(compiles "${node_pid[1]}") - c0 ))
      mps[$t]=$(res "$out" msgs_per_s); p50[$t]=$(res "$out" p50_us); p99[$t]=$(res "$out" p99_us)
      mx[$t]=$(res "$out" max_us); bad[$t]=$(res "$out" bad)
      say "$t: $out"
    done
    best=$(better "${mps[haproxy-1t]}" "${mps[haproxy-2t]}")
    for t in "${order[@]}"; do
      echo "| $size B | $t | ${mps[$t]} | $(ratio "${mps[$t]}" "$best") | ${p50[$t]} | ${p99[$t]} | ${mx[$t]} | ${bad[$t]} |" >> "$md"
    done
  done
  { echo; echo "Node 1 (the front's JVM) compiled ${ws_compiled[64]} and ${ws_compiled[1024]} methods during the two herdcat runs."
    echo; } >> "$md"
fi

# ---------------------------------------------------------------------------------------------------
if want idle; then
  [ -d "$work/classes" ] || javac -d "$work/classes" bench/WsEcho.java
  heap_kb() {
    jcmd "$1" GC.run > /dev/null
    jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
      NR == 2 { printf "%.0f", $h["S0U"] + $h["S1U"] + $h["EU"] + $h["OU"] }'
  }
  rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
  # hold_idle NAME URL [COOKIE]: opens IDLE_WEBSOCKETS WebSockets and holds them until $work/NAME.release.
  hold_idle() {
    java -Xmx1g -cp "$work/classes" WsEcho idle "$2/session-demo/ws" "$IDLE_WEBSOCKETS" "$work/$1.ready" \
      "$work/$1.release" ${3:+"$3"} > "$work/$1.out" 2> "$work/$1.err" &
    idle_pid=$!
    local t0=$SECONDS
    until [ -f "$work/$1.ready" ]; do
      kill -0 "$idle_pid" 2>/dev/null || { echo "WsEcho idle stopped early:" >&2; cat "$work/$1.err" >&2; exit 1; }
      [ $((SECONDS - t0)) -gt 240 ] && { echo "WsEcho idle did not open its WebSockets in 240 s" >&2; exit 1; }
      sleep 0.2
    done
  }
  release_idle() { touch "$work/$1.release"; wait "$idle_pid"; idle_pid=""; }
  front=${node_pid[1]}
  jcmd "$front" VM.version > /dev/null
  heap0=$(heap_kb "$front"); sleep 1; heap0=$(heap_kb "$front"); rss0=$(rss_kb "$front")
  say "idle: $IDLE_WEBSOCKETS WebSockets through herdcat (all to node 2)"
  hold_idle herdcat ws://127.0.0.1:19100 "JSESSIONID=idle-bench.node2"
  heap1=$(heap_kb "$front"); rss1=$(rss_kb "$front")
  open_ws=$(curl -s http://127.0.0.1:19381/status | grep -o '"webSockets":{[^}]*' | head -1)
  release_idle herdcat
  hp=${haproxy_pid[0]}
  hrss0=$(rss_kb "$hp")
  say "idle: $IDLE_WEBSOCKETS WebSockets through haproxy-1t"
  hold_idle haproxy ws://127.0.0.1:19101
  hrss1=$(rss_kb "$hp")
  release_idle haproxy
  per() { awk -v a="$1" -v b="$2" -v n="$IDLE_WEBSOCKETS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }'; }
  {
    echo "## $IDLE_WEBSOCKETS idle WebSockets"
    echo
    echo "\`java bench/WsEcho.java idle URL/session-demo/ws $IDLE_WEBSOCKETS READY RELEASE [COOKIE]\`: opened, each" \
         "greeting received, held idle while the front is measured (\`jcmd PID GC.run\`, then \`jstat -gc\`" \
         "S0U+S1U+EU+OU; VmRSS), then each must still echo. Through herdcat they carry \`JSESSIONID=….node2\`," \
         "so all go to node 2 and node 1's JVM holds only the front's side."
    echo
    echo "| front | open | still echoing after | heap after full GC: before → held | per WebSocket (heap) | RSS: before → held | per WebSocket (RSS) |"
    echo "|---|---|---|---|---|---|---|"
    echo "| herdcat | $(res "$(cat "$work/herdcat.out")" open) | $(res "$(cat "$work/herdcat.out")" echo_ok) |" \
         "$((heap0 / 1024)) MB → $((heap1 / 1024)) MB | $(per "$heap0" "$heap1") B |" \
         "$((rss0 / 1024)) MB → $((rss1 / 1024)) MB | $(per "$rss0" "$rss1") B |"
    echo "| haproxy-1t | $(res "$(cat "$work/haproxy.out")" open) | $(res "$(cat "$work/haproxy.out")" echo_ok) | – | – |" \
         "$((hrss0 / 1024)) MB → $((hrss1 / 1024)) MB | $(per "$hrss0" "$hrss1") B |"
    echo
    echo "The front's /status while held: \`${open_ws:-none}\`."
    echo
  } >> "$md"
fi

# ---------------------------------------------------------------------------------------------------
if want h2; then
  say "h2: restarting node 1 with a TLS front (h2 by ALPN)"
  stop_all "${node_pid[1]}"
  start_node 1 --front-tls-cert "$work/front.crt" --front-tls-key "$work/front.key"
  wait_node 1
  until curl -sfk -o /dev/null --http2 "https://127.0.0.1:19100/session-demo/hello"; do sleep 0.05; done
  declare -A h2_url=( [herdcat]=https://127.0.0.1:19100 [haproxy-1t]=https://127.0.0.1:19103
                      [haproxy-2t]=https://127.0.0.1:19104 )
  h2_order=(herdcat haproxy-1t haproxy-2t)
  declare -A rps=() p99=() proto=() failed=()
  # h2_load TARGET SECONDS [LOG]: one h2load run; prints "requests/s failed"
  h2_load() {
    local log=()
    [ -n "${3:-}" ] && log=(--log-file="$3")
    timeout $(($2 + 60)) h2load -c "$H2_CLIENTS" -m "$H2_STREAMS" -t 1 -D "$2" "${log[@]}" "${h2_url[$1]}/session-demo/hello" \
      | awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") r = $(i - 1) }
             /^requests:/ { for (i = 1; i <= NF; i++) if ($i == "failed,") f = $(i - 1) } END { print r, f }'
  }
  # warm TARGET: 10 s rounds until both nodes' JVMs compiled fewer than H2_SETTLED methods in a round
  # (at least H2_WARMUP s, at most H2_WARMUP_MAX s): a JVM measured while its compilers still run is
  # measured with a core missing
  warm() {
    local spent=0 c1 c2 new
    while :; do
      c1=$(compiles "${node_pid[1]}"); c2=$(compiles "${node_pid[2]}")
      h2_load "$1" 10 > /dev/null
      spent=$((spent + 10))
      new=$(( $(compiles "${node_pid[1]}") - c1 + $(compiles "${node_pid[2]}") - c2 ))
      if [ "$spent" -ge "$H2_WARMUP" ] && [ "$new" -lt "$H2_SETTLED" ] || [ "$spent" -ge "$H2_WARMUP_MAX" ]; then
        say "h2: $1 warmed for $spent s (last 10 s: $new methods compiled)"
        warm_s[$1]=$spent
        return
      fi
    done
  }
  declare -A warm_s=() runs=()
  for t in "${h2_order[@]}"; do
    proto[$t]=$(curl -sk -o /dev/null --http2 -w '%{http_version}' "${h2_url[$t]}/session-demo/hello")
    warm "$t"
  done
  h2_compiled=0
  for round in $(seq "$H2_ROUNDS"); do
    for t in "${h2_order[@]}"; do
      c0=$(compiles "${node_pid[1]}")
      read -r r f < <(h2_load "$t" "$H2_SECONDS" "$work/h2-$t-$round.log")
      [ "$t" = herdcat ] && h2_compiled=$((h2_compiled + $(compiles "${node_pid[1]}") - c0))
      runs[$t]="${runs[$t]:-} $r"
      failed[$t]=$(( ${failed[$t]:-0} + f ))
      say "h2 round $round: $t $r req/s, $f failed"
    done
  done
  for t in "${h2_order[@]}"; do
    # the median round's requests/s; p99 over all rounds' requests (log lines: start, status, duration µs)
    rps[$t]=$(tr ' ' '\n' <<< "${runs[$t]}" | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    p99[$t]=$(cat "$work"/h2-"$t"-*.log | awk '{ print $3 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR * 0.99)] }')
    say "$t: median ${rps[$t]} req/s (rounds:${runs[$t]}), p99 ${p99[$t]} µs, failed ${failed[$t]}, protocol ${proto[$t]}"
  done
  best=$(better "${rps[haproxy-1t]}" "${rps[haproxy-2t]}")
  best_p99=$(awk -v a="${p99[haproxy-1t]}" -v b="${p99[haproxy-2t]}" 'BEGIN { print (a < b ? a : b) }')
  {
    echo "## HTTP/2 over TLS"
    echo
    echo "\`h2load -c $H2_CLIENTS -m $H2_STREAMS -t 1 -D $H2_SECONDS --log-file=LOG URL/session-demo/hello\`, $H2_ROUNDS" \
         "rounds taking the three fronts in turn, median round; p99 over all rounds' requests. Each front warmed" \
         "first until both JVMs compiled fewer than $H2_SETTLED methods in 10 s (herdcat ${warm_s[herdcat]} s," \
         "HAProxy ${warm_s[haproxy-1t]} s and ${warm_s[haproxy-2t]} s: the nodes' HTTP connectors warm up too)." \
         "Both fronts on the same self-signed EC P-256 certificate, ALPN h2."
    echo
    echo "| front | protocol (curl) | requests/s (median) | rounds | ÷ better HAProxy | p99 (µs) | ÷ better HAProxy p99 | failed |"
    echo "|---|---|---|---|---|---|---|---|"
    for t in "${h2_order[@]}"; do
      echo "| $t | ${proto[$t]} | ${rps[$t]} |${runs[$t]} | $(ratio "${rps[$t]}" "$best") | ${p99[$t]} | $(ratio "${p99[$t]}" "$best_p99") | ${failed[$t]} |"
    done
    echo
    echo "Node 1 (the front's JVM) compiled $h2_compiled methods during the $H2_ROUNDS herdcat rounds."
    echo
  } >> "$md"
fi

{
  echo "# bench/protocols.sh, $(date -u +%F), $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo
  cat "$md"
} > "$OUT/protocols.md"
cat "$OUT/protocols.md"
