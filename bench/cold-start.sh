#!/usr/bin/env bash
# Control-plane cold start: process start to the first 200 on /hub/health (store reachable, tables present),
# against an empty ASP.NET Core app as the baseline. Every app is published as the control plane is deployed
# (Release, linux-x64, ReadyToRun), so the JIT work measured is what runs in Azure.
#
#   bash bench/cold-start.sh                       # the baseline and this build
#   bash bench/cold-start.sh --before REV          # also REV's control plane (built in a temporary git worktree)
#   bash bench/cold-start.sh --rounds N            # N measured rounds (default 15), after 2 warm-up rounds
#
# The apps start in turns, one of each per round, so a shared machine's changing load falls on all of them alike.
# Beside wall time each start's CPU time until its first 200 is recorded, which the load disturbs less.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
before="" rounds=15 warmups=2
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: cold-start.sh [--before REV] [--rounds N]" >&2; exit 2 ;;
  esac
done
need_tools curl:curl
start_azurite
publish="$(mktemp -d)"
tree=""
trap '[ -n "$tree" ] && git -C "$ROOT" worktree remove --force "$tree"; cleanup; rm -rf "$publish"' EXIT

publish_app() { # source-root project name
  dotnet publish "$1/$2" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -p:GenerateDocumentationFile=false --artifacts-path "$publish/build-$3" -o "$publish/$3" -v quiet -nologo >/dev/null
}
publish_app "$ROOT" bench/ColdStartBaseline baseline
publish_app "$ROOT" functions/Hub.Functions hub
apps=("baseline:ColdStartBaseline.dll" "hub:Hub.Functions.dll")
if [ -n "$before" ]; then
  tree="$(mktemp -d)/before"
  git -C "$ROOT" worktree add --quiet --detach "$tree" "$before"
  publish_app "$tree" functions/Hub.Functions before
  apps=("baseline:ColdStartBaseline.dll" "before:Hub.Functions.dll" "hub:Hub.Functions.dll")
fi

port="$(free_port)"
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__TablePrefix="coldstart"
export ControlPlane__ListenUrl="http://127.0.0.1:$port" BASELINE_URL="http://127.0.0.1:$port"
for app in "${apps[@]}"; do rm -f "$RESULTS/cold-start-wall-${app%%:*}.txt" "$RESULTS/cold-start-cpu-${app%%:*}.txt"; done
for ((round = -warmups; round < rounds; round++)); do
  for app in "${apps[@]}"; do
    name="${app%%:*}"
    cpu_log=/dev/null
    [ "$round" -ge 0 ] && cpu_log="$RESULTS/cold-start-cpu-$name.txt"
    started="$(date +%s%N)"
    COLD_START_CPU_LOG="$cpu_log" bash "$ROOT/bench/start-until-healthy.sh" "http://127.0.0.1:$port/hub/health" dotnet "$publish/$name/${app#*:}"
    [ "$round" -ge 0 ] && echo $(( ($(date +%s%N) - started) / 1000000 )) >> "$RESULTS/cold-start-wall-$name.txt"
  done
done

# Medians per app and the ratios to the baseline; the targets are the control plane's wall time (< 500 ms, <= 1.3x).
node -e '
const fs = require("fs");
const [dir, ...names] = process.argv.slice(1);
const median = file => { const v = fs.readFileSync(file, "utf8").trim().split("\n").map(Number).sort((a, b) => a - b); return v[v.length >> 1]; };
const row = name => ({ name, wall: median(`${dir}/cold-start-wall-${name}.txt`), cpu: median(`${dir}/cold-start-cpu-${name}.txt`) });
const rows = names.map(row), base = rows[0];
for (const r of rows) {
  console.log(`${r.name.padEnd(9)} wall median ${String(r.wall).padStart(6)} ms (${(r.wall / base.wall).toFixed(2)}x)   CPU median ${String(r.cpu).padStart(5)} ms (${(r.cpu / base.cpu).toFixed(2)}x)`);
}
const hub = rows.find(r => r.name === "hub");
console.log(`targets < 500 ms and <= 1.3x the baseline (wall): ${hub.wall < 500 && hub.wall / base.wall <= 1.3 ? "met" : "NOT met"}`);
fs.writeFileSync(`${dir}/cold-start.json`, JSON.stringify(rows, null, 2));
' "$RESULTS" "${apps[@]%%:*}"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
