#!/usr/bin/env bash
# Control-plane cold start: process start to the first 200 on /hub/health (store reachable, tables present),
# against an empty ASP.NET Core app as the baseline, interleaved by hyperfine, 15 runs each. Both are published as
# the control plane is deployed (Release, linux-x64, ReadyToRun), so the JIT work measured is what runs in Azure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools hyperfine:hyperfine curl:curl
start_azurite
publish="$(mktemp -d)"
trap 'cleanup; rm -rf "$publish"' EXIT
for project in functions/Hub.Functions bench/ColdStartBaseline; do
  name="$(basename "$project")"
  dotnet publish "$ROOT/$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -p:GenerateDocumentationFile=false --artifacts-path "$publish/build-$name" -o "$publish/$name" -v quiet -nologo >/dev/null
done

hub_port="$(free_port)"; base_port="$(free_port)"
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__TablePrefix="coldstart"
export ControlPlane__ListenUrl="http://127.0.0.1:$hub_port" BASELINE_URL="http://127.0.0.1:$base_port"
wait_script="$ROOT/bench/start-until-healthy.sh"
cd "$RESULTS"
rm -f "$RESULTS"/cold-start-cpu-*.txt
hyperfine --warmup 2 --runs 15 --export-json "$RESULTS/cold-start.json" --export-markdown "$RESULTS/cold-start.md" \
  -n "empty ASP.NET Core app (baseline)" "COLD_START_CPU_LOG=$RESULTS/cold-start-cpu-base.txt bash $wait_script http://127.0.0.1:$base_port/hub/health dotnet $publish/ColdStartBaseline/ColdStartBaseline.dll" \
  -n "control plane" "COLD_START_CPU_LOG=$RESULTS/cold-start-cpu-hub.txt bash $wait_script http://127.0.0.1:$hub_port/hub/health dotnet $publish/Hub.Functions/Hub.Functions.dll"

# CPU time to the first 200 (user + system, per process) moves less with the machine's load than wall time does.
node -e '
const fs = require("fs");
const [json, cpuBase, cpuHub] = process.argv.slice(1);
const [base, hub] = require(json).results;
const ms = s => (s * 1000).toFixed(0) + " ms";
const median = file => { const v = fs.readFileSync(file, "utf8").trim().split("\n").map(Number).sort((a, b) => a - b); return v[v.length >> 1]; };
const [cb, ch] = [median(cpuBase), median(cpuHub)];
console.log(`\nwall median: baseline ${ms(base.median)}, control plane ${ms(hub.median)}; ratio ${(hub.median / base.median).toFixed(2)}x; targets < 500 ms and <= 1.3x: ${hub.median < 0.5 && hub.median / base.median <= 1.3 ? "met" : "NOT met"}`);
console.log(`CPU median:  baseline ${cb} ms, control plane ${ch} ms; ratio ${(ch / cb).toFixed(2)}x`);
' "$RESULTS/cold-start.json" "$RESULTS/cold-start-cpu-base.txt" "$RESULTS/cold-start-cpu-hub.txt"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
