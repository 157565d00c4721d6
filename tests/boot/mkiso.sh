#!/bin/sh
# Build a GRUB rescue ISO (BIOS) that boots Lamina with multiboot2.
# Usage: mkiso.sh IMAGE OUT.iso [extra hypervisor options]
# The grub.cfg it writes is docs/grub.cfg.example with the paths filled in.
set -eu
image=$1
out=$2
shift 2
args="$*"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$image" "$dir/boot/lamina"
cat > "$dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry "Lamina" {
	multiboot2 /boot/lamina console=com1 com1=115200,8n1 $args
}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$dir" \
	--install-modules="multiboot2 normal serial terminal configfile iso9660 biosdisk" \
	--locales= --fonts= --themes= >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
}
echo "mkiso: $out"
