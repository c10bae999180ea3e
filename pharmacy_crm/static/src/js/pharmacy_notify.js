odoo.define('pharmacy_crm.notify', function (require) {
"use strict";

var core = require('web.core');

/**
 * Client action ``pharmacy_crm.notify``: show a notification (``params.title``,
 * ``params.message``), then close the dialog that returned it (its parent form reloads), as
 * the dialog's own Save would have. Odoo 11 has no notification action of its own.
 */
function notify(parent, action) {
    var params = action.params || {};
    parent.do_notify(params.title, params.message, false);
    return {type: 'ir.actions.act_window_close'};
}

core.action_registry.add('pharmacy_crm.notify', notify);

return notify;
});
