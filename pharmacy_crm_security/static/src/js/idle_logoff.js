/* Copyright 2026 Pharmacy CRM contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html). */
odoo.define('pharmacy_crm_security.idle_logoff', function (require) {
'use strict';

/* Automatic logoff at a shared counter. The server closes a session after the delay without a
 * request (auth_session_timeout); this screen does not wait for its next request: after the
 * delay without a click, key or mouse move here or in another tab of the same browser, the
 * page is blanked and replaced (no new history entry) by the logout, which ends on the login
 * page. While the user works on a form without calling the server, a light request now and
 * then keeps the server's session alive. */
var ajax = require('web.ajax');

var info = window.odoo && window.odoo.session_info;
var seconds = info && info.uid && info.pharmacy_idle_logoff_seconds;
if (!seconds) {
    return {};
}
var KEY = 'pharmacy_crm_security.last_activity';
var EVENTS = ['mousemove', 'mousedown', 'keydown', 'touchstart', 'wheel', 'scroll'];
var last = Date.now();
var lastPing = last;
var stopped = false;

function latestActivity() {
    var shared = 0;
    try {
        shared = parseInt(window.localStorage.getItem(KEY), 10) || 0;
    } catch (e) {
        shared = 0;  // storage disabled: this tab only
    }
    return Math.max(last, shared);
}

function onActivity() {
    var now = Date.now();
    if (now - last < 1000) {
        return;
    }
    last = now;
    try {
        window.localStorage.setItem(KEY, String(now));
    } catch (e) {
        // storage disabled: this tab only
    }
    if (now - lastPing > seconds * 250) {
        lastPing = now;
        ajax.jsonRpc('/pharmacy_security/activity', 'call', {});
    }
}

function logoff() {
    stopped = true;
    // nothing of the patient stays on screen while the logout loads
    document.body.innerHTML = '';
    document.title = '';
    window.location.replace('/web/session/logout?redirect=' +
                            encodeURIComponent('/web/login?pharmacy_idle=1'));
}

function check() {
    if (!stopped && Date.now() - latestActivity() >= seconds * 1000) {
        logoff();
    }
}

EVENTS.forEach(function (name) {
    window.addEventListener(name, onActivity, {capture: true, passive: true});
});
document.addEventListener('visibilitychange', check);
window.setInterval(check, 1000);

return {check: check, logoff: logoff};
});
