#!/usr/bin/env bash
# Installs (if needed) and starts Debian's PostgreSQL, creates a role and a UTF-8 database for the
# Postgres run of the service suite, and prints the URL to use as CASEBOOK_TEST_PG on stdout.
# Runs as root on a clean Debian 12 machine; safe to run again. Everything else goes to stderr.
#   export CASEBOOK_TEST_PG="$(scripts/ci-postgres.sh)" && npm run test:pg
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

ROLE="${CASEBOOK_PG_ROLE:-casebook_ci}"
PASSWORD="${CASEBOOK_PG_PASSWORD:-casebook_ci}"
DATABASE="${CASEBOOK_PG_DATABASE:-casebook_ci}"
PORT="${CASEBOOK_PG_PORT:-5432}"

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

# The package creates and starts cluster <version>/main, except where services do not start
# (containers without systemd): create it if missing, then start it ourselves.
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  pg_createcluster --port "$PORT" "$VERSION" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$VERSION" main start >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')"
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

# A plain role (no superuser): it owns its database, which is all the tests need (they create one
# schema per store). UTF-8 with the C locale exists on every machine whatever locales are installed.
su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $PORT" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE ENCODING ''UTF8'' LC_COLLATE ''C'' LC_CTYPE ''C'' TEMPLATE template0'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
