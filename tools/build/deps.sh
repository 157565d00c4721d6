#!/bin/sh
# Make sure the Debian packages Lamina needs are installed.
#
# Reads tools/build/packages.txt and every */packages.txt one level down
# (e.g. xenstore/packages.txt). As root, installs what is missing with
# apt-get; otherwise prints exactly what is missing and fails.
# Usage: tools/build/deps.sh [extra-list-file...]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
lists="$top/tools/build/packages.txt $(ls "$top"/*/packages.txt 2>/dev/null || true) $*"

wanted=$(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=""
for p in $wanted; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: done"
