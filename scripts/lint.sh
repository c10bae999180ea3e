#!/usr/bin/env bash
# `make lint`: flake8 and pylint-odoo, in a virtualenv of their own (pylint-odoo pins its pylint).
set -euo pipefail
source "$(dirname "$0")/env.sh"
lintenv=$VAR/lint-venv
if [ ! -x "$lintenv/bin/pylint" ]; then
    log "lint virtualenv $lintenv"
    python3.11 -m venv "$lintenv"
    "$lintenv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements-lint.txt" \
        2> >(pip_stderr)
fi
cd "$ROOT"
log flake8
"$lintenv/bin/flake8" ${ADDONS//,/ } compat scripts tests
log pylint-odoo
# readme/*.rst fragments are the addons' readme (OCA layout); README.rst is generated from them
"$lintenv/bin/pylint" --rcfile=.pylintrc --disable=missing-readme ${ADDONS//,/ }
echo "lint: clean"
