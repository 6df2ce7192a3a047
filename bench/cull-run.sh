#!/usr/bin/env bash
# One cull run over many servers: 10,000 running servers in a private Azurite, 5 % of them idle. The program seeds a
# fresh set of tables for each run, then times, in the same process, the bare query of the same rows (the baseline)
# and one run of the app's own CullIdleJob; it counts the Table requests of each by kind, asks the idle servers'
# kernel list (with --activity traffic: /api/status, then the kernel list) on a local Kestrel stand-in on 127.0.0.1,
# and checks that only idle servers were written to.
#
#   bash bench/cull-run.sh [--servers 10000] [--idle 0.05] [--runs 3] [--concurrency N (the app default)] [--activity user|traffic]
#
# Three runs by default; the program prints every run and the medians, and exits non-zero if a server that stays was
# written to or an idle one was not culled.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_azurite
dotnet build "$ROOT/bench/cull-run" -c Release -v quiet -nologo >/dev/null
AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" timeout 1200 dotnet "$ROOT/bench/cull-run/bin/Release/net10.0/CullRun.dll" "$@" \
  | tee "$RESULTS/cull-run.txt"
