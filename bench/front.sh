#!/usr/bin/env bash
# The HTTP front, side by side with what users run instead, in front of the same Herdcat nodes
# (session-demo.war, GET /session-demo/hello, a few bytes naming the node, no session), same machine,
# same wrk:
#   direct      wrk straight at node 1's HTTP connector (no front at all)
#   herdcat     the built-in front (on node 1, the elected node: --dispatcher always), AJP to every
#               node, node 1 included (the front's node also serves)
#   haproxy     HAProxy 2.6, one thread (nbthread 1), HTTP to every node, roundrobin + cookie
#               stickiness, checks
#   haproxy-nt  the same with nbthread = the number of CPUs (nproc)
#   mod_jk      Apache httpd 2.4 (event MPM) + mod_jk 1.2, lb worker over AJP to both nodes, sticky
#               (two-node layout only)
# Sections (SECTIONS="throughput kill idle" by default; any subset, in this order):
#   throughput  for each layout of LAYOUTS ("2 3": two nodes, then three with node 3 started for it
#               and stopped after): wrk -t2 -c32 requests/s, and p50/p99 at concurrency 1
#               (wrk -t1 -c1 --latency), with the latency each front adds over direct; "÷ better
#               HAProxy" divides by the faster of haproxy and haproxy-nt in the same layout. Each front
#               is first warmed with 10 s wrk rounds, at least WARMUP_SECONDS and until the nodes' JVMs
#               compile fewer than WARM_SETTLED methods in a round (at most WARMUP_MAX s): on 2 cores
#               the JVMs need ~100 s of load before their compilers settle. Then ROUNDS rounds measure
#               every front in turn, and the medians are reported (a shared machine's load drifts over
#               minutes; fronts measured in the same rounds drift alike). Charts
#               docs/front-throughput.svg and docs/front-latency.svg from the two-node layout of the
#               same run (gnuplot; data in bench/out/front*.dat)
#   kill        failed requests when node 2 is killed (kill -9) KILL_AFTER s into a KILL_SECONDS wrk
#               -t2 -c32 run through each front; node 2 is restarted with the same arguments after each
#               round, and the next round starts only once requests through its front reach node 2 again.
#               Node 1 runs the herdcat front, so node 2 is the one killed. What each front does with a
#               request to a node that died (how it retries):
#     herdcat            a node that cannot be reached, or fails before the response headers, is put in
#                        error and the request goes to another node (GET /hello has no body, so it can
#                        always be resent); CPing health checks bring the node back. Defaults, nothing set.
#     haproxy            the config above, unchanged ("the fair, documented config"): HAProxy's default
#                        `retries 3` applies to connection failures only and retries on the *same* server
#                        (no `option redispatch`), one second apart (turn-around timer
#                        min(timeout connect, 1 s)), then answers 503; a request a server dies with gets a
#                        502 or a closed connection (no `retry-on`: conn-failure only); `check inter 2s fall 3` takes the
#                        server out after three failed checks (up to ~6 s), `rise 2` brings it back.
#     haproxy+redispatch the same plus what an operator who expects node crashes would add:
#                        `option redispatch 1` (every retry goes to another server, no turn-around wait)
#                        and `retry-on all-retryable-errors` (also retry a request whose server closed
#                        without answering, or answered 500/502/503/504; fine for GET /hello).
#     mod_jk             defaults (nothing set in workers.properties): recovery_options=0, so a request
#                        that fails on one member (connect error, or an error before the response headers
#                        went to the client) is sent to another member (lb retries=2); the failed member is
#                        put in error and tried again after recover_time=60 s (no active probe: ping_mode
#                        is not set).
#   idle        IDLE_CONNECTIONS (10000) keep-alive client connections held idle on the herdcat front
#               (bench/IdleConnections.java): memory per connection of the front's JVM (heap used after a
#               full GC, and RSS), whether the front still serves meanwhile, and whether the held
#               connections still work.
# Node 1 (which runs the front) gets NODE_FLAGS with -Xmx$FRONT_HEAP (256m) for the whole run, node 2
# NODE_FLAGS; both get --front-idle-timeout $FRONT_IDLE_TIMEOUT (300s instead of the default 60s) so the
# held idle connections outlive the measurement, and --front-client-max-connections 0: the idle
# section's connections all come from 127.0.0.1, which the default cap (1024 a client address) would cut.
# Usage: bench/front.sh   (results in bench/out/front.md; about 20 minutes with the defaults)
#   knobs: SECTIONS, LAYOUTS="2 3", ROUNDS=3, WRK_SECONDS=10, WARMUP_SECONDS=40, WARMUP_MAX=240, WARM_SETTLED=150,
#          KILL_SECONDS=10, KILL_AFTER=3, IDLE_CONNECTIONS=10000,
#          IDLE_SECOND=100 (second requests on held connections), FRONT_HEAP=256m,
#          FRONT_IDLE_TIMEOUT=300s, HERDCAT_JAR (default appliance/target/herdcat.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
WRK_SECONDS=${WRK_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-40}   # at least this much load before measuring a front
WARMUP_MAX=${WARMUP_MAX:-240}          # at most this much, even if the compilers have not settled
WARM_SETTLED=${WARM_SETTLED:-150}      # settled: fewer methods compiled in a 10 s round (all nodes' JVMs)
LAYOUTS=${LAYOUTS:-2 3}
ROUNDS=${ROUNDS:-3}                    # measurement rounds, every front in each (medians reported)
CPUS=$(nproc)
KILL_SECONDS=${KILL_SECONDS:-10}
KILL_AFTER=${KILL_AFTER:-3}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
IDLE_SECOND=${IDLE_SECOND:-100}
FRONT_HEAP=${FRONT_HEAP:-256m}
FRONT_IDLE_TIMEOUT=${FRONT_IDLE_TIMEOUT:-300s}
SECTIONS=${SECTIONS:-throughput kill idle}
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
say() { echo "[front.sh $(date +%T)] $*" >&2; }
started_at=$SECONDS

bench_prepare
for tool in wrk haproxy apache2; do
  command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk haproxy apache2 libapache2-mod-jk; break; }
done
[ -f /usr/lib/apache2/modules/mod_jk.so ] || apt-get install -y -qq libapache2-mod-jk
if want throughput && ! command -v gnuplot >/dev/null; then
  apt-get update -qq; apt-get install -y -qq --no-install-recommends gnuplot-nox
fi
# 10,000 client sockets in one process and 10,000 in the front: raise the open-files limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if want idle && [ "$(ulimit -n)" -lt $((IDLE_CONNECTIONS + 1000)) ]; then
  say "warning: open-files limit $(ulimit -n) is too low for $IDLE_CONNECTIONS connections"
fi
for port in 18100 18101 18102 18103 18104 18105 18106 18281 18282 18283 18381 18382 18383 18481 18482 18483; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done

# Node 1's flags: NODE_FLAGS with its -Xmx replaced by -Xmx$FRONT_HEAP.
FRONT_NODE_FLAGS=""
for flag in $NODE_FLAGS; do [[ "$flag" == -Xmx* ]] || FRONT_NODE_FLAGS+="$flag "; done
FRONT_NODE_FLAGS+="-Xmx$FRONT_HEAP"

work=$(mktemp -d)
chmod 755 "$work"
pids=()         # haproxy instances and other helpers
node_pid=()     # node_pid[1..3]: the nodes' JVMs (a restarted node replaces its entry; node 3 only in layout 3)
idle_pid=""     # bench/IdleConnections.java while it runs
wrk_pid=""      # the wrk of a kill round while it runs
cleanup() {
  set +e
  for p in $idle_pid $wrk_pid; do kill -9 "$p" 2>/dev/null; done
  local all=("${node_pid[@]}" "${pids[@]}")
  [ -f "$work/httpd.pid" ] && all+=("$(cat "$work/httpd.pid")")   # httpd's parent stops its children
  stop_all "${all[@]}"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

AJP_SECRET=bench-ajp-secret-0123456789
mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"

# node_args N: the arguments of node N (the same on every restart), in the array args.
node_args() {
  args=(--name "node$1" --cluster front-bench --discovery-dir "$work/discovery"
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret "$AJP_SECRET"
    --webapps "$work/webapps" --work-dir "$work/work-$1" --http-port "1828$1" --ajp-port "1838$1"
    --admin-port "1848$1" --tribes-port 0 --jgroups-port 0 --front-port 18100 --front-address 127.0.0.1
    --dispatcher "$([ "$1" = 1 ] && echo always || echo never)" --front-idle-timeout "$FRONT_IDLE_TIMEOUT"
    --front-client-max-connections 0 --access-log false)
}
node_flags() { if [ "$1" = 1 ]; then echo "$FRONT_NODE_FLAGS"; else echo "$NODE_FLAGS"; fi; }
# node_cmdline N: node N's command line as run (with the temporary folder shown as WORK).
node_cmdline() {
  local args; node_args "$1"
  echo "java $(node_flags "$1") -jar $JAR ${args[*]}" | sed "s|$work|WORK|g"
}
# start_node N: starts node N in the background; its pid goes to node_pid[N].
start_node() {
  local args; node_args "$1"
  # shellcheck disable=SC2046
  java $(node_flags "$1") -jar "$JAR" "${args[@]}" >> "$work/node$1.log" 2>&1 &
  node_pid[$1]=$!
}
# wait_node N: until node N answers on its own HTTP port (fails if it exited).
wait_node() {
  local end=$((SECONDS + 180))
  until curl -sf -o /dev/null "http://127.0.0.1:1828$1/session-demo/hello"; do
    if ! kill -0 "${node_pid[$1]}" 2>/dev/null || [ "$SECONDS" -gt "$end" ]; then
      echo "node $1 did not start; its log:" >&2; tail -n 40 "$work/node$1.log" >&2; return 1
    fi
    sleep 0.05
  done
}
# wait_node_via URL NODE [SECONDS]: until an answer through the front at URL comes from NODE
# (the body of /session-demo/hello is "Hello from NODE"); prints the seconds it took.
wait_node_via() {
  local start=$SECONDS end=$((SECONDS + ${3:-180}))
  until [[ "$(curl -s --max-time 2 "$1/session-demo/hello")" == "Hello from $2" ]]; do
    if [ "$SECONDS" -gt "$end" ]; then
      echo "no answer from $2 through $1 within ${3:-180} s" >&2; return 1
    fi
    sleep 0.05
  done
  echo $((SECONDS - start))
}

say "starting two nodes ($JAR)"
start_node 1; start_node 2
wait_node 1; wait_node 2
wait_url http://127.0.0.1:18100/session-demo/hello 12000

haproxy_cfg() {  # haproxy_cfg PORT THREADS NODES [EXTRA BACKEND LINES...]
  local port=$1 threads=$2 nodes=$3 n; shift 3
  cat <<CFG
global
  nbthread $threads
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend front
  bind 127.0.0.1:$port
  default_backend nodes
backend nodes
  balance roundrobin
  cookie JSESSIONID prefix nocache
CFG
  for line in "$@"; do echo "  $line"; done
  for n in $(seq 1 "$nodes"); do
    echo "  server node$n 127.0.0.1:1828$n check inter 2s fall 3 rise 2 cookie node$n"
  done
}
# start_haproxy NAME PORT THREADS NODES [EXTRA BACKEND LINES...]: one more HAProxy in the background.
start_haproxy() {
  local name=$1; shift
  haproxy_cfg "$@" > "$work/$name.cfg"
  haproxy -f "$work/$name.cfg" -db > "$work/$name.log" 2>&1 &
  pids+=($!)
}
start_haproxy haproxy 18101 1 2
want throughput && start_haproxy haproxy-nt 18104 "$CPUS" 2
want kill && start_haproxy haproxy-redispatch 18103 1 2 "option redispatch 1" "retry-on all-retryable-errors"

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
httpd_jk_conf 127.0.0.1:18102 -- "/* lb" > "$work/httpd.conf"
apache2 -f "$work/httpd.conf" -k start
wait_url http://127.0.0.1:18101/session-demo/hello; wait_url http://127.0.0.1:18102/session-demo/hello
want kill && wait_url http://127.0.0.1:18103/session-demo/hello
want throughput && wait_url http://127.0.0.1:18104/session-demo/hello

declare -A url=( [direct]=http://127.0.0.1:18281 [herdcat]=http://127.0.0.1:18100
                 [haproxy]=http://127.0.0.1:18101 [mod_jk]=http://127.0.0.1:18102
                 [haproxy+redispatch]=http://127.0.0.1:18103 [haproxy-nt]=http://127.0.0.1:18104 )
md="$work/front.md"
: > "$md"

# to_us 1.23ms: a wrk duration in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; f = 1
    if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1000000
    else if (v ~ /m$/) f = 60000000; else if (v ~ /h$/) f = 3600000000
    printf "%.0f", n * f }'
}

# ---------------------------------------------------------------------------------------------------
if want throughput; then
  # compiles PID: methods the JVM has compiled so far.
  compiles() { jcmd "$1" PerfCounter.print | sed -n 's/^sun.ci.totalCompiles=//p'; }
  # warm URL NODES: 10 s wrk rounds through URL, at least WARMUP_SECONDS, until the NODES' JVMs compiled
  # fewer than WARM_SETTLED methods in a round (at most WARMUP_MAX s); sets warmed.
  warm() {
    local spent=0 before after n
    while :; do
      before=0; for n in $(seq 1 "$2"); do before=$((before + $(compiles "${node_pid[$n]}"))); done
      wrk -t2 -c32 -d10s "$1/session-demo/hello" > /dev/null
      spent=$((spent + 10))
      after=0; for n in $(seq 1 "$2"); do after=$((after + $(compiles "${node_pid[$n]}"))); done
      if [ "$spent" -ge "$WARMUP_SECONDS" ] && [ $((after - before)) -lt "$WARM_SETTLED" ] \
          || [ "$spent" -ge "$WARMUP_MAX" ]; then
        warmed="$spent s (last 10 s: $((after - before)) methods compiled)"
        return
      fi
    done
  }
  better() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  summary=()
  # layout N: measures every front in front of N nodes and appends its table to $md.
  layout() {
    local n=$1 f u order
    if [ "$n" = 2 ]; then order=(direct herdcat haproxy haproxy-nt mod_jk); else order=(direct herdcat haproxy haproxy-nt); fi
    declare -A rps p50 p99 warm_note all_rps all_p50 all_p99
    for f in "${order[@]}"; do
      u=${url[$f@$n]:-${url[$f]}}
      say "throughput, $n nodes: $f ($u), warming"
      warm "$u" "$n"
      warm_note[$f]=$warmed
      say "$f warmed ${warm_note[$f]}"
    done
    # ROUNDS rounds, each measuring every front in turn: a front is never measured minutes apart
    # from the others, so a machine whose load drifts shifts them alike; the medians are reported.
    for round in $(seq 1 "$ROUNDS"); do
      for f in "${order[@]}"; do
        u=${url[$f@$n]:-${url[$f]}}
        out=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" "$u/session-demo/hello")
        all_rps[$f]+=" $(echo "$out" | awk '/Requests\/sec/ {print $2}')"
        one=$(wrk -t1 -c1 -d"${WRK_SECONDS}s" --latency "$u/session-demo/hello")
        all_p50[$f]+=" $(to_us "$(echo "$one" | awk '$1 == "50%" {print $2}')")"
        all_p99[$f]+=" $(to_us "$(echo "$one" | awk '$1 == "99%" {print $2}')")"
        say "round $round, $f: requests/s${all_rps[$f]}; c1 p50 (µs)${all_p50[$f]}; p99 (µs)${all_p99[$f]}"
      done
    done
    for f in "${order[@]}"; do
      rps[$f]=$(echo "${all_rps[$f]}" | median)
      p50[$f]="$(echo "${all_p50[$f]}" | median)us"
      p99[$f]="$(echo "${all_p99[$f]}" | median)us"
    done
    local best_rps best_name low_p50 low_name
    best_rps=$(better "${rps[haproxy]}" "${rps[haproxy-nt]}")
    best_name=$([ "$best_rps" = "${rps[haproxy]}" ] && echo haproxy || echo haproxy-nt)
    if [ "$(to_us "${p50[haproxy]}")" -le "$(to_us "${p50[haproxy-nt]}")" ]; then low_name=haproxy; else low_name=haproxy-nt; fi
    low_p50=$(( $(to_us "${p50[$low_name]}") - $(to_us "${p50[direct]}") ))
    {
      echo "## Throughput and latency, $n nodes"
      echo
      echo "Node 1 runs the herdcat front and serves too; every front balances over all $n nodes."
      echo "Each front warmed with 10 s wrk rounds (at least ${WARMUP_SECONDS} s, until the nodes' JVMs compiled fewer" \
           "than ${WARM_SETTLED} methods in a round, at most ${WARMUP_MAX} s); then ${ROUNDS} rounds, each front in turn:" \
           "\`wrk -t2 -c32 -d${WRK_SECONDS}s URL/session-demo/hello\` and \`wrk -t1 -c1 -d${WRK_SECONDS}s --latency" \
           "URL/session-demo/hello\`; the medians of the rounds (all rounds in the last column). added = the" \
           "front's value − direct's. haproxy: nbthread 1; haproxy-nt: nbthread ${CPUS}."
      echo
      echo "| front | requests/s (wrk -t2 -c32) | ÷ better HAProxy | ÷ httpd + mod_jk | p50 at concurrency 1 | p99 at concurrency 1 | p50 added (µs) | p99 added (µs) | warmed | rounds: requests/s; p50 (µs) |"
      echo "|---|---|---|---|---|---|---|---|---|---|"
      for f in "${order[@]}"; do
        printf '| %s | %s | %s | %s | %s | %s | %d | %d | %s | %s;%s |\n' "$f" "${rps[$f]}" "$(ratio "${rps[$f]}" "$best_rps")" \
          "$([ -n "${rps[mod_jk]:-}" ] && ratio "${rps[$f]}" "${rps[mod_jk]}" || echo —)" \
          "${p50[$f]}" "${p99[$f]}" \
          $(( $(to_us "${p50[$f]}") - $(to_us "${p50[direct]}") )) $(( $(to_us "${p99[$f]}") - $(to_us "${p99[direct]}") )) \
          "${warm_note[$f]}" "${all_rps[$f]}" "${all_p50[$f]}"
      done
      echo
    } >> "$md"
    summary+=("| $n | $(ratio "${rps[herdcat]}" "$best_rps") ($best_name) | $(( $(to_us "${p50[herdcat]}") - $(to_us "${p50[direct]}") )) | $low_p50 ($low_name) |")
    if [ "$n" = 2 ]; then
      # Charts from this layout's numbers.
      {
        echo "# front requests_per_s p50_us p99_us p50_added_us p99_added_us  ($(date -u +%F), bench/front.sh, 2 nodes)"
        for f in "${order[@]}"; do
          echo "$f ${rps[$f]} $(to_us "${p50[$f]}") $(to_us "${p99[$f]}") $(( $(to_us "${p50[$f]}") - $(to_us "${p50[direct]}") ))" \
               "$(( $(to_us "${p99[$f]}") - $(to_us "${p99[direct]}") ))"
        done
      } > "$OUT/front.dat"
    fi
  }
  for n in $LAYOUTS; do
    if [ "$n" = 3 ]; then
      say "starting node 3 for the three-node layout"
      start_node 3; wait_node 3
      wait_node_via "${url[herdcat]}" node3 180 > /dev/null
      start_haproxy haproxy-3 18105 1 3; start_haproxy haproxy-nt-3 18106 "$CPUS" 3
      url[haproxy@3]=http://127.0.0.1:18105; url[haproxy-nt@3]=http://127.0.0.1:18106
      wait_url "${url[haproxy@3]}/session-demo/hello"; wait_url "${url[haproxy-nt@3]}/session-demo/hello"
    fi
    layout "$n"
    if [ "$n" = 3 ]; then
      stop_pid "${node_pid[3]}"; unset 'node_pid[3]'
    fi
  done
  {
    echo "| nodes | herdcat ÷ better HAProxy | herdcat p50 added (µs) | lower HAProxy p50 added (µs) |"
    echo "|---|---|---|---|"
    printf '%s\n' "${summary[@]}"
    echo
    # Evidence that node 1's smaller heap did not constrain it: committed heap and GC time so far.
    jstat -gc "${node_pid[1]}" | awk -v heap="$FRONT_HEAP" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
      NR == 2 { printf "Node 1 (front) after these runs, -Xmx%s: heap committed %.0f MB, %d young + %d full GCs, %.2f s in GC" \
        " since it started.\n\n", heap, ($h["S0C"] + $h["S1C"] + $h["OC"] + $h["EC"]) / 1024, $h["YGC"], $h["FGC"], $h["GCT"] }'
  } >> "$md"
fi

if want throughput && [ -f "$OUT/front.dat" ] && [[ " $LAYOUTS " == *" 2 "* ]]; then
  grep -v '^direct ' "$OUT/front.dat" > "$OUT/front-latency.dat"
  if gnuplot 2> "$work/gnuplot.log" <<GP
set terminal svg size 720,420 dynamic noenhanced font "sans,12" background rgb "white"
set encoding utf8
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.7
set grid ytics
unset key
set yrange [0:*]
set output "docs/front-throughput.svg"
set title "Requests/s, wrk -t2 -c32 -d${WRK_SECONDS}s, GET /session-demo/hello (one 2-core machine, $(date -u +%F))"
set ylabel "requests/s"
plot "$OUT/front.dat" using 2:xtic(1) lc rgb "#3366aa", \
     "" using 0:2:(sprintf("%.0f", \$2)) with labels offset 0,0.8 notitle
unset output
set output "docs/front-latency.svg"
set terminal svg size 900,420 dynamic noenhanced font "sans,12" background rgb "white"
set multiplot layout 1,2 title "Latency added over direct at concurrency 1 (wrk -t1 -c1 -d${WRK_SECONDS}s --latency, $(date -u +%F))"
set ylabel "microseconds"
# each panel's y axis includes 0 (an added latency can come out negative in a noisy run)
set autoscale y
stats "$OUT/front-latency.dat" using 5 name "A" nooutput
set yrange [(A_min < 0 ? A_min * 1.2 : 0):(A_max > 0 ? A_max * 1.15 : 1)]
set title "p50 added (µs)"
plot "$OUT/front-latency.dat" using 5:xtic(1) lc rgb "#3366aa", \
     "" using 0:5:(sprintf("%d", \$5)) with labels offset 0,0.8 notitle
set autoscale y
stats "$OUT/front-latency.dat" using 6 name "B" nooutput
set yrange [(B_min < 0 ? B_min * 1.2 : 0):(B_max > 0 ? B_max * 1.15 : 1)]
set title "p99 added (µs)"
plot "$OUT/front-latency.dat" using 6:xtic(1) lc rgb "#aa6633", \
     "" using 0:6:(sprintf("%d", \$6)) with labels offset 0,0.8 notitle
unset multiplot
unset output
GP
  then
    say "charts: docs/front-throughput.svg docs/front-latency.svg (data: $OUT/front.dat)"
  else
    say "warning: gnuplot failed, no charts:"; cat "$work/gnuplot.log" >&2
  fi
fi

# ---------------------------------------------------------------------------------------------------
if want kill; then
  kill_order=(herdcat haproxy haproxy+redispatch mod_jk)
  declare -A kill_row
  # kill_round FRONT: one wrk run through FRONT with node 2 killed KILL_AFTER s in; node 2 restarted after.
  kill_round() {
    local f=$1 u=${url[$1]} back w out req non2xx errs c r wr t failed attempts statuses nodes maxlat bad
    if ! kill -0 "${node_pid[2]}" 2>/dev/null; then start_node 2; fi
    wait_node 1; wait_node 2
    back=$(wait_node_via "$u" node2 180) || back="never (180 s)"
    say "kill round: $f (node 2 answering through it again after $back s)"
    wrk -t2 -c32 -d"${KILL_SECONDS}s" --timeout 2s -s bench/failures.lua "$u/session-demo/hello" > "$work/kill-$f.txt" 2>&1 &
    w=$!; wrk_pid=$w
    sleep "$KILL_AFTER"
    kill -9 "${node_pid[2]}" || say "warning: node 2 was already gone"
    wait "${node_pid[2]}" 2>/dev/null || true
    wait "$w" || { echo "wrk failed:" >&2; cat "$work/kill-$f.txt" >&2; return 1; }
    wrk_pid=""
    start_node 2   # back with the same arguments; the next round waits for it
    out=$(cat "$work/kill-$f.txt")
    req=$(echo "$out" | awk '/requests in/ {print $1}')
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
    errs=$(echo "$out" | sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p')
    read -r c r wr t <<< "${errs:-0 0 0 0}"
    statuses=$(echo "$out" | sed -n 's/^statuses: //p')
    nodes=$(echo "$out" | sed -n 's/^nodes: //p')
    maxlat=$(echo "$out" | awk '$1 == "Latency" {print $4}')
    bad=$(echo "$statuses" | tr ' ' '\n' | grep -v '^200=' | grep . | paste -sd ' ' || true)
    failed=$(( ${non2xx:-0} + c + r + wr ))
    attempts=$(( req + c + r + wr ))
    kill_row[$f]=$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %.4f %% | %s |' \
      "$f" "$req" "${nodes:-?}" "${non2xx:-0}" "${bad:-—}" "$c" "$r" "$wr" "$t" "$failed" \
      "$(echo "100 * $failed / $attempts" | bc -l)" "$maxlat")
    say "$f: ${kill_row[$f]}"
  }
  for f in "${kill_order[@]}"; do kill_round "$f"; done
  {
    echo "## Failed requests when a node is killed under load"
    echo
    echo "For each front in turn: both nodes up and answering through it, then"
    echo "\`wrk -t2 -c32 -d${KILL_SECONDS}s --timeout 2s -s bench/failures.lua URL/session-demo/hello\`, and"
    echo "\`kill -9\` of node 2 ${KILL_AFTER} s into the run; node 2 is restarted afterwards. failed = non-2xx/3xx +"
    echo "socket errors connect + read + write (each a request that got no answer); attempts = requests + those"
    echo "socket errors. wrk's *timeout* is not a count of lost requests: every 2 s wrk counts each connection"
    echo "whose request has been waiting more than 2 s (such a request ends later as an answer or an error);"
    echo "it shows stalls (wrk leaves answers slower than 2 s out of its latency numbers). \"answered by\": the node named"
    echo "in the body; front = an error page from the front itself."
    echo
    echo "| front | requests answered | answered by | non-2xx/3xx | their statuses | connect errors | read errors | write errors | timeout (stalled > 2 s) | failed | failed ÷ attempts | max latency (of answers under 2 s) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    for f in "${kill_order[@]}"; do echo "${kill_row[$f]}"; done
    echo
    echo "haproxy: the config of the throughput table (HAProxy's default \`retries 3\`, same server, no redispatch)."
    echo "haproxy+redispatch: the same plus \`option redispatch 1\` and \`retry-on all-retryable-errors\`."
    echo "mod_jk: workers.properties defaults (recovery_options=0: resend to another member; recover_time=60 s)."
    echo "herdcat: defaults (a request whose node fails before the response headers goes to another node)."
    echo
  } >> "$md"
fi

# ---------------------------------------------------------------------------------------------------
if want idle; then
  front=${node_pid[1]}
  if ! kill -0 "${node_pid[2]}" 2>/dev/null; then start_node 2; fi
  wait_node 2
  wait_node_via "${url[herdcat]}" node2 180 > /dev/null || true
  # heap_kb PID: heap used (young + old, kB) right after a full GC; rss_kb PID; fds PID.
  heap_kb() {
    jcmd "$1" GC.run > /dev/null
    jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
      NR == 2 { printf "%.0f", $h["S0U"] + $h["S1U"] + $h["EU"] + $h["OU"] }'
  }
  rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
  fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
  front_sockets() { ss -Htn '( sport = :18100 )' | awk '$1 == "ESTAB" || $1 == "CLOSE-WAIT"' | wc -l; }
  jcmd "$front" VM.version > /dev/null   # start the attach listener before the first measurement
  # Up to 256 requests are in flight at once while the connections open: let the front's connection
  # pools to the nodes grow to that first, so they are in the "before" numbers, not in the per-connection ones.
  say "idle: warming the front with 256 connections, then measuring before (front JVM pid $front)"
  wrk -t2 -c256 -d3s "${url[herdcat]}/session-demo/hello" > /dev/null
  base_rps=$(wrk -t2 -c32 -d5s "${url[herdcat]}/session-demo/hello" | awk '/Requests\/sec/ {print $2}')
  heap0=$(heap_kb "$front"); sleep 1; heap0=$(heap_kb "$front"); rss0=$(rss_kb "$front"); fd0=$(fds "$front")
  idle_cmd="java bench/IdleConnections.java 127.0.0.1 18100 /session-demo/hello $IDLE_CONNECTIONS $IDLE_SECOND READY RELEASE"
  java -Xmx512m bench/IdleConnections.java 127.0.0.1 18100 /session-demo/hello "$IDLE_CONNECTIONS" "$IDLE_SECOND" \
    "$work/idle.ready" "$work/idle.release" > "$work/idle.out" 2> "$work/idle.err" &
  idle_pid=$!
  t0=$SECONDS
  until [ -f "$work/idle.ready" ]; do
    if ! kill -0 "$idle_pid" 2>/dev/null; then
      echo "IdleConnections stopped early:" >&2; cat "$work/idle.out" "$work/idle.err" >&2; exit 1
    fi
    [ $((SECONDS - t0)) -gt 240 ] && { echo "IdleConnections did not get its answers in 240 s" >&2; exit 1; }
    sleep 0.2
  done
  say "idle: $(sed -n 's/^RESULT phase=open //p' "$work/idle.out"); measuring while held"
  heap1=$(heap_kb "$front"); rss1=$(rss_kb "$front"); fd1=$(fds "$front"); held_sockets=$(front_sockets)
  fresh=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} in %{time_total} s' "${url[herdcat]}/session-demo/hello" || true)
  held_rps=$(wrk -t2 -c32 -d5s "${url[herdcat]}/session-demo/hello" | awk '/Requests\/sec/ {print $2}')
  held_for=$((SECONDS - t0))
  touch "$work/idle.release"
  wait "$idle_pid" || { echo "IdleConnections failed:" >&2; cat "$work/idle.out" "$work/idle.err" >&2; exit 1; }
  idle_pid=""
  left=""
  for _ in $(seq 1 100); do left=$(front_sockets); [ "$left" = 0 ] && break; sleep 0.1; done
  fd2=$(fds "$front")
  res() { sed -n "s/^RESULT phase=$1 .*\<$2=\([^ ]*\).*/\1/p" "$work/idle.out"; }
  n=$IDLE_CONNECTIONS
  per() { echo "scale=2; ($2 - $1) * 1024 / $n" | bc -l; }   # bytes per connection from two kB values
  {
    echo "## $n idle keep-alive connections on the herdcat front (node 1: -Xmx$FRONT_HEAP)"
    echo
    echo "\`$idle_cmd\`: $n connections, at most 256 connecting or waiting at a time (the front was warmed with"
    echo "\`wrk -c256\` first, so its connection pools to the nodes are in the \"before\" numbers); one \`GET /session-demo/hello\`"
    echo "(HTTP/1.1 keep-alive) on each, then all held idle while the front's JVM is measured (\`jcmd PID GC.run\`, then"
    echo "\`jstat -gc\`: S0U+S1U+EU+OU; VmRSS from /proc), then a second request on $IDLE_SECOND of them, then all"
    echo "closed. Node 1 runs with --front-idle-timeout $FRONT_IDLE_TIMEOUT (default 60s) and --front-client-max-connections 0 (default 1024 a client address; all of these come from 127.0.0.1) so they stay open meanwhile."
    echo
    echo "| what | value |"
    echo "|---|---|"
    echo "| connections opened / answered 200 | $(res open open) / $(res open answered) (failures: $(res open failures)) |"
    echo "| time to open all and get their answers | $(res open millis) ms |"
    echo "| front JVM heap used after full GC: before → while held | $((heap0 / 1024)) MB → $((heap1 / 1024)) MB |"
    echo "| heap per held connection | $(per "$heap0" "$heap1") bytes |"
    echo "| front JVM RSS: before → while held | $((rss0 / 1024)) MB → $((rss1 / 1024)) MB |"
    echo "| RSS per held connection | $(per "$rss0" "$rss1") bytes |"
    echo "| front JVM open files: before → while held → after closing | $fd0 → $fd1 → $fd2 |"
    echo "| front-side sockets of port 18100 while held | $held_sockets |"
    echo "| a new request while they are held | $fresh |"
    echo "| requests/s (wrk -t2 -c32 -d5s): before → while they are held | $base_rps → $held_rps |"
    echo "| held connections the front closed while held (~${held_for} s) | $(res held closed_by_server) |"
    echo "| second request on held connections: 200s | $(res second ok) of $(res second tried) (failures: $(res second failures)) |"
    echo "| front-side sockets of port 18100 left after the client closed all (waited up to 10 s) | $left |"
    echo
  } >> "$md"
fi

{
  echo "Node 1: \`$(node_cmdline 1)\`"
  echo
  echo "Node 2: \`$(node_cmdline 2)\`"
  echo
  if want throughput && [[ " $LAYOUTS " == *" 3 "* ]]; then echo "Node 3 (three-node layout): \`$(node_cmdline 3)\`"; echo; fi
  echo "bench/front.sh (SECTIONS=\"$SECTIONS\", LAYOUTS=\"$LAYOUTS\"), $(( SECONDS - started_at )) s; the nodes, the fronts and wrk on one" \
       "$(nproc)-core machine; HAProxy $(haproxy -v | awk 'NR == 1 {print $3}') (nbthread 1, and $CPUS for haproxy-nt);" \
       "$(apache2 -v | sed -n 's/^Server version: \([^ ]*\).*/\1/p') + mod_jk (event MPM); $(java -version 2>&1 | head -1); $(date -u +%F)"
} >> "$md"
cp "$md" "$OUT/front.md"
cat "$OUT/front.md"
