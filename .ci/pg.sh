#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (issue 12).
#
#   .ci/pg.sh start   initdb in a new temporary folder, start the server on a
#                     unix socket in that folder and 127.0.0.1 on a free port,
#                     create the database tracker_test, print its URL
#   .ci/pg.sh url     print the URL of the running cluster
#   .ci/pg.sh stop    stop the server and remove the folder (does nothing
#                     when no cluster was started)
#
# The state file ($TRACKER_PG_STATE, default /tmp/tracker-pg.state) names the
# folder and the port; give each concurrent run its own. Debian's
# PostgreSQL 15 is used ($TRACKER_PG_BIN to use another); as root it is
# installed with apt-get when missing, and the server runs as the
# unprivileged system user trackerpg (PostgreSQL refuses to run as root).
# The cluster is for tests only: trust authentication, fsync off.
set -euo pipefail

STATE=${TRACKER_PG_STATE:-/tmp/tracker-pg.state}
PG_BIN=${TRACKER_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=trackerpg # the OS user that runs the server, and the database superuser
DATABASE=tracker_test

die() {
    echo "pg.sh: $*" >&2
    exit 1
}

# Run a PostgreSQL program as the server's user.
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

ensure_postgres() {
    [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] && return
    if [[ $EUID -ne 0 || -n ${TRACKER_PG_BIN:-} ]]; then
        die "PostgreSQL 15 not found in $PG_BIN: install it (apt-get install postgresql-15) or set TRACKER_PG_BIN"
    fi
    echo "pg.sh: installing postgresql-15 with apt-get" >&2
    # Only the programs are wanted: no cluster of its own started by the package.
    mkdir -p /etc/postgresql-common/createcluster.d
    [[ -e /etc/postgresql-common/createcluster.d/tracker.conf ]] ||
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/tracker.conf
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql-15 >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q postgresql-15 >&2; } ||
        die "apt-get could not install postgresql-15"
    [[ -x $PG_BIN/initdb ]] || die "postgresql-15 installed, but $PG_BIN/initdb is missing"
}

ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    id -u "$PG_USER" >/dev/null 2>&1 ||
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The folder and the port of the running cluster (from the state file), or
# nothing. A folder that is not one of ours is never trusted (stop removes it).
read_state() {
    FOLDER="" PORT=""
    [[ -s $STATE ]] || return 0 # absent or empty: nothing started
    FOLDER=$(sed -n 's/^folder=//p' "$STATE")
    PORT=$(sed -n 's/^port=//p' "$STATE")
    [[ $(basename "$FOLDER") == tracker-pg.* && $PORT =~ ^[0-9]+$ ]] ||
        die "$STATE does not describe a cluster made by pg.sh; remove it by hand"
}

url() {
    echo "postgresql+psycopg://$PG_USER@127.0.0.1:$PORT/$DATABASE"
}

start() {
    read_state
    if [[ -n $FOLDER && -d $FOLDER ]]; then
        die "a cluster is already running ($(url)); run '$0 stop' first, or set TRACKER_PG_STATE"
    fi
    ensure_postgres
    ensure_user
    FOLDER=$(mktemp -d "${TMPDIR:-/tmp}/tracker-pg.XXXXXX")
    # From here on, a failure removes what was made.
    trap 'stop_folder; rm -f "$STATE"' EXIT
    chmod 700 "$FOLDER"
    [[ $EUID -eq 0 ]] && chown "$PG_USER:" "$FOLDER"
    as_pg "$PG_BIN/initdb" --pgdata="$FOLDER/data" --username="$PG_USER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$FOLDER/initdb.log" 2>&1 ||
        { cat "$FOLDER/initdb.log" >&2; false; }
    cat >>"$FOLDER/data/postgresql.conf" <<EOF
# pg.sh: a throwaway cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$FOLDER'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    # The port is free when chosen; another program may take it before the
    # server binds it, so try a few.
    local tries=0
    while :; do
        PORT=$(free_port)
        printf 'folder=%s\nport=%s\n' "$FOLDER" "$PORT" >"$STATE"
        if as_pg "$PG_BIN/pg_ctl" start --pgdata="$FOLDER/data" --log="$FOLDER/server.log" \
            --wait --timeout=60 --options="-p $PORT" >/dev/null; then
            break
        fi
        tries=$((tries + 1))
        if [[ $tries -ge 3 ]]; then
            cat "$FOLDER/server.log" >&2
            die "the server did not start (log above)"
        fi
    done
    as_pg "$PG_BIN/createdb" --host="$FOLDER" --port="$PORT" --username="$PG_USER" "$DATABASE"
    trap - EXIT
    url
}

# Stop the server in $FOLDER (if it runs) and remove the folder.
stop_folder() {
    [[ -n ${FOLDER:-} && -d $FOLDER ]] || return 0
    if [[ -f $FOLDER/data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" stop --pgdata="$FOLDER/data" --mode=immediate --wait >/dev/null 2>&1 ||
            echo "pg.sh: pg_ctl stop failed; removing $FOLDER anyway" >&2
    fi
    rm -rf -- "$FOLDER"
}

stop() {
    read_state
    stop_folder
    rm -f -- "$STATE"
}

case ${1:-} in
start) start ;;
stop) stop ;;
url)
    read_state
    [[ -n $FOLDER && -d $FOLDER ]] || die "no cluster is running (no $STATE); run '$0 start'"
    url
    ;;
*)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
