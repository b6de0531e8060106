#!/bin/bash
# Build the tiny initramfs that boots a test guest: busybox loads the virtio,
# 9p and overlay modules of the target kernel, mounts the host's root
# read-only over virtio-9p with a tmpfs overlay on top, and switch_roots into
# it, so the guest runs the host's own tools and the fresh build in place.
#
# usage: mkinitramfs.sh KVER OUTPUT.cpio.gz
set -euo pipefail

kver=$1
out=$2
modules="virtio_pci 9pnet_virtio 9p overlay"

[ -d "/lib/modules/$kver" ] || { echo "mkinitramfs: no /lib/modules/$kver (install linux-image-$kver)" >&2; exit 1; }
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static ||
	busybox=/bin/busybox
[ -x "$busybox" ] || { echo "mkinitramfs: busybox-static is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,lower,upper,newroot,modules}
cp "$busybox" "$work/bin/busybox"
for applet in sh mount umount mkdir insmod switch_root cat echo sleep reboot; do
	ln -s busybox "$work/bin/$applet"
done

# Dependency order from the target kernel's own modules.dep; a module built
# into the kernel (the debug kernel has all of them built in) prints
# "builtin" and needs nothing, so the initramfs may carry no module at all.
# Compressed modules are unpacked here because busybox insmod cannot.
for m in $modules; do
	modprobe -S "$kver" --show-depends "$m" | while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		base=$(basename "$path")
		[ -e "$work/modules/"*"-${base%%.ko*}.ko" ] 2>/dev/null && continue
		dst=$(printf '%s/modules/%02d-%s.ko' "$work" "$(ls "$work/modules" | wc -l)" "${base%%.ko*}")
		case "$path" in
		*.ko.xz) xz -dc "$path" >"$dst" ;;
		*.ko.zst) zstd -qdc "$path" >"$dst" ;;
		*.ko.gz) gzip -dc "$path" >"$dst" ;;
		*) cp "$path" "$dst" ;;
		esac
	done
done

cat >"$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /modules/*.ko; do
	[ -e "$m" ] || continue
	insmod "$m" || echo "initramfs: insmod $m failed"
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower ||
	{ echo "initramfs: cannot mount host root"; reboot -f; }
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w overlay /newroot ||
	{ echo "initramfs: overlay mount failed"; reboot -f; }
mkdir -p /newroot/job
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 job /newroot/job ||
	{ echo "initramfs: cannot mount job share"; reboot -f; }
for d in dev proc sys; do
	mount --move /$d /newroot/$d
done
exec switch_root /newroot /bin/sh /job/start
INIT
chmod +x "$work/init"

(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
