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
  until curl -skf -o /dev/null "$1"; do   # -k: the benches' fronts have self-signed certificates
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

# stop_all PID...: SIGTERM to each, up to 30 s for all to end, then SIGKILL (an httpd parent stops its children).
stop_all() {
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 300); do
    local alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null || true; done
}

# httpd_jk_conf LISTEN [DIRECTIVE...] -- MOUNT...: an httpd.conf whose files are in $work (pid, logs,
# workers.properties), the event MPM and mod_jk; each DIRECTIVE a line after the MPM is loaded (Debian
# defaults to include, say), each MOUNT "PATH WORKER" for JkMount.
httpd_jk_conf() {
  local listen=$1 line
  shift
  : "${work:?httpd_jk_conf writes paths in \$work}"
  cat <<CFG
ServerName localhost
ServerRoot /etc/apache2
Listen $listen
PidFile $work/httpd.pid
ErrorLog $work/httpd-error.log
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
CFG
  while [ $# -gt 0 ] && [ "$1" != -- ]; do echo "$1"; shift; done
  [ $# -gt 0 ] && shift
  cat <<CFG
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule jk_module /usr/lib/apache2/modules/mod_jk.so
JkWorkersFile $work/workers.properties
JkShmFile $work/jk.shm
JkLogFile $work/jk.log
JkLogLevel error
CFG
  for line in "$@"; do echo "JkMount $line"; done
  echo "JkMountCopy All"
}

# static_member PORT ID: a Tribes static member on 127.0.0.1 for tomcat_cluster_xml.
static_member() {
  cat <<XML
            <Member className="org.apache.catalina.tribes.membership.StaticMember" host="127.0.0.1"
                    port="$1" uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,$2}"/>
XML
}

# tomcat_cluster_xml ID JVMROUTE RECEIVER_PORT CLUSTER_ATTRS AUTODEPLOY CONNECTORS MEMBERS: a stock
# Tomcat server.xml with the DeltaManager cluster on static membership (as NOTES-anchors describes):
# CONNECTORS and MEMBERS (static_member lines) are XML, CLUSTER_ATTRS extra attributes of <Cluster>.
tomcat_cluster_xml() {
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
$6
    <Engine name="Catalina" defaultHost="localhost" jvmRoute="$2">
      <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"$4>
        <Manager className="org.apache.catalina.ha.session.DeltaManager" expireSessionsOnShutdown="false"
                 notifyListenersOnReplication="true"/>
        <Channel className="org.apache.catalina.tribes.group.GroupChannel">
          <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService">
            <LocalMember className="org.apache.catalina.tribes.membership.StaticMember"
                         uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,$1}"/>
$7
          </Membership>
          <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" address="127.0.0.1"
                    port="$3" autoBind="0"/>
          <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
            <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>
          </Sender>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>
        </Channel>
        <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter=""/>
        <Valve className="org.apache.catalina.ha.session.JvmRouteBinderValve"/>
        <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
      </Cluster>
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="$5"/>
    </Engine>
  </Service>
</Server>
XML
}
