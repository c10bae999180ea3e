odoo.define('pharmacy_crm_marketing_report.graph_digits', function (require) {
'use strict';

// Odoo 11's bar chart formats its axis with the digits of ``this.measure``, which the
// renderer never sets: every bar chart shows two decimals ("30.00" patients). The reports'
// counts (digits 0) and rates (digits 1) keep their own.
var GraphRenderer = require('web.GraphRenderer');

GraphRenderer.include({
    _renderBarChart: function () {
        this.measure = this.state.measure;
        return this._super.apply(this, arguments);
    },
});
});
