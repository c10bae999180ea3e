#!/usr/bin/env bash
# `make run`: install what is missing, create the demo database once, serve Odoo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/demo_db.sh"
log "Odoo is starting on http://127.0.0.1:$HTTP_PORT  (login admin / admin, or demo / demo)"
exec odoo -c "$ODOO_CONF" -d "$ODOO_DB" --db-filter="^$ODOO_DB\$" --http-port="$HTTP_PORT"
