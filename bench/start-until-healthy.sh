#!/usr/bin/env bash
# Starts a server (the rest of the arguments) and returns as soon as URL ($1) answers 200; then kills the server.
# Timed by hyperfine in cold-start.sh, so the time is "process start to first 200" plus a small constant.
url="$1"; shift
"$@" >/dev/null 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "the server exited before answering $url" >&2; exit 1; fi
  sleep 0.002
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
