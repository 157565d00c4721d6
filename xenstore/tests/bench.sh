#!/bin/sh
# Benchmark against a daemon on a private socket.  Usage: bench.sh BUILD_DIR
O=${1:?usage: bench.sh BUILD_DIR}
tmp=$(mktemp -d /tmp/xenstored-bench.XXXXXX)
trap 'kill "$(cat "$tmp/pid")" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
"$O/xenstored" -N -D -s "$tmp/socket" -F "$tmp/pid" &
for _ in $(seq 50); do [ -S "$tmp/socket" ] && break; sleep 0.1; done
"$O/tests/bench" "$tmp/socket" "$(cat "$tmp/pid")" "${BENCH_SECONDS:-3}"
