#!/usr/bin/env bash
# The project's own PostgreSQL cluster: data in var/pgdata, a Unix socket in var/pgrun, no TCP,
# trust authentication (only this machine's users can reach the socket directory).
#   scripts/pg.sh start | stop | status
set -euo pipefail
source "$(dirname "$0")/env.sh"

# PostgreSQL refuses to run as root: when we are root, the cluster belongs to `postgres`.
if [ "$(id -u)" -eq 0 ]; then as_owner() { runuser -u postgres -- "$@"; }; else as_owner() { "$@"; }; fi

case "${1:-start}" in
start)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        log "initdb $PGDATA"
        mkdir -p "$PGDATA" "$PGSOCK" && chmod 700 "$PGDATA"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$PGDATA" "$PGSOCK"
        as_owner "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        log "starting PostgreSQL on $PGSOCK"
        as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start \
            -o "-c listen_addresses='' -c unix_socket_directories='$PGSOCK' -p $PGPORT" >/dev/null
    fi
    psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 ||
        psql -U postgres -d postgres -qc "CREATE ROLE odoo LOGIN CREATEDB"
    ;;
stop)   as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop ;;
status) as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status ;;
*)      echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
