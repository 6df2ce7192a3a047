#!/usr/bin/env bash
# Table operations against Azurite: point read, upsert (8 at a time) and a 1,000-entity partition query, through
# the Table client and through a bare HttpClient baseline. BenchmarkDotNet, 5+ iterations; medians and ratios.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_azurite
dotnet build "$ROOT/bench/Hub.Bench" -c Release -v quiet -nologo >/dev/null
cd "$RESULTS"
HUB_BENCH_TABLE_ENDPOINT="$AZURITE_TABLE_ENDPOINT" dotnet "$ROOT/bench/Hub.Bench/bin/Release/net10.0/Hub.Bench.dll" \
  --filter '*TableOperationBenchmarks*' --warmupCount 3 --iterationCount 7 --launchCount 1 \
  --exporters markdown --artifacts "$RESULTS/table-ops" "$@"
echo
echo "Report: bench/results/table-ops/results/Hub.Bench.TableOperationBenchmarks-report-github.md"
