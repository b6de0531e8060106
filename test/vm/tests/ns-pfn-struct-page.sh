#!/bin/bash
# A pfn namespace whose reserve was made for smaller struct pages than the
# running kernel's (a label, valid and checksummed, claiming 32 bytes per
# page) is never enabled: the module says why in the log, the namespace
# stays disabled, the CLI's enable explains it, and reconfiguring it to
# page mode makes it usable again. Boot 1 creates a real pfn namespace and
# leaves the forged label for the harness to write; boot 2 checks.
# vm-ram-file: yes
# vm-boots: 2
# vm-timeout: 200
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

forge="$PMEMCTL_BUILDDIR/test/vm/label-forge"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
phys=0x100000000

load_module
if [ "$PMEMCTL_VM_BOOT" = 1 ]; then
	run "$PMEMCTL" init-labels region0
	expect_eq "$rc" 0 "init-labels ($err)"
	run "$PMEMCTL" create-namespace -r 0 -s 64M -m pfn -n p
	expect_eq "$rc" 0 "create pfn ($err)"
	expect_eq "$(cat $sys/namespace0.0/page_struct_size)" 64 "reserve made for 64 bytes"
	# the same label (slot 0, id 0, at 2 MiB), but claiming 32-byte pages
	"$forge" label $phys 0 0 $((2 * MiB)) $((64 * MiB)) $((2 * MiB)) p pfn 32 >/job/corrupt ||
		fail "label-forge"
	unload_module
	echo "boot 1 done"
	exit 0
fi

expect_eq "$(cat $sys/namespace0.0/mode)" pfn "mode after the forgery"
expect_eq "$(cat $sys/namespace0.0/page_struct_size)" 32 "forged reserve per page"
expect_eq "$(cat $sys/namespace0.0/state)" disabled "never enabled"
dmesg | grep -q "pfn reserve holds 32-byte struct pages, this kernel's are $(cat $sys/region0/struct_page_size) bytes" ||
	fail "no log line saying why: $(dmesg | grep pmemctl | tail -5)"
[ -e /dev/pmem0n0 ] && fail "block device exists"

run "$PMEMCTL" enable-namespace p
expect_eq "$rc" 1 "enable refused"
echo "enable: $err"
echo "$err" | grep -q "reserves 32 bytes per struct page on the device, but this kernel's struct page takes 64: it cannot be enabled in pfn mode on this kernel; reconfigure it to page or raw mode" ||
	fail "unclear error: $err"

run "$PMEMCTL" reconfigure-namespace p -m page
expect_eq "$rc" 1 "page without --force (the data start moves)"
run "$PMEMCTL" reconfigure-namespace p -m page --force
expect_eq "$rc" 0 "reconfigure to page ($err)"
expect_eq "$(echo "$out" | jq -r '.mode, .state, .data_size' | tr '\n' ' ')" \
	"page disabled $((64 * MiB)) " "relabelled, still disabled"
run "$PMEMCTL" enable-namespace p
expect_eq "$rc" 0 "enable in page mode ($err)"
expect_eq "$(cat $sys/namespace0.0/state)" enabled "usable in page mode"
[ -b /dev/pmem0n0 ] || fail "no block device in page mode"
dmesg | grep -E "WARNING|BUG:|Oops" && fail "kernel warning"
unload_module
echo ok
