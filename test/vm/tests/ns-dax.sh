#!/bin/bash
# Filesystem DAX by namespace mode, through the kernel ABI alone (ns-ioctl):
# - page and pfn: ext4 (4 KiB blocks) and xfs mount with -o dax and really
#   are DAX; dax-probe maps a file MAP_SYNC, reads a virtio disk into the
#   mapping with O_DIRECT and shares a futex in it between two processes;
#   what is written survives a remount;
# - raw: the kernel refuses ext4 -o dax (and says why), a normal mount
#   works, and dax-probe gets the documented EOPNOTSUPP for MAP_SYNC;
# - the sysfs cost attributes agree with the mode, the ioctl's answer and
#   the block device size;
# - reconfigure in place: raw->page->raw keeps the data, raw->pfn moves the
#   data start so it needs force (ENOTEMPTY without, data intact), and a
#   mounted namespace is EBUSY; the modes survive a module reload.
# vm-timeout: 600
# vm-disk: 16M
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
probe="$PMEMCTL_BUILDDIR/test/vm/dax-probe"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
SECTION=$((128 * MiB))
[ -x "$nsi" ] || fail "$nsi not built"
[ -x "$probe" ] || fail "$probe not built"
command -v mkfs.xfs >/dev/null || skip "xfsprogs not installed"
disk=$(vm_disk) || fail "no scratch disk (# vm-disk)"
mnt=/mnt/dax
mkdir -p $mnt

round_up() {
	echo $((($1 + $2 - 1) / $2 * $2))
}

# The mount options of $mnt, between commas.
mount_opts() {
	echo ",$(awk -v m=$mnt '$2 == m { print $4 }' /proc/mounts),"
}

is_dax_mount() {
	mount_opts | grep -Eq ',dax(=always)?,'
}

# check_attrs R.N MODE [IOCTL_OUTPUT]: sysfs of namespaceR.N is consistent
# with MODE, with the cost the create/reconfigure ioctl returned, and with
# the block device.
check_attrs() {
	local d=$sys/namespace$1 mode=$2 ioc=${3:-} size phys a want v
	local data_offset data_size ram_bytes dev_bytes npfns pss

	expect_eq "$(cat "$d/mode")" "$mode" "namespace$1 mode"
	size=$(cat "$d/size")
	phys=$(($(cat "$d/resource")))
	data_offset=$(cat "$d/data_offset")
	data_size=$(cat "$d/data_size")
	ram_bytes=$(cat "$d/ram_bytes")
	dev_bytes=$(cat "$d/dev_bytes")
	npfns=$(cat "$d/npfns")
	pss=$(cat "$d/page_struct_size")
	echo "namespace$1: mode $mode size $size data_offset $data_offset data_size $data_size" \
		"ram_bytes $ram_bytes dev_bytes $dev_bytes npfns $npfns page_struct_size $pss"
	case $mode in
	pfn)
		want=$(round_up $((size / 64)) $((2 * MiB)))
		expect_eq "$data_offset" "$want" "namespace$1 pfn data_offset"
		expect_eq "$dev_bytes" "$want" "namespace$1 pfn dev_bytes"
		expect_eq "$npfns" $((size / 4096)) "namespace$1 pfn npfns"
		expect_eq "$pss" 64 "namespace$1 pfn page_struct_size"
		# whole 128 MiB sections take their memmap from the reserve
		[ $((phys % SECTION)) -eq 0 ] && [ $((size % SECTION)) -eq 0 ] &&
			expect_eq "$ram_bytes" 0 "namespace$1 pfn ram_bytes (whole sections)"
		;;
	page)
		expect_eq "$data_offset" 0 "namespace$1 page data_offset"
		expect_eq "$dev_bytes" 0 "namespace$1 page dev_bytes"
		[ "$ram_bytes" -gt 0 ] || fail "namespace$1 page ram_bytes is $ram_bytes"
		expect_eq "$npfns" 0 "namespace$1 page npfns"
		expect_eq "$pss" 0 "namespace$1 page page_struct_size"
		# 64-byte struct pages in 2 MiB blocks of RAM
		[ $((phys % SECTION)) -eq 0 ] && [ $((size % SECTION)) -eq 0 ] &&
			expect_eq "$ram_bytes" $((size / 64)) "namespace$1 page ram_bytes (whole sections)"
		;;
	raw)
		for a in data_offset ram_bytes dev_bytes npfns pss; do
			expect_eq "${!a}" 0 "namespace$1 raw $a"
		done
		;;
	esac
	expect_eq "$data_size" $((size - data_offset)) "namespace$1 data_size"
	expect_eq "$(blockdev --getsize64 "/dev/$(cat "$d/blockdev")")" "$data_size" \
		"namespace$1 block device size"
	if [ -n "$ioc" ]; then
		v="data_offset $data_offset data_size $data_size ram_bytes $ram_bytes dev_bytes $dev_bytes"
		expect_eq "${ioc#* data_offset }" "${v#data_offset }" "namespace$1 ioctl cost vs sysfs"
	fi
}

# mkfs_dev FS DEV
mkfs_dev() {
	# shellcheck disable=SC2086
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 "$2" ;;
	xfs) mkfs.xfs -q -f $xfs_opts "$2" ;;
	esac || fail "mkfs.$1 $2"
}

# probe_file EXPECTED_STATUS: dax-probe on a file of $mnt, output indented.
probe_file() {
	run "$probe" $mnt/probe "$disk" $((3 * MiB))
	echo "$out" | sed 's/^/    /'
	[ -z "$err" ] || echo "$err" | sed 's/^/    stderr: /'
	expect_eq "$rc" "$1" "dax-probe exit status"
}

# dax_fs FS DEV: a DAX filesystem on DEV that keeps its data.
dax_fs() {
	local fs=$1 dev=$2
	mkfs_dev "$fs" "$dev"
	mark_log
	mount -o dax "$dev" $mnt || fail "$fs on $dev: mount -o dax: $(log_since_mark)"
	is_dax_mount || fail "$fs on $dev: not a DAX mount: $(mount_opts)"
	echo "  $fs on $dev: mounted with$(mount_opts | tr , ' ')"
	probe_file 0
	cp /tmp/data $mnt/data || fail "write to the DAX mount"
	umount $mnt || fail "umount $dev"
	mount -o dax "$dev" $mnt || fail "$fs on $dev: remount -o dax"
	is_dax_mount || fail "$fs on $dev: remount not DAX"
	cmp /tmp/data $mnt/data || fail "$fs on $dev: data after remount"
	cmp -n $((2 * MiB)) $mnt/probe <(dd if="$disk" bs=1M skip=3 count=2 status=none) ||
		fail "$fs on $dev: what O_DIRECT put in the mapping, after remount"
	umount $mnt || fail "umount $dev"
	# without -o dax the same device gives page cache files
	mount "$dev" $mnt || fail "$fs on $dev: mount without -o dax"
	is_dax_mount && fail "$fs on $dev: DAX without -o dax"
	probe_file 3
	umount $mnt || fail "umount $dev"
}

load_module
expect_eq "$("$nsi" init 0)" ok "init-labels region0"
expect_eq "$("$nsi" init 1)" ok "init-labels region1"
head -c $((8 * MiB)) /dev/urandom >/tmp/data

# region0: page and pfn on whole 128 MiB sections (xfs wants > 300 MiB), raw
# in the gap after the label store
ioc_page=$("$nsi" create 0 $((384 * MiB)) $SECTION dax-page 1) || fail "create page: $ioc_page"
ioc_pfn=$("$nsi" create 0 $((384 * MiB)) $SECTION dax-pfn 2) || fail "create pfn: $ioc_pfn"
ioc_raw=$("$nsi" create 0 $((64 * MiB)) 0 dax-raw 0) || fail "create raw: $ioc_raw"
expect_eq "$(echo "$ioc_page" | cut -d' ' -f1-4)" "id 0 offset $SECTION" "page placement"
expect_eq "$(echo "$ioc_pfn" | cut -d' ' -f1-4)" "id 1 offset $((4 * SECTION))" "pfn placement"
expect_eq "$(echo "$ioc_raw" | cut -d' ' -f1-4)" "id 2 offset $((2 * MiB))" "raw placement"
check_attrs 0.0 page "$ioc_page"
check_attrs 0.1 pfn "$ioc_pfn"
check_attrs 0.2 raw "$ioc_raw"
# region1: not section-aligned (a partial section) and not a multiple of
# 64 * 2 MiB, so the pfn reserve is rounded up: 320 MiB / 64 = 5 MiB -> 6 MiB
ioc_re=$("$nsi" create 1 $((320 * MiB)) 0 reconf 0) || fail "create reconf: $ioc_re"
check_attrs 1.0 raw "$ioc_re"

# Does this kernel's xfs do DAX with reflink (xfsprogs' default)?
xfs_opts=
mkfs.xfs -q -f /dev/pmem0n0 || fail "mkfs.xfs"
mark_log
if mount -o dax /dev/pmem0n0 $mnt; then
	umount $mnt
else
	log_since_mark | grep -i reflink || fail "xfs mount -o dax refused: $(log_since_mark)"
	echo "xfs refuses DAX with reflink on $(uname -r): using -m reflink=0"
	xfs_opts="-m reflink=0"
fi

for n in 0 1; do
	echo "== $(cat $sys/namespace0.$n/mode): pmem0n$n"
	dax_fs ext4 /dev/pmem0n$n
	dax_fs xfs /dev/pmem0n$n
done

echo "== raw: pmem0n2"
mkfs_dev ext4 /dev/pmem0n2
mark_log
mount -o dax /dev/pmem0n2 $mnt 2>/dev/null && fail "ext4 -o dax mounted on a raw namespace"
msg=$(log_since_mark | grep -F 'pmem0n2' | grep -iF 'DAX unsupported by block device') ||
	fail "no ext4 message for the refused DAX mount: $(log_since_mark)"
echo "  ext4 -o dax refused: ${msg#*] }"
mount /dev/pmem0n2 $mnt || fail "ext4 mount of raw"
is_dax_mount && fail "raw mount is DAX"
probe_file 3
cp /tmp/data $mnt/data && umount $mnt && mount /dev/pmem0n2 $mnt || fail "remount raw"
cmp /tmp/data $mnt/data || fail "raw: data after remount"
umount $mnt

# xfs turns DAX off on a device without it instead of failing the mount
# (pmem1n0 is raw and large enough for xfs)
mkfs_dev xfs /dev/pmem1n0
mark_log
if mount -o dax /dev/pmem1n0 $mnt 2>/dev/null; then
	is_dax_mount && fail "xfs -o dax on raw is DAX"
	echo "  xfs -o dax on raw: mounted without DAX: $(log_since_mark | grep -F pmem1n0 | grep -i dax | sed 's/^\[[^]]*\] //')"
	probe_file 3
	umount $mnt
else
	echo "  xfs -o dax on raw: refused: $(log_since_mark | grep -F pmem1n0 | sed 's/^\[[^]]*\] //')"
fi

echo "== reconfigure in place: namespace1.0"
head -c $((320 * MiB)) /dev/urandom >/tmp/pattern
dd if=/tmp/pattern of=/dev/pmem1n0 bs=1M oflag=direct status=none || fail "write pattern"
devsum() {
	dd if=/dev/pmem1n0 bs=1M iflag=direct status=none | md5sum | cut -d' ' -f1
}
sum=$(md5sum </tmp/pattern | cut -d' ' -f1)
expect_eq "$(devsum)" "$sum" "pattern written"

r=$("$nsi" reconfigure 1 0 1) || fail "raw->page: $r"
check_attrs 1.0 page "$r"
expect_eq "$(devsum)" "$sum" "pattern after raw->page"
mkfs_dev ext4 /dev/pmem1n0
mount -o dax /dev/pmem1n0 $mnt || fail "mount -o dax after raw->page"
is_dax_mount || fail "not DAX after raw->page"
cp /tmp/data $mnt/data && sync
expect_eq "$("$nsi" reconfigure 1 0 0)" "errno EBUSY" "page->raw while mounted"
expect_eq "$(cat $sys/namespace1.0/mode)" page "mode after refused reconfigure"
cmp /tmp/data $mnt/data || fail "data after refused reconfigure"
umount $mnt
sum=$(devsum)

r=$("$nsi" reconfigure 1 0 0) || fail "page->raw: $r"
check_attrs 1.0 raw "$r"
expect_eq "$(devsum)" "$sum" "data after page->raw"
mount /dev/pmem1n0 $mnt && cmp /tmp/data $mnt/data && umount $mnt ||
	fail "the filesystem made in page mode, in raw mode"
sum=$(devsum)	# the mount wrote to the superblock

expect_eq "$("$nsi" reconfigure 1 0 2)" "errno ENOTEMPTY" "raw->pfn without force"
expect_eq "$(cat $sys/namespace1.0/mode)" raw "mode after ENOTEMPTY"
expect_eq "$(devsum)" "$sum" "data after ENOTEMPTY"
r=$("$nsi" reconfigure 1 0 2 3) || fail "raw->pfn forced dry run: $r"
expect_eq "$(cat $sys/namespace1.0/mode)" raw "mode after a dry run"
expect_eq "$(devsum)" "$sum" "data after a dry run"

dd if=/dev/pmem1n0 bs=1M iflag=direct status=none >/tmp/before
r=$("$nsi" reconfigure 1 0 2 1) || fail "raw->pfn with force: $r"
check_attrs 1.0 pfn "$r"
expect_eq "$(cat $sys/namespace1.0/data_offset)" $((6 * MiB)) "pfn reserve of 320 MiB"
# the data now starts behind the reserve; what was there is still there
cmp <(dd if=/dev/pmem1n0 bs=1M iflag=direct status=none) <(tail -c +$((6 * MiB + 1)) /tmp/before) ||
	fail "pfn data is not the namespace behind the reserve"
rm -f /tmp/before /tmp/pattern
dax_fs ext4 /dev/pmem1n0
mount -o dax /dev/pmem1n0 $mnt || fail "mount -o dax in pfn mode"
expect_eq "$("$nsi" reconfigure 1 0 0 1)" "errno EBUSY" "pfn->raw forced while mounted"
expect_eq "$("$nsi" reconfigure 1 0 1 1)" "errno EBUSY" "pfn->page forced while mounted"
expect_eq "$(cat $sys/namespace1.0/mode)" pfn "mode after EBUSY"
cmp /tmp/data $mnt/data || fail "data after EBUSY"
umount $mnt

echo "== module reload"
unload_module
load_module
for m in 0.0:page 0.1:pfn 0.2:raw 1.0:pfn; do
	check_attrs "${m%:*}" "${m#*:}"
done
mount -o dax /dev/pmem1n0 $mnt || fail "pfn DAX mount after reload"
is_dax_mount || fail "not DAX after reload"
cmp /tmp/data $mnt/data || fail "pfn data after reload"
umount $mnt
unload_module
if dmesg | grep -E -A5 'WARNING:|BUG:|Oops|general protection|Call Trace'; then
	fail "the kernel complained (above)"
fi
echo ok
