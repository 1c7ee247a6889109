#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster, then stop the cluster and delete it.
#
#   scripts/with_postgres.sh pytest -q -m db
#
# The cluster lives in a temporary directory, listens only on a Unix socket there (no TCP port to
# collide with), and runs as an unprivileged user (`postgres` when this runs as root). Debian's
# postgresql package is installed first when the server programs are missing. The command sees
# TEST_DATABASE_URL (a superuser URL on that socket) and PGHOST/PGPORT/PGUSER for psql.
set -euo pipefail

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

if ! BINDIR=$(find_bindir); then
    echo "with_postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    BINDIR=$(find_bindir)
fi

RUN_AS=()
OWNER=$(id -un)
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    OWNER=postgres
    RUN_AS=(runuser -u postgres --)
fi

DIR=$(mktemp -d /tmp/portal-pg.XXXXXX)
chmod 755 "$DIR"
chown "$OWNER" "$DIR"
PORT=${PGTEST_PORT:-5432}

stop() {
    "${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT

"${RUN_AS[@]}" "$BINDIR/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A test cluster: fast over durable (it is deleted afterwards); enough connections for two portal
# processes and the test session.
"${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null

export PGHOST="$DIR" PGPORT="$PORT" PGUSER=postgres
export TEST_DATABASE_URL="postgresql+psycopg://postgres@/postgres?host=$DIR&port=$PORT"
echo "with_postgres: PostgreSQL $("$BINDIR/postgres" -V | awk '{print $3}') on $DIR" >&2
"$@"
