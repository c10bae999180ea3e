# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from psycopg2 import sql

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import dates

_logger = logging.getLogger(__name__)

# The SQL twin of ``pharmacy_today``, for SQL views that cannot take a parameter. It reads the
# same instant as ``tools.dates.utcnow`` (a test freezes both: ``pharmacy.utcnow``) and the
# company's time zone; ``tests/test_pharmacy_date.py`` proves the two agree.
PHARMACY_TODAY_SQL = """
CREATE OR REPLACE FUNCTION pharmacy_today(company integer) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT ((COALESCE(NULLIF(current_setting('pharmacy.utcnow', true), '')::timestamp,
                      now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
            AT TIME ZONE COALESCE((SELECT NULLIF(p.tz, '') FROM res_company c
                                     JOIN res_partner p ON p.id = c.partner_id
                                    WHERE c.id = company), 'UTC'))::date
$$
"""


class ResCompany(models.Model):
    """Each pharmacy has a time zone, its own "today".

    The time zone is the one of the company's address (its partner), set in
    *Pharmacy > Configuration > Settings*. ``pharmacy_today`` is the one function every default,
    rule, worklist, scheduled action and SQL statement of the pharmacy takes its date from; a
    user's own time zone only decides how date-times are shown to them.
    """

    _inherit = 'res.company'

    pharmacy_tz = fields.Selection(
        related='partner_id.tz', string='Pharmacy Time Zone', readonly=False,
        help="The pharmacy's time zone: it decides which day \"today\" is for fills, due "
             "dates, worklists and scheduled actions, whatever the user's own time zone.")
    # US Letter, not Odoo's A4 (base.paperformat_euro), for every PDF of a new company
    paperformat_id = fields.Many2one(
        default=lambda self: self.env.ref('base.paperformat_us', raise_if_not_found=False))

    @api.model_cr
    def init(self):
        result = super().init()
        self.env.cr.execute(PHARMACY_TODAY_SQL)
        return result

    def _prefetch_field(self, field):
        """Companies are read apart from the records that name them: with the companies of
        their prefetch, in a prefetch of their own. Odoo 11 fills its cache with ``read()``,
        which follows every many-to-one of the companies into the prefetch of those records:
        naming a patient's company put the company's own contact among the contacts being
        read, and every computed field of the patient's form was computed for that contact
        too (its columns read whole, as the reader and as superuser)."""
        prefetch = defaultdict(set)
        prefetch[self._name].update(self._prefetch[self._name])
        return super(ResCompany, self.with_prefetch(prefetch))._prefetch_field(field)

    def _register_hook(self):
        """PostgreSQL's JIT compiler off for this database's sessions (``ALTER DATABASE ...
        SET jit = off``, once; the sessions opened afterwards).

        PostgreSQL (12 and later: JIT on by default) compiles a query whose estimated cost is over
        ``jit_above_cost`` (100,000; with optimization over 500,000). The pharmacy's rules
        on activities, messages, attachments and followers (``pharmacy.phi.document.mixin``)
        hold one sub-select per pharmacy model, each estimated as a scan of its whole table,
        executed only for the rows of its model: at 100,000 patients (4 million fills) the
        activities of the 40 cards of the sync board cost 137,000 by estimate, 1 ms to run
        and 160 ms to compile, twice a page. Odoo's queries are short: compiling them does not
        pay. A database this role does not own keeps its setting (set
        ``jit = off`` in postgresql.conf there)."""
        result = super()._register_hook()
        cr = self.env.cr
        cr.execute("""
            SELECT current_database(),
                   EXISTS (SELECT 1 FROM pg_settings WHERE name = 'jit'),
                   EXISTS (SELECT 1 FROM pg_db_role_setting setting
                             JOIN pg_database db ON db.oid = setting.setdatabase
                            WHERE db.datname = current_database() AND setting.setrole = 0
                              AND 'jit=off' = ANY(setting.setconfig))""")
        database, has_jit, jit_off = cr.fetchone()
        if has_jit and not jit_off:
            try:
                with cr.savepoint():
                    alter = sql.SQL('ALTER DATABASE {} SET jit = off').format(
                        sql.Identifier(database)).as_string(cr._cnx)
                    cr.execute(alter, log_exceptions=False)
            except psycopg2.Error as err:
                _logger.info('PostgreSQL JIT left on for database %s: %s', database,
                             str(err).strip())
        return result

    @api.model
    @tools.ormcache('company_id')
    def _pharmacy_company_family(self, company_id):
        """The ids of the company ``company_id`` and of its children, at any depth (a
        ``child_of``), as a sorted tuple: the companies whose records a user of ``company_id``
        sees (the company rules, ``pharmacy_company_ids`` in their evaluation context).

        Cached: Odoo clears its method caches when a company is created or written (a new
        child, a changed parent) and when a user's company changes, so the family is
        computed once per company instead of once per search (a form read 28 times).
        """
        return tuple(sorted(self.sudo().with_context(active_test=False).search(
            [('id', 'child_of', company_id)]).ids)) if company_id else ()

    def _pharmacy_company(self):
        """This company, or the user's when none is given."""
        return self[:1] or self.env.user.company_id

    def _pharmacy_tz(self):
        """The pharmacy's time zone (its address's). Read alone (``prefetch_fields``): the
        company and its contact are not read whole (every column of a contact) to know it,
        as ``pharmacy_today`` does for each record it is asked for; and apart from the records
        asked for (``with_prefetch``): else the company's contact joins the contacts being
        read, and every computed field of a patient's form is computed for it too."""
        company = self._pharmacy_company().sudo().with_context(
            prefetch_fields=False).with_prefetch()
        return company.partner_id.tz or 'UTC'

    def pharmacy_today(self):
        """The pharmacy's date today, ``YYYY-MM-DD`` (of this company, else the user's).

        today = the clock (``tools.dates.utcnow``) converted to the pharmacy's time zone.
        """
        return fields.Date.to_string(dates.local_today(self._pharmacy_tz()))

    @api.model
    def pharmacy_now(self):
        """The current moment, ``YYYY-MM-DD HH:MM:SS`` in UTC as Odoo stores it, from the same
        clock as ``pharmacy_today`` (defaults of date-time fields)."""
        return fields.Datetime.to_string(dates.utcnow())

    def pharmacy_date(self, moment):
        """The pharmacy's date (``YYYY-MM-DD``) at a stored UTC ``moment`` (string or datetime)."""
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        return fields.Date.to_string(dates.local_date(moment, self._pharmacy_tz()))

    def pharmacy_day_start(self, day):
        """The UTC moment (``YYYY-MM-DD HH:MM:SS``) at which the pharmacy's ``day`` begins."""
        if isinstance(day, str):
            day = fields.Date.from_string(day)
        return fields.Datetime.to_string(dates.local_day_start(day, self._pharmacy_tz()))


def pharmacy_today(record):
    """The pharmacy's date today for ``record``: its company's when it has one, else the user's
    (as a field default: ``default=pharmacy_today``)."""
    company = record._fields.get('company_id') and len(record) == 1 and record.company_id
    return (company or record.env['res.company']).pharmacy_today()


def pharmacy_now(record):
    """The current UTC moment from the pharmacy's clock (as a field default)."""
    return record.env['res.company'].pharmacy_now()


_MIRRORED = {'<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!='}


def days_from_today(record, day, today=None):
    """``day - today`` in whole days (the pharmacy's today); 0 when ``day`` is empty.
    ``today``: the pharmacy's today (a date), when the caller has asked for it already."""
    if not day:
        return 0
    today = today or fields.Date.from_string(pharmacy_today(record))
    return (fields.Date.from_string(day) - today).days


def days_from_today_domain(record, field_name, operator, value, age=False):
    """The domain on the date field ``field_name`` of a search on a "days from today" field.

    in days = field - today, so ``in_days OP n`` is ``field OP today + n``; an age is
    today - field, so ``age OP n`` is ``field OP' today - n`` with OP mirrored (<= becomes >=).
    Worklists and filters search these fields: the server applies the pharmacy's date, not
    the browser's.
    """
    if operator not in _MIRRORED or isinstance(value, bool) or not isinstance(value, int):
        raise UserError(_('A number of days is searched with =, !=, <, <=, > or >= and a whole '
                          'number of days (got %(operator)s %(value)r).')
                        % {'operator': operator, 'value': value})
    today = fields.Date.from_string(pharmacy_today(record))
    if age:
        return [(field_name, _MIRRORED[operator],
                 fields.Date.to_string(today - timedelta(days=value)))]
    return [(field_name, operator, fields.Date.to_string(today + timedelta(days=value)))]


def month_start(record, offset=0):
    """The first day (``YYYY-MM-DD``) of the month ``offset`` months from the pharmacy's
    current month (0: this month, -12: the same month a year ago)."""
    today = fields.Date.from_string(pharmacy_today(record))
    return fields.Date.to_string(today.replace(day=1) + relativedelta(months=offset))


def boolean_search(operator, value, domain):
    """A boolean search field's domain: ``domain`` for ``= True`` (or ``!= False``), its
    negation otherwise."""
    if operator not in ('=', '!=') or not isinstance(value, bool):
        raise UserError(_('This filter is searched with "= True" or "= False" only.'))
    if (operator == '=') == value:
        return domain
    return ['!'] + expression.normalize_domain(domain)
