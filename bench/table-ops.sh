#!/usr/bin/env bash
# Table operations against Azurite: point read, upsert (8 at a time) and a 1,000-entity partition query, through
# the Table client the store uses and through a bare HttpClient baseline. BenchmarkDotNet, 7 iterations; medians and
# ratios.
#   bash bench/table-ops.sh                        this build
#   bash bench/table-ops.sh --before REV [--rounds N]
#       also builds REV's Hub.Bench in a temporary git worktree and runs the two builds in turns (N rounds each,
#       default 2) against the same Azurite, so that a change of client is compared in one run on one machine.
# Further arguments go to BenchmarkDotNet.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
before="" rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) break ;;
  esac
done

start_azurite
dotnet build "$ROOT/bench/Hub.Bench" -c Release -v quiet -nologo >/dev/null
builds=("after:$ROOT")
if [ -n "$before" ]; then
  tree="$(mktemp -d)/before"
  git -C "$ROOT" worktree add --quiet --detach "$tree" "$before"
  trap 'git -C "$ROOT" worktree remove --force "$tree"; cleanup' EXIT
  dotnet build "$tree/bench/Hub.Bench" -c Release -v quiet -nologo >/dev/null
  builds=("before:$tree" "${builds[@]}")
else
  rounds=1
fi

for round in $(seq 1 "$rounds"); do
  for build in "${builds[@]}"; do
    name="${build%%:*}" tree_root="${build#*:}"
    # BenchmarkDotNet rebuilds the benchmark project it finds above the current folder: run from that build's tree.
    mkdir -p "$tree_root/bench/results" && cd "$tree_root/bench/results"
    [ -n "$before" ] && label="$name-$round" || label=""
    echo "== $label uptime: $(uptime | sed 's/.*load/load/')"
    HUB_BENCH_TABLE_ENDPOINT="$AZURITE_TABLE_ENDPOINT" dotnet "$tree_root/bench/Hub.Bench/bin/Release/net10.0/Hub.Bench.dll" \
      --filter '*TableOperationBenchmarks*' --warmupCount 3 --iterationCount 7 --launchCount 1 \
      --exporters markdown --artifacts "$RESULTS/table-ops${label:+/$label}" "$@" >/dev/null
    report="$RESULTS/table-ops${label:+/$label}/results/Hub.Bench.TableOperationBenchmarks-report-github.md"
    grep -E '^\| *(Method|[A-Za-z]+_)' "$report"
    echo
  done
done
echo "Reports: bench/results/table-ops/*/results/Hub.Bench.TableOperationBenchmarks-report-github.md"
