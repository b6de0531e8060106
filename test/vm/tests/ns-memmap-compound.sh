#!/bin/bash
# Compound memmaps, measured: a device-DAX namespace aligned to 2 MiB or
# 1 GiB with its memmap in RAM gets compound struct pages, and where the
# kernel deduplicates their memmap (Debian's 6.1 and 6.12 do) the RAM it
# really takes (free memory with the namespace disabled minus free memory
# with it enabled, outside the slab: below) matches the ram_bytes it
# reports within 5% (also what the CLI's dry run, list -R -N -v and,
# before the create, list -R -v's largest_extent report): about 516 KiB
# per 128 MiB at 2 MiB (against 2 MiB for a block page namespace of the
# same extent), about 40 KiB per GiB at 1 GiB.
#
# 40 KiB per GiB is close to what free memory can resolve here (a few
# pages either way, a drift of free memory between two samples while
# nothing changes, and an occasional 2 MiB block that moves), so each
# figure is checked against the noise too. Every round measures the
# namespace's delta (disabled, then enabled) and, right after, an idle
# delta (disabled on both sides: nothing changes); the figure is the
# median enabled delta less the median idle delta (the drift), the noise
# three times the idle deltas' median distance from their median (a
# spread that one 2 MiB outlier does not move), and a figure within 5%
# or within that noise of the report passes. The sampling is
# ns-memmap-ram.sh's (MemFree plus the per-CPU lists, caches dropped,
# medians).
#
# Enabling also allocates what ram_bytes leaves out: the pagemap's own
# objects, the pfn-to-pagemap index's nodes and a 64-byte usage map per
# section, in slab pages that come and go with the slab's state (8-36
# KiB in 14 GiB, in whole slab pages of up to 16 KiB: at 1 GiB, 560 KiB
# reported, that alone moved the total by up to 6%). So the figure
# checked against ram_bytes is the memory taken outside the slab (free
# memory plus meminfo's Slab), and the slab's own growth is printed
# beside it and bounded (slab_max), so that what is left out stays what
# it is. The namespace is large, 15 GiB (all the region's free space, so
# that it is the namespace list -R -v describes): 600 KiB at 1 GiB.
#
# On the debug kernel (PMEMCTL_VM_DEBUG_KERNEL=1), whose allocator
# checks (KASAN's quarantine, kmemleak) move free memory by megabytes,
# the measured figures are printed, not checked, and each is one cycle:
# there it runs for the checkers, over compound memmaps made and torn
# down, and for what the module reports, which is checked everywhere.
#
# Guest: 4 GiB of RAM and a 16 GiB region at 4 GiB; a raw filler takes
# the region up to 5 GiB, so that the measured 15 GiB start on a 1 GiB
# boundary (whole sections, whole 1 GiB pages).
# vm-mem: 20G
# vm-append: memmap=16G!4G
# vm-timeout: 900
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
GiB=$((1 << 30))
size=$((15 * GiB))
measured=true
[ "${PMEMCTL_VM_DEBUG_KERNEL:-}" = 1 ] && measured=false
# Rounds per figure: at 1 GiB a single delta scatters by +-16 KiB, about
# 5% of the figure, so that one takes more rounds.
rounds_2m=7 rounds_1g=11
# KiB the slab may grow by on enable (what ram_bytes leaves out)
slab_max=64
$measured || rounds_2m=1 rounds_1g=1

. "$PMEMCTL_SRCDIR/test/vm/free-memory.sh"

# rounds ID N: with namespace ID disabled, N rounds of an enabled
# delta and an idle delta (KiB taken outside the slab, and KiB the slab
# grew, each); prints "FIGURE NOISE SLAB": the median enabled delta less
# the median idle delta, three times the idle deltas' median distance
# from their median, and the median growth of the slab on enable less
# its idle growth
rounds() {
	local id=$1 off on fo so fn sn enabled= idle= slab= slab_idle=
	local drift noise
	for _ in $(seq 1 "$2"); do
		read -r fo so < <(sample_split)
		"$nsi" enable 0 "$id" >/dev/null || fail "enable $id"
		read -r fn sn < <(sample_split)
		enabled+="$(( (fo - fn) - (sn - so) )) "
		slab+="$((sn - so)) "
		"$nsi" disable 0 "$id" >/dev/null || fail "disable $id"
		read -r fo so < <(sample_split)
		read -r fn sn < <(sample_split)
		idle+="$(( (fo - fn) - (sn - so) )) "
		slab_idle+="$((sn - so)) "
	done
	echo "  enabled deltas outside the slab (KiB): $enabled" >&2
	echo "  idle deltas outside the slab (KiB):    $idle" >&2
	echo "  slab growth enabled (KiB): $slab" >&2
	echo "  slab growth idle (KiB):    $slab_idle" >&2
	drift=$(tr ' ' '\n' <<<"$idle" | grep . | median)
	noise=$(tr ' ' '\n' <<<"$idle" | grep . |
		awk -v m="$drift" '{ d = $1 - m; print d < 0 ? -d : d }' | median)
	noise=$((3 * noise))
	echo "$(($(tr ' ' '\n' <<<"$enabled" | grep . | median) - drift)) $noise" \
	     "$(($(tr ' ' '\n' <<<"$slab" | grep . | median) - $(tr ' ' '\n' <<<"$slab_idle" | grep . | median)))"
}

pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", 100 * a / b }'
}

abs() {
	echo $(($1 < 0 ? -$1 : $1))
}

mark_log
load_module
"$nsi" init 0 >/dev/null || fail "init-labels"
start=$(printf '%d' "$(cat $sys/region0/resource)")
[ $((start % GiB)) = 0 ] || fail "region0 does not start on a 1 GiB boundary"
"$nsi" create 0 $((GiB - 2 * MiB)) 0 filler >/dev/null || fail "create filler"

# ram_bytes of a "create" or "dryrun" line of ns-ioctl
ram_of() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "ram_bytes") print $(i + 1) }' <<<"$1"
}

# list -R -v, before any create: what a devdax namespace filling the
# free 15 GiB would cost at each alignment in each mode is what the
# kernel answers a dry run of that shape (a shape it refuses, the 1 GiB
# pfn one whose memmap reserve moves the data off 1 GiB: all 0)
run "$PMEMCTL" list -R -v
expect_eq "$rc" 0 "list -R -v ($err)"
extent=$out
expect_eq "$(jq -r '.[0].largest_extent.size' <<<"$extent")" $size "list -R -v: the free extent"
for a in 2m 1g; do
	align=$((2 * MiB))
	[ $a = 1g ] && align=$GiB
	for m in page:1 pfn:2 ondemand:3; do
		got=$(jq -r ".[0].largest_extent.devdax_$a.${m%:*} |
			\"\(.data_size) \(.metadata_ram) \(.metadata_dev)\"" <<<"$extent")
		want="0 0 0"
		if dry=$("$nsi" dryrun 0 $size $align x "${m#*:}" - 1); then
			want=$(awk '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1)
				print v["data_size"], v["ram_bytes"], v["dev_bytes"] }' <<<"$dry")
		fi
		expect_eq "$got" "$want" "list -R -v devdax_$a.${m%:*}: the dry run's figures"
	done
done
expect_eq "$(jq -r '.[0].largest_extent.devdax_1g.pfn.data_size' <<<"$extent")" 0 \
	"list -R -v: a 1 GiB pfn devdax namespace does not fit"

# measure ALIGN VAR ROUNDS: create a 15 GiB devdax page namespace, print its
# figures, check them, destroy it; its ram_bytes go to ram_VAR
measure() {
	local align=$1 out id ns ram kib noise d dry a
	out=$("$nsi" dryrun 0 $size "$align" measured 1 - 1) || fail "dry-run devdax $align: $out"
	dry=$(ram_of "$out")
	# the CLI's dry run of the same namespace reports the same cost
	a=2M
	[ "$align" = $GiB ] && a=1G
	run "$PMEMCTL" create-namespace --dry-run -r 0 -s $size -a $a -m devdax --map=mem -n measured
	expect_eq "$rc" 0 "align $align: CLI dry run ($err)"
	expect_eq "$(echo "$out" | jq -r .metadata_ram)" "$dry" "align $align: metadata_ram of the CLI's dry run"
	out=$("$nsi" create 0 $size "$align" measured 1 - 1) || fail "create devdax $align: $out"
	expect_eq "$(ram_of "$out")" "$dry" "align $align: ram_bytes of the create and of its dry run"
	id=$(awk '{ print $2 }' <<<"$out")
	ns=$sys/namespace0.$id
	expect_eq "$(( ($(printf '%d' "$(cat "$ns/resource")") - start) % GiB ))" 0 "measured namespace on a 1 GiB boundary"
	expect_eq "$(cat "$ns/mode") $(cat "$ns/access") $(cat "$ns/state")" "page devdax enabled" "measured namespace"
	ram=$(cat "$ns/ram_bytes")
	expect_eq "$ram" "$(jq -r ".[0].largest_extent.devdax_$2.page.metadata_ram" <<<"$extent")" \
		"align $align: ram_bytes and list -R -v's devdax_$2.page before the create"
	run "$PMEMCTL" list -R -N -v
	expect_eq "$(echo "$out" | jq -r '.[0].namespaces[] | select(.name == "measured") | .metadata_ram')" "$ram" \
		"align $align: metadata_ram in list -R -N -v"
	"$nsi" disable 0 "$id" >/dev/null || fail "disable measured"
	read -r kib noise slab < <(rounds "$id" "$3")
	[ -n "$slab" ] || fail "align $align: the measurement failed (above)"
	expect_eq "$ram" "$dry" "align $align: sysfs ram_bytes and the dry run's"
	echo "devdax page, align $((align >> 10)) KiB, $((size / GiB)) GiB: reported ram_bytes $((ram >> 10)) KiB, measured $kib KiB outside the slab ($(pct "$kib" $((ram >> 10)))% of reported), noise $noise KiB; the slab grew by $slab KiB (not reported)"
	d=$(abs $((kib - (ram >> 10))))
	! $measured || [ "$d" -le $((ram / 1024 / 20)) ] || [ "$d" -le "$noise" ] ||
		fail "align $align: took $kib KiB of RAM outside the slab; it reports $((ram >> 10)) KiB (more than 5% apart, noise $noise KiB)"
	# what ram_bytes leaves out stays small: a few objects per section
	! $measured || [ "$slab" -le $slab_max ] ||
		fail "align $align: enabling grew the slab by $slab KiB (more than $slab_max KiB)"
	"$nsi" destroy 0 "$id" >/dev/null || fail "destroy measured"
	eval "ram_$2=$ram"
}

measure $((2 * MiB)) 2m $rounds_2m
measure $GiB 1g $rounds_1g

# what the same extent costs as a block page namespace (measured by
# ns-memmap-ram.sh): the cost it reports
out=$("$nsi" dryrun 0 $size $((2 * MiB)) measured 1) || fail "dry-run page: $out"
page_ram=$(ram_of "$out")
echo "block page, $((size / GiB)) GiB: reported ram_bytes $((page_ram >> 10)) KiB"
# The deduplicated figures are the kernel's: 2 vmemmap pages per compound
# page, one page-table page per section, for 64-byte struct pages.
expect_eq "$(cat $sys/region0/struct_page_size)" 64 "struct page size"
expect_eq "$ram_2m" $(( size / (128 * MiB) * (516 << 10) )) "2 MiB: 516 KiB per section"
expect_eq "$ram_1g" $(( size / GiB * (40 << 10) )) "1 GiB: 40 KiB per GiB"
[ $((ram_2m * 3)) -lt "$page_ram" ] || fail "2 MiB compound ($ram_2m) is not below a third of page mode ($page_ram)"
no_splat
unload_module
echo ok
