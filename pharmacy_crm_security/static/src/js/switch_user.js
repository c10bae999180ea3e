/* Copyright 2026 Pharmacy CRM contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html). */
odoo.define('pharmacy_crm_security.switch_user', function (require) {
'use strict';

/* Quick user switch: the next person at the counter signs in over the current screen (the
 * icon in the top bar). The server starts a new session for them; the page is then loaded
 * again at the same place, under their name and their rights. */
var ajax = require('web.ajax');
var core = require('web.core');
var Dialog = require('web.Dialog');
var SystrayMenu = require('web.SystrayMenu');
var Widget = require('web.Widget');

var _t = core._t;
var QWeb = core.qweb;

var SwitchUser = Widget.extend({
    template: 'pharmacy_crm_security.SwitchUser',
    events: {'click a': '_onClick'},

    _onClick: function (ev) {
        ev.preventDefault();
        var $content = $(QWeb.render('pharmacy_crm_security.SwitchUserDialog'));
        var submit = function () {
            var values = {
                login: $content.find('input[name=login]').val(),
                password: $content.find('input[name=password]').val(),
                code: $content.find('input[name=code]').val() || null,
            };
            ajax.jsonRpc('/pharmacy_security/switch_user', 'call', values).then(function (result) {
                if (result.error) {
                    $content.find('.o_pharmacy_switch_error').text(result.error)
                        .removeClass('hidden');
                    if (result.code) {
                        // a user who must use two factors: the code of their app too
                        $content.find('.o_pharmacy_switch_code').removeClass('hidden');
                    }
                    return;
                }
                // nothing of the previous user stays on screen while the page loads
                document.body.innerHTML = '';
                window.location.reload();    // the same place, no new history entry
            });
        };
        $content.on('submit', function (event) {
            event.preventDefault();
            submit();
        });
        new Dialog(this, {
            title: _t('Switch User'),
            size: 'small',
            $content: $content,
            buttons: [
                {text: _t('Sign In'), classes: 'btn-primary o_pharmacy_switch_submit',
                 click: submit},
                {text: _t('Cancel'), close: true},
            ],
        }).open();
    },
});

SystrayMenu.Items.push(SwitchUser);

return SwitchUser;
});
