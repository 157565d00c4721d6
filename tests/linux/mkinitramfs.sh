#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A busybox initramfs for Debian's kernel under Lamina (and Xen):
#   tests/linux/mkinitramfs.sh OUT.cpio.gz
# /init mounts proc, sys and devtmpfs, prints a marker line with the
# uptime (the boot-time benchmarks wait for it), then runs a shell on the
# console. `poweroff` and `reboot` are busybox's (-f: no init to ask).
set -eu
out=$1
bb=/bin/busybox
file -L "$bb" | grep -q 'statically linked' ||
	{ echo "$0: $bb is not busybox-static" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/sbin" "$dir/proc" "$dir/sys" "$dir/dev" \
	"$dir/tmp" "$dir/etc"
cp "$bb" "$dir/bin/busybox"
for app in $("$bb" --list); do
	[ "$app" = busybox ] || ln -s busybox "$dir/bin/$app"
done
cat > "$dir/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "lamina-initramfs: userspace after $(cut -d' ' -f1 /proc/uptime) s"
export PS1='~ # ' PATH=/bin:/sbin
while :; do
	setsid cttyhack sh
done
INIT
chmod 755 "$dir/init"
(cd "$dir" && find . | cpio -o -H newc --quiet) | gzip -9 > "$out.tmp"
mv "$out.tmp" "$out"
