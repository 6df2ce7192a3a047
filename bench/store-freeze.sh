#!/usr/bin/env bash
# A 60 s store freeze under load, with the whole local hub (./hub run: Azurite, control plane, gateway, a student's
# real Jupyter server). Notebook requests through the gateway (closed-loop clients) and hub API requests (paced) are
# measured for BASELINE seconds, then for FREEZE seconds while Azurite is stopped with SIGSTOP, then Azurite resumes.
# The baseline is the same clients before the freeze, in the same run. Prints both periods and the issue's targets.
#
#   bash bench/store-freeze.sh            FREEZE=60 BASELINE=20 CLIENTS=2 (environment) change the defaults
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools curl:curl
FREEZE="${FREEZE:-60}"; BASELINE="${BASELINE:-20}"; CLIENTS="${CLIENTS:-2}"
# The control plane's default Storage__RequestTimeout: each hub API request's store call must end within it.
DEADLINE=5
"$ROOT/hub" setup >/dev/null
dotnet build "$ROOT/bench/store-freeze" -c Release -v quiet -nologo >/dev/null

data="$(mktemp -d)"; log="$RESULTS/store-freeze-hub.log"
gateway_port="$(free_port)"; control_port="$(free_port)"
# Azurite takes three consecutive ports from HUB_AZURITE_PORT; below the range Linux hands out for port 0.
azurite_port=$((20000 + RANDOM % 10000))
gateway="http://127.0.0.1:$gateway_port"
env HUB_DATA_DIR="$data" HUB_AZURITE_PORT="$azurite_port" ControlPlane__ListenUrl="http://127.0.0.1:$control_port" \
  Gateway__ListenUrl="$gateway" Hub__Mode=local Auth__Authenticator=dummy Spawner__Kind=local-process \
  Logging__LogLevel__Default=Warning setsid bash "$ROOT/hub" run >"$log" 2>&1 &
run_pid=$!
# Ctrl+C to the run's process group stops everything it started (its Jupyter servers included); Azurite is resumed first.
# shellcheck disable=SC2317 # run by the EXIT trap
stop_run() {
  [ -z "${azurite_pid:-}" ] || kill -CONT "$azurite_pid" 2>/dev/null || true
  kill -INT -- "-$run_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$run_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  rm -rf "$data"
}
trap 'stop_run; cleanup' EXIT

deadline=$((SECONDS + 600))
until grep -q "Serverless Hub is running" "$log"; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$run_pid" 2>/dev/null; then
    cat "$log" >&2; echo "bench: ./hub run did not start within 10 minutes" >&2; exit 1
  fi
  sleep 1
done
azurite_pid="$(pgrep -g "$run_pid" -f -- "--location $data/azurite" | head -1)"
[ -n "$azurite_pid" ] || { echo "bench: no Azurite process of the run" >&2; exit 1; }

# A student logs in, starts her server by following /hub/spawn, and makes an API token.
user=student; jar="$data/cookies"
xsrf() { awk '$6=="_xsrf"{print $7}' "$jar" | tail -1; }
curl -s -c "$jar" -b "$jar" -o /dev/null "$gateway/hub/login"
curl -s -c "$jar" -b "$jar" -o /dev/null -d "username=$user&password=x&_xsrf=$(xsrf)" "$gateway/hub/login"
deadline=$((SECONDS + 180))
until [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -L --max-redirs 10 --max-time 30 "$gateway/hub/spawn")" = 200 ] \
  && [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" --max-time 10 "$gateway/user/$user/api/status")" = 200 ]; do
  [ $SECONDS -lt $deadline ] || { echo "bench: $user's server did not start within 3 minutes" >&2; exit 1; }
  sleep 1
done
token="$(curl -s -b "$jar" -H "X-XSRFToken: $(xsrf)" -H 'Content-Type: application/json' -d '{"note":"bench"}' \
  "$gateway/hub/api/users/$user/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "bench: could not create a token" >&2; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/store-freeze.txt"
dotnet "$ROOT/bench/store-freeze/bin/Release/net10.0/StoreFreeze.dll" --gateway "$gateway" --user "$user" --token "$token" \
  --store-pid "$azurite_pid" --baseline "$BASELINE" --freeze "$FREEZE" --deadline "$DEADLINE" --clients "$CLIENTS" \
  | tee -a "$RESULTS/store-freeze.txt"
status=${PIPESTATUS[0]}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/store-freeze.txt"
exit "$status"
