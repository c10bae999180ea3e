odoo.define('pharmacy_crm_pipeline.pipeline_views', function (require) {
'use strict';

// crm's "Import" button is not offered on the pharmacy pipeline: its leads are proposed by
// the pharmacy's data, sent by the website or opened by the staff one at a time, and a file
// of leads would bypass the one-open-lead-per-patient rule's explanations.
require('base_import.import_buttons');
var KanbanView = require('web.KanbanView');
var ListView = require('web.ListView');

function withoutImport() {
    return {
        init: function (viewInfo, params) {
            this._super.apply(this, arguments);
            if (params.modelName === 'crm.lead' && params.context &&
                    params.context.pharmacy_pipeline) {
                this.controllerParams.importEnabled = false;
            }
        },
    };
}
KanbanView.include(withoutImport());
ListView.include(withoutImport());
});
