#!/bin/sh
# The browser tests' Jupyter launcher (LocalProcess__Command): a slow spawner, so that the progress page can be seen,
# and a failing one when the chosen profile sets HUB_TEST_START_FAILURE. Arguments: port, base URL, home.
set -eu
if [ -n "${HUB_TEST_START_FAILURE:-}" ]; then
  echo "$HUB_TEST_START_FAILURE" >&2
  exit 3
fi
sleep "${HUB_TEST_START_DELAY:-2}"
exec jupyter notebook --allow-root --no-browser --ip=127.0.0.1 --port="$1" --NotebookApp.base_url="$2" \
  --NotebookApp.port_retries=0 --notebook-dir="$3"
