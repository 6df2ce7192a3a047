#!/usr/bin/env bash
# Stands in for docker, dotnet and curl (by the name it is called as) in the deploy-script tests that run 'up':
# nothing is built, pushed or fetched. Records every call in $FAKE_AZ_LOG beside the Azure CLI's stand-in, so the
# order of the calls shows.
#   dotnet publish ... -o DIR   creates DIR with one file, as a publish would
#   docker build -t IMAGE DIR   checks DIR is the gateway's build context (a Dockerfile and app/) and remembers IMAGE
#   docker push IMAGE           refuses an image that was not built
#   curl ...                    answers as a healthy hub would
set -euo pipefail
tool="$(basename "$0")"
printf '%s %s\n' "$tool" "$*" >>"$FAKE_AZ_LOG"
state="$FAKE_AZ_STATE"

argument_after() { # option arguments...
  local wanted="$1" previous=""
  shift
  for argument in "$@"; do
    [ "$previous" = "$wanted" ] && { printf '%s\n' "$argument"; return 0; }
    previous="$argument"
  done
  return 1
}

case "$tool ${1:-}" in
  "dotnet publish")
    out="$(argument_after -o "$@")" || { echo "fake dotnet: publish without -o" >&2; exit 1; }
    mkdir -p "$out" && echo published >"$out/published.txt" ;;
  "docker build")
    image="$(argument_after -t "$@")" || { echo "fake docker: build without -t" >&2; exit 1; }
    context="${*: -1}"
    if [ ! -f "$context/Dockerfile" ] || [ ! -d "$context/app" ]; then
      echo "fake docker: $context is not the gateway's build context" >&2; exit 1
    fi
    printf '%s\n' "$image" >>"$state/images" ;;
  "docker push")
    grep -qxF "$2" "$state/images" 2>/dev/null || { echo "fake docker: no image $2 was built" >&2; exit 1; } ;;
  "curl "*) ;;
  *) echo "fake $tool: no canned answer for: $*" >&2; exit 2 ;;
esac
