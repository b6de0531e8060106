#!/bin/bash
# No struct page is freed while something holds it. For a page and a pfn
# namespace with ext4 -o dax on it, a process keeps pages of a DAX file
# after unmapping and closing it, and the filesystem is unmounted:
# - a pipe filled with vmsplice (16 pages), and
# - an O_DIRECT read in flight into the mapping from a dm-delay device
#   over the scratch disk (256 pages pinned by the block layer; the read
#   completes when the test suspends the delay device);
# while the pages are held, disable, destroy --force and reconfigure are
# refused (exit 1, the CLI says a process holds N pages, held_pages says
# N, the namespace stays enabled with its data intact: remounted and read
# back) and rmmod is refused (the module stays "in use"); once the holder
# is done, held_pages is 0, the pipe's bytes were still the file's, the
# O_DIRECT data is in the file, and the same teardown succeeds with no
# oops. Unmounting ext4 under held pages makes fs/dax.c warn once
# (dax_disassociate_entry: a page refcount above one at truncate); that
# warning is the kernel's own and the only report allowed.
# vm-timeout: 900
# vm-expect-splat: WARNING: .* at fs/dax.c:[0-9]+ dax_disassociate_entry
# vm-disk: 16M
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
hold="$PMEMCTL_BUILDDIR/test/vm/hold-pages"
sys=/sys/bus/pmemctl/devices
mnt=/mnt/held
[ -x "$hold" ] || fail "$hold not built"
mkdir -p $mnt

command -v dmsetup >/dev/null || fail "dmsetup not installed"
disk=$(vm_disk) || fail "no scratch disk (# vm-disk)"
modprobe dm-delay || fail "no dm-delay module"
# Reads wait 10 minutes, or until a suspend flushes them.
dmsetup create --noudevsync held-slow \
	--table "0 $(blockdev --getsz "$disk") delay $disk 0 600000" || fail "dmsetup create"
dmsetup mknodes held-slow
slow=/dev/mapper/held-slow
[ -b $slow ] || fail "no $slow"

# refused_while_held NAME NSDEV COUNT: every teardown is refused while
# COUNT pages are held, and the namespace is left as it was.
refused_while_held() {
	local name=$1 d=$sys/$2 count=$3 bdev
	bdev=/dev/$(cat "$d/blockdev")
	expect_eq "$(cat "$d/held_pages")" "$count" "$2 held_pages while held"

	run $P disable-namespace "$name"
	expect_eq "$rc" 1 "disable while $count pages are held ($err)"
	echo "disable refused: $err"
	echo "$err" | grep -q "a process still holds $count page(s)" ||
		fail "the refusal does not say a process holds the pages: $err"
	run $P destroy-namespace --force "$name"
	expect_eq "$rc" 1 "destroy --force while held ($err)"
	echo "$err" | grep -q "still holds $count page" || fail "destroy refusal: $err"
	run $P reconfigure-namespace --force -m raw "$name"
	expect_eq "$rc" 1 "reconfigure while held ($err)"
	echo "$err" | grep -q "still holds $count page" || fail "reconfigure refusal: $err"
	rmmod pmemctl 2>/dev/null && fail "rmmod succeeded while pages are held"
	grep -q '^pmemctl ' /proc/modules || fail "module gone"

	expect_eq "$(cat "$d/state")" enabled "$2 state after the refusals"
	[ -b "$bdev" ] || fail "$bdev gone after the refusals"
	mount -o dax "$bdev" $mnt || fail "remount while held"
	cmp -s $mnt/keep /tmp/keep || fail "data changed by the refused teardowns"
	umount $mnt || fail "umount"
}

# torn_down_after NAME NSDEV: the teardown succeeds once nothing holds a page.
torn_down_after() {
	local name=$1 d=$sys/$2
	expect_eq "$(cat "$d/held_pages")" 0 "$2 held_pages after release"
	run $P disable-namespace "$name"
	expect_eq "$rc" 0 "disable after the pages were released ($err)"
	expect_eq "$(cat "$d/state")" disabled "$2 state"
	expect_eq "$(cat "$d/held_pages")" 0 "held_pages of a disabled namespace"
	run $P enable-namespace "$name"
	expect_eq "$rc" 0 "enable again ($err)"
}

load_module
run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"
head -c $((3 << 20)) /dev/urandom >/tmp/keep

for mode in page pfn; do
	name=held-$mode
	run $P create-namespace -r region0 -s 256M -m $mode -n $name
	expect_eq "$rc" 0 "create $mode ($err)"
	nsdev=$(echo "$out" | jq -r .dev)
	bdev=/dev/$(echo "$out" | jq -r .blockdev)
	mkfs.ext4 -q -F -b 4096 "$bdev" || fail "mkfs.ext4 on $bdev"
	mount -o dax "$bdev" $mnt || fail "mount -o dax $bdev"
	cp /tmp/keep $mnt/keep
	sync

	echo "== $mode: a pipe holds 16 vmsplice'd pages"
	rm -f /tmp/ready
	"$hold" vmsplice $mnt/spliced 65536 /tmp/ready >/tmp/hold.out 2>&1 &
	pid=$!
	wait_file /tmp/ready $pid || fail "vmsplice holder did not start: $(cat /tmp/hold.out)"
	umount $mnt || fail "umount with the file closed"
	refused_while_held $name "$nsdev" 16
	kill -USR1 $pid
	wait $pid || fail "the pipe's bytes: $(cat /tmp/hold.out)"
	cat /tmp/hold.out
	torn_down_after $name "$nsdev"

	echo "== $mode: O_DIRECT read in flight into 256 unmapped pages"
	mount -o dax "$bdev" $mnt || fail "mount -o dax $bdev after re-enable"
	cmp -s $mnt/keep /tmp/keep || fail "data after disable/enable"
	rm -f /tmp/ready
	"$hold" odirect $mnt/direct "$slow" $((1 << 20)) /tmp/ready >/tmp/hold.out 2>&1 &
	pid=$!
	wait_file /tmp/ready $pid || fail "O_DIRECT holder did not start: $(cat /tmp/hold.out)"
	umount $mnt || fail "umount with the I/O in flight"
	[ "$(cat "$sys/$nsdev/held_pages")" -gt 0 ] ||
		fail "no page held right after the submit (did the read finish already?)"
	refused_while_held $name "$nsdev" 256
	dmsetup suspend --noudevsync held-slow && dmsetup resume --noudevsync held-slow ||
		fail "cannot release the delayed read"
	wait $pid || fail "the O_DIRECT read: $(cat /tmp/hold.out)"
	cat /tmp/hold.out
	mount -o dax "$bdev" $mnt || fail "mount after the I/O"
	cmp -s -n $((1 << 20)) $mnt/direct "$disk" || fail "the O_DIRECT data is not in the file"
	umount $mnt
	torn_down_after $name "$nsdev"

	run $P disable-namespace "$name"
	expect_eq "$rc" 0 "disable ($err)"
	run $P destroy-namespace "$name"
	expect_eq "$rc" 0 "destroy ($err)"
done

dmsetup remove --noudevsync held-slow || fail "dmsetup remove"
# With no page or pfn namespace enabled the module unloads.
unload_module
log=$(dmesg)
echo "$log" | grep -E 'Oops|BUG:|general protection' && fail "kernel splat"
echo "$log" | grep -q "page(s) still held outside the filesystem" ||
	fail "the refusal is not in the kernel log"
exit 0
