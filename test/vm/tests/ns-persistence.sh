#!/bin/bash
# After a power cut (QEMU SIGKILLed, guest RAM kept in a file) and a reboot,
# the module finds the same namespaces with the same numbers, names, UUIDs
# and sizes, and their data, including data written just before the cut.
# page and pfn namespaces, and namespaces reconfigured raw -> page (data
# kept) and page -> pfn (forced), come back enabled in the same mode with
# the same layout (data offset, npfns, struct page size) and their data.
# vm-ram-file: yes
# vm-boots: 2
# vm-kill: 0 0.5
# vm-timeout: 240
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
state=/job/state
mkdir -p "$state"

# one line per namespace: identity, mode, layout, state
listing() {
	local ns
	for ns in $sys/namespace*; do
		echo "$(basename "$ns") $(cat "$ns/name") $(cat "$ns/uuid") $(cat "$ns/size") $(cat "$ns/resource")" \
			"$(cat "$ns/mode") $(cat "$ns/data_offset") $(cat "$ns/npfns") $(cat "$ns/page_struct_size")" \
			"$(cat "$ns/state")"
	done | sort
}

# fill a whole block device with random data, keep its md5
fill() {
	head -c "$(blockdev --getsize64 "/dev/$1")" /dev/urandom >/tmp/"$1"
	dd if=/tmp/"$1" of="/dev/$1" bs=1M oflag=direct,dsync status=none || fail "write $1"
	md5sum </tmp/"$1" >"$state/$1.md5"
}

same_data() {
	expect_eq "$(dd if="/dev/$1" bs=1M iflag=direct status=none | md5sum)" "$(cat "$state/$1.md5")" "$1 data"
}

load_module
if [ "$PMEMCTL_VM_BOOT" = 1 ]; then
	expect_eq "$("$nsi" init 0)" ok "init-labels"
	"$nsi" create 0 $((16 * MiB)) 0 first >/dev/null || fail "create first"
	"$nsi" create 0 $((8 * MiB)) 0 second >/dev/null || fail "create second"
	"$nsi" create 0 $((32 * MiB)) 0 third >/dev/null || fail "create third"
	"$nsi" destroy 0 1 >/dev/null || fail "destroy second"
	"$nsi" create 0 $((4 * MiB)) 0 fourth >/dev/null || fail "create fourth"
	"$nsi" init 1 >/dev/null || fail "init region1"
	"$nsi" create 1 $((2 * MiB)) 0 other >/dev/null || fail "create on region1"
	"$nsi" create 1 $((64 * MiB)) 0 fs >/dev/null || fail "create fs"
	"$nsi" create 1 $((32 * MiB)) 0 pg 1 >/dev/null || fail "create page namespace"
	"$nsi" create 1 $((64 * MiB)) 0 pf 2 >/dev/null || fail "create pfn namespace"
	"$nsi" create 1 $((16 * MiB)) 0 rp >/dev/null || fail "create raw, to become page"
	"$nsi" create 1 $((16 * MiB)) 0 pp 1 >/dev/null || fail "create page, to become pfn"
	"$nsi" create 1 $((32 * MiB)) 0 dx 1 >/dev/null || fail "create page namespace for DAX"
	for dev in pmem0n0 pmem0n1 pmem0n2 pmem1n0 pmem1n2 pmem1n3 pmem1n4; do
		fill $dev
	done
	# raw -> page keeps the data; page -> pfn moves the data start (force)
	expect_eq "$("$nsi" reconfigure 1 4 1 | cut -d' ' -f1)" ok "reconfigure rp to page"
	same_data pmem1n4
	expect_eq "$("$nsi" reconfigure 1 5 2)" "errno ENOTEMPTY" "page -> pfn without force"
	expect_eq "$("$nsi" reconfigure 1 5 2 1 | cut -d' ' -f1)" ok "reconfigure pp to pfn"
	fill pmem1n5
	listing >"$state/namespaces"
	cat "$state/namespaces"
	grep -q " pf [^ ]* $((64 * MiB)) [^ ]* pfn $((2 * MiB)) 16384 64 enabled" "$state/namespaces" ||
		fail "pfn layout of pf"
	grep -q " rp .* page 0 0 0 enabled" "$state/namespaces" || fail "rp in page mode"
	grep -q " pp .* pfn $((2 * MiB)) 4096 64 enabled" "$state/namespaces" || fail "pfn layout of pp"
	# the last write is acknowledged with FUA just before the cut
	dd if=/dev/urandom of=/tmp/last bs=4k count=1 status=none
	dd if=/tmp/last of=/dev/pmem0n2 bs=4k seek=5 oflag=direct,dsync status=none
	md5sum </tmp/last >"$state/last.md5"
	# and on the pfn namespace, whose whole-device checksum must include it
	dd if=/tmp/last of=/dev/pmem1n3 bs=4k seek=7 oflag=direct,dsync status=none
	dd if=/tmp/last of=/tmp/pmem1n3 bs=4k seek=7 conv=notrunc status=none
	md5sum </tmp/pmem1n3 >"$state/pmem1n3.md5"
	# a file fsync()ed on ext4 before the cut is there after it
	mkfs.ext4 -q -F -b 4096 /dev/pmem1n1 || fail "mkfs"
	mkdir -p /mnt/fs && mount /dev/pmem1n1 /mnt/fs || fail "mount"
	head -c $((3 * MiB)) /dev/urandom >/tmp/file
	dd if=/tmp/file of=/mnt/fs/file bs=1M conv=fsync status=none || fail "write file"
	md5sum </tmp/file >"$state/file.md5"
	# and one written through DAX on a page namespace
	mkfs.ext4 -q -F -b 4096 /dev/pmem1n6 || fail "mkfs dx"
	mkdir -p /mnt/dx && mount -o dax /dev/pmem1n6 /mnt/dx || fail "mount -o dax"
	dd if=/tmp/file of=/mnt/dx/file bs=1M conv=fsync status=none || fail "write DAX file"
	touch /job/ready
	sleep 120
	fail "the power cut did not come"
fi

# boot 2: everything is back, enabled, in the same mode and layout
now=$(listing)
echo "$now"
expect_eq "$now" "$(cat "$state/namespaces")" "namespaces after the power cut"
for dev in pmem0n0 pmem0n1 pmem1n0 pmem1n2 pmem1n3 pmem1n4 pmem1n5; do
	same_data $dev
done
expect_eq "$(dd if=/dev/pmem0n2 bs=4k skip=5 count=1 iflag=direct status=none | md5sum)" \
	"$(cat "$state/last.md5")" "the write acknowledged just before the cut"
expect_eq "$(cat $sys/region0/state) $(cat $sys/region1/state)" "active active" "region states"
mkdir -p /mnt/fs && mount /dev/pmem1n1 /mnt/fs || fail "mount after the cut"
expect_eq "$(md5sum </mnt/fs/file)" "$(cat "$state/file.md5")" "file fsync()ed before the cut"
umount /mnt/fs
mkdir -p /mnt/dx && mount -o dax /dev/pmem1n6 /mnt/dx || fail "mount -o dax after the cut"
expect_eq "$(md5sum </mnt/dx/file)" "$(cat "$state/file.md5")" "DAX file fsync()ed before the cut"
umount /mnt/dx
dmesg | grep -E "WARNING|BUG|Call Trace" && fail "kernel warnings"
unload_module
echo ok
