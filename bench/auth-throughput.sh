#!/usr/bin/env bash
# Logins per second (dummy and shared-password; users and sessions stored in Azurite) and authenticated API
# requests per second against the real control plane, with wrk. Baselines measured in the same run:
# GET /hub/api/ (the app's cheapest endpoint: routing and JSON, no store) and GET /hub/health (one store read).
# RUNS runs of DURATION each (default 5 × 5 s), 2 threads × CONNECTIONS connections; prints medians and ratios.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools wrk:wrk curl:curl
RUNS="${RUNS:-5}"; DURATION="${DURATION:-5s}"; CONNECTIONS="${CONNECTIONS:-16}"
start_azurite
dotnet build "$ROOT/functions/Hub.Functions" -c Release -v quiet -nologo >/dev/null
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING"
export Hub__SecretKey="$(head -c 32 /dev/urandom | base64)" Logging__LogLevel__Default=Warning
out="$RESULTS/auth-throughput.txt"; : >"$out"

start_hub() { # authenticator [extra env...]
  local port; port="$(free_port)"
  HUB_URL="http://127.0.0.1:$port"
  env ControlPlane__ListenUrl="$HUB_URL" Storage__TablePrefix="bench$RANDOM$RANDOM" Auth__Authenticator="$1" "${@:2}" \
    dotnet "$ROOT/functions/Hub.Functions/bin/Release/net10.0/Hub.Functions.dll" >"$RESULTS/auth-hub.log" 2>&1 &
  HUB_PID=$!; CLEANUP_PIDS+=("$HUB_PID")
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$HUB_URL/hub/health")" = 200 ]; do
    [ $SECONDS -lt $deadline ] || { cat "$RESULTS/auth-hub.log" >&2; exit 1; }
    sleep 0.1
  done
  XSRF="$(curl -s -D - -o /dev/null "$HUB_URL/hub/login" | sed -n 's/^[Ss]et-[Cc]ookie: _xsrf=\([^;]*\).*/\1/p' | tr -d '\r')"
  [ -n "$XSRF" ] || { echo "no _xsrf cookie from /hub/login" >&2; exit 1; }
  export XSRF
}
stop_hub() { kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; }

measure() { # label script path [header]
  local label="$1" script="$2" path="$3" header="${4:-X-Bench: 1}"
  wrk -t2 -c2 -d1s -s "$ROOT/bench/$script" -H "$header" "$HUB_URL$path" >/dev/null 2>&1 || true  # warm-up
  for run in $(seq "$RUNS"); do
    local line
    line="$(PREFIX="$label-$run" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/bench/$script" -H "$header" "$HUB_URL$path" | grep '^RESULT')"
    echo "$label $run $line" | tee -a "$out"
  done
}

start_hub dummy
measure "baseline-api-root" auth-status.lua /hub/api/
measure "baseline-health" auth-status.lua /hub/health
PASSWORD=hello measure "login-dummy" auth-login.lua /hub/login
# A token for the API measurement, created the way a user would: log in, then POST with the XSRF header.
jar="$(mktemp)"
curl -s -c "$jar" -b "$jar" -o /dev/null "$HUB_URL/hub/login"
xsrf="$(awk '$6=="_xsrf"{print $7}' "$jar")"
curl -s -c "$jar" -b "$jar" -o /dev/null -d "username=bench-api&password=x&_xsrf=$xsrf" "$HUB_URL/hub/login"
xsrf="$(awk '$6=="_xsrf"{print $7}' "$jar")"
token="$(curl -s -b "$jar" -H "X-XSRFToken: $xsrf" -H 'Content-Type: application/json' -d '{"note":"bench"}' "$HUB_URL/hub/api/users/bench-api/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "could not create a token" >&2; exit 1; }
measure "api-user-token" auth-status.lua /hub/api/user "Authorization: token $token"
measure "api-users-name-token" auth-status.lua /hub/api/users/bench-api "Authorization: token $token"
stop_hub

start_hub shared-password Auth__SharedPassword=workshop-2026
PASSWORD=workshop-2026 measure "login-shared-password" auth-login.lua /hub/login
stop_hub

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(l => l.split(" "));
const by = {};
for (const [label, run, , rps, ok, other, p99] of lines) (by[label] ||= []).push({ rps: +rps, ok: +ok, other: +other, p99: +p99 });
const median = a => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const base = median(by["baseline-api-root"].map(r => r.rps));
console.log("\n| Measurement | median req/s | runs (req/s) | non-expected answers | median p99 ms | ratio to GET /hub/api/ |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const [label, runs] of Object.entries(by)) {
  const m = median(runs.map(r => r.rps));
  console.log(`| ${label} | ${m.toFixed(0)} | ${runs.map(r => r.rps.toFixed(0)).join(", ")} | ${runs.reduce((s, r) => s + r.other, 0)} | ${median(runs.map(r => r.p99)).toFixed(1)} | ${(m / base).toFixed(3)} |`);
}
const logins = Math.min(median(by["login-dummy"].map(r => r.rps)), median(by["login-shared-password"].map(r => r.rps)));
console.log(`\ntarget >= 200 logins/s: ${logins >= 200 ? "met" : "NOT met"} (slowest login median ${logins.toFixed(0)}/s)`);
' "$out"
