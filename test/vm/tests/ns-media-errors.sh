#!/bin/bash
# Media errors in namespace data cost at most what they touch:
# - block path (page, pfn and raw): test poison injected through debugfs
#   (pmemctl/poison, what a machine check on a real load would be: QEMU TCG
#   cannot raise one) makes a read of that sector fail with EIO; list -M
#   shows exactly that sector in that namespace; neighbouring sectors and
#   the other namespaces read back their data; a write over the sector
#   while the poison is still there fails and it stays bad; once the media
#   is sound a write of the whole sector clears it and the data is the
#   data written; a write covering part of a bad run clears only that part;
# - memory-failure path (page and pfn, ext4 -o dax): MADV_HWPOISON on a
#   mapped file page gets the process SIGBUS (not the machine), list -M
#   shows that page's 8 sectors where the file's block lies, reads of the
#   file and of those device sectors fail with EIO while the other files
#   read fine, and a DAX rewrite of the whole page (recovery write) clears
#   it; hwpoison_inject's corrupt-pfn records a page of an unmapped
#   namespace just the same;
# - /sys/block/pmemRnN/badblocks agrees, the list survives disable/enable,
#   a reconfigure that moves the data start renumbers it, and the kernel
#   logs no warning, BUG or oops.
# vm-timeout: 1500
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
mnt=/mnt/media
mkdir -p $mnt
command -v python3 >/dev/null || skip "python3 (for mmap and madvise) not installed"
command -v jq >/dev/null || skip "jq not installed"
command -v debugfs >/dev/null || skip "debugfs (e2fsprogs) not installed"

load_module
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug ||
	fail "mount debugfs"
poison=/sys/kernel/debug/pmemctl/poison
[ -w $poison ] || fail "$poison missing"

for r in region0 region1; do
	run $P init-labels $r
	expect_eq "$rc" 0 "init-labels $r ($err)"
done
# create NAME REGION SIZE MODE
create() {
	run $P create-namespace -r "$2" -s "$3" -n "$1" --mode "$4"
	expect_eq "$rc" 0 "create $1 ($err)"
}
create mpage region0 128M page
create mpfn region0 128M pfn
create mraw region0 32M raw
create other region1 64M page

# ns_dev NAME: namespaceR.N; ns_blk NAME: /dev/pmemRnN. Asked once per
# namespace: every CLI run costs seconds under TCG.
declare -A DEV BLK
for n in mpage mpfn mraw other; do
	DEV[$n]=$($P list -n $n | jq -r '.[0].dev')
	BLK[$n]=/dev/$($P list -n $n | jq -r '.[0].blockdev')
done
ns_dev() { echo "${DEV[$1]}"; }
ns_blk() { echo "${BLK[$1]}"; }
# data_phys NAME SECTOR: physical address of a data sector
data_phys() {
	local d=$sys/${DEV[$1]}
	echo $(($(cat "$d/resource") + $(cat "$d/data_offset") + $2 * 512))
}
# media NAME: "none" when list -M has no media-error key, else
# [badblock_count, badblocks]
media() {
	$P list -M -n "$1" | jq -c '.[0] | if has("badblock_count") then [.badblock_count, .badblocks] else "none" end'
}
# blocksize SECTOR COUNT: the largest of 1 MiB, 4 KiB, 512 that divides
# both, in sectors (one dd block is one request: a read stops at the first
# failing one, so the size decides what a read can find)
blocksize() {
	local b
	for b in 2048 8 1; do
		[ $(($1 % b)) -eq 0 ] && [ $(($2 % b)) -eq 0 ] && { echo $b; return; }
	done
}
# rd NAME SECTOR COUNT: read sectors with O_DIRECT into /tmp/rd
rd() {
	local b
	b=$(blocksize "$2" "$3")
	dd if="$(ns_blk "$1")" of=/tmp/rd bs=$((b * 512)) skip=$(($2 / b)) count=$(($3 / b)) \
		iflag=direct status=none 2>/tmp/rd.err
}
# wr NAME SECTOR COUNT FILE: write sectors from the start of FILE, O_DIRECT
wr() {
	local b
	b=$(blocksize "$2" "$3")
	dd if="$4" of="$(ns_blk "$1")" bs=$((b * 512)) seek=$(($2 / b)) count=$(($3 / b)) \
		oflag=direct conv=notrunc status=none 2>/tmp/wr.err
}
# same NAME SECTOR COUNT FILE FILESECTOR: device sectors equal FILE's
same() {
	rd "$1" "$2" "$3" || return 1
	cmp -s /tmp/rd <(dd if="$4" bs=512 skip="$5" count="$3" status=none)
}
check_log() {
	if log_since_mark | grep -E -A5 'WARNING:|BUG:|Oops|general protection|Call Trace'; then
		fail "the kernel complained (above)"
	fi
}

# Every namespace starts with 4 MiB of known data.
for n in mpage mpfn mraw other; do
	head -c $((4 * MiB)) /dev/urandom >/tmp/seed-$n
	wr $n 0 8192 /tmp/seed-$n || fail "seed $n: $(cat /tmp/wr.err)"
	expect_eq "$(media $n)" '"none"' "$n: no media error at start"
done
head -c $((4 * MiB)) /dev/urandom >/tmp/new

mark_log
for n in mpage mpfn mraw; do
	echo "== block path: $n ($(cat $sys/"$(ns_dev $n)"/mode))"
	s=100
	echo "$(data_phys $n $s) 512" >$poison || fail "inject at $n sector $s"
	rd $n $s 1 && fail "$n: read of the poisoned sector succeeded"
	grep -q "Input/output error" /tmp/rd.err || fail "$n: read error is not EIO: $(cat /tmp/rd.err)"
	expect_eq "$(media $n)" '[1,[{"offset":100,"length":1}]]' "$n: list -M after the read"
	blk=$(ns_blk $n)
	expect_eq "$(cat /sys/block/"${blk#/dev/}"/badblocks)" "100 1" "$n: /sys/block badblocks"
	# a 4 KiB read around it fails, and records nothing more
	rd $n 96 8 && fail "$n: 4 KiB read over the bad sector succeeded"
	expect_eq "$(media $n)" '[1,[{"offset":100,"length":1}]]' "$n: list -M after a wider read"
	same $n 99 1 /tmp/seed-$n 99 || fail "$n: sector 99 (before the bad one)"
	same $n 101 1 /tmp/seed-$n 101 || fail "$n: sector 101 (after the bad one)"
	same other 0 8192 /tmp/seed-other 0 || fail "other namespace while $n is bad"
	expect_eq "$($P list -M | jq -c '[.[] | select(has("badblock_count")) | .dev]')" \
		"[\"${DEV[$n]}\"]" "namespaces with media errors while $n is bad"
	echo "  read of sector $s: EIO, listed, neighbours and other namespaces fine"

	# a write while the media is still bad: refused, still bad
	wr $n $s 1 /tmp/new && fail "$n: write over still-poisoned media succeeded"
	expect_eq "$(media $n)" '[1,[{"offset":100,"length":1}]]' "$n: still listed after a failed write"
	# the media heals (the test poison goes): a known bad sector still
	# fails reads without touching it; a whole-sector write clears it
	echo clear >$poison
	rd $n $s 1 && fail "$n: known bad sector read after the poison went"
	wr $n $s 1 /tmp/new || fail "$n: whole-sector write: $(cat /tmp/wr.err)"
	expect_eq "$(media $n)" '"none"' "$n: list -M after the write"
	same $n $s 1 /tmp/new 0 || fail "$n: sector $s is not what was written"
	echo "  write while bad: EIO; after healing a whole-sector write cleared it"

	# an 8-sector run: a 1-sector write clears one sector, the rest stays
	echo "$(data_phys $n 200) 4096" >$poison || fail "inject 4 KiB"
	rd $n 200 8 && fail "$n: read of a poisoned page succeeded"
	expect_eq "$(media $n)" '[8,[{"offset":200,"length":8}]]' "$n: 8 bad sectors"
	echo clear >$poison
	wr $n 200 1 /tmp/new || fail "$n: 1-sector write"
	expect_eq "$(media $n)" '[7,[{"offset":201,"length":7}]]' "$n: partial write leaves the rest"
	rd $n 201 1 && fail "$n: sector 201 readable while listed"
	wr $n 201 7 /tmp/new 2>/dev/null || fail "$n: 7-sector write"
	expect_eq "$(media $n)" '"none"' "$n: the rest cleared"
	same $n 200 1 /tmp/new 0 || fail "$n: sector 200 data"
	echo "  partial write of a bad run cleared only what it covered"
done
check_log

# The list belongs to the namespace, not to its block device.
echo "$(data_phys mraw 300) 512" >$poison
rd mraw 300 1 && fail "mraw: poisoned read succeeded"
echo clear >$poison
run $P disable-namespace "$(ns_dev mraw)"
expect_eq "$rc" 0 "disable mraw ($err)"
expect_eq "$(media mraw)" '[1,[{"offset":300,"length":1}]]' "mraw: listed while disabled"
run $P enable-namespace "$(ns_dev mraw)"
expect_eq "$rc" 0 "enable mraw ($err)"
rd mraw 300 1 && fail "mraw: known bad sector readable after enable"
wr mraw 300 1 /tmp/new || fail "mraw: write after enable"
expect_eq "$(media mraw)" '"none"' "mraw: cleared after enable"
echo "== the list survives disable and enable"
# A reconfigure that moves the data start renumbers the bad sectors: mraw
# (32 MiB) in pfn mode has a 2 MiB reserve, 4096 sectors. Sector 5000 is
# 904 behind the reserve; sector 300 falls into it and is no longer data.
echo "$(data_phys mraw 300) 512" >$poison
echo "$(data_phys mraw 5000) 512" >>$poison
rd mraw 300 1 && fail "mraw: poisoned sector 300 read"
rd mraw 5000 1 && fail "mraw: poisoned sector 5000 read"
echo clear >$poison
expect_eq "$(media mraw)" '[2,[{"offset":300,"length":1},{"offset":5000,"length":1}]]' "mraw: two bad sectors"
run $P reconfigure-namespace "${DEV[mraw]}" -m pfn --force
expect_eq "$rc" 0 "mraw raw->pfn ($err)"
expect_eq "$(cat $sys/"${DEV[mraw]}"/data_offset)" $((2 * MiB)) "mraw pfn reserve"
expect_eq "$(media mraw)" '[1,[{"offset":904,"length":1}]]' "mraw: the list in pfn sectors"
rd mraw 904 1 && fail "mraw: renumbered bad sector readable"
run $P reconfigure-namespace "${DEV[mraw]}" -m raw --force
expect_eq "$rc" 0 "mraw pfn->raw ($err)"
expect_eq "$(media mraw)" '[1,[{"offset":5000,"length":1}]]' "mraw: back in raw sectors"
wr mraw 5000 1 /tmp/new || fail "mraw: clear sector 5000"
expect_eq "$(media mraw)" '"none"' "mraw: cleared after the round trip"
echo "== a reconfigure renumbers the list with the data start"

# MADV_HWPOISON on a DAX-mapped page: memory_failure() -> the pagemap's
# memory_failure op. The mapper gets SIGBUS; nothing else suffers.
cat >/tmp/hwpoison.py <<'EOF'
import mmap, sys
f = open(sys.argv[1], "r+b")
m = mmap.mmap(f.fileno(), 1 << 20)
m[0]
print("mapped", flush=True)
m.madvise(mmap.MADV_HWPOISON, 0, mmap.PAGESIZE)
print("survived madvise", flush=True)
m[0]
print("survived access", flush=True)
EOF
for n in mpage mpfn; do
	echo "== memory failure: $n ($(cat $sys/"$(ns_dev $n)"/mode)), ext4 -o dax"
	dev=$(ns_blk $n)
	mkfs.ext4 -q -F -b 4096 "$dev" || fail "mkfs.ext4 $dev"
	mount -o dax "$dev" $mnt || fail "mount -o dax $dev"
	head -c $MiB /dev/urandom >/tmp/victim
	cp /tmp/victim $mnt/victim && cp /tmp/victim $mnt/bystander && sync ||
		fail "write files"
	blk=$(debugfs -R "bmap /victim 0" "$dev" 2>/dev/null)
	[ -n "$blk" ] && [ "$blk" -gt 0 ] || fail "no block for /victim: '$blk'"
	sector=$((blk * 8))
	mark_log
	python3 /tmp/hwpoison.py $mnt/victim >/tmp/py.out 2>&1
	st=$?
	cat /tmp/py.out | sed 's/^/    /'
	expect_eq "$st" 135 "$n: exit status of the process that mapped the page (SIGBUS)"
	grep -q "^mapped" /tmp/py.out || fail "$n: the mapping did not work"
	expect_eq "$(media $n)" "[8,[{\"offset\":$sector,\"length\":8}]]" \
		"$n: list -M after MADV_HWPOISON of block $blk"
	log_since_mark | grep -F "$(ns_dev $n)" | grep -F "media error at sectors $sector+8" >/dev/null ||
		fail "$n: no log line for the memory failure: $(log_since_mark)"
	cat $mnt/victim >/dev/null 2>/tmp/cat.err && fail "$n: DAX read of the poisoned page succeeded"
	grep -q "Input/output error" /tmp/cat.err || fail "$n: DAX read error: $(cat /tmp/cat.err)"
	rd $n $sector 8 && fail "$n: device read of the poisoned page succeeded"
	dd if=$mnt/victim bs=4096 skip=1 status=none | cmp -s - <(tail -c +4097 /tmp/victim) ||
		fail "$n: the rest of the file"
	cmp $mnt/bystander /tmp/victim || fail "$n: another file"
	same other 0 8192 /tmp/seed-other 0 || fail "other namespace after $n's memory failure"
	# a DAX write of the whole page: the recovery write clears it
	dd if=/tmp/new of=$mnt/victim bs=4096 count=1 conv=notrunc status=none 2>/tmp/wr.err ||
		fail "$n: DAX rewrite of the page: $(cat /tmp/wr.err)"
	expect_eq "$(media $n)" '"none"' "$n: list -M after the DAX rewrite"
	cmp -s <(head -c 4096 $mnt/victim) <(head -c 4096 /tmp/new) || fail "$n: rewritten page data"
	umount $mnt || fail "umount $dev"
	check_log
	echo "  SIGBUS for the mapper, block $blk listed, EIO there only; a DAX rewrite cleared it"
done

# hwpoison_inject: memory_failure() on a pfn of a namespace nobody maps.
if modprobe hwpoison_inject 2>/dev/null && [ -w /sys/kernel/debug/hwpoison/corrupt-pfn ]; then
	echo "== hwpoison_inject: corrupt-pfn in mpfn"
	pfn=$(($(data_phys mpfn 0) / 4096 + 5))
	mark_log
	echo $pfn >/sys/kernel/debug/hwpoison/corrupt-pfn 2>/tmp/hw.err ||
		echo "  corrupt-pfn: $(cat /tmp/hw.err) (the generic handler finds no mapping)"
	expect_eq "$(media mpfn)" '[8,[{"offset":40,"length":8}]]' "mpfn: list -M after corrupt-pfn"
	rd mpfn 40 8 && fail "mpfn: read of the corrupted pfn succeeded"
	rd mpfn 48 8 || fail "mpfn: the next page"
	wr mpfn 40 8 /tmp/new || fail "mpfn: rewrite the page"
	expect_eq "$(media mpfn)" '"none"' "mpfn: cleared"
	check_log
	# the memmap reserve of a pfn namespace is not data: nothing recorded
	rsv=$(($(cat $sys/"$(ns_dev mpfn)"/resource) / 4096 + 1))
	echo $rsv >/sys/kernel/debug/hwpoison/corrupt-pfn 2>/dev/null
	expect_eq "$(media mpfn)" '"none"' "mpfn: corrupt-pfn in the memmap reserve"
	check_log
else
	echo "== hwpoison_inject not available on $(uname -r): skipped that part"
fi

for n in mpage mpfn mraw other; do
	run $P destroy-namespace --force "$(ns_dev $n)"
	expect_eq "$rc" 0 "destroy $n ($err)"
done
unload_module
if dmesg | grep -E -A5 'WARNING:|BUG:|Oops|general protection|Call Trace'; then
	fail "the kernel complained (above)"
fi
echo ok
