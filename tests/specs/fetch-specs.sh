#!/usr/bin/env bash
# Downloads the published specs the tests read (tests/specs/sources.tsv) into the specs cache, so that a clone of
# the repository with nothing beside it can run every test. ./hub setup runs it.
#
# Nothing is downloaded when the tests will not read the cache: HUB_SPECS_DIR names a folder of specs, or a
# shared/specs folder sits beside the repository. A file already in the cache with the right SHA-256 is kept.
# Each download goes to a temporary name and is moved into place only when its SHA-256 is the manifest's, so the
# cache never holds a partial or unexpected file.
#
# Environment:
#   HUB_SPECS_DIR       a folder holding the specs; when set, this script does nothing
#   HUB_SPECS_CACHE     the cache folder (default .hub-data/specs in the repository; relative to the repository)
#   HUB_SPECS_MANIFEST  the manifest to read (default tests/specs/sources.tsv; relative to the repository)
#
# Exit status: 0 when every file is in place (or nothing was needed), 1 when some file could not be had.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

in_root() { # PATH: absolute as is, else relative to the repository (as the tests resolve it)
  case "$1" in
    /*) printf '%s' "$1" ;;
    *) printf '%s' "$ROOT/$1" ;;
  esac
}

MANIFEST="$(in_root "${HUB_SPECS_MANIFEST:-tests/specs/sources.tsv}")"
CACHE="$(in_root "${HUB_SPECS_CACHE:-.hub-data/specs}")"
SIBLING="$ROOT/../shared/specs"

say() { printf 'specs: %s\n' "$*" >&2; }

if [ -n "${HUB_SPECS_DIR:-}" ]; then
  say "the tests read HUB_SPECS_DIR ($HUB_SPECS_DIR); nothing to download"
  exit 0
fi
if [ -d "$SIBLING" ]; then
  say "the tests read $(cd "$SIBLING" && pwd) (beside the repository); nothing to download"
  exit 0
fi
[ -f "$MANIFEST" ] || { say "no manifest at $MANIFEST"; exit 1; }
command -v curl >/dev/null || { say "curl is needed to download the specs; or set HUB_SPECS_DIR to a folder holding them"; exit 1; }

sha256_of() { # FILE
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# curl exit codes that mean the host cannot be reached at all (no name, no connection, timeout, TLS failure):
# the remaining files would fail the same way, each after its own timeout, so the script stops trying.
unreachable() { case "$1" in 5 | 6 | 7 | 28 | 35 | 60) return 0 ;; *) return 1 ;; esac; }

failed=0
downloaded=0
partial=""
# An interrupted download leaves no temporary file behind.
trap 'rm -f "$partial"' EXIT
while IFS=$'\t' read -r path expected url || [ -n "$path" ]; do
  case "$path" in '' | '#'*) continue ;; esac
  if [ -z "$expected" ] || [ -z "$url" ] || [[ "$path" == /* || "$path" == *..* ]]; then
    say "malformed manifest line for '$path' in $MANIFEST (want: relative path, SHA-256, URL)"
    failed=1
    continue
  fi
  target="$CACHE/$path"
  if [ -f "$target" ] && [ "$(sha256_of "$target")" = "$expected" ]; then
    continue
  fi
  mkdir -p "$(dirname "$target")"
  partial="$(mktemp "$target.XXXXXX.part")"
  status=0
  error="$(curl --fail --silent --show-error --location --proto '=https,http' \
    --connect-timeout 15 --max-time 180 --retry 1 --retry-delay 3 \
    --output "$partial" "$url" 2>&1)" || status=$?
  if [ "$status" -ne 0 ]; then
    rm -f "$partial"
    # curl repeats its error line after a retry; the last one says it all.
    error="${error##*$'\n'}"
    say "could not download $path from $url: ${error:-curl exit $status}"
    failed=1
    if unreachable "$status"; then
      say "$url is unreachable, so the remaining files were not tried"
      break
    fi
    continue
  fi
  actual="$(sha256_of "$partial")"
  if [ "$actual" != "$expected" ]; then
    rm -f "$partial"
    say "refused $path from $url: its SHA-256 is $actual, the manifest expects $expected"
    failed=1
    continue
  fi
  mv -f "$partial" "$target"
  partial=""
  downloaded=$((downloaded + 1))
done <"$MANIFEST"

if [ "$failed" -ne 0 ]; then
  say "some specs are missing from $CACHE; the tests that read them will fail."
  say "Set HUB_SPECS_DIR to a folder holding the specs listed in $MANIFEST, or run ./hub setup again when the URLs answer."
  exit 1
fi
say "all specs in $MANIFEST are in $CACHE ($downloaded downloaded)"
