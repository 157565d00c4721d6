#!/bin/sh
# Turns `nm -n` output (on stdin when the argument is "-") into the symbol
# table that common/symbols.c searches for stack traces: the text symbols,
# sorted by address, with their names.
# Usage: nm -n image | gen-symbols.sh -   (or gen-symbols.sh /dev/null)
set -eu
input=$1
[ "$input" = - ] && input=/dev/stdin
awk 'BEGIN { n = 0 }
NF == 3 && $1 ~ /^ffffffff8/ && $2 ~ /^[Tt]$/ && $3 !~ /^\.L/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "\t.section .rodata.symbols, \"a\""
	print "\t.balign 8"
	print "\t.globl symbols_count"
	print "symbols_count:\n\t.quad " n
	print "\t.globl symbols_addrs"
	print "symbols_addrs:"
	for (i = 0; i < n; i++)
		print "\t.quad 0x" addr[i]
	print "\t.globl symbols_name_offs"
	print "symbols_name_offs:"
	off = 0
	for (i = 0; i < n; i++) {
		print "\t.long " off
		off += length(name[i]) + 1
	}
	print "\t.globl symbols_names"
	print "symbols_names:"
	for (i = 0; i < n; i++)
		print "\t.asciz \"" name[i] "\""
}' "$input"
