#!/usr/bin/env bash
# Control-plane cold start: process start to the first 200 on /hub/health (store reachable, tables present),
# against an empty ASP.NET Core app as the baseline, interleaved by hyperfine, 15 runs each.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools hyperfine:hyperfine curl:curl
start_azurite
dotnet build "$ROOT/functions/Hub.Functions" -c Release -v quiet -nologo >/dev/null
dotnet build "$ROOT/bench/ColdStartBaseline" -c Release -v quiet -nologo >/dev/null

hub_port="$(free_port)"; base_port="$(free_port)"
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__TablePrefix="coldstart"
export ControlPlane__ListenUrl="http://127.0.0.1:$hub_port" BASELINE_URL="http://127.0.0.1:$base_port"
wait_script="$ROOT/bench/start-until-healthy.sh"
cd "$RESULTS"
hyperfine --warmup 2 --runs 15 --export-json "$RESULTS/cold-start.json" --export-markdown "$RESULTS/cold-start.md" \
  -n "empty ASP.NET Core app (baseline)" "bash $wait_script http://127.0.0.1:$base_port/hub/health dotnet $ROOT/bench/ColdStartBaseline/bin/Release/net10.0/ColdStartBaseline.dll" \
  -n "control plane" "bash $wait_script http://127.0.0.1:$hub_port/hub/health dotnet $ROOT/functions/Hub.Functions/bin/Release/net10.0/Hub.Functions.dll"

node -e '
const r = require(process.argv[1]).results;
const [base, hub] = r;
const ms = s => (s * 1000).toFixed(0) + " ms";
console.log(`\nmedian: baseline ${ms(base.median)}, control plane ${ms(hub.median)}; ratio ${(hub.median / base.median).toFixed(2)}x; target < 500 ms: ${hub.median < 0.5 ? "met" : "NOT met"}`);
' "$RESULTS/cold-start.json"
