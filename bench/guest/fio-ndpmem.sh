#!/bin/bash
# fio on libnvdimm's raw device: nd_e820 + nd_pmem on the same memmap=1G!4G
# layout as fio-pmemctl.sh (the reference).
# vm-mem: 6G
# vm-append: memmap=1G!4G
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

modprobe nd_e820 && modprobe nd_pmem || die "modprobe nd_e820 nd_pmem"
wait_for /dev/pmem0 || die "/dev/pmem0 did not appear"
ns=$(basename "$(readlink -f /sys/block/pmem0/device)")
echo "device: /dev/pmem0 ($(blockdev --getsize64 /dev/pmem0) bytes), libnvdimm $ns mode $(cat /sys/block/pmem0/device/mode 2>/dev/null)"
fio_all /dev/pmem0
