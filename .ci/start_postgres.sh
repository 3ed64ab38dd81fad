#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on 127.0.0.1:${PGPORT:-5432} and create the test database.
# Used by .ci/run and by developers; idempotent. Prints the DATABASE_URL to use.
set -euo pipefail
PGPORT="${PGPORT:-5432}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/coordination-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if ! "$BIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q; then
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR" && chown postgres:postgres "$PGDATA_DIR"
    su postgres -c "$BIN/initdb -D $PGDATA_DIR -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  su postgres -c "$BIN/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/server.log -w -o '-c listen_addresses=127.0.0.1 -p $PGPORT -c fsync=off -c synchronous_commit=off -c max_connections=200' start" >/dev/null
fi
for i in $(seq 1 30); do "$BIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q && break; sleep 1; done
"$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='coordination_test'" | grep -q 1 \
  || "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres coordination_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/coordination_test"
