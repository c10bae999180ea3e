"""PostgreSQL's JIT compiler is off for the pharmacy's database (``res.company
._register_hook``): the rules on activities, messages, attachments and followers hold a
sub-select per pharmacy model estimated as a scan of its whole table, so at 100,000 patients
reading the activities of 40 sync appointments crossed ``jit_above_cost`` and spent 160 ms
compiling a 1 ms query (the sync board's first page: 11 queries, 0.34 s, 2 s in a bench run)."""
import psycopg2
from odoo import sql_db


def test_the_database_runs_its_sessions_without_jit(env, db_name):
    cr = env.cr
    cr.execute("""
        SELECT setting.setconfig FROM pg_db_role_setting setting
          JOIN pg_database db ON db.oid = setting.setdatabase
         WHERE db.datname = current_database() AND setting.setrole = 0""")
    assert any('jit=off' in row[0] for row in cr.fetchall())
    # a session opened now runs without it (the server's own connections may predate it)
    _name, connection_info = sql_db.connection_info_for(db_name)
    with psycopg2.connect(**connection_info) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == 'off'
    connection.close()
    # registered again (each registry load): nothing changes, no error
    env['res.company']._register_hook()
    cr.execute("SELECT count(*) FROM pg_db_role_setting setting "
               "JOIN pg_database db ON db.oid = setting.setdatabase "
               "WHERE db.datname = current_database() AND setting.setrole = 0")
    assert cr.fetchone()[0] == 1
