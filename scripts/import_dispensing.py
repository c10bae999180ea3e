"""`make import FILE=... [DB=...]`: import a dispensing-system export (docs/dispensing_import.md)
from the command line, with progress (rows done, rows per second, time left).

    python scripts/import_dispensing.py ODOO_CONF DB FILE [--user LOGIN] [--company ID]

Runs as LOGIN (default: admin) for the company ID (default: the user's), in one transaction,
and records a `pharmacy.import.log` as the wizard does (the manager is notified on it).
Exits 1 when the file is refused as a whole.
"""
import argparse
import base64
import os
import sys
import time

import odoo
from odoo import api


def make_progress(total_rows, total_chars, out=sys.stderr):
    """A callback printing rows done, rows per second and time left, while COPY reads."""
    start = time.monotonic()

    def progress(done, _total, stage):
        seconds = max(time.monotonic() - start, 1e-6)
        if stage == 'copy':
            rows = int(total_rows * done / max(total_chars, 1))
            rate = rows / seconds
            left = (total_rows - rows) / rate if rate else 0
            out.write('\r  reading: %d / %d rows, %.0f rows/s, about %.0f s left   '
                      % (rows, total_rows, rate, left))
        else:
            out.write('\r  %s: %d rows in %.1f s (%.0f rows/s); writing...            \n'
                      % (stage, done, seconds, done / seconds))
        out.flush()
    return progress


def run(env, path, company=None, progress=None):
    """Queue ``path`` as a log of env's user (committed) and run it now: returns the log."""
    with open(path, 'rb') as handle:
        data = handle.read()
    log = env['pharmacy.import.log'].with_context(
        default_company_id=(company or env.user.company_id).id).create(
        {'name': os.path.basename(path), 'file': base64.b64encode(data)})
    # committed queued, then run in a transaction of its own (retried on a concurrent change)
    env.cr.commit()
    log.sudo()._run_retrying(progress)
    return log


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('conf')
    parser.add_argument('db')
    parser.add_argument('file')
    parser.add_argument('--user', default='admin')
    parser.add_argument('--company', type=int)
    args = parser.parse_args(argv)
    with open(args.file, 'rb') as handle:
        data = handle.read()
    rows = max(data.count(b'\n') - 1, 0)
    chars = len(data.decode('utf-8', errors='replace'))
    del data
    odoo.tools.config.parse_config(
        ['-c', args.conf, '--log-level=%s' % os.environ.get('LOG_LEVEL', 'warn')])
    start = time.monotonic()
    with api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        uid = odoo.SUPERUSER_ID
        env = api.Environment(cr, uid, {})
        user = env['res.users'].search([('login', '=', args.user)])
        if not user:
            sys.exit('no user %s in %s' % (args.user, args.db))
        env = api.Environment(cr, user.id, {'tracking_disable': True})
        company = env['res.company'].browse(args.company) if args.company else None
        log = run(env, args.file, company, make_progress(rows, chars))
        cr.commit()
        print('\n' + log._summary().replace('<br/>', '\n'))
        if log.bad_count:
            print('first refused rows (all of them on the log):')
            for error in log.error_ids[:20]:
                print('  line %d: %s' % (error.line, error.reason))
        print('total %.1f s' % (time.monotonic() - start))
        if log.state != 'done':
            sys.exit(1)


if __name__ == '__main__':
    main()
