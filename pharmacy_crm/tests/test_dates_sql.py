# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Each SQL twin of tools/dates.py gives, in PostgreSQL, the date its Python formula gives: on
every day of a leap-year stretch (month ends, 29 February), the month ends of the century
turns (2000 is a leap year, 2100 is not) and random days of 1900-2100, with every schedule,
many days supplies and lead days, and refill thresholds 0.8, 0.75, 1.0 and others."""
import datetime
import random

from odoo.tests.common import TransactionCase

from ..tools.dates import (next_due_date, next_due_date_sql, prescription_expiry_date,
                           prescription_expiry_date_sql, refill_eligible_date,
                           refill_eligible_date_sql, supply_run_out, supply_run_out_sql,
                           fill_status, fill_status_sql)

SCHEDULES = (None, 'none', '2', '3', '4', '5')
DAYS_SUPPLY = (1, 5, 7, 10, 14, 28, 29, 30, 31, 45, 60, 84, 90, 100, 365)
# 100 x 0.55 is 55.00000000000001 in binary floating point (ceil: 56), 55 in decimal
THRESHOLDS = (0.8, 0.75, 1.0, 0.5, 0.85, 0.9, 0.7, 0.55, 0.07, 0.01, 0.333)


def _days():
    """959 days: every day from 1 July 2023 to 31 March 2024 (Aug 31, Feb 29 of a leap
    year...), the last 4 days of each month of 1899-1901, 1999-2001 and 2099-2100, and 300
    random days of 1900-2100 (a fixed seed: the same days every run)."""
    start = datetime.date(2023, 7, 1)
    days = [start + datetime.timedelta(days=n) for n in range(275)]
    for year in (1899, 1900, 1901, 1999, 2000, 2001, 2099, 2100):
        for month in range(1, 13):
            first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
            last = first_of_next - datetime.timedelta(days=1)
            days += [last - datetime.timedelta(days=n) for n in range(4)]
    rng = random.Random(17)
    days += [datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(73000))
             for _n in range(300)]
    return days


class TestDatesSql(TransactionCase):

    def _sql(self, expression, columns, rows):
        """``expression`` over ``rows`` (tuples of values of the typed ``columns``), in order,
        in ONE statement: [date of each row] (Odoo's cursor reads a date as its text)."""
        names = ', '.join(name for name, _type in columns)
        arrays = ', '.join('%%s::%s[]' % sql_type for _name, sql_type in columns)
        self.env.cr.execute(  # pylint: disable=sql-injection
            'SELECT %s FROM unnest(%s) WITH ORDINALITY AS t(%s, n) ORDER BY n'
            % (expression, arrays, names), [list(values) for values in zip(*rows)])
        return [value and datetime.date.fromisoformat(value)
                for (value,) in self.env.cr.fetchall()]

    def _mismatches(self, rows, python, sql):
        return [(row, expected, got) for row, expected, got in zip(rows, python, sql)
                if expected != got]

    def test_prescription_expiry_date_sql(self):
        rows = [(day, schedule) for day in _days() for schedule in SCHEDULES]
        python = [prescription_expiry_date(day, schedule) for day, schedule in rows]
        sql = self._sql(prescription_expiry_date_sql('t.written', 't.schedule'),
                        [('written', 'date'), ('schedule', 'varchar')], rows)
        self.assertEqual(len(rows), 959 * 6)
        self.assertEqual(self._mismatches(rows, python, sql), [])
        # the month ends that the formula clamps, by hand
        self.assertEqual(
            self._sql(prescription_expiry_date_sql('t.written', 't.schedule'),
                      [('written', 'date'), ('schedule', 'varchar')],
                      [(datetime.date(2023, 8, 31), '4'), (datetime.date(2024, 2, 29), 'none'),
                       (datetime.date(2023, 3, 31), '3'), (datetime.date(2024, 1, 15), '2'),
                       (datetime.date(2099, 8, 31), '5'), (datetime.date(2024, 1, 15), None)]),
            [datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), datetime.date(2023, 9, 30),
             datetime.date(2025, 1, 15), datetime.date(2100, 2, 28),
             datetime.date(2025, 1, 15)])

    def test_next_due_date_sql(self):
        rng = random.Random(3)
        rows = [(day, days, rng.choice((0, 0, 1, 3, 7, 14))) for day in _days()
                for days in rng.sample(DAYS_SUPPLY, 4)]
        columns = [('last_fill', 'date'), ('days', 'int'), ('lead', 'int')]
        sql = self._sql(next_due_date_sql('t.last_fill', 't.days'), columns, rows)
        self.assertEqual(self._mismatches(rows, [next_due_date(day, days) for day, days, _lead
                                                 in rows], sql), [])
        sql = self._sql(next_due_date_sql('t.last_fill', 't.days', 't.lead'), columns, rows)
        self.assertEqual(self._mismatches(rows, [next_due_date(day, days, lead)
                                                 for day, days, lead in rows], sql), [])
        self.assertEqual(len(rows), 959 * 4)

    def test_refill_eligible_date_sql(self):
        rng = random.Random(5)
        rows = [(day, days, threshold) for day in _days() for days in rng.sample(DAYS_SUPPLY, 4)
                for threshold in (0.8, 0.75, 1.0, rng.choice(THRESHOLDS))]
        rows += [(day, 100, 0.55) for day in _days()]
        python = [refill_eligible_date(day, days, threshold) for day, days, threshold in rows]
        # the threshold reaches SQL as its text, as the code passes it (str(threshold))
        text_rows = [(day, days, str(threshold)) for day, days, threshold in rows]
        sql = self._sql(refill_eligible_date_sql('t.last_fill', 't.days', 't.threshold'),
                        [('last_fill', 'date'), ('days', 'int'), ('threshold', 'varchar')],
                        text_rows)
        self.assertEqual(self._mismatches(rows, python, sql), [])
        self.assertEqual(len(rows), 959 * 17)
        # a query parameter as the threshold, as the callers pass it
        self.env.cr.execute('SELECT %s' % refill_eligible_date_sql(
            '%(day)s::date', '%(days)s', '%(threshold)s'),
            {'day': '2024-01-01', 'days': 30, 'threshold': '0.8'})
        self.assertEqual(self.env.cr.fetchone()[0], '2024-01-25')

    def test_inputs_catch_binary_floats(self):
        """The inputs above tell a wrong twin from a right one: ceil over binary floats
        (100 x 0.55 = 55.00000000000001, ceil 56) differs from the Python formula."""
        rows = [(day, days, str(threshold)) for day in _days()[:40] for days in DAYS_SUPPLY
                for threshold in THRESHOLDS]
        python = [refill_eligible_date(day, days, float(threshold))
                  for day, days, threshold in rows]
        sql = self._sql('(t.last_fill + ceil(t.days::float8 * t.threshold::float8)::int)',
                        [('last_fill', 'date'), ('days', 'int'), ('threshold', 'varchar')],
                        rows)
        mismatches = self._mismatches(rows, python, sql)
        # 1 July + 55 days = 25 August; the float twin says 26 August
        self.assertIn(((datetime.date(2023, 7, 1), 100, '0.55'), datetime.date(2023, 8, 25),
                       datetime.date(2023, 8, 26)), mismatches)

    def test_supply_run_out_sql(self):
        """2,000 random fill histories of 1 to 6 fills (early, late, same-day, 7 to 90 days):
        the window twin's max per history is the Python run-out."""
        rng = random.Random(11)
        histories = []
        for _n in range(2000):
            day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2000))
            fills = []
            for _k in range(rng.randint(1, 6)):
                days = rng.choice((7, 14, 28, 30, 30, 90))
                fills.append((day, days))
                day += datetime.timedelta(days=max(0, days + rng.randint(-12, 10)))
            histories.append(fills)
        rows = [(n, day, days) for n, fills in enumerate(histories) for day, days in fills]
        self.env.cr.execute("""
            SELECT h, max(run_out) FROM (
              SELECT t.h, {run_out} AS run_out
                FROM unnest(%s::int[], %s::date[], %s::int[]) AS t(h, fill_date, days)) c
             GROUP BY h ORDER BY h""".format(run_out=supply_run_out_sql(
            't.fill_date', 't.days', 't.h')), [list(values) for values in zip(*rows)])
        sql = [datetime.date.fromisoformat(value) for _h, value in self.env.cr.fetchall()]
        python = [supply_run_out(fills) for fills in histories]
        self.assertEqual(len(sql), 2000)
        self.assertEqual([(fills, p, s) for fills, p, s in zip(histories, python, sql)
                          if p != s], [])
        # the inputs carry over: counting from the last fill date would differ
        self.assertTrue(any(p != max(fills)[0] + datetime.timedelta(days=max(fills)[1])
                            for fills, p in zip(histories, python)))

    def test_fill_status_sql(self):
        """Every combination of state, expiry, refills and too-soon date around one day."""
        today = datetime.date(2026, 12, 4)
        around = (None, today - datetime.timedelta(days=1), today,
                  today + datetime.timedelta(days=1))
        rows = [(state, today, expiry, remaining, fills, eligible)
                for state in ('active', 'on_hold', 'discontinued') for expiry in around
                for remaining in (0, 1) for fills in (0, 1, 2) for eligible in around]
        self.env.cr.execute(  # pylint: disable=sql-injection
            'SELECT %s FROM unnest(%%s::varchar[], %%s::date[], %%s::date[], %%s::int[], '
            '%%s::int[], %%s::date[]) WITH ORDINALITY AS t(state, today, expiry, remaining, '
            'fills, eligible, n) ORDER BY n' % fill_status_sql(
                't.state', 't.today', 't.expiry', 't.remaining', 't.fills', 't.eligible'),
            [list(values) for values in zip(*rows)])
        sql = [value for (value,) in self.env.cr.fetchall()]
        python = [fill_status(*row) for row in rows]
        self.assertEqual(len(rows), 3 * 4 * 2 * 3 * 4)
        self.assertEqual([(row, p, q) for row, p, q in zip(rows, python, sql) if p != q], [])
        self.assertEqual(set(python), {'fillable', 'too_soon', 'renewal', 'on_hold',
                                       'discontinued'})
