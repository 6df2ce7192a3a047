#!/usr/bin/env bash
# A quick variant of bench/gateway-proxy.sh for tuning the gateway on a shared machine: throughput at c64 only
# (CONNECTIONS=1: one request at a time, where no target gains by handling several per wake-up), for
# the gateway of this work tree, nginx, and the gateways built from the revisions in REVISIONS (default: the previous,
# hand-written gateway), ROUNDS interleaved rounds (default 3) of DURATION (default 5s) after a WARMUP (default 5s)
# per target. What to compare is CPU time per request (from /proc) and the ratios within one run, not requests/s.
# SYSCALLS=1 then counts each target's system calls per request over DURATION at the same load (perf trace -s).
# PROFILE=1 then records the work tree's gateway with perf for PROFILE_DURATION (default 15s; JIT code named through
# the runtime's perf map) and saves the hottest symbols to bench/results/gateway-quick-perf.txt; ROUNDS=0 REVISIONS=
# PROFILE=1 profiles only.
# VARIANTS="name=VAR=value[,VAR=value] ..." adds the work tree's gateway again with those environment variables (runtime
# knobs such as DOTNET_GCgen0size), measured in the same rounds.
# Builds of a revision are kept in ${TMPDIR:-/tmp}/hub-gateway-quick/<revision> for the next run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools wrk:wrk nginx-light:nginx curl:curl
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
REVISIONS="${REVISIONS-6503954}"
VARIANTS="${VARIANTS-}"
CONNECTIONS="${CONNECTIONS:-64}"
PROFILE="${PROFILE:-0}"
SYSCALLS="${SYSCALLS:-0}"
PROFILE_DURATION="${PROFILE_DURATION:-15s}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_azurite
dotnet build "$ROOT/bench/GatewayBench" -c Release -v quiet -nologo >/dev/null
dotnet build "$ROOT/gateway/Hub.Gateway" -c Release -v quiet -nologo >/dev/null
cache="${TMPDIR:-/tmp}/hub-gateway-quick"
for revision in $REVISIONS; do
  folder="$cache/$(git -C "$ROOT" rev-parse --short=12 "$revision")"
  if [ ! -f "$folder/gateway/Hub.Gateway/bin/Release/net10.0/Hub.Gateway.dll" ]; then
    rm -rf "$folder"; mkdir -p "$folder"
    git -C "$ROOT" archive "$revision" | tar -x -C "$folder"
    dotnet build "$folder/gateway/Hub.Gateway" -c Release -v quiet -nologo >/dev/null
  fi
done
work="$(mktemp -d)"
BENCH=(dotnet "$ROOT/bench/GatewayBench/bin/Release/net10.0/GatewayBench.dll")
LEAN=(env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_gcServer=0
  DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT="$(( $(nproc) / 2 > 1 ? $(nproc) / 2 : 1 ))")
out="$RESULTS/gateway-quick.jsonl"
: >"$out"

wait_for_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $1" >&2; exit 1; }
    sleep 0.1
  done
}
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }

backend_port="$(free_port)"
"${LEAN[@]}" "${BENCH[@]}" backend "$backend_port" >"$work/backend.log" 2>&1 &
CLEANUP_PIDS+=($!)
deadline=$((SECONDS + 60))
until grep -q ready "$work/backend.log" 2>/dev/null; do [ $SECONDS -lt $deadline ] || exit 1; sleep 0.1; done
backend="http://127.0.0.1:$backend_port"
seed="$("${BENCH[@]}" seed "$AZURITE_CONNECTION_STRING" gwbench "$backend" 100)"
COOKIE="$(node -pe 'JSON.parse(process.argv[1]).alice' "$seed")"
export COOKIE

SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
declare -A URL PIDS
start_gateway() { # name folder [VAR=value ...]
  local port name="$1" folder="$2"; port="$(free_port)"
  shift 2
  env "$@" Hub__SecretKey="$SECRET_KEY" Hub__DataDirectory="$work" \
  Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__TablePrefix=gwbench \
  Gateway__ListenUrl="http://127.0.0.1:$port" Gateway__ControlPlaneUrl="$backend" Logging__LogLevel__Default=Warning \
  DOTNET_PerfMapEnabled="$PROFILE" DOTNET_EnableWriteXorExecute="$((1 - PROFILE))" \
    dotnet "$folder/gateway/Hub.Gateway/bin/Release/net10.0/Hub.Gateway.dll" >"$work/$name.log" 2>&1 &
  CLEANUP_PIDS+=($!)
  PIDS[$name]=$!
  URL[$name]="http://127.0.0.1:$port"
  wait_for_http "${URL[$name]}/health" 60
}
TARGETS=(nginx gateway)
start_gateway gateway "$ROOT"
for variant in $VARIANTS; do
  IFS=, read -r -a settings <<<"${variant#*=}"
  start_gateway "${variant%%=*}" "$ROOT" "${settings[@]}"
  TARGETS+=("${variant%%=*}")
done
for revision in $REVISIONS; do
  start_gateway "$revision" "$cache/$(git -C "$ROOT" rev-parse --short=12 "$revision")"
  TARGETS+=("$revision")
done

nginx_port="$(free_port)"
mkdir -p "$work/nginx"
sed -e "s|PREFIX|$work/nginx|g" -e "s|BACKEND_PORT|$backend_port|" -e "s|NGINX_PORT|$nginx_port|" "$ROOT/bench/gateway-nginx.conf" >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' &
CLEANUP_PIDS+=($!)
nginx_pid=$!
URL[nginx]="http://127.0.0.1:$nginx_port"
wait_for_http "${URL[nginx]}/user/alice/" 30
PIDS[nginx]="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"

for target in "${TARGETS[@]}"; do
  size="$(curl -fsS -H "Cookie: $COOKIE" -o /dev/null -w '%{size_download}' "${URL[$target]}/user/alice/bench")"
  [ "$size" = 1024 ] || { echo "$target answered $size bytes instead of 1024" >&2; exit 1; }
  wrk -t2 -c64 -d"$WARMUP" -s "$ROOT/bench/gateway-wrk.lua" "${URL[$target]}/user/alice/bench" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    # shellcheck disable=SC2086
    before="$(cpu_ticks ${PIDS[$target]})"
    json="$(wrk -t"$(( CONNECTIONS > 1 ? 2 : 1 ))" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/gateway-wrk.lua" "${URL[$target]}/user/alice/bench" | grep '^{')"
    # shellcheck disable=SC2086
    after="$(cpu_ticks ${PIDS[$target]})"
    echo "{\"round\":$round,\"target\":\"$target\",\"cpu_ticks\":$((after - before)),\"clk_tck\":$(getconf CLK_TCK),\"wrk\":$json}" >>"$out"
    echo "  round $round $target: $json" >&2
  done
done

[ "$ROUNDS" -gt 0 ] && node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const by = {};
for (const r of rows) (by[r.target] ??= []).push(r);
const rps = t => median(by[t].map(r => r.wrk.rps));
const cpu = t => median(by[t].map(r => r.cpu_ticks / r.clk_tck / r.wrk.requests * 1e6));
console.log("| Target | Requests/s, c'"$CONNECTIONS"' | CPU per request | ÷ nginx | ÷ gateway |");
console.log("|---|---:|---:|---:|---:|");
for (const t of Object.keys(by)) {
  console.log(`| ${t} | ${Math.round(rps(t)).toLocaleString("en")} | ${cpu(t).toFixed(1)} µs | ${Math.round(rps(t) / rps("nginx") * 100)} % | ${Math.round(rps(t) / rps("gateway") * 100)} % |`);
}
' "$out" | tee "$RESULTS/gateway-quick.md"

if [ "$SYSCALLS" = 1 ]; then
  command -v perf >/dev/null || need_tools linux-perf:perf
  for target in "${TARGETS[@]}"; do
    trace="$work/$target.syscalls"
    # shellcheck disable=SC2086
    perf trace -s -p "$(echo ${PIDS[$target]} | tr ' ' ',')" -o "$trace" -- sleep "${DURATION%s}" 2>/dev/null &
    trace_pid=$!
    requests="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/bench/gateway-wrk.lua" "${URL[$target]}/user/alice/bench" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s.split("\n").find(l=>l.startsWith("{"))).requests))')"
    wait "$trace_pid" || true
    echo "system calls per request, $target ($requests requests):"
    awk -v n="$requests" '$1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ {calls[$1] += $2} END {for (c in calls) if (calls[c] / n >= 0.01) printf "  %-16s %6.2f\n", c, calls[c] / n}' "$trace" | sort -k2 -nr
  done
fi

if [ "$PROFILE" = 1 ]; then
  command -v perf >/dev/null || need_tools linux-perf:perf
  wrk -t2 -c64 -d"$PROFILE_DURATION" -s "$ROOT/bench/gateway-wrk.lua" "${URL[gateway]}/user/alice/bench" >/dev/null &
  wrk_pid=$!
  perf record -F 999 -g -p "${PIDS[gateway]}" -o "$RESULTS/gateway-quick-perf.data" -- sleep "${PROFILE_DURATION%s}" >/dev/null 2>&1
  wait "$wrk_pid"
  perf report -i "$RESULTS/gateway-quick-perf.data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' \
    | head -150 >"$RESULTS/gateway-quick-perf.txt"
  echo "perf: bench/results/gateway-quick-perf.txt (and .data, while /tmp/perf-${PIDS[gateway]}.map lasts)" >&2
fi
