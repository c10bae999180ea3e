# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""An XML-RPC (or ``/jsonrpc``) call that Odoo retries after a serialisation failure runs
clean: nothing of the failed attempt is left pending.

Odoo 11's ``odoo.service.model.check`` retries ``execute`` up to 5 times when PostgreSQL
refuses the transaction for a concurrent change (serialisation failure, deadlock). Each try
opens a new cursor, but the environments of the request are not renewed: the WSGI handler
opens ONE ``api.Environment.manage()`` block for the whole request, and its ``Environments``
object holds the record cache and ``todo``, the fields to recompute. The failed attempt's
``todo`` (e.g. a prescription's next due date after a fill was created) survives in it, bound
to the first, closed cursor: the retry recomputes it first and fails with "Unable to use a
closed cursor" (or works from values of the rolled-back transaction). The web client's route
does not have the defect: ``odoo.http``'s ``checked_call`` calls ``env.clear()`` before each
try. This does the same for ``execute``: each try starts with fresh environments (an empty
cache, nothing to recompute), as the first one did.

Patched once, at the import of the core (every served database has it installed);
``tests/test_dispensing_import_race.py`` tests it (counter fills over XML-RPC and JSON-RPC
retried after an import: without this, "Unable to use a closed cursor").
"""
import functools

from odoo import api
from odoo.service import model as service_model


def _fresh_environments(execute):
    """``execute`` (decorated by ``check``) re-decorated so that each try, the first one and
    those ``check`` retries, runs in new environments of the request."""
    attempt = execute.__wrapped__

    @functools.wraps(attempt)
    def fresh_attempt(*args, **kwargs):
        if hasattr(api.Environment._local, 'environments'):
            api.Environment.reset()     # inside the request's manage(): released with it
        return attempt(*args, **kwargs)
    fresh_attempt.pharmacy_fresh_environments = True
    return service_model.check(fresh_attempt)


if not getattr(getattr(service_model.execute, '__wrapped__', None),
               'pharmacy_fresh_environments', False):
    service_model.execute = _fresh_environments(service_model.execute)
