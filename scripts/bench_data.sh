#!/usr/bin/env bash
# `make bench-data SCALE=N [BENCH_DB=pharmacy_bench]`: a benchmark database built from the
# dispensing generator through the importer (no demo data): drops and creates BENCH_DB,
# installs every addon without demo, writes var/bench/N/fills.csv (seed 1) and imports it with
# progress. Prints each step's time and the total.
set -euo pipefail
source "$(dirname "$0")/env.sh"
SCALE=${SCALE:-2000}
BENCH_DB=${BENCH_DB:-pharmacy_bench}
start=$(date +%s)
"$ROOT/scripts/pg.sh" start >/dev/null
log "dropping and creating $BENCH_DB (every addon, no demo data)"
dropdb --if-exists "$BENCH_DB"
rm -rf "$VAR/filestore/filestore/$BENCH_DB"
odoo -c "$ODOO_CONF" -d "$BENCH_DB" -i "$ADDONS" --without-demo=all --stop-after-init \
     --max-cron-threads=0 --log-level=warn --log-handler=odoo.modules.graph:CRITICAL
log "installed in $(( $(date +%s) - start )) s; generating $SCALE patients"
python "$ROOT/scripts/generate_dispensing.py" --patients "$SCALE" --seed 1 \
       --out "$VAR/bench/$SCALE"
DATA=$VAR/bench/$SCALE
# the export's last day is kept apart: `make bench` imports it as "one more day" (two passes
# over the file, a row at a time: at 100,000 patients it holds about 4 million rows)
python - "$DATA" <<'PY'
import csv
import sys
data = sys.argv[1]
with open(data + '/fills.csv', encoding='utf-8', newline='') as handle:
    reader = csv.reader(handle)
    column = next(reader).index('fill_date')
    last = max(row[column] for row in reader)
with open(data + '/fills.csv', encoding='utf-8', newline='') as handle, \
        open(data + '/base.csv', 'w', encoding='utf-8', newline='') as base, \
        open(data + '/day.csv', 'w', encoding='utf-8', newline='') as day:
    reader = csv.reader(handle)
    header = next(reader)
    writers = {False: csv.writer(base, lineterminator='\n'),
               True: csv.writer(day, lineterminator='\n')}
    for writer in writers.values():
        writer.writerow(header)
    for row in reader:
        writers[row[column] == last].writerow(row)
PY
log "importing var/bench/$SCALE/base.csv"
python "$ROOT/scripts/import_dispensing.py" "$ODOO_CONF" "$BENCH_DB" "$DATA/base.csv"
psql -q "$BENCH_DB" -c "INSERT INTO ir_config_parameter (key, value) VALUES
    ('pharmacy_crm.bench_data', '$DATA') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
log "bench database $BENCH_DB ready ($SCALE patients) in $(( $(date +%s) - start )) s; disk: \
database $(psql -Atqc "SELECT pg_size_pretty(pg_database_size('$BENCH_DB'))" "$BENCH_DB"), \
files $(du -sh "$DATA" | cut -f1)"
