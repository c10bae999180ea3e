#!/usr/bin/env bash
# `make test`: install what is missing, lint (in the background), install every addon in a
# throw-away database with Odoo's test runner (our at_install tests run there), check the log,
# then run the whole suite with pytest: addon tests through pytest-odoo, tests/ (RPC, browser,
# docker, demo) with plain pytest. The structure check databases are built in the background
# meanwhile (scripts/build_check_dbs.sh; their tests run last).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" --test

# lint (a few seconds of one core) while the databases are built; its verdict is waited for
# before pytest
"$ROOT/scripts/lint.sh" > "$VAR/log/lint.log" 2>&1 &
lintpid=$!

db=pharmacy_test_$$
features=${ADDONS#pharmacy_crm,}; features=${features//pharmacy_crm_/}
checkdbs=(core ${features//,/ } oca previous probes)
cleanup() {
    local status=$?
    [ -n "${checkpid:-}" ] && kill -- -"$checkpid" 2>/dev/null && wait "$checkpid" 2>/dev/null
    [ -n "${lintpid:-}" ] && kill "$lintpid" 2>/dev/null && wait "$lintpid" 2>/dev/null
    [ -n "${probespid:-}" ] && kill "$probespid" 2>/dev/null && wait "$probespid" 2>/dev/null
    for name in "$db" "${checkdbs[@]/#/${db}_}"; do
        dropdb --if-exists "$name" 2>/dev/null || true
        rm -rf "$VAR/filestore/filestore/$name"
    done
    exit "$status"
}
trap cleanup EXIT
installlog=$VAR/log/test-install.log
rm -f "$installlog" "$VAR/log/test-depends.log" "$VAR"/log/pharmacy_test_* "$VAR/log/oca-suites.log"   # Odoo appends to logs

# the databases of tests/test_addon_structure.py (each addon alone over the core; main before
# the split, upgraded), built on the second core while the first installs and tests, and
# while pytest runs
# (pytest runs the tests using them last, waiting for $db_check_dbs.done or .failed)
log "building the structure check databases in the background (log: $VAR/log/check-dbs.log)"
# its own process group (setsid), so that the clean-up stops it and the Odoo it runs
setsid "$ROOT/scripts/build_check_dbs.sh" "$db" > "$VAR/log/check-dbs.log" 2>&1 &
checkpid=$!

# what our addons depend on (Odoo's and OCA's addons) first, without their own suites (Odoo's
# runner would run every installed module's tests: minutes of Odoo's own tests for crm,
# website, mail...), then ours with Odoo's runner
# (OCA addons marked `# at install` in requirements-oca.txt are installed with ours instead:
# their own suites run with ours)
depends=$(cd "$ROOT" && python3 -c '
import ast, glob, os, re
ours = {os.path.dirname(path) for path in glob.glob("pharmacy_crm*/__manifest__.py")}
with_ours = set(name.replace("-", "_") for name in re.findall(
    r"^odoo11-addon-([\w-]+)==\S+\s+#\s*at install\s*$", open("requirements-oca.txt").read(), re.M))
print(",".join(sorted({name for addon in ours for name in ast.literal_eval(
    open(os.path.join(addon, "__manifest__.py")).read())["depends"]} - ours - with_ours)))')
log "installing what our addons depend on in $db: $depends (log: $VAR/log/test-depends.log)"
odoo -c "$ODOO_CONF" -d "$db" -i "$depends" --stop-after-init --max-cron-threads=0 \
     --http-port="$(python3 "$ROOT/scripts/free_port.py")" \
     --log-handler=odoo.modules.graph:CRITICAL --logfile="$VAR/log/test-depends.log"
log "installing $ADDONS in $db with --test-enable (log: $installlog)"
odoo -c "$ODOO_CONF" -d "$db" -i "$ADDONS" --test-enable --stop-after-init \
     --max-cron-threads=0 --http-port="$(python3 "$ROOT/scripts/free_port.py")" \
     --logfile="$installlog" \
    || { python3 "$ROOT/scripts/check_log.py" "$installlog" || true; echo "Odoo's install failed: $installlog"; exit 1; }
python3 "$ROOT/scripts/check_log.py" "$installlog"
# Odoo's cron thread skips a database with modules scheduled: none may be left (see compat/)
pending=$(psql -d "$db" -tAc "SELECT string_agg(name || ' (' || state || ')', ', ')
    FROM ir_module_module WHERE state IN ('to install', 'to upgrade', 'to remove')")
[ -z "$pending" ] || { echo "modules left scheduled in $db, crons would never run: $pending"; exit 1; }

wait "$lintpid" || { cat "$VAR/log/lint.log"; echo "lint failed (make lint)"; exit 1; }
lintpid=
log "pytest"
cd "$ROOT"
export PHARMACY_CHECK_DB_PREFIX=$db
# the addons' Odoo test cases ran at install, above: pytest runs the rest (see conftest.py)
export PHARMACY_ODOO_TESTS_RAN=1
if [ $# -gt 0 ]; then
    pytest --odoo-config="$ODOO_CONF" --odoo-database="$db" "$@"
    exit
fi
# pytest keeps about one core of two busy: the permission probes (every model, field and role
# over RPC, a few minutes), the translation checks (an export per addon) and a few RPC and HTTP
# suites (so that both processes end about together: measured 319 s against 190 s before) run
# in a second pytest process beside the rest, on a copy of the database made now, served by
# their own Odoo, with their own artifacts: nothing one process does (settings, lockouts,
# scheduled actions, data) reaches the other
probes=(tests/test_phi_rpc.py tests/test_hostile_rpc.py tests/test_i18n.py
        tests/test_sync_rpc.py tests/test_patient_records.py tests/test_portal_http.py
        tests/test_bench_smoke.py)
createdb -T "$db" "${db}_probes"
cp -a "$VAR/filestore/filestore/$db" "$VAR/filestore/filestore/${db}_probes" 2>/dev/null || true
log "pytest: ${probes[*]} in a second process on a copy of $db (log: $VAR/log/pytest-probes.log)"
PHARMACY_ARTIFACTS="$VAR/artifacts/probes" pytest --odoo-config="$ODOO_CONF" \
    --odoo-database="${db}_probes" "${probes[@]}" > "$VAR/log/pytest-probes.log" 2>&1 &
probespid=$!
status=0
pytest --odoo-config="$ODOO_CONF" --odoo-database="$db" "${probes[@]/#/--ignore=}" || status=$?
wait "$probespid" || { status=1; cat "$VAR/log/pytest-probes.log"; }
probespid=
tail -n 1 "$VAR/log/pytest-probes.log"
exit "$status"
