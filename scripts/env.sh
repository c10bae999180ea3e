# Shared settings for the project's scripts; sourced, never run. Every path is inside the checkout
# so that two clones on one machine never share a cluster, a virtualenv or a database socket.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv
VAR=$ROOT/var                       # ignored by git: cluster, sockets, filestore, logs, config
PGDATA=$VAR/pgdata                  # the project's own PostgreSQL cluster
PGSOCK=$VAR/pgrun                   # it listens on this Unix socket directory only
# As root the cluster runs as `postgres`, which may not reach a checkout under a private
# directory (e.g. /root); and a socket path is limited to ~100 characters. In either case the
# cluster of this checkout lives in /var/lib/pharmacy-crm/<hash of the checkout path>.
if { [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 &&
     ! runuser -u postgres -- test -x "$ROOT"; } || [ ${#PGSOCK} -gt 90 ]; then
    PGDATA=/var/lib/pharmacy-crm/$(printf %s "$ROOT" | sha1sum | cut -c1-12)/pgdata
    PGSOCK=${PGDATA%/pgdata}/pgrun
fi
PGPORT=${PGPORT:-5432}              # socket name suffix only; nothing listens on TCP
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
ODOO_CONF=$VAR/odoo.conf
ODOO_DB=${ODOO_DB:-pharmacy}
HTTP_PORT=${HTTP_PORT:-8069}
# every addon of the product: each pharmacy_crm* folder with a manifest, the core first
ADDONS=$(cd "$ROOT" && ls -d pharmacy_crm*/__manifest__.py | cut -d/ -f1 | sort | paste -sd,)
export PATH=$ROOT/node_modules/.bin:$VENV/bin:$PATH
export PGHOST=$PGSOCK PGPORT PGUSER=odoo
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
# pip on this kind of machine warns once per package about a missing local index: drop that line
pip_stderr() { grep -v '^WARNING: Location .* is ignored' >&2 || true; }
