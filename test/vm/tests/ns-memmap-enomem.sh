#!/bin/bash
# Refusal without OOM: with little memory available (a tmpfs file fills
# RAM; the guest has no swap), creating a page namespace whose memmap
# would take more than half of MemAvailable fails with ENOMEM before
# anything is written: no namespace appears, the label store keeps every
# byte, the kernel log says what was needed and what was available, and
# the OOM killer never runs. Once the memory is freed the same create
# succeeds.
#
# Guest: 12G with an 8 GiB region at 4 GiB and 2 GiB below it reserved, so
# that about 2 GiB is RAM and the fill stays small; the RAM above the
# region keeps /dev/mem reads of the store within high_memory.
# vm-mem: 12G
# vm-append: memmap=8G!4G memmap=2G$1G
# vm-timeout: 240
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
size=$((7 << 30))	# 112 MiB of struct pages in RAM

avail_kib() {
	awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo
}

listing() {
	local ns
	for ns in $sys/namespace*; do
		[ -e "$ns" ] && echo "$(basename "$ns") $(cat "$ns/mode") $(cat "$ns/size") $(cat "$ns/state")"
	done
}

# The store's bytes on the media, read with the module unloaded (the
# region is a busy resource while pmemctl holds it).
store_md5() {
	local start=$1
	unload_module
	dd if=/dev/mem of=/tmp/store bs=1M skip=$((start / MiB)) count=2 status=none ||
		fail "cannot read the store through /dev/mem"
	expect_eq "$(stat -c %s /tmp/store)" $((2 * MiB)) "store bytes read through /dev/mem"
	md5sum </tmp/store
	rm -f /tmp/store
	load_module
}

load_module
"$nsi" init 0 >/dev/null || fail "init-labels"
"$nsi" create 0 $((126 * MiB)) 0 filler >/dev/null || fail "create filler"
start=$(printf '%d' "$(cat $sys/region0/resource)")
out=$("$nsi" dryrun 0 $size 0 big 1) || fail "dry run: $out"
ram=$(awk '{ for (i = 1; i < NF; i++) if ($i == "ram_bytes") print $(i + 1) }' <<<"$out")
[ "$ram" -gt 0 ] || fail "dry run reports no RAM cost: $out"
ram_kib=$((ram >> 10))
echo "page namespace of $((size / MiB)) MiB: memmap $ram_kib KiB of RAM; MemAvailable $(avail_kib) KiB"
before_list=$(listing)
before_store=$(store_md5 "$start") || { echo "$before_store"; exit 1; }
echo "label store md5 $before_store"
before_avail_size=$(cat $sys/region0/available_size)

# Fill until MemAvailable is about 1.5 x the memmap: the memmap is then
# two thirds of it, well over the half the kernel allows, and the guest
# still has room to run the test.
mkdir -p /mnt/fill
mount -t tmpfs -o size=100% tmpfs /mnt/fill || fail "mount tmpfs"
sync
echo 3 >/proc/sys/vm/drop_caches
target=$((ram_kib * 3 / 2))
n=0
while [ "$(avail_kib)" -gt $((target + 8192)) ] && [ $n -lt 20 ]; do
	n=$((n + 1))
	fallocate -l $((($(avail_kib) - target) << 10)) /mnt/fill/f$n || fail "fill"
	echo 3 >/proc/sys/vm/drop_caches
done
avail=$(avail_kib)
echo "after filling $(du -sm /mnt/fill | cut -f1) MiB of tmpfs: MemAvailable $avail KiB"
[ "$avail" -lt $((2 * ram_kib)) ] || fail "could not bring MemAvailable below twice the memmap"
[ "$avail" -gt "$ram_kib" ] || fail "filled too far: MemAvailable $avail KiB"

mark_log
expect_eq "$("$nsi" dryrun 0 $size 0 big 1)" "errno ENOMEM" "dry run with little memory"
expect_eq "$("$nsi" create 0 $size 0 big 1)" "errno ENOMEM" "create with little memory"
log=$(log_since_mark)
echo "$log" | grep "page mode needs"
line=$(echo "$log" | grep -m 1 "page mode needs [0-9]* KiB of RAM for its memmap, [0-9]* KiB available") ||
	fail "no kernel message with the numbers"
need=$(sed 's/.*page mode needs \([0-9]*\) KiB.*/\1/' <<<"$line")
have=$(sed 's/.*memmap, \([0-9]*\) KiB available.*/\1/' <<<"$line")
expect_eq "$need" "$ram_kib" "memmap size in the kernel message"
[ "$need" -gt $((have / 2)) ] || fail "the kernel refused $need KiB with $have KiB available"
expect_eq "$(listing)" "$before_list" "namespaces after the refused create"
expect_eq "$(cat $sys/region0/available_size)" "$before_avail_size" "free space after the refused create"
ls /dev/pmem0n1 2>/dev/null && fail "a block device from the refused create"
after_store=$(store_md5 "$start") || { echo "$after_store"; exit 1; }
expect_eq "$after_store" "$before_store" "label store after the refused create"

rm -f /mnt/fill/f*
umount /mnt/fill
echo "freed: MemAvailable $(avail_kib) KiB"
out=$("$nsi" create 0 $size 0 big 1) || fail "create after freeing memory: $out"
id=$(awk '{ print $2 }' <<<"$out")
expect_eq "$(cat $sys/namespace0."$id"/mode) $(cat $sys/namespace0."$id"/state)" "page enabled" "the namespace"
expect_eq "$(cat $sys/namespace0."$id"/ram_bytes)" "$ram" "its ram_bytes"
# the same comparison sees a create that did happen
after_store=$(store_md5 "$start") || { echo "$after_store"; exit 1; }
[ "$after_store" != "$before_store" ] || fail "the store reads the same after a create"
expect_eq "$(cat $sys/namespace0."$id"/state)" enabled "the namespace after a reload"

if dmesg | grep -iE "oom-killer|out of memory|oom_reaper|page allocation failure"; then
	fail "the OOM killer ran or an allocation failed"
fi
dmesg | grep -E "WARNING|BUG|Call Trace" && fail "kernel warnings"
"$nsi" destroy 0 "$id" >/dev/null || fail "destroy"
unload_module
echo ok
