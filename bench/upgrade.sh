#!/usr/bin/env bash
# A release under load, side by side in one run: the same webapp v1 → v2 on three nodes, with the same
# client population (bench/UpgradeLoad.java: PLAIN clients GET the page on keep-alive connections,
# SESSIONS clients each keep a counter in a session of their own and check every answer is the one
# before plus one; every client sends at most RATE requests a second).
#   herdcat  three Herdcat nodes on loopback (each its own webapps folder holding app.war v1; the
#            elected one runs the front), the clients through the front; after WARMUP + BASELINE s of load
#            `java -jar herdcat.jar upgrade v2/app.war` while GET /upgrade is polled every 200 ms and
#            each node's step changes are written to the events file.
#   modjk    the seed's way: three stock Tomcat 11.0.18 nodes (DeltaManager with channelSendOptions=6,
#            synchronous with acknowledgement, static membership, jvmRoute, ReplicationValve,
#            JvmRouteBinderValve, app.war v1 in each node's autoDeploy webapps folder) behind Apache
#            httpd 2.4 + mod_jk (an lb worker, sticky_session=1, AJP); the clients through httpd. After
#            WARMUP + BASELINE s the release is done per worker in turn as an operator does it by hand:
#              1. activation=D for the worker in workers.properties + graceful restart of httpd
#                 (no new sessions; the sessions it holds still come to it)
#              2. wait DRAIN s (a fixed time: the clients' sessions never end, so "no sessions left"
#                 never comes; an operator waits a while, then stops the worker anyway)
#              3. activation=S + graceful (nothing goes to it; its sessions fail over to the others,
#                 which hold them, and JvmRouteBinderValve renames them to their new node)
#              4. v2 copied into the node's webapps folder as app.war (copied next to it, then renamed
#                 over it, so the deployer never sees half a file); Tomcat's autoDeploy redeploys it
#              5. wait until the node answers version=v2 on its own HTTP connector
#              6. the activation line removed (active again) + graceful; the next worker
#            each step written to the events file. After each graceful, the script waits until mod_jk's
#            status worker shows the new activation.
# Both: the load goes on AFTER s after the release is done; then each node is asked directly which
# version it serves. Per system: requests, failed (non-2xx, I/O error, timeout), lost sessions, p99 of
# the requests sent before the release and during it, the release's duration (start of the command /
# first edit to its end / last graceful). Results: bench/out/upgrade-results.txt (the table),
# bench/out/upgrade-SYSTEM.csv (per second: t,ok,failed,p50_ms,p99_ms,v1,v2),
# bench/out/upgrade-SYSTEM-events.txt (seconds since the load started, node, step) and the chart
# docs/upgrade-timeline.png (gnuplot).
# Usage: bench/upgrade.sh   (about 4 minutes; run as root for httpd's User www-data)
#   knobs: SYSTEMS="herdcat modjk", PLAIN=8, SESSIONS=16, RATE=15 (requests/s per client: 360 in
#          all, which both systems serve on 2 cores without queueing, so p99 shows the release), WARMUP=15
#          (s of load left out of "p99 before", while the JIT warms up), BASELINE=10 (s of load whose p99 is "before"),
#          AFTER=10, DRAIN=5 (modjk), ROLL_TIMEOUT=600 (s, a release that takes longer is stopped and
#          reported as failed), HERDCAT_JAR (default appliance/target/herdcat.jar), KEEP_WORK=1 (keep
#          the temporary folder with every log), CHART_ONLY=1 (only draw the chart again from the last
#          run's files in bench/out)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
SYSTEMS=${SYSTEMS:-herdcat modjk}
PLAIN=${PLAIN:-8}
SESSIONS=${SESSIONS:-16}
RATE=${RATE:-15}
WARMUP=${WARMUP:-15}
BASELINE=${BASELINE:-10}
AFTER=${AFTER:-10}
DRAIN=${DRAIN:-5}
ROLL_TIMEOUT=${ROLL_TIMEOUT:-600}
CHART=docs/upgrade-timeline.png
say() { echo "[upgrade.sh $(date +%T)] $*" >&2; }
started_at=$SECONDS

# ---------------------------------------------------------------------------------------------------
# The chart: one panel per system, same axes; answered requests/s (all and from v2), failed/s and p99;
# each node's steps as vertical lines, the release's start and end as thick ones.
chart() {
  local sys panel=0 xmax ymax y2max csvs=() title front
  front=$(cat "$OUT/upgrade-herdcat.front" 2>/dev/null || echo "?")
  for sys in $SYSTEMS; do csvs+=("$OUT/upgrade-$sys.csv"); done
  xmax=$(awk -F, '$1 ~ /^[0-9]+$/ && $1 > m {m = $1} END {print m + 1}' "${csvs[@]}")
  ymax=$(awk -F, '$1 ~ /^[0-9]+$/ && $2 + $3 > m {m = $2 + $3} END {print int(m * 1.25) + 1}' "${csvs[@]}")
  y2max=$(awk -F, '$1 ~ /^[0-9]+$/ && $5 + 0 > m {m = $5 + 0} END {print m * 1.1 + 1}' "${csvs[@]}")
  {
    echo "set terminal pngcairo size 1400,$((430 * $(echo "$SYSTEMS" | wc -w))) font 'sans,10' noenhanced"
    echo "set output '$CHART'"
    echo "set datafile separator ','"
    echo "set multiplot layout $(echo "$SYSTEMS" | wc -w),1"
    echo "set xrange [0:$xmax]; set yrange [0:$ymax]; set y2range [0:$y2max]"
    echo "set xlabel 'seconds since the load started'; set ylabel 'requests/s'; set y2label 'p99 (ms)'"
    echo "set ytics nomirror; set y2tics; set grid ytics; set key top left opaque"
    for sys in $SYSTEMS; do
      panel=$((panel + 1))
      title=$([ "$sys" = herdcat ] && echo "Herdcat: herdcat upgrade app.war (3 nodes, front on $front)" \
        || echo "httpd + mod_jk over 3 stock Tomcat $TOMCAT_VERSION (DeltaManager, sync ack): per worker D, wait ${DRAIN} s, S, copy WAR, wait v2, active")
      echo "unset arrow; unset label"
      echo "set title \"$title\""
      local s e
      s=$(cat "$OUT/upgrade-$sys.roll-start"); e=$(cat "$OUT/upgrade-$sys.roll-end")
      echo "set arrow from $s, graph 0 to $s, graph 1 nohead lw 2 lc rgb '#000000'"
      echo "set arrow from $e, graph 0 to $e, graph 1 nohead lw 2 lc rgb '#000000'"
      echo "set label 'release starts' at $s, graph 0.04 right offset -0.5,0 font ',8'"
      echo "set label 'release done' at $e, graph 0.04 left offset 0.5,0 font ',8'"
      # each node's step changes as lines in the node's colour, labelled downwards from the top; steps
      # less than 0.6 s apart share one label ("tomcat1 stopped + deploying", "node3 done + node1 disabling")
      awk '
        function flush() {
          if (text != "") printf "set label \"%s\" at %s, graph 0.99 right rotate by 90 offset 0.6,0 font \",7\" tc rgb \"%s\"\n", text, at, colour
          text = ""
        }
        $3 == "waiting" || $3 == "staged" { next }
        { n = $2; gsub(/[^0-9]/, "", n); if (n == "") n = 1
          col = (n == 1) ? "#1b9e77" : (n == 2) ? "#d95f02" : "#7570b3"
          printf "set arrow from %s, graph 0 to %s, graph 1 nohead dt 2 lc rgb \"%s\"\n", $1, $1, col
          if (text != "" && $1 - last < 0.6) text = text " + " ($2 == node ? $3 : $2 " " $3)
          else { flush(); text = $2 " " $3; at = $1; colour = col }
          node = $2
          last = $1 }
        END { flush() }
      ' "$OUT/upgrade-$sys-events.txt"
      echo "plot '$OUT/upgrade-$sys.csv' using 1:2 with lines lw 2 lc rgb '#3366aa' title 'answered/s', \\"
      echo "     '' using 1:7 with lines lc rgb '#66aa33' title 'answered by v2/s', \\"
      echo "     '' using 1:3 with impulses lw 3 lc rgb '#dd0000' title 'failed/s', \\"
      echo "     '' using 1:5 axes x1y2 with lines lc rgb '#aa6633' title 'p99 (ms, right axis)'"
    done
    echo "unset multiplot"
  } > "$OUT/upgrade-chart.gp"
  if gnuplot "$OUT/upgrade-chart.gp" 2> "$OUT/upgrade-gnuplot.log"; then
    say "chart: $CHART"
  else
    say "warning: gnuplot failed, no chart:"; cat "$OUT/upgrade-gnuplot.log" >&2
  fi
}

# CHART_ONLY=1: only draws the chart again from the last run's files in bench/out.
if [ -n "${CHART_ONLY:-}" ]; then chart; exit 0; fi

if [ ! -f "$JAR" ] || [ ! -f "$WAR" ]; then mvn -B -o -q -DskipTests package; fi
bench_prepare
[ -x /usr/sbin/apache2 ] || { apt-get update -qq; apt-get install -y -qq apache2 libapache2-mod-jk; }
[ -f /usr/lib/apache2/modules/mod_jk.so ] || apt-get install -y -qq libapache2-mod-jk
command -v jq > /dev/null || apt-get install -y -qq jq
command -v gnuplot > /dev/null || { apt-get update -qq; apt-get install -y -qq --no-install-recommends gnuplot-nox; }
# Herdcat: HTTP 1751N, AJP 1752N, admin 1753N, front 17500. Stock Tomcat: HTTP 1756N, AJP 1757N,
# Tribes 1758N. httpd: 17590.
for port in 17500 17511 17512 17513 17521 17522 17523 17531 17532 17533 17561 17562 17563 17571 17572 17573 \
            17581 17582 17583 17590; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"
pids=()          # every process this script started (nodes, Tomcats, the load, the upgrade command)
cleanup() {
  set +e
  local all=("${pids[@]}")
  [ -f "$work/httpd.pid" ] && all+=("$(cat "$work/httpd.pid")")   # httpd's parent stops its children
  stop_all "${all[@]}"
  if [ -n "${KEEP_WORK:-}" ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
AJP_SECRET=bench-ajp-secret-0123456789
ADMIN_TOKEN=bench-admin-token-0123456789
echo "$ADMIN_TOKEN" > "$work/admin.token"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"

# make_war LABEL: $work/LABEL/app.war, a distributable webapp: / prints its version, /counter.jsp counts
# the requests of its session ("n=N version=LABEL node=NODE"), the node from -Dherdcat.node (Herdcat
# sets it itself; the Tomcats get it on their command line).
make_war() {
  local d="$work/src-$1"
  mkdir -p "$d/WEB-INF" "$work/$1"
  echo "<%@ page session=\"false\" contentType=\"text/plain\" %>version=$1" > "$d/index.jsp"
  cat > "$d/counter.jsp" <<JSP
<%@ page contentType="text/plain" %><% Integer n = (Integer) session.getAttribute("n");
n = n == null ? 1 : n + 1; session.setAttribute("n", n); %>n=<%= n %> version=$1 node=<%= System.getProperty("herdcat.node") %>
JSP
  cat > "$d/WEB-INF/web.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
  <display-name>counter $1</display-name>
  <distributable/>
</web-app>
XML
  jar --create --file "$work/$1/app.war" -C "$d" .
}
make_war v1
make_war v2

# warm URL: asks URL/ and URL/counter.jsp a few times (compiles both JSPs before the load starts).
warm() {
  for _ in 1 2 3; do
    curl -sf -o /dev/null --max-time 30 "$1/" && curl -sf -o /dev/null --max-time 30 "$1/counter.jsp" || return 1
  done
}

# start_load SYSTEM URL: the clients, in the background, per-second lines to $work/SYSTEM.csv.
start_load() {
  rm -f "$work/$1.baseline-start" "$work/$1.roll-start" "$work/$1.roll-end" "$work/$1.stop"
  java -Xmx256m bench/UpgradeLoad.java "$2" --plain "$PLAIN" --sessions "$SESSIONS" --rate "$RATE" \
    --seconds $((BASELINE + ROLL_TIMEOUT + AFTER + 120)) --stop-file "$work/$1.stop" \
    --baseline-start "$work/$1.baseline-start" --roll-start "$work/$1.roll-start" --roll-end "$work/$1.roll-end" --versions v1,v2 \
    > "$work/$1.csv" 2> "$work/$1.load.err" &
  load_pid=$!
  pids+=("$load_pid")
  # WARMUP s from the first second with answers (the client's JIT, the connections), then the baseline
  local end=$((SECONDS + 60))
  until awk -F, '$1 ~ /^[0-9]+$/ && $2 > 0 {found = 1} END {exit !found}' "$work/$1.csv" 2>/dev/null; do
    if ! kill -0 "$load_pid" 2>/dev/null || [ "$SECONDS" -gt "$end" ]; then
      echo "the load got no answer within 60 s:" >&2; cat "$work/$1.load.err" >&2; return 1
    fi
    sleep 0.2
  done
  sleep "$WARMUP"
  now_ms > "$work/$1.baseline-start"
}

# stop_load SYSTEM: ends the load, waits for its totals.
stop_load() {
  touch "$work/$1.stop"
  local end=$((SECONDS + 60))
  while kill -0 "$load_pid" 2>/dev/null; do
    [ "$SECONDS" -gt "$end" ] && { echo "the load did not stop within 60 s" >&2; kill -9 "$load_pid"; break; }
    sleep 0.2
  done
  wait "$load_pid" || { echo "the load failed:" >&2; cat "$work/$1.load.err" >&2; return 1; }
}

# event SYSTEM NODE STEP [EPOCH_MS]: one line of the events file, the time (default now) first.
event() { echo "${4:-$(now_ms)} $2 $3" >> "$work/$1.events"; say "$1: $2 $3"; }

# GET /upgrade as "NODE STEP SINCE" lines, SINCE the epoch ms the node's step began (empty while waiting).
UPGRADE_STEPS='def ms: if . == null then "" else capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$")
    | ((.s + "Z") | fromdateiso8601) * 1000 + (((.f // "") + "000")[0:3] | tonumber) | tostring end;
  .nodes[]? | "\(.node) \(.step) \(.since | ms)"'

# served_version URL: the version= a node answers with on its own connector ("none" when it does not answer).
served_version() { curl -s --max-time 5 "$1/" | sed -n 's/^version=\(.*\)$/\1/p' | grep . || echo none; }

# ---------------------------------------------------------------------------------------------------
herdcat_run() {
  say "herdcat: starting three nodes ($JAR)"
  local n
  for n in 1 2 3; do
    mkdir -p "$work/herdcat-webapps-$n"
    cp "$work/v1/app.war" "$work/herdcat-webapps-$n/app.war"
    # shellcheck disable=SC2086
    java $NODE_FLAGS -jar "$JAR" --name "node$n" --cluster upgrade-bench --discovery-dir "$work/discovery" \
      --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --admin-token-file "$work/admin.token" \
      --webapps "$work/herdcat-webapps-$n" --work-dir "$work/herdcat-work-$n" --http-port "1751$n" \
      --ajp-port "1752$n" --admin-port "1753$n" --tribes-port 0 --jgroups-port 0 \
      --front-port 17500 --front-address 127.0.0.1 --access-log false > "$work/herdcat-node$n.log" 2>&1 &
    pids+=($!)
    herdcat_pid[n]=$!
    # one after the other: the first to be ready is the oldest member and runs the front
    wait_url "http://127.0.0.1:1753$n/health" 18000 || { tail -n 40 "$work/herdcat-node$n.log" >&2; return 1; }
  done
  local end=$((SECONDS + 120))
  for n in 1 2 3; do
    until [ "$(curl -s "http://127.0.0.1:1753$n/status" | jq '[.nodes[]? | select(.phase == "ready")] | length')" = 3 ]; do
      [ "$SECONDS" -gt "$end" ] && { echo "node$n never saw three ready nodes" >&2; return 1; }
      sleep 0.1
    done
  done
  wait_url http://127.0.0.1:17500/app/ 12000
  front_node=$(curl -s http://127.0.0.1:17531/status | jq -r '.dispatcher')
  echo "$front_node" > "$OUT/upgrade-herdcat.front"
  for n in 1 2 3; do warm "http://127.0.0.1:1751$n/app"; done
  say "herdcat: three nodes ready, the front on $front_node; load for $BASELINE s"
  start_load herdcat http://127.0.0.1:17500/app
  sleep "$BASELINE"

  now_ms > "$work/herdcat.roll-start"
  # its output (plain lines: not a terminal) with the time of each line
  java -jar "$JAR" upgrade "$work/v2/app.war" --admin http://127.0.0.1:17531 --token-file "$work/admin.token" \
    > >(while IFS= read -r line; do echo "$(date +%T.%3N) $line"; done > "$work/herdcat-upgrade.log") 2>&1 &
  local cli=$! rc=0 last="" now
  pids+=("$cli")
  declare -A step=()
  end=$((SECONDS + ROLL_TIMEOUT))
  # every 200 ms until the command has ended: each node's step changes into the events file, at the
  # time the node says the step began (a late poll does not move it; a step shorter than the polls is missed)
  while :; do
    local running=1
    kill -0 "$cli" 2>/dev/null || running=0
    now=$(curl -s --max-time 2 http://127.0.0.1:17531/upgrade | jq -r "$UPGRADE_STEPS" 2>/dev/null || true)
    if [ -n "$now" ] && [ "$now" != "$last" ]; then
      local node s since
      while read -r node s since; do
        if [ "${step[$node]:-}" != "$s" ]; then step[$node]=$s; event herdcat "$node" "$s" "$since"; fi
      done <<< "$now"
      last=$now
    fi
    [ "$running" = 0 ] && break
    if [ "$SECONDS" -gt "$end" ]; then
      say "herdcat: the upgrade took more than $ROLL_TIMEOUT s; stopping the command"; kill "$cli"; break
    fi
    sleep 0.2
  done
  wait "$cli" || rc=$?
  now_ms > "$work/herdcat.roll-end"
  curl -s --max-time 5 http://127.0.0.1:17531/upgrade > "$work/herdcat-upgrade.json" || true
  rolling_s[herdcat]=$(jq -r '.elapsedMillis / 1000 | . * 10 | round / 10' "$work/herdcat-upgrade.json" 2>/dev/null || echo "?")
  say "herdcat: upgrade command exited $rc"
  cp "$work/herdcat-upgrade.log" "$OUT/upgrade-herdcat-command.log"
  roll_ok[herdcat]=$([ "$rc" = 0 ] && echo yes || echo "no (exit $rc)")
  sleep "$AFTER"
  stop_load herdcat
  final_versions[herdcat]=$(for n in 1 2 3; do echo -n "node$n=$(served_version "http://127.0.0.1:1751$n/app") "; done)
  for n in 1 2 3; do stop_pid "${herdcat_pid[n]}"; done
}

# ---------------------------------------------------------------------------------------------------
# tomcat_node N: stock Tomcat N with the durable DeltaManager cluster, app.war v1, started in the background.
tomcat_node() {
  local d="$work/tomcat$1" m members=""
  unpack_tomcat "$d"
  rm -rf "$d/webapps/"*
  cp "$work/v1/app.war" "$d/webapps/app.war"
  for m in 1 2 3; do
    [ "$m" = "$1" ] || members+="$(static_member "1758$m" "$m")"$'\n'
  done
  tomcat_cluster_xml "$1" "tomcat$1" "1758$1" ' channelSendOptions="6"' true \
    "    <Connector port=\"1756$1\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>
    <Connector port=\"1757$1\" address=\"127.0.0.1\" protocol=\"AJP/1.3\" secret=\"$AJP_SECRET\"/>" \
    "${members%$'\n'}" > "$d/conf/server.xml"
  JAVA_OPTS="$NODE_FLAGS -Dherdcat.node=tomcat$1" "$d/bin/catalina.sh" run > "$work/tomcat$1.log" 2>&1 &
  pids+=($!)
  tomcat_pid[$1]=$!
}

declare -A activation=([1]=A [2]=A [3]=A)
# workers_properties: the lb over the three Tomcats, each worker with its activation unless active.
workers_properties() {
  local n
  echo "worker.list=lb,status"
  for n in 1 2 3; do
    echo "worker.tomcat$n.type=ajp13"
    echo "worker.tomcat$n.host=127.0.0.1"
    echo "worker.tomcat$n.port=1757$n"
    echo "worker.tomcat$n.secret=$AJP_SECRET"
    [ "${activation[$n]}" = A ] || echo "worker.tomcat$n.activation=${activation[$n]}"
  done
  echo "worker.lb.type=lb"
  echo "worker.lb.balance_workers=tomcat1,tomcat2,tomcat3"
  echo "worker.lb.sticky_session=1"
  echo "worker.status.type=status"
}

# jk_activation N: worker N's activation as mod_jk's status worker shows it (ACT, DIS or STP).
jk_activation() {
  curl -s --max-time 2 "http://127.0.0.1:17590/jkstatus?cmd=list&mime=prop&w=lb" \
    | sed -n "s/^worker\.tomcat$1\.activation=//p" | head -n 1
}

# set_activation N A|D|S: the operator's edit of workers.properties and graceful restart; waits until
# the status worker shows it.
set_activation() {
  activation[$1]=$2
  workers_properties > "$work/workers.properties.new"
  mv "$work/workers.properties.new" "$work/workers.properties"
  apache2 -f "$work/httpd.conf" -k graceful
  local want end=$((SECONDS + 30))
  want=$(case $2 in A) echo ACT ;; D) echo DIS ;; S) echo STP ;; esac)
  until [ "$(jk_activation "$1")" = "$want" ]; do
    [ "$SECONDS" -gt "$end" ] && { echo "mod_jk never showed tomcat$1 as $want" >&2; return 1; }
    sleep 0.1
  done
}

modjk_run() {
  say "modjk: starting three stock Tomcat $TOMCAT_VERSION nodes, one after the other"
  local n
  for n in 1 2 3; do
    tomcat_node "$n"
    wait_url "http://127.0.0.1:1756$n/app/" 18000 || { tail -n 40 "$work/tomcat$n.log" >&2; return 1; }
  done
  # each node sees the two others (Tribes logs a line per member it adds)
  local end=$((SECONDS + 120))
  for n in 1 2 3; do
    until [ "$(grep -c 'Replication member added' "$work/tomcat$n.log")" -ge 2 ]; do
      [ "$SECONDS" -gt "$end" ] && { echo "tomcat$n never saw the two others" >&2; return 1; }
      sleep 0.1
    done
  done
  workers_properties > "$work/workers.properties"
  httpd_jk_conf 127.0.0.1:17590 -- "/app/* lb" "/jkstatus status" > "$work/httpd.conf"
  apache2 -f "$work/httpd.conf" -k start
  wait_url http://127.0.0.1:17590/app/
  for n in 1 2 3; do
    warm "http://127.0.0.1:1756$n/app"
    [ "$(jk_activation "$n")" = ACT ] || { echo "mod_jk does not show tomcat$n active" >&2; return 1; }
  done
  say "modjk: three Tomcats behind httpd + mod_jk; load for $BASELINE s"
  start_load modjk http://127.0.0.1:17590/app
  sleep "$BASELINE"

  now_ms > "$work/modjk.roll-start"
  local rc=0
  for n in 1 2 3; do
    set_activation "$n" D; event modjk "tomcat$n" disabled
    sleep "$DRAIN"
    set_activation "$n" S; event modjk "tomcat$n" stopped
    cp "$work/v2/app.war" "$work/tomcat$n/app.war.new"
    mv "$work/tomcat$n/app.war.new" "$work/tomcat$n/webapps/app.war"
    event modjk "tomcat$n" deploying
    end=$((SECONDS + ROLL_TIMEOUT))
    until [ "$(served_version "http://127.0.0.1:1756$n/app")" = v2 ]; do
      [ "$SECONDS" -gt "$end" ] && { say "modjk: tomcat$n never answered v2"; rc=1; break 2; }
      sleep 0.2
    done
    event modjk "tomcat$n" answers-v2
    set_activation "$n" A; event modjk "tomcat$n" active
  done
  now_ms > "$work/modjk.roll-end"
  rolling_s[modjk]=$(awk '{print $1}' "$work/modjk.roll-end" "$work/modjk.roll-start" | paste -sd' ' \
    | awk '{printf "%.1f", ($1 - $2) / 1000}')
  roll_ok[modjk]=$([ "$rc" = 0 ] && echo yes || echo no)
  sleep "$AFTER"
  stop_load modjk
  final_versions[modjk]=$(for n in 1 2 3; do echo -n "tomcat$n=$(served_version "http://127.0.0.1:1756$n/app") "; done)
  apache2 -f "$work/httpd.conf" -k stop
  for n in 1 2 3; do stop_pid "${tomcat_pid[n]}"; done
}

# ---------------------------------------------------------------------------------------------------
declare -A roll_ok=() final_versions=() rolling_s=()
declare -a herdcat_pid=() tomcat_pid=()
load_pid=""
front_node=""
for sys in $SYSTEMS; do
  case $sys in
    herdcat) herdcat_run ;;
    modjk) modjk_run ;;
    *) echo "unknown system $sys (herdcat, modjk)" >&2; exit 2 ;;
  esac
  # the per-second lines, and the events in seconds since the load started
  grep -v '^TOTAL' "$work/$sys.csv" > "$OUT/upgrade-$sys.csv"
  start_ms=$(sed -n 's/^# start_epoch_ms=//p' "$work/$sys.csv")
  awk -v s="$start_ms" '{printf "%.3f %s %s\n", ($1 - s) / 1000, $2, $3}' "$work/$sys.events" | sort -n \
    > "$OUT/upgrade-$sys-events.txt"
  for f in roll-start roll-end; do
    awk -v s="$start_ms" '{printf "%.3f\n", ($1 - s) / 1000}' "$work/$sys.$f" > "$OUT/upgrade-$sys.$f"
  done
  grep '^TOTAL' "$work/$sys.csv" > "$OUT/upgrade-$sys-totals.txt"
  cp "$work/$sys.load.err" "$OUT/upgrade-$sys-failures.txt"
done

# total KEY SYSTEM: one value of the load's TOTAL lines.
total() { grep -o "\<$1=[^ ]*" "$OUT/upgrade-$2-totals.txt" | head -n 1 | cut -d= -f2; }
{
  echo "## A release under load: v1 → v2 on three nodes"
  echo
  echo "Clients: $PLAIN plain + $SESSIONS with a session counter, each at most $RATE requests/s; load $WARMUP s" \
       "(warm-up) + $BASELINE s before the release, $AFTER s after it. failed = non-2xx + I/O errors + timeouts (10 s);" \
       "lost session = a counter that reset or jumped; p99 of the requests sent before / during the release."
  echo
  echo "| system | requests | failed | lost sessions | p99 before (ms) | p99 during (ms) | p99 during ÷ before | release duration (s) | of which rolling (s) | release ended | every node on v2 afterwards |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for sys in $SYSTEMS; do
    before=$(total p99_before_ms "$sys"); during=$(total p99_during_ms "$sys")
    duration=$(awk '{print $1}' "$OUT/upgrade-$sys.roll-end" "$OUT/upgrade-$sys.roll-start" | paste -sd' ' \
      | awk '{printf "%.1f", $1 - $2}')
    ratio=$(awk -v a="$during" -v b="$before" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "—" }')
    on_v2=$(echo "${final_versions[$sys]}" | grep -qv '=v[^2]\|=none' && echo yes || echo "no: ${final_versions[$sys]}")
    name=$([ "$sys" = herdcat ] && echo "herdcat upgrade" || echo "httpd + mod_jk, by hand")
    echo "| $name | $(total requests "$sys") | $(total failed "$sys") | $(total lost_sessions "$sys") | $before | $during | $ratio | $duration | ${rolling_s[$sys]} | ${roll_ok[$sys]} | $on_v2 |"
  done
  echo
  for sys in $SYSTEMS; do
    echo "$sys: $(total version_v1 "$sys") answers from v1, $(total version_v2 "$sys") from v2 (first v2 answer" \
         "$(total v2_first_s "$sys") s, last v1 answer $(total v1_last_s "$sys") s after the load started;" \
         "release $(cat "$OUT/upgrade-$sys.roll-start") s → $(cat "$OUT/upgrade-$sys.roll-end") s);" \
         "failed: $(total non2xx "$sys") non-2xx, $(total io_errors "$sys") I/O errors, $(total timeouts "$sys") timeouts;" \
         "final versions: ${final_versions[$sys]}"
  done
  if [ -n "$front_node" ]; then
    echo "herdcat: the front ran on $front_node; release duration = from starting \`herdcat upgrade\` to its exit" \
         "(JVM start and upload included), rolling = the upgrade's own elapsedMillis in GET /upgrade."
  fi
  echo "modjk: release duration = rolling = from the first edit of workers.properties to the last graceful restart" \
       "showing in mod_jk's status worker; drain $DRAIN s per worker."
  echo
  echo "bench/upgrade.sh (SYSTEMS=\"$SYSTEMS\" PLAIN=$PLAIN SESSIONS=$SESSIONS RATE=$RATE WARMUP=$WARMUP BASELINE=$BASELINE" \
       "AFTER=$AFTER DRAIN=$DRAIN), $((SECONDS - started_at)) s; nodes, fronts and clients on one $(nproc)-core machine;" \
       "node flags $NODE_FLAGS; $(apache2 -v | sed -n 's/^Server version: \([^ ]*\).*/\1/p') + mod_jk (event MPM);" \
       "$(java -version 2>&1 | head -1); $(date -u '+%F %H:%M') UTC"
} > "$OUT/upgrade-results.txt"

chart
cat "$OUT/upgrade-results.txt"
