#!/usr/bin/env bash
# Runs every test on a fresh machine that has only the .NET SDK: installs what the tests need
# (Chromium for the browser tests, redis-server, nginx and openssl for the scale-out tests), restores tools, runs the suite, and checks the SQL Server
# migration script and a clean start of the app.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_packages=()
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
command -v nginx >/dev/null 2>&1 || need_packages+=(nginx)
command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "Installing ${need_packages[*]} ..."
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build Ticketing.sln -c Release -nologo -v quiet

results=$(mktemp -d)
status=0
dotnet test Ticketing.sln -c Release --no-build --logger "console;verbosity=minimal" 2>&1 | tee "$results/test.log" || status=$?

echo
echo "== SQL Server migration script has rowversion on tickets and orders =="
dotnet ef migrations script --no-build --configuration Release --context SqlServerTicketingDbContext \
  --project Ticketing.Infrastructure --startup-project Ticketing.Infrastructure -o "$results/sqlserver.sql" >/dev/null
for table in tickets orders; do
  if awk "/CREATE TABLE \\[$table\\]/,/\\);/" "$results/sqlserver.sql" | grep -q 'rowversion'; then
    echo "[$table] rowversion: ok"
  else
    echo "[$table] rowversion: MISSING"; status=1
  fi
done

echo
echo "== A clean start in Production serves / =="
smoke_dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
# Production refuses to start without payments and an admin password of its own: give it both.
ConnectionStrings__Ticketing="Data Source=$smoke_dir/ticketing.db" \
  Payments__AllowTestGateway=true Admin__Password="smoke test passphrase" \
  dotnet run --project Ticketing.Web -c Release --no-build --no-launch-profile --urls "http://127.0.0.1:$port" >"$results/smoke.log" 2>&1 &
app=$!
code=000
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
  [ "$code" = 200 ] && break
  sleep 1
done
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
if [ "$code" = 200 ] && [ -f "$smoke_dir/ticketing.db" ]; then echo "GET / -> 200, database created: ok"; else echo "GET / -> $code"; cat "$results/smoke.log"; status=1; fi
rm -rf "$smoke_dir"

passed=$(grep -oE 'Passed: +[0-9]+' "$results/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$results/test.log" | awk '{s+=$2} END {print s+0}')
[ "$failed" -eq 0 ] || status=1
echo
echo "tests: $passed passed, $failed failed"
exit $status
