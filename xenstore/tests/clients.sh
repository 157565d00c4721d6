#!/bin/sh
# Real clients against the daemon over a private Unix socket:
# Debian's xenstore-utils, Xen's test-xenstore (also -i 100), and the raw
# socket robustness checks in xsclient.  Usage: clients.sh BUILD_DIR
O=${1:?usage: clients.sh BUILD_DIR}
TEST_XENSTORE=${TEST_XENSTORE:-/usr/lib/xen-4.17/bin/test-xenstore}
XENSTORE_CONTROL=${XENSTORE_CONTROL:-/usr/lib/xen-4.17/bin/xenstore-control}
tmp=$(mktemp -d /tmp/xenstored-test.XXXXXX)
XENSTORED_PATH=$tmp/socket
export XENSTORED_PATH
pass=0
fail=0

cleanup() {
	for p in "$tmp/pid" "$tmp/pid2"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }
t() {
	desc=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$desc"; else
		ko "$desc"; sed 's/^/    /' "$tmp/out"; fi
}
# t_eq DESC EXPECTED CMD...: output must equal EXPECTED
t_eq() {
	desc=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then ok "$desc"; else
		ko "$desc"; echo "    want: $want"; echo "    got:  $got"; fi
}

# Command line.
t "--help explains the options" sh -c "\"$O/xenstored\" --help |
	grep -q -- '--no-domain-init' && \"$O/xenstored\" -H | grep -q -- '-Q'"
t "unknown option is refused" sh -c "! \"$O/xenstored\" --bogus 2>/dev/null"
t "bad quota value is refused" sh -c \
	"! \"$O/xenstored\" -N -D -E x -s $tmp/q 2>/dev/null"
t "bad -Q is refused" sh -c \
	"! \"$O/xenstored\" -N -D -Q nodes -s $tmp/q 2>/dev/null"
t "without -D it explains why it cannot start" sh -c \
	"\"$O/xenstored\" -N -s $tmp/q >$tmp/noD 2>&1; [ \$? -ne 0 ] &&
	 grep -q -- '--no-domain-init' $tmp/noD"
t "forks, writes its pid file, serves, stops on SIGTERM" sh -c "
	\"$O/xenstored\" -D -s $tmp/f -F $tmp/fpid -Q outstanding=5 &&
	XENSTORED_PATH=$tmp/f xenstore-write /x 1 &&
	kill \$(cat $tmp/fpid) && sleep 0.5 && [ ! -S $tmp/f ]"

"$O/xenstored" -N -D -s "$XENSTORED_PATH" -F "$tmp/pid" \
	-T "$tmp/trace" 2>"$tmp/daemon.err" &
for _ in $(seq 50); do [ -S "$XENSTORED_PATH" ] && break; sleep 0.1; done
[ -S "$XENSTORED_PATH" ] || { echo "daemon did not start"; exit 1; }

t "xenstore-write several keys" xenstore-write /c/a 1 /c/b "two words"
t_eq "xenstore-read" "1" xenstore-read /c/a
t_eq "xenstore-read value with spaces" "two words" xenstore-read /c/b
t_eq "xenstore-list" "a
b" xenstore-list /c
t_eq "xenstore-ls" 'a = "1"
b = "two words"' xenstore-ls /c
t_eq "xenstore-ls -f" '/c/a = "1"
/c/b = "two words"' xenstore-ls -f /c
t "xenstore-exists on a node" xenstore-exists /c/a
t "xenstore-exists on a missing node fails" sh -c '! xenstore-exists /c/zz'
t "xenstore-read of a missing node fails" sh -c '! xenstore-read /c/zz'
t "xenstore-chmod" xenstore-chmod /c/a r5 w6
t "xenstore-ls -p shows the permissions" \
	sh -c 'xenstore-ls -p /c | grep -q "(r5,w6)"'
t "xenstore-chmod -r" xenstore-chmod -r /c n0 b7
t "recursive chmod reached the children" \
	sh -c 'xenstore-ls -p /c | grep -c "(n0,b7)" | grep -qx 2'
t "bad permission string is refused" sh -c '! xenstore-chmod /c/a q5'
t "xenstore-rm" xenstore-rm /c/a
t "removed node is gone" sh -c '! xenstore-read /c/a'
t "xenstore-rm -t removes empty parents" sh -c \
	'xenstore-write /e/f/g 1 && xenstore-rm -t /e/f/g && ! xenstore-exists /e'
# shellcheck disable=SC2016 # expanded by the inner shell
t "relative paths live under /local/domain/0" sh -c \
	'xenstore-write rel/x 5 && [ "$(xenstore-read /local/domain/0/rel/x)" = 5 ]'
t "invalid path is refused" sh -c '! xenstore-write /bad//path 1'

timeout 10 xenstore-watch -n 3 /w >"$tmp/watch" 2>&1 &
wpid=$!
sleep 0.3
xenstore-write /w/x 1
xenstore-rm /w
wait $wpid
t_eq "xenstore-watch: initial event, write, removal" "/w
/w/x
/w" cat "$tmp/watch"

names=""
for i in $(seq 300); do names="$names /big/child-with-a-long-name-$i x"; done
# shellcheck disable=SC2086
xenstore-write $names
t_eq "large directory via DIRECTORY_PART" "300" \
	sh -c 'xenstore-list /big | wc -l'

if [ -x "$XENSTORE_CONTROL" ]; then
	t_eq "xenstore-control check" "OK" "$XENSTORE_CONTROL" check
	t "xenstore-control unknown command fails" \
		sh -c "! $XENSTORE_CONTROL no-such-command"
fi

if [ -x "$TEST_XENSTORE" ]; then
	t "test-xenstore" "$TEST_XENSTORE"
	t "test-xenstore -i 100" "$TEST_XENSTORE" -i 100
else
	ko "test-xenstore not installed ($TEST_XENSTORE)"
fi

t "raw-socket robustness (xsclient)" "$O/tests/xsclient" "$XENSTORED_PATH"
# A second daemon with few descriptors (the listener and client sockets
# share them): it must pause accepting rather than spin, then recover.
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
(ulimit -n 24 && exec "$O/xenstored" -N -D -s "$tmp/small" -F "$tmp/pid2") &
for _ in $(seq 50); do [ -S "$tmp/small" ] && break; sleep 0.1; done
t "descriptor exhaustion" "$O/tests/xsclient" --fd-exhaustion "$tmp/small"
cpu=$(ps -o time= -p "$(cat "$tmp/pid2")" | tr -d ' :')
t "no busy loop while out of descriptors ($cpu)" [ "${cpu:-9}" -lt 2 ]
kill "$(cat "$tmp/pid2")"
t "trace file records traffic" grep -q "IN .* WRITE" "$tmp/trace"
[ -x "$XENSTORE_CONTROL" ] &&
	t_eq "tree intact after all clients" "OK" "$XENSTORE_CONTROL" check
t "daemon still running" kill -0 "$(cat "$tmp/pid")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
