#!/usr/bin/env bash
# The gateway against a direct backend, nginx (Debian), configurable-http-proxy 5.3.0 (npm) and a bare-socket .NET
# proxy (GatewayBench floor-proxy: the least .NET can do per request, as a measuring stick), all on 127.0.0.1:
#   wrk -t2 -c64 -d10s --latency and wrk -t1 -c1 -d10s --latency after a WARMUP (default 10 s) per target, targets
#   interleaved, ROUNDS rounds (default 3);
#   WebSocket handshake and echo round-trip times (direct, CHP, gateway); CPU time per request of each proxy;
#   the gateway's memory with 10,000 routes and 1,000 open WebSockets.
# BEFORE=<git revision> adds (f): the gateway as built from that revision (exported with git archive into a temporary
# folder), measured in the same rounds, so a change to the gateway is compared with what it replaces.
# Prints a report with medians and ratios (also saved to bench/results/gateway-proxy.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools wrk:wrk nginx-light:nginx curl:curl util-linux:taskset
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
# Long enough for .NET's tiered JIT (and V8's) to finish optimising the request path before anything is recorded.
WARMUP="${WARMUP:-10s}"
BEFORE="${BEFORE:-}"
THROUGHPUT_ROUTES=100
MEMORY_ROUTES=10000
MEMORY_WEBSOCKETS=1000
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_azurite
dotnet build "$ROOT/bench/GatewayBench" -c Release -v quiet -nologo >/dev/null
dotnet build "$ROOT/gateway/Hub.Gateway" -c Release -v quiet -nologo >/dev/null
work="$(mktemp -d)"
if [ -n "$BEFORE" ]; then
  mkdir -p "$work/before"
  git -C "$ROOT" archive "$BEFORE" | tar -x -C "$work/before"
  dotnet build "$work/before/gateway/Hub.Gateway" -c Release -v quiet -nologo >/dev/null
fi
BENCH=(dotnet "$ROOT/bench/GatewayBench/bin/Release/net10.0/GatewayBench.dll")
# Lean runtime choices (inline socket completions on one event thread per two cores, workstation GC) for the .NET
# helpers that share the cores with the proxies: the backend and the floor. (The gateway uses one event thread per core.)
LEAN=(env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_gcServer=0
  DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT="$(( $(nproc) / 2 > 1 ? $(nproc) / 2 : 1 ))")
out="$RESULTS/gateway-proxy.jsonl"
: >"$out"

wait_for_line() { # file pattern seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for /$2/ in $1:" >&2; cat "$1" >&2; exit 1; }
    sleep 0.1
  done
}
wait_for_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $1" >&2; exit 1; }
    sleep 0.1
  done
}
# CPU time (clock ticks, user + system, all threads) of the given processes.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# (a) the backend: 1 KiB for any GET, WebSocket echo for any upgrade. It shares the two cores with the proxy it sits
# behind, so it is kept lean: with the thread pool's defaults it spent several times the CPU per request (spinning
# workers; behind CHP also a connection per request), CPU that then went missing from the proxy measured
# (see bench/README.md).
backend_port="$(free_port)"
"${LEAN[@]}" "${BENCH[@]}" backend "$backend_port" >"$work/backend.log" 2>&1 &
backend_pid=$!
CLEANUP_PIDS+=($backend_pid)
wait_for_line "$work/backend.log" ready 60
backend="http://127.0.0.1:$backend_port"

# The store: alice's route and session, and more routes so the snapshot is not trivially small.
seed="$("${BENCH[@]}" seed "$AZURITE_CONNECTION_STRING" gwbench "$backend" "$THROUGHPUT_ROUTES")"
COOKIE="$(node -pe 'JSON.parse(process.argv[1]).alice' "$seed")"
ADMIN_COOKIE="$(node -pe 'JSON.parse(process.argv[1]).admin' "$seed")"
export COOKIE

# (d) the gateway, and (f) the gateway built from BEFORE: the same settings and store.
start_gateway() { # folder port log
  Hub__SecretKey="$SECRET_KEY" Hub__DataDirectory="$work" \
  Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__TablePrefix=gwbench \
  Gateway__ListenUrl="http://127.0.0.1:$2" Gateway__ControlPlaneUrl="$backend" Logging__LogLevel__Default=Warning \
    dotnet "$1/gateway/Hub.Gateway/bin/Release/net10.0/Hub.Gateway.dll" >"$3" 2>&1 &
  CLEANUP_PIDS+=($!)
  wait_for_http "http://127.0.0.1:$2/health" 60
}
SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
gateway_port="$(free_port)"
start_gateway "$ROOT" "$gateway_port" "$work/gateway.log"
gateway_pid="${CLEANUP_PIDS[-1]}"
gateway="http://127.0.0.1:$gateway_port"
TARGETS=(direct nginx chp gateway floor)
WS_TARGETS=(direct chp gateway)
if [ -n "$BEFORE" ]; then
  before_port="$(free_port)"
  start_gateway "$work/before" "$before_port" "$work/before.log"
  before_pid="${CLEANUP_PIDS[-1]}"
  TARGETS+=(before)
  WS_TARGETS+=(before)
fi

# (b) nginx as a reverse proxy with upstream keep-alive.
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
sed -e "s|PREFIX|$work/nginx|g" -e "s|BACKEND_PORT|$backend_port|" -e "s|NGINX_PORT|$nginx_port|" "$ROOT/bench/gateway-nginx.conf" >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' &
nginx_pid=$!
CLEANUP_PIDS+=($nginx_pid)
nginx_url="http://127.0.0.1:$nginx_port"
wait_for_http "$nginx_url/user/alice/" 30

# (c) configurable-http-proxy, with alice's route added through its REST API as JupyterHub does.
chp_port="$(free_port)"; chp_api_port="$(free_port)"
CONFIGPROXY_AUTH_TOKEN="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CONFIGPROXY_AUTH_TOKEN
"$ROOT/node_modules/.bin/configurable-http-proxy" --ip 127.0.0.1 --port "$chp_port" --api-ip 127.0.0.1 --api-port "$chp_api_port" \
  --log-level warn >"$work/chp.log" 2>&1 &
chp_pid=$!
CLEANUP_PIDS+=($chp_pid)
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null -H "Authorization: token $CONFIGPROXY_AUTH_TOKEN" "http://127.0.0.1:$chp_api_port/api/routes" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { cat "$work/chp.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS -X POST -H "Authorization: token $CONFIGPROXY_AUTH_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"target\": \"$backend\"}" "http://127.0.0.1:$chp_api_port/api/routes/user/alice" >/dev/null
chp="http://127.0.0.1:$chp_port"

# (e) the floor: bare sockets, with the lean runtime choices.
floor_port="$(free_port)"
"${LEAN[@]}" "${BENCH[@]}" floor-proxy "$floor_port" "$backend_port" >"$work/floor.log" 2>&1 &
floor_pid=$!
CLEANUP_PIDS+=($floor_pid)
wait_for_line "$work/floor.log" ready 60
floor="http://127.0.0.1:$floor_port"

declare -A URL=([direct]="$backend" [nginx]="$nginx_url" [chp]="$chp" [gateway]="$gateway" [floor]="$floor")
[ -z "$BEFORE" ] || URL[before]="http://127.0.0.1:$before_port"
proxy_pids() {
  case "$1" in
    gateway) echo "$gateway_pid" ;;
    before) echo "$before_pid" ;;
    floor) echo "$floor_pid" ;;
    chp) echo "$chp_pid" ;;
    nginx) echo "$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')" ;;
    *) echo "" ;;
  esac
}
# Every target must answer 200 with the 1 KiB body before it is measured.
for target in "${TARGETS[@]}"; do
  size="$(curl -fsS -H "Cookie: $COOKIE" -o /dev/null -w '%{size_download}' "${URL[$target]}/user/alice/bench")"
  [ "$size" = 1024 ] || { echo "$target answered $size bytes instead of 1024" >&2; exit 1; }
done

run_wrk() { # round mode target
  local round="$1" mode="$2" target="$3" pids before after backend_before backend_after json args
  [ "$mode" = c64 ] && args=(-t2 -c64) || args=(-t1 -c1)
  pids="$(proxy_pids "$target")"
  before="$( [ -n "$pids" ] && cpu_ticks $pids || echo 0)"
  backend_before="$(cpu_ticks "$backend_pid")"
  json="$(wrk "${args[@]}" -d"$DURATION" --latency -s "$ROOT/bench/gateway-wrk.lua" "${URL[$target]}/user/alice/bench" | grep '^{')"
  after="$( [ -n "$pids" ] && cpu_ticks $pids || echo 0)"
  backend_after="$(cpu_ticks "$backend_pid")"
  echo "{\"kind\":\"http\",\"round\":$round,\"mode\":\"$mode\",\"target\":\"$target\",\"cpu_ticks\":$((after - before)),\"backend_cpu_ticks\":$((backend_after - backend_before)),\"clk_tck\":$(getconf CLK_TCK),\"wrk\":$json}" >>"$out"
  echo "  round $round $mode $target: $json" >&2
}

# The cores of a shared virtual machine need not be equally fast at a given moment, and a single-threaded proxy (CHP,
# the gateway's one event thread on two cores) runs at the speed of the core it lands on: time the same loop on each
# core before every round, so the report shows how uneven the machine was.
core_speeds() { # round
  local cores=() core
  for core in $(seq 0 $(($(nproc) - 1))); do
    cores+=("$(taskset -c "$core" node -e 'const t = process.hrtime.bigint(); let x = 0; for (let i = 0; i < 2e8; i++) x += i; console.log(Math.round(Number(process.hrtime.bigint() - t) / 1e6))')")
  done
  echo "{\"kind\":\"cores\",\"round\":$1,\"loop_ms\":[$(IFS=,; echo "${cores[*]}")]}" >>"$out"
}

# Warm-up (JIT compilers, connection pools), not recorded.
for target in "${TARGETS[@]}"; do
  wrk -t2 -c64 -d"$WARMUP" -s "$ROOT/bench/gateway-wrk.lua" "${URL[$target]}/user/alice/bench" >/dev/null
done

echo "HTTP: wrk, $ROUNDS rounds, targets interleaved" >&2
for round in $(seq 1 "$ROUNDS"); do
  core_speeds "$round"
  for mode in c64 c1; do
    for target in "${TARGETS[@]}"; do
      run_wrk "$round" "$mode" "$target"
    done
  done
done

echo "WebSockets: 200 handshakes and 2,000 echo round trips per target and round" >&2
# Warm-up, not recorded, as for HTTP: every target's relay path is compiled (JIT, V8) before the first measured round.
for target in "${WS_TARGETS[@]}"; do
  "${BENCH[@]}" ws-time "ws://${URL[$target]#http://}/user/alice/ws" 100 5000 "$COOKIE" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${WS_TARGETS[@]}"; do
    json="$("${BENCH[@]}" ws-time "ws://${URL[$target]#http://}/user/alice/ws" 200 2000 "$COOKIE")"
    echo "{\"kind\":\"ws\",\"round\":$round,\"target\":\"$target\",\"result\":$json}" >>"$out"
    echo "  round $round $target: $json" >&2
  done
done

echo "Memory: the gateway with $MEMORY_ROUTES routes, then $MEMORY_WEBSOCKETS open WebSockets" >&2
rss_after_load="$(rss_kib "$gateway_pid")"
"${BENCH[@]}" seed "$AZURITE_CONNECTION_STRING" gwbench "$backend" "$MEMORY_ROUTES" >/dev/null
deadline=$((SECONDS + 60))
until curl -fsS "$gateway/health" | grep -q "\"routes\":$MEMORY_ROUTES" \
  && { [ -z "$BEFORE" ] || curl -fsS "${URL[before]}/health" | grep -q "\"routes\":$MEMORY_ROUTES"; }; do
  [ $SECONDS -lt $deadline ] || { echo "the gateway did not load $MEMORY_ROUTES routes" >&2; exit 1; }
  sleep 0.5
done
sleep 5
rss_routes="$(rss_kib "$gateway_pid")"
before_memory=""
if [ -n "$BEFORE" ]; then
  before_memory=",\"before_rss_routes_kib\":$(rss_kib "$before_pid")"
fi
hold_memory() { # target pid
  local log="$work/hold-$1.log" holder rss
  "${BENCH[@]}" ws-hold "ws://${URL[$1]#http://}/user/alice/ws" "$MEMORY_WEBSOCKETS" "$COOKIE" < <(sleep 600) >"$log" 2>&1 &
  holder=$!
  wait_for_line "$log" "open $MEMORY_WEBSOCKETS" 120
  sleep 5
  rss="$(rss_kib "$2")"
  kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true
  echo "$rss"
}
rss_sockets="$(hold_memory gateway "$gateway_pid")"
open_metric="$(curl -fsS -H "Cookie: $ADMIN_COOKIE" "$gateway/metrics" | grep -c '^hub_gateway_websockets_open' || true)"
chp_rss_sockets="$(hold_memory chp "$chp_pid")"
if [ -n "$BEFORE" ]; then
  before_memory+=",\"before_rss_routes_websockets_kib\":$(hold_memory before "$before_pid")"
fi
echo "{\"kind\":\"memory\",\"gateway_rss_after_load_kib\":$rss_after_load,\"gateway_rss_routes_kib\":$rss_routes,\"gateway_rss_routes_websockets_kib\":$rss_sockets,\"chp_rss_websockets_kib\":$chp_rss_sockets$before_memory,\"routes\":$MEMORY_ROUTES,\"websockets\":$MEMORY_WEBSOCKETS}" >>"$out"
[ "$open_metric" -gt 0 ] || echo "warning: /metrics did not list hub_gateway_websockets_open" >&2

node "$ROOT/bench/gateway-report.js" "$out" | tee "$RESULTS/gateway-proxy.md"
