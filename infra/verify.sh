#!/usr/bin/env bash
# Checks a running Serverless Hub from the outside and prints a pass/fail table naming, for each failure, the Azure
# resource to look at. infra/deploy.sh verify -g GROUP runs it with the deployment's names filled in.
#
#   infra/verify.sh --url URL [options]
#
# Options:
#   --url URL                the hub's public URL (the gateway), e.g. https://hub.example.org
#   --control-plane URL      the function app's own URL: checked to refuse requests that skip the gateway
#   --user NAME              the test user whose server is started, written to and stopped (default: hub-verify)
#   --cull-period, --reconcile-period, --prewarm-period SECONDS
#                            a timer's period; its last run must be at most twice that old (default: the period
#                            /hub/metrics reports from the TIMER_SCHEDULE_* setting, else 300, 60 and 60)
#   --start-timeout SECONDS  how long a server may take to start or stop (default: 600)
#   --gateway-resource, --control-plane-resource, --servers-resource NAME
#                            the resource names printed for failures (deploy.sh fills them in)
#   -h, --help               this text
#
# The API token (an admin's, with admin:users, servers and access:servers) comes from the environment variable
# HUB_VERIFY_TOKEN, so it stays out of the process list; without it the server checks are skipped.
# Exit status: 0 when nothing failed, 1 when a check failed, 2 on bad arguments. Runs on bash 3.2 and later.
set -euo pipefail

url=""
control_plane=""
user="hub-verify"
cull_period=""
reconcile_period=""
prewarm_period=""
start_timeout=600
gateway_resource="the gateway (container app)"
control_plane_resource="the control plane (function app)"
servers_resource="user servers (container instances) and the homes storage account"
token="${HUB_VERIFY_TOKEN:-}"
failures=0

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
bad() { usage >&2; printf 'verify: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --url) [ $# -ge 2 ] || bad "$1 needs a value"; url="${2%/}"; shift 2 ;;
    --control-plane) [ $# -ge 2 ] || bad "$1 needs a value"; control_plane="${2%/}"; shift 2 ;;
    --user) [ $# -ge 2 ] || bad "$1 needs a value"; user="$2"; shift 2 ;;
    --cull-period) [ $# -ge 2 ] || bad "$1 needs a value"; cull_period="$2"; shift 2 ;;
    --reconcile-period) [ $# -ge 2 ] || bad "$1 needs a value"; reconcile_period="$2"; shift 2 ;;
    --prewarm-period) [ $# -ge 2 ] || bad "$1 needs a value"; prewarm_period="$2"; shift 2 ;;
    --start-timeout) [ $# -ge 2 ] || bad "$1 needs a value"; start_timeout="$2"; shift 2 ;;
    --gateway-resource) [ $# -ge 2 ] || bad "$1 needs a value"; gateway_resource="$2"; shift 2 ;;
    --control-plane-resource) [ $# -ge 2 ] || bad "$1 needs a value"; control_plane_resource="$2"; shift 2 ;;
    --servers-resource) [ $# -ge 2 ] || bad "$1 needs a value"; servers_resource="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) bad "unknown option \"${1:0:40}\"" ;;
  esac
done
[[ "$url" =~ ^https?://[^/]+ ]] || bad "--url must be the hub's http(s) URL, not '${url:0:100}'"
[ -z "$control_plane" ] || [[ "$control_plane" =~ ^https?://[^/]+ ]] || bad "--control-plane must be an http(s) URL, not '${control_plane:0:100}'"
[[ "$user" =~ ^[a-z0-9][-a-z0-9._]{0,63}$ ]] || bad "--user must be a plain user name (lower-case letters, digits, -._), not '${user:0:70}'"
for period in "cull:$cull_period" "reconcile:$reconcile_period" "prewarm:$prewarm_period"; do
  [[ "${period#*:}" =~ ^[0-9]*$ ]] || bad "--${period%%:*}-period must be a number of seconds"
done
[[ "$start_timeout" =~ ^[0-9]+$ ]] || bad "--start-timeout must be a number of seconds"
command -v curl >/dev/null || bad "curl is needed"

row() { # result check resource detail
  printf '%-5s %-44s %s\n' "$1" "$2" "$4"
  if [ "$1" = FAIL ]; then
    printf '      %-44s look at: %s\n' "" "$3"
    failures=$((failures + 1))
  fi
}

# Prints the HTTP status of a request (000 when nothing answered); the body goes to $body_file.
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT
status() { # curl arguments...
  local auth=()
  [ -z "$token" ] || auth=(-H "Authorization: token $token")
  curl -sS --max-time 20 -o "$body_file" -w '%{http_code}' ${auth[@]+"${auth[@]}"} "$@" 2>/dev/null || true
}

# Polls the user's model until its default server is ready (or gone, for "stopped"); bounded by --start-timeout.
wait_for_server() { # ready|stopped
  local deadline=$((SECONDS + start_timeout)) code
  while [ $SECONDS -lt $deadline ]; do
    code="$(status "$url/hub/api/users/$user")"
    if [ "$code" = 200 ]; then
      if [ "$1" = ready ] && tr -d ' \n' <"$body_file" | grep -q '"ready":true'; then return 0; fi
      if [ "$1" = stopped ] && tr -d ' \n' <"$body_file" | grep -q '"servers":{}'; then return 0; fi
    fi
    sleep 2
  done
  return 1
}

start_server() {
  local code
  code="$(status -X POST "$url/hub/api/users/$user/server")"
  case "$code" in 201 | 202 | 400) ;; *) return 1 ;; esac
  wait_for_server ready
}

stop_server() {
  local code
  code="$(status -X DELETE "$url/hub/api/users/$user/server")"
  case "$code" in 202 | 204) ;; *) return 1 ;; esac
  wait_for_server stopped
}

printf '%-5s %-44s %s\n' RESULT CHECK DETAIL

code="$(status "$url/health")"
if [ "$code" = 200 ]; then row PASS "gateway health" "$gateway_resource" "$url/health answered 200"
else row FAIL "gateway health" "$gateway_resource" "$url/health answered $code"; fi

code="$(status "$url/hub/health")"
if [ "$code" = 200 ]; then row PASS "control plane through the gateway" "$control_plane_resource" "$url/hub/health answered 200"
else row FAIL "control plane through the gateway" "$control_plane_resource" "$url/hub/health answered $code"; fi

if [ -z "$control_plane" ]; then
  row SKIP "control plane refuses requests past the gateway" "$control_plane_resource" "no --control-plane URL given"
else
  code="$(status "$control_plane/hub/health")"
  case "$code" in
    403 | 000) row PASS "control plane refuses requests past the gateway" "$control_plane_resource" "$control_plane/hub/health answered $code" ;;
    *) row FAIL "control plane refuses requests past the gateway" "$control_plane_resource (networking: access restrictions)" "$control_plane/hub/health answered $code, not 403" ;;
  esac
fi

# The timers: check name, function name (the timerTrigger's folder and the metrics' timer label), app setting of its
# schedule, period given on the command line, and the period assumed when neither that nor /hub/metrics tells.
timers="culler:cull-idle:TIMER_SCHEDULE_CULL_IDLE:$cull_period:300
reconcile:reconcile:TIMER_SCHEDULE_RECONCILE:$reconcile_period:60
pre-warm:prewarm:TIMER_SCHEDULE_PREWARM:$prewarm_period:60"

if [ -z "$token" ]; then
  while IFS=: read -r check _ _ _ _; do
    row SKIP "$check ran within its period" "$control_plane_resource" "HUB_VERIFY_TOKEN is not set (/hub/metrics needs read:metrics)"
  done <<<"$timers"
  for check in "test server starts" "test server answers through the gateway" "home share mounted and writable" "test server stops" "files survive a restart"; do
    row SKIP "$check" "$servers_resource" "HUB_VERIFY_TOKEN is not set"
  done
  [ $failures -eq 0 ]
  exit $?
fi

# Prints the value of a gauge labelled timer="NAME" in the metrics in $body_file, as whole seconds (empty when absent).
timer_gauge() { # metric timer
  awk -v metric="$1" -v label="timer=\"$2\"" '
    index($1, metric "{") == 1 && index($1, label) > 0 { printf "%d", $2; exit }' "$body_file"
}

code="$(status "$url/hub/metrics")"
while IFS=: read -r check function setting period fallback; do
  resource="$control_plane_resource (timer function $function, setting $setting)"
  [ -n "$period" ] || period="$(timer_gauge jupyterhub_timer_period_seconds "$function")"
  [ -n "$period" ] || period=$fallback
  last_run="$(timer_gauge jupyterhub_timer_last_run_timestamp_seconds "$function")"
  if [ "$code" != 200 ]; then
    row FAIL "$check ran within its period" "$control_plane_resource" "$url/hub/metrics answered $code"
  elif [ -z "$last_run" ]; then
    # Each instance keeps its own gauges, and Flex Consumption may run the timer on another instance than this request's.
    row SKIP "$check ran within its period" "$resource" "the instance that answered has not run $function; see the function app's invocations of $function"
  else
    age=$(($(date +%s) - last_run))
    if [ $age -le $((2 * period)) ]; then row PASS "$check ran within its period" "$resource" "last run ${age}s ago, period ${period}s"
    else row FAIL "$check ran within its period" "$resource (its invocations)" "last run ${age}s ago, period ${period}s"; fi
  fi
done <<<"$timers"

status -X POST "$url/hub/api/users/$user" >/dev/null
stamp="verified $(date -u +%Y-%m-%dT%H:%M:%SZ) $RANDOM"
file="hub-verify-$RANDOM$RANDOM.txt"
if ! start_server; then
  row FAIL "test server starts" "$servers_resource" "the server of $user was not ready within ${start_timeout}s"
  exit 1
fi
row PASS "test server starts" "$servers_resource" "$user's server is ready"

code="$(status "$url/user/$user/api/status")"
if [ "$code" = 200 ]; then row PASS "test server answers through the gateway" "$gateway_resource" "/user/$user/api/status answered 200"
else row FAIL "test server answers through the gateway" "$gateway_resource and $servers_resource (the user-server subnet's NSG)" "/user/$user/api/status answered $code"; fi

code="$(status -X PUT -H 'Content-Type: application/json' --data "{\"type\":\"file\",\"format\":\"text\",\"content\":\"$stamp\"}" "$url/user/$user/api/contents/$file")"
case "$code" in
  200 | 201) row PASS "home share mounted and writable" "$servers_resource" "wrote $file" ;;
  *) row FAIL "home share mounted and writable" "$servers_resource (the share's mount, the account's firewall)" "writing $file answered $code" ;;
esac

if stop_server; then row PASS "test server stops" "$servers_resource" "$user's server is gone"
else row FAIL "test server stops" "$servers_resource" "the server of $user did not stop within ${start_timeout}s"; fi

if start_server && [ "$(status "$url/user/$user/api/contents/$file?content=1")" = 200 ] && grep -q "$stamp" "$body_file"; then
  row PASS "files survive a restart" "$servers_resource" "$file is still there after a new start"
else
  row FAIL "files survive a restart" "$servers_resource (the user's file share)" "$file is missing or different after a new start"
fi
status -X DELETE "$url/user/$user/api/contents/$file" >/dev/null
stop_server || true

[ $failures -eq 0 ]
