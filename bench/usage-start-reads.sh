#!/usr/bin/env bash
# The Table reads a quota check adds to a start: the same start requests against a private Azurite through two
# control planes on the same tables, one without quotas and one with, each request counted by kind (the cull-run
# bench's counter on the Table client). Prints the median requests per start of each and the difference.
#
#   bash bench/usage-start-reads.sh [--starts 20]
#
# Exits non-zero if a quota check adds more than one read.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_azurite
dotnet build "$ROOT/bench/usage-run" -c Release -v quiet -nologo >/dev/null
AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" timeout 600 dotnet "$ROOT/bench/usage-run/bin/Release/net10.0/UsageRun.dll" --part start-reads "$@" \
  | tee "$RESULTS/usage-start-reads.txt"
