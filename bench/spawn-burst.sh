#!/usr/bin/env bash
# The class-start burst: many students press start within a minute. The control plane runs in-process on a private
# Azurite; each user presses start once at a random moment of the window (seeded), through IServerLifecycle.
#
#   bash bench/spawn-burst.sh aci   [options]   1,000 users / 60 s against the ARM double: 30 s provisioning, ARM writes
#                                               200 burst + 10/s, 3 % failed provisionings; overhead vs the ideal client
#   bash bench/spawn-burst.sh local [options]   50 users / 60 s with real local Jupyter processes, against the same
#                                               users starting the same Jupyter command directly in the same run
#   bash bench/spawn-burst.sh all               both
#
# Options (after the mode) override the defaults, e.g. --runs 1 --users 200 --poll-interval 1. Three runs each; the
# program prints every run and the medians, and exits non-zero if a request was lost or duplicated.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode="${1:-all}"; shift || true
"$ROOT/hub" setup >/dev/null
start_azurite
dotnet build "$ROOT/bench/spawn-burst" -c Release -v quiet -nologo >/dev/null
burst() { AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" dotnet "$ROOT/bench/spawn-burst/bin/Release/net10.0/SpawnBurst.dll" "$@"; }
status=0
case "$mode" in
  aci|all)
    burst --spawner container-instances --users 1000 --window 60 --latency 30 --write-burst 200 --write-rate 10 \
      --failure-rate 0.03 --concurrent-spawns 1000 --runs 3 "$@" | tee "$RESULTS/spawn-burst-aci.txt" || status=1 ;;&
  local|all)
    burst --spawner local-process --users 50 --window 60 --concurrent-spawns 100 --runs 3 "$@" | tee "$RESULTS/spawn-burst-local.txt" || status=1 ;;
  aci) ;;
  *) echo "usage: bash bench/spawn-burst.sh aci|local|all [options]" >&2; exit 2 ;;
esac
exit $status
