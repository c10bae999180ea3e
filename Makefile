# The project's entry points. Each installs whatever is missing first (see scripts/setup.sh).
.PHONY: run test lint bench reset update stop-db
SHELL := /bin/bash

run:            ## serve Odoo with both addons and demo data on http://127.0.0.1:8069
	@scripts/run.sh

test:           ## every test: Odoo's runner at install, then pytest (addons and tests/)
	@scripts/test.sh

lint:           ## flake8 and pylint-odoo
	@scripts/lint.sh

bench:          ## timings and query counts at scale, in the demo database (rolled back)
	@scripts/setup.sh && scripts/demo_db.sh && source scripts/env.sh && \
	  python "$$ROOT/scripts/bench.py" "$$ODOO_CONF" "$$ODOO_DB" $${PATIENTS:-100}

update:         ## upgrade both addons in the demo database after pulling changes
	@scripts/setup.sh && source scripts/env.sh && \
	  odoo -c "$$ODOO_CONF" -d "$$ODOO_DB" -u "$$ADDONS" --stop-after-init \
	       --log-handler=odoo.modules.graph:CRITICAL

reset:          ## drop the demo database; the next `make run` creates it again
	@scripts/pg.sh start && source scripts/env.sh && dropdb --if-exists "$$ODOO_DB" && \
	  rm -rf "$$VAR/filestore/filestore/$$ODOO_DB" && echo "dropped $$ODOO_DB"

stop-db:        ## stop the project's PostgreSQL cluster
	@scripts/pg.sh stop
