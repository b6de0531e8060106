#!/bin/bash
# 50 load/unload cycles leave /proc/iomem and the slab caches as they were.
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

cycle() {
	insmod "$PMEMCTL_KO" || fail "insmod (cycle $1)"
	# touch what userspace would: sysfs, the control device
	cat /sys/bus/pmemctl/devices/region*/size >/dev/null || fail "sysfs read (cycle $1)"
	"$PMEMCTL_BUILDDIR/test/vm/ioctl-abi" >/dev/null || fail "control device (cycle $1)"
	rmmod pmemctl || fail "rmmod (cycle $1)"
}

# Active objects in the caches a driver's objects can land in: the generic
# kmalloc caches (our structs, names, devres, resources) and kernfs (sysfs
# nodes). VFS caches (inodes, radix tree nodes) move with the test's own file
# activity and are left out.
slab_snapshot() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk 'NR > 2 && $1 ~ /^(dma-)?kmalloc-|^kernfs/ { print $1, $2 }' /proc/slabinfo | sort
}

iomem_before=$(cat /proc/iomem)
# warm up: first-time allocations (kernfs, module loader caches) settle here
for i in 1 2 3 4 5; do cycle "warm$i"; done
slab_before=$(slab_snapshot)

for i in $(seq 1 50); do cycle "$i"; done

slab_after=$(slab_snapshot)
expect_eq "$(cat /proc/iomem)" "$iomem_before" "/proc/iomem after 50 cycles"

# A leak of even one object per cycle grows some cache by >= 50 objects.
# Not on a KASAN kernel: its quarantine keeps freed objects allocated in
# their slab (up to 1/32 of RAM), and DEBUG_KOBJECT_RELEASE delays each
# kobject's release by up to a second, so every cache grows there; its
# kmemleak scan after the test is the leak check instead.
if [ -r /proc/config.gz ] && zcat /proc/config.gz | grep -q '^CONFIG_KASAN=y'; then
	slabs="not compared (KASAN's quarantine; kmemleak checks instead)"
else
	grown=$(join <(echo "$slab_before") <(echo "$slab_after") |
		awk '$3 - $2 >= 50 { print $1 ": " $2 " -> " $3 }')
	if [ -n "$grown" ]; then
		echo "$grown"
		fail "slab caches grew by >= 50 objects over 50 cycles"
	fi
	slabs="no kmalloc/kernfs cache grew by 50 objects"
fi
[ ! -e /sys/bus/pmemctl ] || fail "bus left behind"
lsmod | grep -q '^pmemctl' && fail "module still listed"
echo "ok: 55 cycles, /proc/iomem unchanged, $slabs"
