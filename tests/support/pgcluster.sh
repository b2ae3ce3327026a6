#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests, listening only on a Unix socket and 127.0.0.1.
# Usage: tests/support/pgcluster.sh start DIR PORT | stop DIR
# Prints the admin URL (for CASEAPP_TEST_PG_URL) on start. Installs Debian's postgresql when it is missing.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?cluster folder}
port=${3:-54329}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ "$action" = start ] && [ -z "$bin" ]; then
    echo "installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

run() {  # initdb and postgres refuse to run as root: use the postgres account then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    run "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >&2
    echo "postgresql+psycopg://postgres@/postgres?host=$dir&port=$port"
    ;;
stop)
    run "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
    ;;
esac
