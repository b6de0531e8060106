#!/bin/bash
# A raw namespace is an ordinary block device for the tools people use on
# one: mkfs.xfs and mount, a partition table, and fio with data
# verification across 4 KiB random and 1 MiB sequential I/O.
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
MiB=$((1 << 20))
command -v mkfs.xfs >/dev/null || skip "xfsprogs not installed"
command -v fio >/dev/null || skip "fio not installed"

load_module
"$nsi" init 0 >/dev/null || fail "init-labels"
"$nsi" create 0 $((320 * MiB)) 0 xfs >/dev/null || fail "create xfs"
"$nsi" create 0 $((64 * MiB)) 0 fio >/dev/null || fail "create fio"

mkfs.xfs -q -f /dev/pmem0n0 || fail "mkfs.xfs"
mkdir -p /mnt/x && mount /dev/pmem0n0 /mnt/x || fail "mount xfs"
head -c $((8 * MiB)) /dev/urandom >/tmp/f
cp /tmp/f /mnt/x/f && sync
umount /mnt/x && mount /dev/pmem0n0 /mnt/x || fail "remount xfs"
cmp /tmp/f /mnt/x/f || fail "xfs file after remount"
umount /mnt/x

for rw in "randrw --bs=4k" "rw --bs=1M"; do
	# shellcheck disable=SC2086
	fio --name=verify --filename=/dev/pmem0n1 --direct=1 --ioengine=psync \
		--rw=$rw --size=32M --verify=crc32c --verify_fatal=1 \
		--do_verify=1 --output-format=terse >/tmp/fio.out 2>&1 ||
		{ cat /tmp/fio.out; fail "fio $rw"; }
	echo "fio $rw: verified"
done
unload_module
echo ok
