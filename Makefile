# The project's entry points. Each installs whatever is missing first (see scripts/setup.sh).
.PHONY: run test lint bench bench-data import reset update stop-db
SHELL := /bin/bash

run:            ## serve Odoo with every addon and demo data on http://127.0.0.1:8069
	@scripts/run.sh

test:           ## every test: Odoo's runner at install, then pytest (addons and tests/)
	@scripts/test.sh

lint:           ## flake8 and pylint-odoo
	@scripts/lint.sh

bench:          ## the table of BENCHMARKS.md, in $BENCH_DB (built at $SCALE, 2,000 patients, if missing) [BENCH_ARGS="--runs 9"]
	@scripts/setup.sh && scripts/pg.sh start >/dev/null && source scripts/env.sh && \
	  BENCH_DB=$${BENCH_DB:-pharmacy_bench}; \
	  if ! psql -Atqc "SELECT 1 FROM ir_config_parameter WHERE key = 'pharmacy_crm.bench_data'" \
	       "$$BENCH_DB" >/dev/null 2>&1; then \
	    SCALE=$${SCALE:-2000} BENCH_DB=$$BENCH_DB scripts/bench_data.sh; fi && \
	  python "$$ROOT/scripts/bench.py" "$$ODOO_CONF" "$$BENCH_DB" $${BENCH_ARGS:-}

bench-data:     ## build the benchmark database: make bench-data SCALE=20000 [BENCH_DB=...]
	@scripts/setup.sh && SCALE=$${SCALE:-2000} scripts/bench_data.sh

import:         ## import a dispensing export: make import FILE=fills.csv [DB=pharmacy]
	@test -n "$(FILE)" || { echo "usage: make import FILE=path/to/fills.csv [DB=...]"; exit 2; }
	@scripts/setup.sh && scripts/pg.sh start >/dev/null && source scripts/env.sh && \
	  python "$$ROOT/scripts/import_dispensing.py" "$$ODOO_CONF" "$${DB:-$$ODOO_DB}" "$(FILE)"

update:         ## upgrade the addons in the demo database after pulling changes (installs new ones)
	@scripts/setup.sh && source scripts/env.sh && \
	  odoo -c "$$ODOO_CONF" -d "$$ODOO_DB" -u "$$ADDONS" --stop-after-init \
	       --log-handler=odoo.modules.graph:CRITICAL

reset:          ## drop the demo database; the next `make run` creates it again
	@scripts/pg.sh start && source scripts/env.sh && dropdb --if-exists "$$ODOO_DB" && \
	  rm -rf "$$VAR/filestore/filestore/$$ODOO_DB" && echo "dropped $$ODOO_DB"

stop-db:        ## stop the project's PostgreSQL cluster
	@scripts/pg.sh stop
