#!/usr/bin/env bash
# Source this file: starts moto's server (scripts/moto_server.py: stock moto_server plus a secret
# lookup the tests use) on a free loopback port, exports LABNOTE_MOTO_URL and
# AWS_ENDPOINT_URL, and stops the server when the sourcing shell exits.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MOTO_PORT=$(free_port)
.venv/bin/python scripts/moto_server.py -H 127.0.0.1 -p "$MOTO_PORT" >"${TMPDIR:-/tmp}/labnote-moto-$MOTO_PORT.log" 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null; wait $MOTO_PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$MOTO_PORT/moto-api/', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
kill -0 "$MOTO_PID" 2>/dev/null || { echo "moto_server did not start; see ${TMPDIR:-/tmp}/labnote-moto-$MOTO_PORT.log" >&2; exit 1; }
export LABNOTE_MOTO_URL="http://127.0.0.1:$MOTO_PORT"
