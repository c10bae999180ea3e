#!/usr/bin/env bash
# A good neighbour to the rest of Odoo: install the OCA addons marked `# suite` in
# requirements-oca.txt with their tests (--test-enable) into DB, a database that has our addons
# (a throw-away copy: `createdb -T <test database> DB`; the addons stay installed in it), and
# fail when one of their tests fails, when one of them ran no test, or when the log has an
# error or a warning of our addons (scripts/check_log.py).
#   scripts/oca_suites.sh DB
# The log is $PHARMACY_OCA_LOG, by default var/log/oca-suites.log; tests/test_oca_suites.py
# reads it. OCA_SUITES=a,b runs other addons' suites than those of requirements-oca.txt.
set -euo pipefail
source "$(dirname "$0")/env.sh"
db=${1:?usage: scripts/oca_suites.sh DB (a copy of a database with our addons installed)}
log=${PHARMACY_OCA_LOG:-$VAR/log/oca-suites.log}
suites=${OCA_SUITES:-$(sed -nE 's/^odoo11-addon-([A-Za-z0-9-]+)==.*#[[:space:]]*suite[[:space:]]*$/\1/p' \
                        "$ROOT/requirements-oca.txt" | tr - _ | paste -sd, -)}
[ -n "$suites" ] || { echo "no addon marked '# suite' in requirements-oca.txt"; exit 2; }

installed() {   # installed MODULES: those of the comma-separated MODULES installed in $db
    psql -d "$db" -tAc "SELECT string_agg(name, ',') FROM ir_module_module
                         WHERE state = 'installed' AND name = ANY(string_to_array('$1', ','))"
}
[ "$(installed pharmacy_crm)" = pharmacy_crm ] || {
    echo "$db: no database with pharmacy_crm installed"; exit 2; }
already=$(installed "$suites")
[ -z "$already" ] || {
    echo "$db already has $already installed: their tests would not run; use a fresh copy"
    exit 2; }

mkdir -p "$(dirname "$log")"
rm -f "$log"      # Odoo appends to its log file: check this run's lines only
log "installing $suites in $db with --test-enable (log: $log)"
odoo -c "$ODOO_CONF" -d "$db" -i "$suites" --test-enable --stop-after-init \
     --max-cron-threads=0 --http-port="$(python3 "$ROOT/scripts/free_port.py")" \
     --log-handler=odoo.modules.graph:CRITICAL --logfile="$log" || true   # the log tells
status=0
python3 "$ROOT/scripts/check_log.py" "$log" || status=1
for module in ${suites//,/ }; do
    ran=$({ grep -oE " odoo\.addons\.$module\.tests\.[a-z0-9_]+: Ran [0-9]+ tests?" "$log" ||
            true; } | awk '{ n += $(NF - 1) } END { print n + 0 }')
    if [ "$(installed "$module")" != "$module" ]; then
        echo "$module: not installed in $db (see $log; pip install --no-deps -r requirements-oca.txt?)"
        status=1
    elif [ "$ran" -eq 0 ]; then
        echo "$module: no test ran (see $log)"; status=1
    else
        echo "$module: $ran tests ran"
    fi
done
exit $status
