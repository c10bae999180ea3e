#!/usr/bin/env bash
# Refresh the translation templates of every addon from a database where they are installed,
# and merge each addon's Spanish (i18n/es.po) with its template: new terms come in untranslated,
# terms gone are dropped. Prints the untranslated terms left per addon (tests/test_i18n.py
# fails while any is). Translators edit i18n/es.po, then run this again.
#   scripts/i18n.sh DB [ADDON,...]     (default: every addon)
set -euo pipefail
source "$(dirname "$0")/env.sh"
db=${1:?usage: scripts/i18n.sh DB (a database with every addon installed)}
addons=${2:-$ADDONS}
for addon in ${addons//,/ }; do
    dir=$ROOT/$addon/i18n
    mkdir -p "$dir"
    template=$(mktemp --suffix=.po)    # Odoo exports a template to a .po name without --language
    odoo -c "$ODOO_CONF" -d "$db" --i18n-export="$template" --modules="$addon" \
         --stop-after-init --max-cron-threads=0 --http-port="$(python3 "$ROOT/scripts/free_port.py")" \
         --log-handler=odoo.modules.graph:CRITICAL --log-level=warn
    mv "$template" "$dir/$addon.pot"
    if [ -f "$dir/es.po" ]; then
        msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$dir/es.po" "$dir/$addon.pot"
    else
        sed -e 's/^"Last-Translator: .*/"Last-Translator: Pharmacy CRM\\n"/' \
            -e 's/^"Language-Team: .*/"Language-Team: Spanish\\n"\n"Language: es\\n"/' \
            -e 's/^"Content-Transfer-Encoding: .*/"Content-Transfer-Encoding: 8bit\\n"/' \
            -e 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/' \
            "$dir/$addon.pot" > "$dir/es.po"
    fi
    left=$(msgattrib --untranslated --no-obsolete "$dir/es.po" | grep -c '^msgid ' || true)
    msgattrib --no-obsolete --no-wrap --output-file="$dir/es.po" "$dir/es.po"
    echo "$addon: $left untranslated"
done
