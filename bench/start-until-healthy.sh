#!/usr/bin/env bash
# Starts a server (the rest of the arguments) and returns as soon as URL ($1) answers 200; then kills the server.
# Timed by cold-start.sh, so the time is "process start to first 200" plus a small constant. With
# COLD_START_CPU_LOG set, the server's CPU time until then (user + system, in ms) is appended to that file.
url="$1"; shift
"$@" >/dev/null 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "the server exited before answering $url" >&2; exit 1; fi
  sleep 0.002
done
if [ -n "${COLD_START_CPU_LOG:-}" ]; then
  read -r -a stat < "/proc/$pid/stat"
  echo $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) )) >> "$COLD_START_CPU_LOG"
fi
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
