#!/usr/bin/env bash
# Start-up to the first served request, and idle RSS: a Herdcat node beside a stock Tomcat 11
# distribution, same machine, same webapp (session-demo.war), same request (GET /session-demo/); on the
# default java, and on Java 25 (JAVA25) when it is there.
# Usage: bench/startup.sh            (RUNS=5 by default; results in bench/out/startup.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=${RUNS:-5}
PORT=${PORT:-18080}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
bench_prepare
CDS="$OUT/herdcat.jsa"
rm -f "$CDS"
# shellcheck disable=SC2086
java $NODE_FLAGS -Xlog:cds=off -XX:ArchiveClassesAtExit="$CDS" -jar "$JAR" train-cds > "$OUT/train-cds.log" 2>&1
AOT="$OUT/herdcat.aot"
rm -f "$AOT"
if [ -x "$JAVA25" ]; then
  # the AOT cache, as the installer makes it on Java 25 and later
  # shellcheck disable=SC2086
  "$JAVA25" $NODE_FLAGS -Xlog:aot=off -XX:AOTCacheOutput="$AOT" -jar "$JAR" train-cds > "$OUT/train-aot.log" 2>&1
else
  echo "no Java 25 at $JAVA25 (JAVA25=FILE names one): its rows are skipped" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL CMD... : prints "<ms> <rss-kB>" for one start; the command must serve PORT.
measure() {
  local log="$work/$1.log" start end pid rss tries=0
  shift
  port_free "$PORT" || { echo "port $PORT is taken" >&2; exit 1; }
  start=$(date +%s%N)
  "$@" > "$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/session-demo/"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 6000 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "no answer from: $*" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.01
  done
  end=$(date +%s%N)
  sleep 5   # idle, then read the resident set
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  while ! port_free "$PORT"; do sleep 0.05; done
  echo "$(( (end - start) / 1000000 )) $rss"
}

herdcat_run() {  # herdcat_run JAVA EXTRA_JVM_FLAGS
  local d="$work/herdcat"
  rm -rf "$d"; mkdir -p "$d/webapps"; cp "$WAR" "$d/webapps/"
  # shellcheck disable=SC2086
  measure herdcat "$1" $NODE_FLAGS $2 -jar "$JAR" --webapps "$d/webapps" --work-dir "$d/work" \
    --http-port "$PORT" --ajp-port 0 --admin-port 0
}

tomcat_run() {  # tomcat_run JAVA_OPTS [JAVA_HOME]: without JAVA_HOME, the java catalina.sh finds itself
  local d="$work/tomcat"
  unpack_tomcat "$d"
  sed -i "s/port=\"8080\"/port=\"$PORT\"/; s/port=\"8005\"/port=\"-1\"/" "$d/conf/server.xml"
  # run in a command substitution's subshell: the export stays there
  if [ -n "${2:-}" ]; then export JAVA_HOME="$2"; fi
  JAVA_OPTS="$1" CATALINA_PID="" measure tomcat "$d/bin/catalina.sh" run
}

declare -A ms rss
tomcat="stock Tomcat $TOMCAT_VERSION, its defaults"
tomcat25="stock Tomcat $TOMCAT_VERSION on Java 25, its defaults"
variants=("herdcat, recommended flags + CDS archive" "herdcat, recommended flags, no archive" \
          "$tomcat" "stock Tomcat $TOMCAT_VERSION, herdcat's flags")
if [ -x "$JAVA25" ]; then
  variants+=("herdcat on Java 25, recommended flags + AOT cache" "herdcat on Java 25, recommended flags, no cache" \
             "$tomcat25")
fi
for i in $(seq 1 "$RUNS"); do
  for v in "${variants[@]}"; do
    case "$v" in
      *"+ CDS"*) r=$(herdcat_run java "-XX:SharedArchiveFile=$CDS") ;;
      *"+ AOT"*) r=$(herdcat_run "$JAVA25" "-XX:AOTCache=$AOT") ;;
      herdcat*"Java 25"*) r=$(herdcat_run "$JAVA25" "") ;;
      herdcat*) r=$(herdcat_run java "") ;;
      *"Java 25"*) r=$(tomcat_run "" "${JAVA25%/bin/java}") ;;
      *defaults) r=$(tomcat_run "") ;;
      *) r=$(tomcat_run "$NODE_FLAGS") ;;
    esac
    ms[$v]+="${r% *} "; rss[$v]+="${r#* } "
    echo "run $i: $v: ${r% *} ms, ${r#* } kB" >&2
  done
done

base_ms=$(echo "${ms[$tomcat]}" | median)
{
  echo "| variant | start to first response, median of $RUNS (ms) | runs (ms) | idle RSS, median (MB) | time ÷ stock Tomcat | time ÷ stock Tomcat, same Java |"
  echo "|---|---|---|---|---|---|"
  for v in "${variants[@]}"; do
    m=$(echo "${ms[$v]}" | median); r=$(echo "${rss[$v]}" | median)
    case "$v" in
      *"Java 25"*) same_ms=$(echo "${ms[$tomcat25]}" | median) ;;
      *) same_ms=$base_ms ;;
    esac
    printf '| %s | %s | %s | %s | %.2f | %.2f |\n' "$v" "$m" "${ms[$v]% }" "$((r / 1024))" \
      "$(echo "$m / $base_ms" | bc -l)" "$(echo "$m / $same_ms" | bc -l)"
  done
  echo
  echo "JVM: $(java -version 2>&1 | head -1); $(nproc) cores; recommended flags: $NODE_FLAGS; $(date -u +%F)"
  if [ -x "$JAVA25" ]; then
    echo "Java 25 rows: $("$JAVA25" -version 2>&1 | head -1); the AOT cache made by train-cds (-XX:AOTCacheOutput)"
  else
    echo "Java 25 rows skipped: no Java 25 at $JAVA25 (JAVA25=FILE names one)"
  fi
} | tee "$OUT/startup.md"
