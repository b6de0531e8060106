#!/bin/bash
# Measured, not assumed: the RAM a page namespace's memmap really takes
# (free memory with the namespace disabled minus free memory with it
# enabled) matches the ram_bytes it reports within 5%, and a pfn namespace
# over the same extent takes at most 1% of that from RAM.
#
# Free memory is MemFree plus the pages parked on the per-CPU free lists
# (the "count" of every pageset in /proc/zoneinfo): a freed 2 MiB vmemmap
# block lands on such a list first, so MemFree alone jumps by +-20 MiB.
# Each sample drops the caches, waits, and takes the median of several
# readings; each delta is the median of several disable/enable cycles.
#
# The measured namespace covers whole 128 MiB sections (a raw filler takes
# the region up to the first section boundary), so that no partly covered
# section puts 4 KiB memmap pages in RAM in pfn mode too. The filler is
# then measured in page and pfn mode as well: part of a section, both take
# RAM, and report it. Guest: 4 GiB of RAM, an 8 GiB region at 4 GiB (a
# section boundary).
# vm-mem: 12G
# vm-append: memmap=8G!4G
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
section=$((128 * MiB))
size=$((56 * section))		# 7 GiB: 112 MiB of struct pages
cycles=${MEMMAP_CYCLES:-3}

. "$PMEMCTL_SRCDIR/test/vm/free-memory.sh"

# memmap pages the kernel counts itself (6.11+), else nothing. Printed, not
# checked: it counts struct pages wherever they live, a pfn reserve too.
memmap_pages() {
	awk '$1 == "nr_memmap_pages" { print $2 }' /proc/vmstat
}

# cycle ID: median KiB taken by enabling namespace ID; prints each cycle
cycle() {
	local id=$1 off on mm_off mm_on deltas=
	for _ in $(seq 1 "$cycles"); do
		"$nsi" disable 0 "$id" >/dev/null || fail "disable $id"
		off=$(sample) mm_off=$(memmap_pages)
		"$nsi" enable 0 "$id" >/dev/null || fail "enable $id"
		on=$(sample) mm_on=$(memmap_pages)
		deltas+="$((off - on)) "
	done
	echo "  $(cat $sys/namespace0."$id"/mode) cycles (KiB): $deltas" >&2
	[ -z "$mm_on" ] || echo "  /proc/vmstat nr_memmap_pages: $mm_off disabled, $mm_on enabled" >&2
	tr ' ' '\n' <<<"$deltas" | grep . | median
}

# percent with two decimals: pct A B = 100 * A / B
pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", 100 * a / b }'
}

load_module
"$nsi" init 0 >/dev/null || fail "init-labels"
start=$(printf '%d' "$(cat $sys/region0/resource)")
[ $((start % section)) = 0 ] || fail "region0 does not start on a section boundary"
filler=$((section - 2 * MiB))
"$nsi" create 0 $filler 0 filler >/dev/null || fail "create filler"
out=$("$nsi" create 0 $size 0 measured 1) || fail "create page namespace: $out"
id=$(awk '{ print $2 }' <<<"$out")
ns=$sys/namespace0.$id
expect_eq "$(( $(printf '%d' "$(cat "$ns/resource")") % section ))" 0 "measured namespace on a section boundary"
expect_eq "$(cat "$ns/mode") $(cat "$ns/state")" "page enabled" "measured namespace"

page_ram=$(cat "$ns/ram_bytes")
page_kib=$(cycle "$id")
expect_eq "$("$nsi" reconfigure 0 "$id" 2 1 | cut -d' ' -f1)" ok "reconfigure to pfn"
expect_eq "$(cat "$ns/mode") $(cat "$ns/state")" "pfn enabled" "after reconfigure"
pfn_ram=$(cat "$ns/ram_bytes") pfn_dev=$(cat "$ns/dev_bytes")
pfn_kib=$(cycle "$id")
expect_eq "$("$nsi" reconfigure 0 "$id" 0 1 | cut -d' ' -f1)" ok "reconfigure to raw"
raw_kib=$(cycle "$id")

# The filler covers its section in part: 4 KiB memmap pages from RAM (and
# a page-table page) in page and in pfn mode alike.
expect_eq "$("$nsi" reconfigure 0 0 1 | cut -d' ' -f1)" ok "reconfigure filler to page"
part_page_ram=$(cat $sys/namespace0.0/ram_bytes)
part_page_kib=$(cycle 0)
expect_eq "$("$nsi" reconfigure 0 0 2 1 | cut -d' ' -f1)" ok "reconfigure filler to pfn"
part_pfn_ram=$(cat $sys/namespace0.0/ram_bytes)
part_pfn_kib=$(cycle 0)

echo "namespace: $((size / MiB)) MiB at a section boundary, $(cat /sys/bus/pmemctl/devices/region0/struct_page_size)-byte struct pages"
echo "page: reported ram_bytes $((page_ram >> 10)) KiB, measured $page_kib KiB ($(pct "$page_kib" $((page_ram >> 10)))% of reported)"
echo "pfn: reported ram_bytes $((pfn_ram >> 10)) KiB, dev_bytes $((pfn_dev >> 10)) KiB, measured $pfn_kib KiB ($(pct "$pfn_kib" "$page_kib")% of page)"
echo "raw (block device alone): measured $raw_kib KiB"
echo "filler, $((filler / MiB)) MiB of a section:"
echo "page: reported ram_bytes $((part_page_ram >> 10)) KiB, measured $part_page_kib KiB ($(pct "$part_page_kib" $((part_page_ram >> 10)))% of reported)"
echo "pfn: reported ram_bytes $((part_pfn_ram >> 10)) KiB, measured $part_pfn_kib KiB ($(pct "$part_pfn_kib" $((part_pfn_ram >> 10)))% of reported)"

# within 5% of what it reports: within5 MEASURED_KIB REPORTED_BYTES
within5() {
	local d=$(($1 - ($2 >> 10)))
	[ $((d < 0 ? -d : d)) -le $(($2 / 1024 / 20)) ]
}

within5 "$page_kib" "$page_ram" ||
	fail "page mode took $page_kib KiB of RAM; it reports $((page_ram >> 10)) KiB (more than 5% apart)"
[ $((pfn_kib < 0 ? -pfn_kib : pfn_kib)) -le $((page_kib / 100)) ] ||
	fail "pfn mode took $pfn_kib KiB of RAM, more than 1% of page mode's $page_kib KiB"
within5 "$part_page_kib" "$part_page_ram" ||
	fail "page mode, part of a section: took $part_page_kib KiB, reports $((part_page_ram >> 10)) KiB"
within5 "$part_pfn_kib" "$part_pfn_ram" ||
	fail "pfn mode, part of a section: took $part_pfn_kib KiB, reports $((part_pfn_ram >> 10)) KiB"
dmesg | grep -E "WARNING|BUG|Call Trace" && fail "kernel warnings"
unload_module
echo ok
