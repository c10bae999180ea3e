odoo.define('pharmacy_crm_website.transfer_form', function (require) {
'use strict';

// The transfer page's refusals (too many requests, a robot) say why, in the pharmacy's
// words sent by the server ({"error": "..."}), instead of website_form's generic "An error
// has occured". website_form's send() only says "error": the answer is read on the request.
var ajax = require('web.ajax');
var sAnimation = require('website.content.snippets.animation');
require('website_form.animation');

sAnimation.registry.form_builder_send.include({
    send: function () {
        if (!this.$target.hasClass('o_pharmacy_transfer_form')) {
            return this._super.apply(this, arguments);
        }
        var self = this;
        var post = ajax.post;
        this.pharmacyError = null;
        ajax.post = function () {
            return post.apply(this, arguments).fail(function (xhr) {
                var answer = xhr && xhr.responseJSON;
                if (!answer && xhr && xhr.responseText) {
                    try {
                        answer = JSON.parse(xhr.responseText);
                    } catch (e) {
                        answer = null;
                    }
                }
                self.pharmacyError = answer && answer.error;
            });
        };
        try {
            return this._super.apply(this, arguments);
        } finally {
            ajax.post = post;
        }
    },
    update_status: function (status) {
        this._super.apply(this, arguments);
        var message = this.pharmacyError;
        this.pharmacyError = null;
        if (status === 'error' && message) {
            var self = this;
            this.templates_loaded.done(function () {
                var $result = $('<span id="o_website_form_result" ' +
                                'class="text-danger ml8 o_pharmacy_form_refused"/>');
                self.$('#o_website_form_result').replaceWith($result.text(message));
            });
        }
    },
});
});
