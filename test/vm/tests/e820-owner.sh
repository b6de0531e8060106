#!/bin/bash
# pmemctl and nd_e820 never share legacy pmem: whichever driver binds the
# e820_pmem device first owns the ranges; the other leaves them alone, and
# pmemctl says why in the kernel log. Unload works either way.
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

modprobe nd_e820 || skip "nd_e820 is not available in this kernel"
[ -e /sys/bus/platform/drivers/e820_pmem/e820_pmem ] || fail "nd_e820 did not bind e820_pmem"

mark_log
load_module
log=$(log_since_mark)
echo "$log"
echo "$log" | grep -q "legacy persistent memory is owned by driver e820_pmem (module nd_e820); leaving it alone" ||
	fail "no log line saying nd_e820 owns the ranges"
expect_eq "$(ls /sys/bus/pmemctl/devices | wc -l)" 0 "pmemctl devices with nd_e820 bound"
! grep -q region /proc/iomem || fail "pmemctl requested a range owned by nd_e820"

run "$PMEMCTL" list -R
expect_eq "$rc" 0 "list exit status"
expect_eq "$(echo "$out" | jq -c .)" "[]" "list output with nd_e820 owning everything"

unload_module
unload_nd_e820 || fail "cannot unload nd_e820"

# The other way round: pmemctl first, then nd_e820 must not get the device.
load_module
expect_eq "$(ls /sys/bus/pmemctl/devices | tr '\n' ' ')" "region0 region1 " "regions"
modprobe nd_e820 || fail "modprobe nd_e820"
[ ! -e /sys/bus/platform/drivers/e820_pmem/e820_pmem ] ||
	fail "nd_e820 bound the device pmemctl owns"
expect_eq "$(readlink /sys/bus/platform/devices/e820_pmem/driver | xargs basename)" pmemctl_e820 "e820_pmem driver"
# no sysfs unbind under our feet
[ ! -e /sys/bus/platform/drivers/pmemctl_e820/unbind ] || fail "pmemctl_e820 offers sysfs unbind"
unload_module
unload_nd_e820 || fail "cannot unload nd_e820"
echo ok
