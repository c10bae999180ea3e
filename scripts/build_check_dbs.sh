#!/usr/bin/env bash
# The databases of tests/test_addon_structure.py, built by `make test` in the background while
# Odoo's runner installs the addons (the machine has two cores):
#   $1_core            pharmacy_crm alone (no demo)
#   $1_<feature>       a copy of it with one feature addon installed over it
#   $1_previous        the demo database of main before the split (PREVIOUS_MAIN, the last commit
#                      with one addon for every feature), upgraded with this checkout as
#                      `make update` does; the counts of its records before the upgrade are
#                      written to $VAR/log/$1_previous.before.json
#   $1_oca             a copy of $1_previous, then OCA's suites (scripts/oca_suites.sh)
# Each step's log is in $VAR/log/$1_*.log; the script stops at the first failure.
#   scripts/build_check_dbs.sh PREFIX
set -euo pipefail
source "$(dirname "$0")/env.sh"
prefix=$1
# tests/conftest.py `check_dbs` waits for $prefix_check_dbs.done, or .failed
rm -f "$VAR/log/${prefix}_check_dbs".*
trap '[ -e "$VAR/log/${prefix}_check_dbs.done" ] || echo failed > "$VAR/log/${prefix}_check_dbs.failed"' EXIT
PREVIOUS_MAIN=${PREVIOUS_MAIN:-e88caba6f87164f2669fb7cbf5a1aca8a244e92d}
IFS=, read -r -a FEATURES <<< "${ADDONS#pharmacy_crm,}"   # every addon but the core
odoo_quiet() { odoo --stop-after-init --max-cron-threads=0 --http-port="$(python3 "$ROOT/scripts/free_port.py")" \
                    --log-handler=odoo.modules.graph:CRITICAL "$@"; }

# --- each addon alone over the core ----------------------------------------------------------
odoo_quiet -c "$ODOO_CONF" -d "${prefix}_core" -i pharmacy_crm --without-demo=all \
    --logfile="$VAR/log/${prefix}_core.log"
for feature in "${FEATURES[@]}"; do
    createdb -T "${prefix}_core" "${prefix}_${feature#pharmacy_crm_}"
    odoo_quiet -c "$ODOO_CONF" -d "${prefix}_${feature#pharmacy_crm_}" -i "$feature" \
        --without-demo=all --logfile="$VAR/log/${prefix}_${feature#pharmacy_crm_}.log"
done

# --- a database of the previous main, upgraded -------------------------------------------------
previous=$VAR/previous-main
rm -rf "$previous" && mkdir -p "$previous"
git -C "$ROOT" archive "$PREVIOUS_MAIN" pharmacy_crm pharmacy_crm_marketing | tar -x -C "$previous"
sed "s#^addons_path = $ROOT,#addons_path = $previous,#" "$ODOO_CONF" > "$previous/odoo.conf"
odoo_quiet -c "$previous/odoo.conf" -d "${prefix}_previous" -i pharmacy_crm,pharmacy_crm_marketing \
    --logfile="$VAR/log/${prefix}_previous_install.log"
psql -d "${prefix}_previous" -tAc "SELECT json_build_object(
    'patients', (SELECT count(*) FROM res_partner WHERE is_patient),
    'prescriptions', (SELECT count(*) FROM pharmacy_patient_medication),
    'fills', (SELECT count(*) FROM pharmacy_fill),
    'enrolments', (SELECT count(*) FROM pharmacy_sync_enrollment),
    'appointments', (SELECT count(*) FROM pharmacy_sync_appointment),
    'synced_prescriptions', (SELECT count(*) FROM pharmacy_patient_medication WHERE sync_opt_in),
    'pdc_rows', (SELECT count(*) FROM pharmacy_adherence),
    'measured_classes', (SELECT count(*) FROM pharmacy_therapeutic_class WHERE measure_adherence),
    'incidents', (SELECT count(*) FROM pharmacy_incident),
    'dismissals', (SELECT count(*) FROM pharmacy_dismissal),
    'pharmacies', (SELECT count(*) FROM res_partner WHERE is_pharmacy),
    'channel_messages', (SELECT count(*) FROM mail_message WHERE model = 'mail.channel'),
    'crons', (SELECT count(*) FROM ir_cron WHERE active))" > "$VAR/log/${prefix}_previous.before.json"
odoo_quiet -c "$ODOO_CONF" -d "${prefix}_previous" -u "$ADDONS" \
    --logfile="$VAR/log/${prefix}_previous_update.log"

# --- OCA's suites with every addon of ours installed (scripts/oca_suites.sh), on a copy of the
# upgraded demo database: their tests read Odoo's demo records ----------------------------------
createdb -T "${prefix}_previous" "${prefix}_oca"
PHARMACY_OCA_LOG="$VAR/log/oca-suites.log" "$ROOT/scripts/oca_suites.sh" "${prefix}_oca"
echo ok > "$VAR/log/${prefix}_check_dbs.done"
