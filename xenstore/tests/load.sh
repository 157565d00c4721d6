#!/bin/sh
# 64 clients, 30 s (LOAD_CLIENTS / LOAD_SECONDS override) against a daemon
# on a private socket.  Usage: load.sh BUILD_DIR
O=${1:?usage: load.sh BUILD_DIR}
tmp=$(mktemp -d /tmp/xenstored-load.XXXXXX)
trap 'kill "$(cat "$tmp/pid")" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
"$O/xenstored" -N -D -s "$tmp/socket" -F "$tmp/pid" &
for _ in $(seq 50); do [ -S "$tmp/socket" ] && break; sleep 0.1; done
"$O/tests/loadtest" "$tmp/socket" "$(cat "$tmp/pid")" \
	"${LOAD_CLIENTS:-64}" "${LOAD_SECONDS:-30}"
