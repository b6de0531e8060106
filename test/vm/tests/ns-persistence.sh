#!/bin/bash
# After a power cut (QEMU SIGKILLed, guest RAM kept in a file) and a reboot,
# the module finds the same namespaces with the same numbers, names, UUIDs
# and sizes, and their data, including data written just before the cut.
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
	for ns in $sys/namespace*; do
		echo "$(basename "$ns") $(cat "$ns/name") $(cat "$ns/uuid") $(cat "$ns/size") $(cat "$ns/resource")"
	done | sort >"$state/namespaces"
	cat "$state/namespaces"
	for dev in pmem0n0 pmem0n1 pmem0n2 pmem1n0; do
		head -c "$(blockdev --getsize64 /dev/$dev)" /dev/urandom >/tmp/$dev
		dd if=/tmp/$dev of=/dev/$dev bs=1M oflag=direct status=none || fail "write $dev"
		md5sum </tmp/$dev >"$state/$dev.md5"
	done
	# the last write is acknowledged with FUA just before the cut
	dd if=/dev/urandom of=/tmp/last bs=4k count=1 status=none
	dd if=/tmp/last of=/dev/pmem0n2 bs=4k seek=5 oflag=direct,dsync status=none
	md5sum </tmp/last >"$state/last.md5"
	# a file fsync()ed on ext4 before the cut is there after it
	mkfs.ext4 -q -F -b 4096 /dev/pmem1n1 || fail "mkfs"
	mkdir -p /mnt/fs && mount /dev/pmem1n1 /mnt/fs || fail "mount"
	head -c $((3 * MiB)) /dev/urandom >/tmp/file
	dd if=/tmp/file of=/mnt/fs/file bs=1M conv=fsync status=none || fail "write file"
	md5sum </tmp/file >"$state/file.md5"
	touch /job/ready
	sleep 120
	fail "the power cut did not come"
fi

# boot 2: everything is back
now=$(for ns in $sys/namespace*; do
	echo "$(basename "$ns") $(cat "$ns/name") $(cat "$ns/uuid") $(cat "$ns/size") $(cat "$ns/resource")"
done | sort)
echo "$now"
expect_eq "$now" "$(cat "$state/namespaces")" "namespaces after the power cut"
for dev in pmem0n0 pmem0n1 pmem1n0; do
	expect_eq "$(dd if=/dev/$dev bs=1M iflag=direct status=none | md5sum)" "$(cat "$state/$dev.md5")" "$dev data"
done
expect_eq "$(dd if=/dev/pmem0n2 bs=4k skip=5 count=1 iflag=direct status=none | md5sum)" \
	"$(cat "$state/last.md5")" "the write acknowledged just before the cut"
expect_eq "$(cat $sys/region0/state) $(cat $sys/region1/state)" "active active" "region states"
mkdir -p /mnt/fs && mount /dev/pmem1n1 /mnt/fs || fail "mount after the cut"
expect_eq "$(md5sum </mnt/fs/file)" "$(cat "$state/file.md5")" "file fsync()ed before the cut"
umount /mnt/fs
dmesg | grep -E "WARNING|BUG|Call Trace" && fail "kernel warnings"
unload_module
echo ok
