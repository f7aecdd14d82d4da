#!/usr/bin/env bash
# Shared helpers for the benchmark scripts (sourced, not run).
# shellcheck disable=SC2034
OUT=bench/out
# The jar: HERDCAT_JAR if set (e.g. a copy built beforehand), else the build's. Unset afterwards: a
# node refuses to start when it sees a HERDCAT_* variable that is not one of its settings.
JAR=${HERDCAT_JAR:-appliance/target/herdcat.jar}
unset HERDCAT_JAR
WAR=session-demo/target/session-demo.war
TOMCAT_VERSION=11.0.18
TGZ="$OUT/tomcat-$TOMCAT_VERSION.tar.gz"
# The JVM flags README.md recommends for a node.
NODE_FLAGS="-XX:+UseSerialGC -Xms32m -Xmx512m"

# Builds the jar and the demo war if missing, and fetches the stock Tomcat distribution.
bench_prepare() {
  mkdir -p "$OUT"
  if [ ! -f "$JAR" ] || [ ! -f "$WAR" ]; then mvn -B -q package -DskipTests; fi
  local m2="$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz"
  if [ ! -f "$TGZ" ] && [ -f "$m2" ]; then cp "$m2" "$TGZ"; fi   # already in the local repository: no download
  if [ ! -f "$TGZ" ]; then
    mvn -B -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" -DoutputDirectory="$OUT"
  fi
  # the benchmarks run their nodes as whoever runs them; a node started as root refuses to run
  # without `user` unless allow.root is set
  if [ "$(id -u)" = 0 ] && knows_allow_root "$JAR"; then export HERDCAT_ALLOW_ROOT=true; fi
}

# knows_allow_root JAR: true when that build has the allow.root setting (older builds refuse the variable).
knows_allow_root() { java -jar "$1" --help 2>/dev/null | grep -q -- '--allow-root'; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_url URL [TRIES]: polls every 10 ms until URL answers 2xx; fails after TRIES (default 3000).
wait_url() {
  local tries=0
  until curl -sf -o /dev/null "$1"; do
    tries=$((tries + 1))
    [ "$tries" -gt "${2:-3000}" ] && { echo "no answer from $1" >&2; return 1; }
    sleep 0.01
  done
}

# stop_pid PID: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# unpack_tomcat DIR: a fresh stock Tomcat in DIR with only session-demo.war in webapps/.
unpack_tomcat() {
  rm -rf "$1"; mkdir -p "$1"
  tar -xzf "$TGZ" -C "$1" --strip-components=1
  rm -rf "$1/webapps/"*; cp "$WAR" "$1/webapps/"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
