#!/usr/bin/env bash
# The period rollover and the usage report at class scale: 10,000 users, 20,000 finished runs and 1,000 running
# servers seeded in a private Azurite, a minute after a week and a month began. Times the first cull run's usage pass
# (quota stops, the month's budget sum) and the usage report of the new week and of the week just ended, each on a
# fresh control plane, three times; prints every run with its Table requests, and the medians.
#
#   bash bench/usage-report.sh [--users 10000] [--running 1000] [--runs 3]
#
# Exits non-zero if a median is 10 s or more.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_azurite
dotnet build "$ROOT/bench/usage-run" -c Release -v quiet -nologo >/dev/null
AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" timeout 1800 dotnet "$ROOT/bench/usage-run/bin/Release/net10.0/UsageRun.dll" --part report "$@" \
  | tee "$RESULTS/usage-report.txt"
