#!/bin/bash
# Media errors in the label store cost only what they touch. QEMU cannot
# make a load machine-check, so the test uses the module's injected poison
# (poison=PHYS:LEN at insmod; kernel/media.c), which every read of the
# store consults before its machine-check-safe copy:
#  - a poisoned index copy: the other copy is used, one log line says so;
#  - a poisoned label slot: the region's other namespaces come up with
#    their data, the region is "degraded" with reason "media error" (sysfs
#    and pmemctl list), creates are refused (EIO, a CLI message that says
#    why, a log line), destroy/disable/enable of the good ones still work,
#    and the unreadable slot stays referenced: without the poison, the
#    namespace is back;
#  - the debugfs file adds, lists and clears ranges; a bad parameter fails
#    the load.
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
phys=0x100000000
slots=$((phys + 8192))
dbg=/sys/kernel/debug/pmemctl/poison

names() {
	cat $sys/namespace0.*/name 2>/dev/null | tr '\n' ' '
}

# "index C, seq S" of the last load of region0 (the store has namespaces)
head_of_store() {
	dmesg | grep -o 'region0: [0-9]* namespace(s) from the label store (index [01], seq [0-9]*' |
		tail -1 | sed 's/.*index \([01]\), seq \([0-9]*\)/\1 \2/'
}

reload() {
	unload_module
	mark_log
	load_module "$@"
}

load_module
run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"
for n in A B C; do
	run $P create-namespace -r region0 -s 8M -n $n
	expect_eq "$rc" 0 "create $n ($err)"
done
# slots: A 0, B 1, C 2 (a fresh store fills them in order)
head -c $((8 * MiB)) /dev/urandom >/tmp/a
dd if=/tmp/a of=/dev/pmem0n0 bs=1M oflag=direct status=none || fail "write A"
head -c $((8 * MiB)) /dev/urandom >/tmp/c
dd if=/tmp/c of=/dev/pmem0n2 bs=1M oflag=direct status=none || fail "write C"

reload
read -r cur seq <<<"$(head_of_store)"
[ -n "$cur" ] || fail "no load line in the log"
echo "current index copy $cur, seq $seq"

# 1. the current index copy poisoned: the older copy (A and B) is used
reload poison=$((phys + cur * 4096 + 512)):64
log=$(log_since_mark)
echo "$log" | grep pmemctl
expect_eq "$(cat $sys/region0/state)" active "poisoned index copy: state"
expect_eq "$(names)" "A B " "poisoned index copy: the older copy's namespaces"
echo "$log" | grep -q "index copy $cur is unreadable (media error); fell back to copy $((1 - cur)) (seq $((seq - 1)))" ||
	fail "no fallback line for the poisoned index copy"
expect_eq "$(cat $dbg)" "$(printf '%#x 64' $((phys + cur * 4096 + 512)))" "debugfs lists the parameter's range"

# 2. B's label (slot 1) poisoned: A and C served, region degraded
reload poison=$((slots + 256 + 100)):1
log=$(log_since_mark)
echo "$log" | grep pmemctl
expect_eq "$(cat $sys/region0/state)" degraded "poisoned label: state"
expect_eq "$(cat $sys/region0/label_error)" "media error" "poisoned label: reason"
expect_eq "$(names)" "A C " "poisoned label: the other namespaces"
echo "$log" | grep -q "label slot 1 is unreadable (media error)" || fail "no log line for the slot"
expect_eq "$(dd if=/dev/pmem0n0 bs=1M iflag=direct status=none | md5sum)" "$(md5sum </tmp/a)" "data of A"
expect_eq "$(dd if=/dev/pmem0n2 bs=1M iflag=direct status=none | md5sum)" "$(md5sum </tmp/c)" "data of C"
expect_eq "$(cat $sys/region0/available_size)" 0 "nothing looks free in a degraded region"
run $P list -R -r region0
expect_eq "$(echo "$out" | jq -r '.[0].state, .[0].label_error' | tr '\n' ' ')" "degraded media error " "list -R"

expect_eq "$("$nsi" create 0 $((2 * MiB)))" "errno EIO" "ioctl create in a degraded region"
mark_log
run $P create-namespace -r region0 -s 2M -n D
expect_eq "$rc" 1 "CLI create in a degraded region"
echo "refusal: $err"
echo "$err" | grep -q "the label store of region0 is degraded (media error)" ||
	fail "refusal does not say why: $err"
log_since_mark | grep -q "create refused: the label store is degraded (media error)" ||
	fail "no log line for the refused create"
run $P create-namespace -r region0 -s 2M -n D --dry-run
expect_eq "$rc" 1 "dry run in a degraded region"

run $P disable-namespace C
expect_eq "$rc" 0 "disable C ($err)"
run $P enable-namespace C
expect_eq "$rc" 0 "enable C ($err)"
expect_eq "$(dd if=/dev/pmem0n2 bs=1M iflag=direct status=none | md5sum)" "$(md5sum </tmp/c)" "data of C after enable"
run $P disable-namespace C
run $P destroy-namespace --force C
expect_eq "$rc" 0 "destroy C in a degraded region ($err)"
expect_eq "$(names)" "A " "after destroying C"

# debugfs: add, list, clear (the store is read at load, so no effect here)
echo "0x123000 4096" >$dbg || fail "debugfs add"
grep -qx "0x123000 4096" $dbg || fail "debugfs does not list the added range: $(cat $dbg)"
echo clear >$dbg || fail "debugfs clear"
expect_eq "$(cat $dbg)" "" "debugfs after clear"
echo "nonsense" >$dbg 2>/dev/null && fail "debugfs accepted nonsense"

# 3. no poison: B is back (its slot stayed referenced), C stays destroyed
reload
expect_eq "$(cat $sys/region0/state)" active "without poison: state"
expect_eq "$(cat $sys/region0/label_error)" "" "without poison: no reason"
expect_eq "$(names)" "A B " "without poison: B is back"
run $P create-namespace -r region0 -s 2M -n D
expect_eq "$rc" 0 "create after the poison is gone ($err)"

unload_module
insmod "$PMEMCTL_KO" poison=12:x 2>/dev/null && fail "a bad poison= parameter was accepted"
dmesg | grep -q 'bad poison= parameter' || fail "no message for the bad parameter"
dmesg | grep -E "WARNING|BUG|Call Trace|general protection" && fail "kernel complained"
echo "ns-media ok"
