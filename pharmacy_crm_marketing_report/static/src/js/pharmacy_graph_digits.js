odoo.define('pharmacy_crm_marketing_report.graph_digits', function (require) {
'use strict';

// Odoo 11's charts show every count with two decimals ("30.00" patients): an integer
// measure has no digits, so its axis takes the default two, and the bar chart reads the
// digits of ``this.measure``, which the renderer never sets (a rate keeps its one decimal
// only in the line chart). Here a count is shown without decimals and every chart keeps
// its measure's digits.
var GraphRenderer = require('web.GraphRenderer');

GraphRenderer.include({
    _renderGraph: function () {
        var measure = this.state.measure;
        var field = this.state.fields[measure];
        if (field && field.type === 'integer' && !field.digits) {
            var fields = _.clone(this.state.fields);
            fields[measure] = _.extend({}, field, {digits: [69, 0]});
            this.state.fields = fields;
        }
        this.measure = measure;
        return this._super.apply(this, arguments);
    },
});
});
