#!/bin/sh
# Build a GRUB rescue ISO (BIOS) that boots Lamina with multiboot2.
# Usage: mkiso.sh [-m 'FILE [ARGS]']... IMAGE OUT.iso [extra hypervisor options]
# Each -m adds a multiboot2 module (in order: the first is dom0's kernel)
# with the module string ARGS. The grub.cfg it writes is
# docs/grub.cfg.example with the paths filled in. The ISO holds only the
# GRUB modules needed (0.8 MB), which keeps Bochs boots short.
set -eu
mods=""
while getopts m: opt; do
	case $opt in
	m) mods="$mods$OPTARG
" ;;
	*) echo "usage: mkiso.sh [-m 'FILE [ARGS]']... IMAGE OUT.iso [options]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
image=$1
out=$2
shift 2
args="$*"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$image" "$dir/boot/lamina"
lines=""
n=0
while IFS= read -r m; do
	[ -n "$m" ] || continue
	file=${m%% *}
	margs=""
	[ "$file" = "$m" ] || margs=${m#* }
	cp "$file" "$dir/boot/module$n"
	lines="$lines	module2 /boot/module$n $margs
"
	n=$((n + 1))
done <<MODS
$mods
MODS
cat > "$dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry "Lamina" {
	multiboot2 /boot/lamina console=com1 com1=115200,8n1 $args
$lines}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$dir" \
	--install-modules="multiboot2 normal serial terminal configfile iso9660 biosdisk" \
	--locales= --fonts= --themes= >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
}
echo "mkiso: $out"
