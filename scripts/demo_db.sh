#!/usr/bin/env bash
# Create the demo database ($ODOO_DB) with both addons and demo data, unless it is there already.
set -euo pipefail
source "$(dirname "$0")/env.sh"
state=$(psql -d "$ODOO_DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'pharmacy_crm_marketing'" 2>/dev/null || true)
if [ "$state" != installed ]; then
    [ -n "$state" ] && { log "dropping half-installed database $ODOO_DB"; dropdb "$ODOO_DB"; }
    log "creating database $ODOO_DB with $ADDONS and demo data (about a minute)"
    odoo -c "$ODOO_CONF" -d "$ODOO_DB" -i "$ADDONS" --stop-after-init \
         --log-handler=odoo.modules.graph:CRITICAL --logfile="$VAR/log/install.log"
fi
