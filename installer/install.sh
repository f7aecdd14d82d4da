#!/usr/bin/env bash
# Installs Herdcat nodes on this host as systemd services: sudo installer/install.sh [OPTIONS]
# See usage() below, or installer/install.sh --help.
set -euo pipefail
umask 022

readonly SELF="herdcat install"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly SERVICE_USER=herdcat
readonly UNIT_JAVA=/usr/bin/java
readonly MIN_SECRET=16
readonly MIN_JAVA=17
# from this Java on the JVM makes and refreshes the class-data archive itself (AutoCreateSharedArchive)
readonly AUTO_ARCHIVE_JAVA=19
# the unit as shipped names the archive train-cds makes here (Java 17 and 18) ...
readonly UNIT_ARCHIVE="-XX:SharedArchiveFile=/opt/herdcat/herdcat.jsa"
# ... which Java 19 to 24 replace with one per node that the JVM makes at its first stop and
# makes again after a change of the jar or the JDK (in the one folder the node may write)
readonly AUTO_ARCHIVE="-XX:SharedArchiveFile=/var/lib/herdcat/%i/herdcat.jsa -XX:+AutoCreateSharedArchive"
# from this Java on the installer makes an AOT cache instead (JEP 483): the classes train-cds used,
# loaded and linked ahead, which starts a node faster than either archive
readonly AOT_CACHE_JAVA=25
# ... which the unit then names in place of the archive
readonly AOT_CACHE="-XX:AOTCache=/opt/herdcat/herdcat.aot"

usage() {
  cat <<'EOF'
Usage: sudo installer/install.sh [OPTIONS]          install (again: changes only what differs)
       sudo installer/install.sh --upgrade [--jar FILE] [--force]   swap the jar, rolling restart
       sudo installer/install.sh --uninstall [--purge]    remove services and binaries (--purge: data too)

Installs the jar to /opt/herdcat, the `herdcat` command to PREFIX/bin, one systemd service
herdcat@NODE per node, its config to /etc/herdcat/NODE.properties and its webapps and state to
/var/lib/herdcat/NODE. The cluster secret (/etc/herdcat/cluster.secret) and the admin token
(/etc/herdcat/admin.token) are made once and never replaced.

Options:
  --name NAME         node name (jvmRoute); with --nodes N the nodes are NAME-1 .. NAME-N
                      (default: the short host name)
  --nodes N           nodes on this host, ports shifted by one per node (default 1)
  --port-offset N     port offset of the first node (default 0)
  --peers LIST        host:port,... of the members' JGroups ports (default: multicast discovery)
  --vip ADDR/PREFIX   the front's address, moved to whichever node runs the front
  --secret-file FILE  the cluster secret of the first host (every host needs the same one)
  --war FILE          a WAR to put into every node's webapps folder (repeatable)
  --set KEY=VALUE     any other setting for every node's config (repeatable)
  --jar FILE          herdcat.jar to install (default: appliance/target/herdcat.jar of this tree)
  --java FILE         java to run the nodes with (default: $JAVA_HOME/bin/java, else java on PATH)
  --prefix DIR        where the `herdcat` command goes, in DIR/bin (default /usr/local)
  --upgrade           install a new jar and restart this host's nodes through the cluster's
                      rolling restart (each drained, restarted, ready, enabled in turn); one
                      at a time with systemctl where the cluster cannot take one (a lone node)
  --force             with --upgrade: restart even when the new jar could not exchange sessions
                      with the nodes still running the old one (another Tomcat version)
  --uninstall         stop and remove the services, the jar and the command; keep config and data
  --purge             with --uninstall: also remove /etc/herdcat, /var/lib/herdcat and the user
  -h, --help          this help

DESTDIR=DIR installs into DIR instead of / (for packagers): nothing is started, and the commands
to run are printed. Exit codes: 0 done, 1 a step failed, 2 bad input (nothing was changed).
EOF
}

# one line naming the problem, exit 2, before anything is changed
bad() {
  echo "$SELF: $*" >&2
  exit 2
}

# a step that failed once changes began
fail() {
  echo "$SELF: $*" >&2
  exit 1
}

say() {
  echo "$SELF: $*"
}

mode=install
java_major=0
purge=false
force=false
name=""
nodes=1
port_offset=0
peers=""
vip=""
secret_file=""
jar=""
java=""
prefix=/usr/local
wars=()
sets=()

need_value() {
  [[ $# -ge 2 && -n $2 ]] || bad "$1 needs a value (see install.sh --help)"
}

while [[ $# -gt 0 ]]; do
  opt=$1
  if [[ $opt == --*=* ]]; then
    set -- "${opt%%=*}" "${opt#*=}" "${@:2}"
    opt=$1
  fi
  case $opt in
    --name) need_value "$@"; name=$2; shift ;;
    --nodes) need_value "$@"; nodes=$2; shift ;;
    --port-offset) need_value "$@"; port_offset=$2; shift ;;
    --peers) need_value "$@"; peers=$2; shift ;;
    --vip) need_value "$@"; vip=$2; shift ;;
    --secret-file) need_value "$@"; secret_file=$2; shift ;;
    --war) need_value "$@"; wars+=("$2"); shift ;;
    --set) need_value "$@"; sets+=("$2"); shift ;;
    --jar) need_value "$@"; jar=$2; shift ;;
    --java) need_value "$@"; java=$2; shift ;;
    --prefix) need_value "$@"; prefix=$2; shift ;;
    --upgrade) mode=upgrade ;;
    --uninstall) mode=uninstall ;;
    --purge) purge=true ;;
    --force) force=true ;;
    -h | --help) usage; exit 0 ;;
    *) bad "unknown option $opt (see install.sh --help)" ;;
  esac
  shift
done

DEST=${DESTDIR:-}
[[ -z $DEST || $DEST == /* ]] || bad "DESTDIR=$DEST must be an absolute path"
DEST=${DEST%/}
readonly DEST
readonly OPT_DIR=$DEST/opt/herdcat
readonly ETC_DIR=$DEST/etc/herdcat
readonly VAR_DIR=$DEST/var/lib/herdcat
readonly UNIT_DIR=$DEST/etc/systemd/system
readonly UNIT=$UNIT_DIR/herdcat@.service

is_root() {
  [[ $EUID -eq 0 ]]
}

# systemd manages this host's services (and we install into this host, not into a DESTDIR)
systemd_runs() {
  [[ -z $DEST && -d /run/systemd/system ]]
}

# ---------------------------------------------------------------------------------------------
# checks: all of them come before the first change

check_common() {
  [[ $prefix == /* ]] || bad "--prefix $prefix must be an absolute path"
  if [[ -z $DEST ]] && ! is_root; then
    bad "run it as root (sudo installer/install.sh ...): it creates a user, services and /etc/herdcat"
  fi
}

# the java that runs the nodes, checked to be 17 or later
find_java() {
  local origin
  if [[ -n $java ]]; then
    origin="--java $java"
  elif [[ -n ${JAVA_HOME:-} ]]; then
    java=$JAVA_HOME/bin/java
    origin="JAVA_HOME=$JAVA_HOME"
  else
    java=$(command -v java || true)
    origin="PATH"
    [[ -n $java ]] || bad "no java on PATH; Herdcat needs Java $MIN_JAVA or later (Debian: apt-get install openjdk-17-jre-headless)"
  fi
  [[ -x $java && ! -d $java ]] || bad "no java at $java ($origin); Herdcat needs Java $MIN_JAVA or later (Debian: apt-get install openjdk-17-jre-headless)"
  local version major
  version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  [[ -n $version ]] || bad "$java ($origin) does not say its version; Herdcat needs Java $MIN_JAVA or later"
  major=${version#1.}
  major=${major%%.*}
  [[ $major =~ ^[0-9]+$ ]] || bad "$java ($origin) says version $version, which is not a number"
  ((major >= MIN_JAVA)) || bad "$java ($origin) is Java $version; Herdcat needs Java $MIN_JAVA or later (Debian: apt-get install openjdk-17-jre-headless)"
  java_major=$major
  if [[ $java != /* ]]; then
    java=$(cd "$(dirname "$java")" && pwd)/$(basename "$java")
  fi
}

check_jar() {
  if [[ -z $jar ]]; then
    jar=$HERE/../appliance/target/herdcat.jar
    [[ -f $jar ]] || bad "no jar at appliance/target/herdcat.jar; build it (mvn -B package -DskipTests) or give --jar FILE"
  fi
  [[ -f $jar && -r $jar ]] || bad "--jar $jar: no such file"
  [[ $(head -c 2 "$jar" | od -An -c | tr -d ' ') == PK ]] || bad "--jar $jar is not a jar"
  "$java" -jar "$jar" --version >/dev/null 2>&1 || bad "--jar $jar does not run ($java -jar $jar --version fails)"
}

check_install() {
  [[ -f $HERE/../systemd/herdcat@.service ]] || bad "no unit at systemd/herdcat@.service beside installer/; run the installer from Herdcat's folder"
  if ! [[ $nodes =~ ^[1-9][0-9]*$ ]] || ((nodes > 100)); then
    bad "--nodes $nodes must be a number from 1 to 100"
  fi
  if ! [[ $port_offset =~ ^(0|[1-9][0-9]*)$ ]] || ((port_offset > 1000)); then
    bad "--port-offset $port_offset must be a number from 0 to 1000"
  fi
  if [[ -z $name ]]; then
    name=$(hostname -s 2>/dev/null || hostname)
    [[ $name =~ ^[A-Za-z0-9_-]+$ ]] || bad "the host name '$name' is not a valid node name; give --name NAME (letters, digits, - and _)"
  fi
  [[ $name =~ ^[A-Za-z0-9_-]+$ ]] || bad "--name '$name': a node name has only letters, digits, - and _"
  if [[ -n $peers ]]; then
    local peer peer_list host_port='^[][A-Za-z0-9._:-]+:[0-9]{1,5}$'
    IFS=, read -r -a peer_list <<<"$peers"
    for peer in "${peer_list[@]}"; do
      [[ $peer =~ $host_port ]] || bad "--peers: '$peer' is not host:port"
    done
  fi
  if [[ -n $vip ]]; then
    [[ $vip =~ ^[0-9A-Fa-f.:]+/[0-9]{1,3}$ ]] || bad "--vip $vip is not ADDR/PREFIX (like 192.0.2.10/24)"
  fi
  local war
  for war in "${wars[@]}"; do
    [[ -f $war && -r $war ]] || bad "--war $war: no such file"
    [[ $war == *.war ]] || bad "--war $war: the file name must end in .war (it becomes the context path)"
  done
  local kv key
  for kv in "${sets[@]}"; do
    [[ $kv =~ ^[a-z][a-z0-9.]*=.*$ ]] || bad "--set $kv is not KEY=VALUE (like front.port=8000)"
    key=${kv%%=*}
    case $key in
      name | port.offset | webapps | work.dir | secret.file | admin.token.file | peers | front.vip | user | config)
        bad "--set $kv: $key is set by the installer (see install.sh --help)" ;;
    esac
  done
  if [[ -n $secret_file ]]; then
    [[ -f $secret_file && -r $secret_file ]] || bad "--secret-file $secret_file: no such file"
    local secret
    secret=$(secret_of "$secret_file")
    ((${#secret} >= MIN_SECRET)) || bad "--secret-file $secret_file holds ${#secret} characters; a cluster secret needs at least $MIN_SECRET"
    if [[ -f $ETC_DIR/cluster.secret && $(secret_of "$ETC_DIR/cluster.secret") != "$secret" ]]; then
      bad "--secret-file $secret_file differs from the installed $ETC_DIR/cluster.secret, which is never replaced; remove that file first to change the cluster's secret"
    fi
  fi
}

# the secret in a file as the node reads it: without surrounding white space
secret_of() {
  local s
  s=$(<"$1")
  s=${s#"${s%%[![:space:]]*}"}
  s=${s%"${s##*[![:space:]]}"}
  printf '%s' "$s"
}

# this host's node names: NAME, or NAME-1 .. NAME-N
node_names() {
  if ((nodes == 1)); then
    echo "$name"
  else
    local i
    for ((i = 1; i <= nodes; i++)); do
      echo "$name-$i"
    done
  fi
}

# the nodes already installed: one config file each
installed_nodes() {
  local f
  for f in "$ETC_DIR"/*.properties; do
    [[ -f $f ]] && basename "$f" .properties
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# changes: each helper changes only what differs and counts what it changed

# counted in this shell: the helpers below take their input by redirection, never from a pipe (a
# function at the end of a pipe runs in a subshell, and what it counts would be lost)
changes=0

changed() {
  changes=$((changes + 1))
  say "$*"
}

# MODE OWNER:GROUP PATH: sets both when they differ (owners only as root)
fix_mode() {
  local mode=$1 owner=$2 path=$3
  if [[ $(stat -c %a "$path") != "$mode" ]]; then
    chmod "$mode" "$path"
    changed "mode $mode on ${path#"$DEST"}"
  fi
  if is_root && [[ $(stat -c %U:%G "$path") != "$owner" ]]; then
    chown "$owner" "$path"
    changed "owner $owner on ${path#"$DEST"}"
  fi
}

# a folder of the system (like /usr/local/bin): created when missing, otherwise left as it is
ensure_system_dir() {
  if [[ ! -d $1 ]]; then
    mkdir -p "$1"
    changed "created ${1#"$DEST"}/"
  fi
}

ensure_dir() {
  local mode=$1 owner=$2 path=$3
  if [[ ! -d $path ]]; then
    mkdir -p "$path"
    chmod "$mode" "$path"
    if is_root; then chown "$owner" "$path"; fi
    changed "created ${path#"$DEST"}/"
  fi
  fix_mode "$mode" "$owner" "$path"
}

# MODE OWNER:GROUP SOURCE TARGET: the target gets the source's content by an atomic rename, so a
# running node never reads a half-written jar
ensure_file() {
  local mode=$1 owner=$2 source=$3 target=$4
  if ! cmp -s "$source" "$target"; then
    local tmp
    tmp=$(mktemp "$(dirname "$target")/.install.XXXXXX")
    cat "$source" >"$tmp"
    chmod "$mode" "$tmp"
    if is_root; then chown "$owner" "$tmp"; fi
    mv -f "$tmp" "$target"
    changed "installed ${target#"$DEST"}"
  fi
  fix_mode "$mode" "$owner" "$target"
}

# MODE OWNER:GROUP TARGET, content on stdin
ensure_content() {
  local mode=$1 owner=$2 target=$3 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  ensure_file "$mode" "$owner" "$tmp" "$target"
  rm -f "$tmp"
}

# MODE OWNER:GROUP TARGET, content on stdin: written only when the target does not exist yet
create_once() {
  local mode=$1 owner=$2 target=$3
  if [[ -e $target ]]; then
    cat >/dev/null
    fix_mode "$mode" "$owner" "$target"
  else
    ensure_content "$mode" "$owner" "$target"
  fi
}

remove() {
  local path
  for path in "$@"; do
    if [[ -e $path || -L $path ]]; then
      rm -rf "$path"
      changed "removed ${path#"$DEST"}"
    fi
  done
}

# ---------------------------------------------------------------------------------------------

ensure_user() {
  is_root || return 0
  if ! getent group "$SERVICE_USER" >/dev/null; then
    groupadd --system "$SERVICE_USER"
    changed "created group $SERVICE_USER"
  fi
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --gid "$SERVICE_USER" --home-dir /var/lib/herdcat --no-create-home \
      --shell /usr/sbin/nologin --comment "Herdcat nodes" "$SERVICE_USER"
    changed "created user $SERVICE_USER"
  fi
}

random_text() {
  head -c 32 /dev/urandom | base64 | tr -d '\n/+='
}

# the unit as shipped, with the java it runs replaced when it is not /usr/bin/java; on Java 19 to 24
# the archive the JVM makes itself instead of the one train-cds makes here, on Java 25 and later the
# AOT cache train-cds makes here
unit_text() {
  local source=$HERE/../systemd/herdcat@.service archive=$UNIT_ARCHIVE
  if ((java_major >= AOT_CACHE_JAVA)); then
    archive=$AOT_CACHE
  elif ((java_major >= AUTO_ARCHIVE_JAVA)); then
    archive=$AUTO_ARCHIVE
  fi
  sed -e "s|^ExecStart=$UNIT_JAVA |ExecStart=$java |" -e "/^ExecStart=/s|$UNIT_ARCHIVE|$archive|" "$source"
}

# the JVM flags of the unit's ExecStart that the archive must be made and checked with
readonly ARCHIVE_JVM_FLAGS=(-XX:+UseSerialGC -Xms32m -Xmx512m)

# train_cds FLAGS...: train-cds of the installed jar with the unit's JVM flags and FLAGS, from / so that
# no herdcat.properties of the current folder counts
train_cds() {
  (cd / && "$java" "${ARCHIVE_JVM_FLAGS[@]}" "$@" -jar "$OPT_DIR/herdcat.jar" train-cds)
}

# starts_with FLAGS...: the installed jar starts (--version) with the unit's JVM flags and FLAGS
starts_with() {
  "$java" "${ARCHIVE_JVM_FLAGS[@]}" "$@" -jar "$OPT_DIR/herdcat.jar" --version >/dev/null 2>&1
}

# The archive the unit names, made by train-cds for this jar and this java (a node starts on loopback
# ports, serves a few requests and stops) when the one there does not load with them: on Java 25 and
# later the AOT cache /opt/herdcat/herdcat.aot, on Java 17 and 18 the class-data archive
# /opt/herdcat/herdcat.jsa (-XX:AOTMode=on and -Xshare:on refuse one of another jar or JDK). Either
# holds the jar's path, so for a DESTDIR it is made where the nodes run: the command is printed. Java
# 19 to 24 make their own. What was made for a java of another version is removed.
ensure_archive() {
  local name what quiet record strict use
  if ((java_major >= AOT_CACHE_JAVA)); then
    remove "$OPT_DIR/herdcat.jsa"
    name=herdcat.aot what="AOT cache" quiet=-Xlog:aot=off record=-XX:AOTCacheOutput
    strict=-XX:AOTMode=on use=-XX:AOTCache
  elif ((java_major >= AUTO_ARCHIVE_JAVA)); then
    remove "$OPT_DIR/herdcat.jsa" "$OPT_DIR/herdcat.aot"
    return 0
  else
    remove "$OPT_DIR/herdcat.aot"
    name=herdcat.jsa what="class-data archive" quiet=-Xlog:cds=off record=-XX:ArchiveClassesAtExit
    strict=-Xshare:on use=-XX:SharedArchiveFile
  fi
  if [[ -n $DEST ]]; then
    say "to start the nodes faster, make their $what where they run, as root, once per jar and JDK:"
    echo "  $java ${ARCHIVE_JVM_FLAGS[*]} $quiet $record=/opt/herdcat/$name -jar /opt/herdcat/herdcat.jar train-cds"
    return 0
  fi
  if starts_with "$strict" "$use=$OPT_DIR/$name"; then
    return 0
  fi
  local tmp log
  tmp=$(mktemp "$OPT_DIR/.$name.XXXXXX")
  log=$(mktemp)
  say "making the $what /opt/herdcat/$name (train-cds) so that the nodes start faster"
  if train_cds "$quiet" "$record=$tmp" >"$log" 2>&1 && starts_with "$strict" "$use=$tmp"; then
    chmod 644 "$tmp"
    mv -f "$tmp" "$OPT_DIR/$name"
    changed "made /opt/herdcat/$name"
  else
    # the JVM records an AOT cache's training in FILE.config, removed once the cache is made
    rm -f "$tmp" "$tmp.config"
    say "warning: train-cds failed, the nodes start without the $what: $(tail -n 1 "$log")"
  fi
  rm -f "$log"
}

# what the herdcat command runs
command_text() {
  cat <<EOF
#!/bin/sh
# Herdcat's command line: herdcat status, herdcat --help (installed by installer/install.sh)
exec $java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /opt/herdcat/herdcat.jar "\$@"
EOF
}

# NODE OFFSET: a node's configuration as first written
config_text() {
  local node=$1 offset=$2 kv
  cat <<EOF
# Herdcat node $node. The installer writes this file once and then leaves it alone: edit it, then
# systemctl restart herdcat@$node. Every setting: herdcat --help, or the README's Configuration table.
name=$node
port.offset=$offset
webapps=/var/lib/herdcat/$node/webapps
work.dir=/var/lib/herdcat/$node/work
secret.file=/etc/herdcat/cluster.secret
admin.token.file=/etc/herdcat/admin.token
EOF
  if [[ -n $peers ]]; then echo "peers=$peers"; fi
  if [[ -n $vip ]]; then echo "front.vip=$vip"; fi
  for kv in "${sets[@]}"; do
    echo "$kv"
  done
}

vip_dropin_text() {
  cat <<'EOF'
# front.vip is set in this node's config: the node adds and removes that address with ip and
# announces it with arping, which needs these rights on top of the unit's (installer/install.sh)
[Service]
CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW
RestrictAddressFamilies=AF_PACKET
EOF
}

# the value of KEY in a properties file, empty when absent
config_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*[=:][[:space:]]*//p" "$2" | tail -n 1
}

units_changed=false

install_node() {
  local node=$1 offset=$2 config=$ETC_DIR/$1.properties
  ensure_dir 750 "$SERVICE_USER:$SERVICE_USER" "$VAR_DIR/$node"
  ensure_dir 750 "$SERVICE_USER:$SERVICE_USER" "$VAR_DIR/$node/webapps"
  ensure_dir 750 "$SERVICE_USER:$SERVICE_USER" "$VAR_DIR/$node/work"
  if [[ -f $config ]] && ! cmp -s <(config_text "$node" "$offset") "$config"; then
    say "kept $config as it is (these options would write it differently; edit it, or remove it to have it written again)"
  fi
  create_once 640 "root:$SERVICE_USER" "$config" < <(config_text "$node" "$offset")
  local war
  for war in "${wars[@]}"; do
    ensure_file 640 "$SERVICE_USER:$SERVICE_USER" "$war" "$VAR_DIR/$node/webapps/$(basename "$war")"
  done
  local dropin=$UNIT_DIR/herdcat@$node.service.d
  local unit_before=$changes
  if [[ -n $(config_value front.vip "$config") ]]; then
    ensure_dir 755 root:root "$dropin"
    ensure_content 644 root:root "$dropin/vip.conf" < <(vip_dropin_text)
  else
    remove "$dropin/vip.conf"
    if [[ -d $dropin ]]; then rmdir --ignore-fail-on-non-empty "$dropin"; fi
  fi
  if ((changes != unit_before)); then units_changed=true; fi
}

do_install() {
  check_common
  find_java
  check_jar
  check_install
  local names
  mapfile -t names < <(node_names)

  ensure_user
  ensure_dir 755 root:root "$OPT_DIR"
  ensure_file 644 root:root "$jar" "$OPT_DIR/herdcat.jar"
  ensure_archive
  ensure_system_dir "$DEST$prefix/bin"
  ensure_content 755 root:root "$DEST$prefix/bin/herdcat" < <(command_text)
  ensure_dir 750 "root:$SERVICE_USER" "$ETC_DIR"
  if [[ -n $secret_file ]]; then
    create_once 640 "root:$SERVICE_USER" "$ETC_DIR/cluster.secret" < <(secret_of "$secret_file")
  else
    create_once 640 "root:$SERVICE_USER" "$ETC_DIR/cluster.secret" < <(random_text)
  fi
  create_once 640 "root:$SERVICE_USER" "$ETC_DIR/admin.token" < <(random_text)
  ensure_dir 755 root:root "$VAR_DIR"
  ensure_system_dir "$UNIT_DIR"
  local before=$changes
  ensure_content 644 root:root "$UNIT" < <(unit_text)
  if ((changes != before)); then units_changed=true; fi
  local i
  for i in "${!names[@]}"; do
    install_node "${names[$i]}" $((port_offset + i))
  done
  start_services "${names[@]}"
  if ((changes == 0)); then
    say "nothing changed: ${names[*]} already installed as these options say"
  else
    say "installed ${names[*]}: config in /etc/herdcat, webapps and state in /var/lib/herdcat/NODE, logs: journalctl -u 'herdcat@*'"
  fi
}

start_services() {
  local node
  if ! systemd_runs; then
    say "to start the nodes (systemd does not run here${DEST:+, or this is a DESTDIR install}), run:"
    echo "  systemctl daemon-reload"
    for node in "$@"; do
      echo "  systemctl enable --now herdcat@$node"
    done
    return 0
  fi
  if $units_changed; then
    systemctl daemon-reload
  fi
  for node in "$@"; do
    if ! systemctl is-enabled --quiet "herdcat@$node"; then
      systemctl enable --quiet "herdcat@$node"
      changed "enabled herdcat@$node"
    fi
    if ! systemctl is-active --quiet "herdcat@$node"; then
      say "starting herdcat@$node (until its webapps serve)"
      systemctl start "herdcat@$node" || fail "herdcat@$node did not start; see journalctl -u herdcat@$node"
      changed "started herdcat@$node"
    fi
  done
}

do_upgrade() {
  check_common
  find_java
  check_jar
  [[ -f $OPT_DIR/herdcat.jar ]] || bad "nothing to upgrade: no ${OPT_DIR#"$DEST"}/herdcat.jar (install first)"
  local names pending=$OPT_DIR/upgrade.pending
  mapfile -t names < <(installed_nodes)
  ((${#names[@]} > 0)) || bad "nothing to upgrade: no node config in ${ETC_DIR#"$DEST"}"
  if cmp -s "$jar" "$OPT_DIR/herdcat.jar"; then
    if ! systemd_runs || [[ ! -s $pending ]]; then
      say "nothing changed: ${OPT_DIR#"$DEST"}/herdcat.jar is already this jar"
      return 0
    fi
    mapfile -t names <"$pending"
    say "going on with the upgrade: ${names[*]} still run the jar before"
  else
    # staged first: --jar may name herdcat.jar.previous itself, to go back
    local staged
    staged=$(mktemp "$OPT_DIR/.upgrade.XXXXXX")
    cat "$jar" >"$staged"
    ensure_file 644 root:root "$OPT_DIR/herdcat.jar" "$OPT_DIR/herdcat.jar.previous"
    ensure_file 644 root:root "$staged" "$OPT_DIR/herdcat.jar"
    rm -f "$staged"
    if systemd_runs; then
      printf '%s\n' "${names[@]}" >"$pending"
    fi
  fi
  ensure_archive
  if ! systemd_runs; then
    say "restart the nodes one at a time, each once the one before is ready:"
    local node
    for node in "${names[@]}"; do
      echo "  systemctl restart herdcat@$node"
    done
    return 0
  fi
  local node running=()
  for node in "${names[@]}"; do
    if systemctl is-active --quiet "herdcat@$node"; then
      running+=("$node")
    else
      say "herdcat@$node is not running: it starts with the new jar when it is started"
    fi
  done
  if ((${#running[@]} > 0)) && rolling_restart "${running[@]}"; then
    changed "${running[*]} run the new jar"
  else
    restart_in_turn "${running[@]}"
  fi
  rm -f "$pending"
}

# The cluster's rolling restart of these nodes (drained first, their sessions held by other members,
# enabled once ready again). False when the cluster cannot take one (a lone node, or no admin API
# answering): then only a plain restart is left. Any other failure stops the upgrade.
rolling_restart() {
  local list status=0 args=() errors why
  list=$(IFS=,; echo "$*")
  $force && args+=(--force)
  errors=$(mktemp)
  say "rolling restart of $* through the cluster (each drained, restarted, ready, then enabled)"
  "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$OPT_DIR/herdcat.jar" rolling-restart --nodes "$list" \
    --config "$ETC_DIR/$1.properties" "${args[@]}" 2>"$errors" || status=$?
  why=$(sed -e 's/^herdcat: rolling-restart: //' "$errors" | tr '\n' ' ' | sed -e 's/ *$//')
  rm -f "$errors"
  case $status in
    0) return 0 ;;
    3) say "the cluster cannot take a rolling restart now ($why): restarting one node at a time"
       return 1 ;;
    *) fail "the rolling restart of $* stopped: $why. Run --upgrade again to go on, or --upgrade --jar /opt/herdcat/herdcat.jar.previous to go back" ;;
  esac
}

# systemctl restart of each node in turn; Type=notify: each returns once the node reported READY=1
restart_in_turn() {
  local names=("$@") i node
  for i in "${!names[@]}"; do
    node=${names[$i]}
    say "restarting herdcat@$node (until its webapps serve)"
    systemctl restart "herdcat@$node" ||
      fail "herdcat@$node did not become ready on the new jar, so the upgrade stopped with ${names[*]:i} not done. See journalctl -u herdcat@$node; then run --upgrade again to go on, or --upgrade --jar /opt/herdcat/herdcat.jar.previous to go back"
    changed "herdcat@$node runs the new jar"
    printf '%s\n' "${names[@]:i+1}" >"$OPT_DIR/upgrade.pending"
  done
}

do_uninstall() {
  check_common
  local names node
  mapfile -t names < <(installed_nodes)
  if systemd_runs; then
    for node in "${names[@]}"; do
      if systemctl is-enabled --quiet "herdcat@$node" || systemctl is-active --quiet "herdcat@$node"; then
        say "stopping herdcat@$node"
        systemctl disable --now --quiet "herdcat@$node" || fail "herdcat@$node did not stop"
        changed "stopped and disabled herdcat@$node"
      fi
    done
  elif ((${#names[@]} > 0)); then
    say "systemd does not run here; stop the nodes yourself if they run: ${names[*]}"
  fi
  for node in "${names[@]}"; do
    remove "$UNIT_DIR/herdcat@$node.service.d"
  done
  remove "$UNIT" "$OPT_DIR" "$DEST$prefix/bin/herdcat"
  if systemd_runs; then
    systemctl daemon-reload
  fi
  if $purge; then
    remove "$ETC_DIR" "$VAR_DIR"
    if [[ -z $DEST ]] && getent passwd "$SERVICE_USER" >/dev/null; then
      userdel "$SERVICE_USER"
      changed "removed user $SERVICE_USER"
    fi
    if [[ -z $DEST ]] && getent group "$SERVICE_USER" >/dev/null; then
      groupdel "$SERVICE_USER"
      changed "removed group $SERVICE_USER"
    fi
  elif [[ -d $ETC_DIR || -d $VAR_DIR ]]; then
    say "kept config and secrets in /etc/herdcat and webapps and state in /var/lib/herdcat (--purge removes them)"
  fi
  if ((changes == 0)); then
    say "nothing changed: no Herdcat service, jar or command is installed here"
  fi
}

if $purge && [[ $mode != uninstall ]]; then
  bad "--purge goes with --uninstall"
fi
if $force && [[ $mode != upgrade ]]; then
  bad "--force goes with --upgrade"
fi
case $mode in
  install) do_install ;;
  upgrade) do_upgrade ;;
  uninstall) do_uninstall ;;
esac
