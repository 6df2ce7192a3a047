# Helpers shared by the benchmark scripts (sourced, not run). Everything listens on 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
CLEANUP_PIDS=()
cleanup() { for pid in "${CLEANUP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Installs Debian packages (as root) for the tools a benchmark needs.
need_tools() { # package:command ...
  local wanted=()
  for entry in "$@"; do command -v "${entry#*:}" >/dev/null || wanted+=("${entry%%:*}"); done
  [ ${#wanted[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || { echo "bench: install ${wanted[*]} first" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null; }
}

# Starts a private Azurite on free ports; sets AZURITE_TABLE_ENDPOINT and AZURITE_CONNECTION_STRING.
start_azurite() {
  "$ROOT/hub" setup >/dev/null
  local data log
  data="$(mktemp -d)"; log="$data/azurite.log"
  "$ROOT/node_modules/.bin/azurite" --silent --disableTelemetry --location "$data" \
    --blobHost 127.0.0.1 --blobPort 0 --queueHost 127.0.0.1 --queuePort 0 --tableHost 127.0.0.1 --tablePort 0 >"$log" 2>&1 &
  CLEANUP_PIDS+=($!)
  local deadline=$((SECONDS + 60)) url=""
  until url="$(sed -n 's/.*Table service is successfully listening at \(http:[^ ]*\).*/\1/p' "$log")"; [ -n "$url" ]; do
    [ $SECONDS -lt $deadline ] || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  AZURITE_TABLE_ENDPOINT="${url%/}/devstoreaccount1"
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  AZURITE_CONNECTION_STRING="AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=$AZURITE_TABLE_ENDPOINT"
  export AZURITE_TABLE_ENDPOINT AZURITE_CONNECTION_STRING
}

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
