"""PostgreSQL's JIT compiler is off for the pharmacy's database (``res.company
._register_hook``): the rules on activities, messages, attachments and followers hold a
sub-select per pharmacy model estimated as a scan of its whole table, so at 100,000 patients
reading the activities of 40 sync appointments crossed ``jit_above_cost`` and spent 160 ms
compiling a 1 ms query (the sync board's first page, the patient form)."""
import psycopg2
from psycopg2 import sql

from odoo import sql_db


def _jit_off(cr):
    cr.execute("""
        SELECT setting.setconfig FROM pg_db_role_setting setting
          JOIN pg_database db ON db.oid = setting.setdatabase
         WHERE db.datname = current_database() AND setting.setrole = 0""")
    return any('jit=off' in row[0] for row in cr.fetchall())


def test_the_database_runs_its_sessions_without_jit(env, db_name):
    cr = env.cr
    assert _jit_off(cr)
    # a session opened now runs without it (the server's own connections may predate it)
    _name, connection_info = sql_db.connection_info_for(db_name)
    with psycopg2.connect(**connection_info) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == 'off'
    connection.close()
    # where it is missing (e.g. a copy of the database: CREATE DATABASE ... TEMPLATE does not
    # copy it), the next registry load sets it; where it cannot (a database this role does
    # not own, here a read-only transaction), the registry loads anyway
    reset = sql.SQL('ALTER DATABASE {} RESET jit').format(
        sql.Identifier(db_name)).as_string(cr._cnx)
    cr.execute(reset)
    assert not _jit_off(cr)
    env['res.company']._register_hook()
    assert _jit_off(cr)
    cr.execute(reset)
    cr.execute('SET TRANSACTION READ ONLY')
    env['res.company']._register_hook()
    assert not _jit_off(cr)
