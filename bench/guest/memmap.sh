#!/bin/bash
# The memmap of device DAX, measured in one guest: what it takes from RAM,
# and how fast its mappings fault and copy, pmemctl against libnvdimm.
#
# Two legacy ranges: memmap=4G!4G for libnvdimm (nd_e820 + nd_pmem +
# dax_pmem + device_dax; ndctl turns its raw namespace into device DAX),
# and 4 GiB + 2 MiB at 9 GiB - 2 MiB for pmemctl, whose label store takes
# the first 2 MiB, so that its 4 GiB namespace lies on [9 GiB, 13 GiB):
# whole 128 MiB sections and whole 1 GiB pages. The 1 GiB of RAM between
# the ranges and the 3 GiB below 4 GiB are the guest's. Each side writes
# only to its own range; the two cannot own them at the same time, so the
# guest loads one, measures, unloads it and loads the other.
#
# 1. RAM. Free memory (MemFree plus the per-CPU lists, caches dropped,
#    test/vm/free-memory.sh) with the namespace disabled minus free memory
#    with it enabled, the median of MEMMAP_CYCLES (default 5) cycles, for
#    pmemctl page (block), pfn, devdax page at 2M and 1G and devdax pfn at
#    2M, each a 4 GiB namespace made with the CLI, with the ram_bytes it
#    reports; and for libnvdimm's devdax --map=mem at 1G and 2M (ndctl
#    create-namespace; disable-namespace / enable-namespace cycles), which
#    reports nothing. The same cycles with the namespace disabled on both
#    sides give the noise (their median and largest absolute delta: a
#    2 MiB block that moves between the per-CPU lists and the buddy
#    allocator once in a while).
#    Then mode ondemand (struct pages made per 2 MiB chunk on first fault,
#    freed when the chunk's last mapping goes): a 4 GiB ondemand devdax 2M
#    namespace, enabled with nothing mapped (the same cycles), and then,
#    MEMMAP_CYCLES times, a process (memmap-probe hold) mapping and
#    touching 2 MiB, then one mapping 256 MiB: the free memory between the
#    two, plus the one chunk's reported share, is what 256 MiB mapped
#    takes, with the holder's own memory cancelled (as
#    test/vm/tests/ns-ondemand.sh); after that holder unmapped and the
#    reclaimer done (ram_bytes back to at most one chunk above its
#    enabled value), free memory against the cycle's start. The medians,
#    with ram_bytes at each point, ram_bytes_peak and ram_per_gib.
# 2. Mapping speed: bench/memmap-probe on /dev/pmemctl-dax1.N in page mode
#    and in ondemand mode and on /dev/daxX.Y, all devdax 2M (page mode
#    --map=mem for both sides), MEMMAP_MAP_SIZE (default 512 MiB)
#    MAP_SHARED, MEMMAP_PROBE_ROUNDS (default 5) fresh mappings per turn,
#    each a run of its own at the next MEMMAP_MAP_SIZE of the device (so
#    an ondemand first touch always makes its chunks: the last round's
#    are freed by then too, ram_bytes polled back down to its enabled
#    value before each), MEMMAP_ROUNDS (default 3) turns of each side,
#    alternating (a module swap between turns; pmemctl page and ondemand
#    share region1 and swap by destroy and create within a turn, in turn
#    1 page first, in turn 2 ondemand, ...); the best of all kept. Both
#    ranges are written once before (QEMU backs guest memory on first
#    touch, which would swamp a fresh range's faults). Each round also
#    times the steady-state fault: a second mapping of the same range
#    while the first still holds it, touched the same way (for ondemand,
#    faults on chunks that exist: nothing to make).
# vm-mem: 12G
# vm-append: memmap=4G!4G memmap=4098M!9214M
# vm-timeout: 1200
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"	# unload_nd_e820
. "$PMEMCTL_SRCDIR/test/vm/free-memory.sh"	# sample, median (of integers)

MiB=$((1 << 20))
GiB=$((1 << 30))
cycles=${MEMMAP_CYCLES:-5}
map_size=${MEMMAP_MAP_SIZE:-$((512 * MiB))}
probe_rounds=${MEMMAP_PROBE_ROUNDS:-5}
turns=${MEMMAP_ROUNDS:-3}
probe=$PMEMCTL_BUILDDIR/bench/memmap-probe
sys=/sys/bus/pmemctl/devices
[ -x "$probe" ] || die "$probe not built"
command -v ndctl >/dev/null || die "ndctl not installed"

# ram_cycles LABEL OFF ON ARG: disable (OFF ARG), sample, enable (ON ARG),
# sample, $cycles times; sets ram_kib (the median KiB lost), ram_abs (the
# median absolute delta) and ram_max (the largest absolute delta).
ram_cycles() {
	local label=$1 off_fn=$2 on_fn=$3 arg=$4 off on deltas=
	for _ in $(seq 1 "$cycles"); do
		"$off_fn" "$arg" || die "$label: $off_fn $arg"
		off=$(sample)
		"$on_fn" "$arg" || die "$label: $on_fn $arg"
		on=$(sample)
		deltas+="$((off - on)) "
	done
	echo "  $label cycles (KiB): $deltas"
	ram_kib=$(tr ' ' '\n' <<<"$deltas" | grep . | median)
	ram_abs=$(tr ' ' '\n' <<<"$deltas" | grep . | tr -d - | median)
	ram_max=$(tr ' ' '\n' <<<"$deltas" | grep . | tr -d - | sort -n | tail -n 1)
}

# --- the pmemctl side
pm_off() { pmemctl_cli disable-namespace "$1" >/dev/null; }
pm_on() { pmemctl_cli enable-namespace "$1" >/dev/null; }
pm_load() {
	insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
	[ "$(printf '%d' "$(cat $sys/region1/resource)")" = $((9 * GiB - 2 * MiB)) ] ||
		die "pmemctl region1 is not at 9 GiB - 2 MiB"
}
pm_unload() {
	pmemctl_cli disable-namespace all >/dev/null || die "disable-namespace all"
	rmmod pmemctl || die "rmmod pmemctl"
}

# pm_create CONFIG CREATE-ARGS...: a 4 GiB namespace in region1, enabled,
# in $pm_ns
pm_create() {
	local config=$1
	shift
	pmemctl_cli create-namespace -r 1 -s 4G -n memmap "$@" >/tmp/ns.json ||
		die "pmemctl create-namespace -s 4G $*"
	pm_ns=$(jq -r .dev /tmp/ns.json)
	[ "$(printf '%d' "$(cat "$sys/$pm_ns/resource")")" = $((9 * GiB)) ] ||
		die "$config: $pm_ns does not start at 9 GiB"
}

# pm_measure CONFIG CREATE-ARGS...: pm_create, measured; left enabled
pm_measure() {
	local config=$1
	pm_create "$@"
	shift
	ram_cycles "$config" pm_off pm_on "$pm_ns"
	echo "pmemctl $config ($*): $pm_ns, $(jq -r '"mode \(.mode) access \(.access) align \(.align) data_size \(.data_size) metadata_ram \(.metadata_ram)"' /tmp/ns.json), ram_bytes $(cat "$sys/$pm_ns/ram_bytes"), measured $ram_kib KiB"
	result memmap ram-kib "$config" "$ram_kib"
	result memmap reported-kib "$config" $(($(cat "$sys/$pm_ns/ram_bytes") >> 10))
	result memmap data-bytes "$config" "$(jq -r .data_size /tmp/ns.json)"
}

pm_destroy() {
	pmemctl_cli destroy-namespace -f "$pm_ns" >/dev/null || die "destroy $pm_ns"
}

# --- pmemctl ondemand
od_create() { pm_create ondemand-2M -m ondemand --access=devdax -a 2M; od_fixed=$(cat "$sys/$pm_ns/ram_bytes"); }
od_ram_now() { cat "$sys/$pm_ns/ram_bytes"; }

# od_settle LIMIT: wait (at most 30 s) for ram_bytes <= LIMIT; od_wait is
# the seconds it took
od_settle() {
	local s=$EPOCHREALTIME
	for _ in $(seq 1 300); do
		[ "$(od_ram_now)" -le "$1" ] && break
		sleep 0.1
	done
	od_wait=$(awk -v s="$s" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
	[ "$(od_ram_now)" -le "$1" ]
}

# od_hold OFF LEN / od_release: a memmap-probe hold process
od_hold() {
	rm -f /tmp/held
	"$probe" hold "$od_dev" "$1" "$2" /tmp/held >/tmp/hold.out 2>&1 &
	holder=$!
	for _ in $(seq 1 300); do
		[ -e /tmp/held ] && return 0
		kill -0 $holder 2>/dev/null || break
		sleep 0.1
	done
	die "memmap-probe hold $1 $2: $(cat /tmp/hold.out)"
}
od_release() {
	kill -USR1 $holder
	wait $holder || die "memmap-probe hold: $(cat /tmp/hold.out)"
}

# od_ram: the cycles of 1. for the ondemand namespace $pm_ns
od_ram() {
	local en one one_now mapped now after unm took="" left="" rep="" aft="" chunk per_gib
	od_dev=/dev/$(cat "$sys/$pm_ns/chardev")
	wait_for "$od_dev" 10 || die "$od_dev did not appear"
	per_gib=$(cat "$sys/$pm_ns/ram_per_gib")
	chunk=$((per_gib / 512))
	echo "ondemand $pm_ns: enabled ram_bytes $od_fixed, ram_per_gib $per_gib, a chunk $chunk bytes"
	for _ in $(seq 1 "$cycles"); do
		od_settle "$od_fixed" || die "ondemand: ram_bytes $(od_ram_now) is not back to $od_fixed"
		en=$(sample)
		od_hold 0 $((2 * MiB))
		one=$(sample)
		one_now=$(od_ram_now)
		od_release
		od_settle "$od_fixed" || die "ondemand: 2 MiB unmapped, ram_bytes $(od_ram_now) is not back to $od_fixed"
		od_hold $((512 * MiB)) $((256 * MiB))
		mapped=$(sample)
		now=$(od_ram_now)
		od_release
		od_settle $((od_fixed + chunk + 4096)) ||
			echo "  ondemand: 256 MiB unmapped, ram_bytes still $(od_ram_now) after 30 s"
		after=$(od_ram_now)
		unm=$(sample)
		echo "  ondemand cycle: free $en, 2 MiB held $one (ram_bytes $one_now), 256 MiB held $mapped (ram_bytes $now), unmapped $unm (ram_bytes $after after ${od_wait} s)"
		took+="$((one - mapped + (one_now - od_fixed) / 1024)) "
		left+="$((en - unm)) "
		rep+="$((now >> 10)) "
		aft+="$((after >> 10)) "
	done
	echo "  ondemand 256 MiB (KiB): measured $took reported $rep; unmapped: measured $left reported $aft"
	result memmap od-ram-kib mapped-256M "$(tr ' ' '\n' <<<"$took" | grep . | median)"
	result memmap od-reported-kib mapped-256M "$(tr ' ' '\n' <<<"$rep" | grep . | median)"
	result memmap od-ram-kib unmapped "$(tr ' ' '\n' <<<"$left" | grep . | median)"
	result memmap od-reported-kib unmapped "$(tr ' ' '\n' <<<"$aft" | grep . | median)"
	result memmap od-reported-kib enabled $((od_fixed >> 10))
	result memmap od-reported-kib peak $(($(cat "$sys/$pm_ns/ram_bytes_peak") >> 10))
	result memmap od-per-gib-kib reported $((per_gib >> 10))
	result memmap od-chunk-bytes - "$chunk"
}

# --- the libnvdimm side
nd_load() {
	local m
	# (ndctl's modprobe.d runs "ndctl load-keys" before libnvdimm, which
	# complains of no TPM and no key file: quiet unless it fails)
	for m in nd_e820 nd_pmem dax_pmem device_dax; do
		modprobe "$m" 2>/tmp/modprobe.err || die "modprobe $m: $(cat /tmp/modprobe.err)"
	done
	for _ in $(seq 1 50); do
		[ "$(ndctl list -N 2>/dev/null | jq 'if type == "array" then length else 1 end' 2>/dev/null)" = 2 ] && break
		sleep 0.2
	done
}
nd_unload() {
	local m
	for m in device_dax dax_pmem; do
		grep -q "^$m " /proc/modules && { modprobe -r "$m" || die "modprobe -r $m"; }
	done
	unload_nd_e820 || die "cannot unload nd_pmem/nd_e820"
}

# nd_chardev: wait for the device-DAX node of libnvdimm and print its path
nd_chardev() {
	local d
	for _ in $(seq 1 100); do
		for d in /sys/bus/dax/devices/dax*; do
			[ -e "$d/size" ] && [ "$(cat "$d/size")" -gt 0 ] && [ -c "/dev/${d##*/}" ] &&
				{ echo "/dev/${d##*/}"; return 0; }
		done
		sleep 0.1
	done
	return 1
}
nd_off() { ndctl disable-namespace "$1" >/dev/null 2>&1; }
nd_on() {
	ndctl enable-namespace "$1" >/dev/null 2>/tmp/nd_on.err
	nd_chardev >/dev/null || { cat /tmp/nd_on.err; return 1; }
}

# nd_measure CONFIG ALIGN: ndctl devdax --map=mem at ALIGN on $nd_ns
nd_measure() {
	local config=$1 align=$2 size
	if ! ndctl create-namespace -f -e "$nd_ns" -m devdax --map=mem -a "$align" \
		>/tmp/nd.json 2>/tmp/nd.err; then
		echo "libnvdimm $config: ndctl create-namespace -a $align failed: $(cat /tmp/nd.err)"
		result memmap ram-kib "$config" n/a
		return 0
	fi
	size=$(jq -r '.size' /tmp/nd.json)
	nd_chardev >/dev/null || die "$config: no /dev/daxX.Y after create-namespace"
	ram_cycles "$config" nd_off nd_on "$nd_ns"
	echo "libnvdimm $config: $(jq -c . /tmp/nd.json), $(nd_chardev), measured $ram_kib KiB; libnvdimm reports no memmap cost"
	result memmap ram-kib "$config" "$ram_kib"
	result memmap reported-kib "$config" none
	result memmap data-bytes "$config" "$size"
}

# probe_turn SIDE DEV [SETTLE]: one turn of the mapping probe,
# $probe_rounds runs of one round each, run r at offset (r - 1) x
# $map_size of DEV (wrapping at 3 GiB), after SETTLE if given; keeps the
# best in best[SIDE-*] (fault times and faults the lowest, first touch and
# steady state alike, memcpy the highest)
declare -A best
probe_turn() {
	local side=$1 dev=$2 settle=${3:-} f us gb sf sus r off
	for r in $(seq 1 "$probe_rounds"); do
		off=$(((r - 1) * map_size % (3 * GiB)))
		[ -z "$settle" ] || "$settle"
		"$probe" "$dev" "$map_size" $((2 * MiB)) 1 "$off" >/tmp/probe.out ||
			die "memmap-probe $dev at $off: $(cat /tmp/probe.out)"
		grep '^round ' /tmp/probe.out | sed "s|^round 1|  $side $dev: round $r at $((off >> 20)) MiB|"
		read -r _ _ f _ us _ gb _ sf _ sus < <(grep '^best ' /tmp/probe.out)
		[ -z "${best[$side-faults]:-}" ] || [ "$f" -lt "${best[$side-faults]}" ] && best[$side-faults]=$f
		awk -v a="$us" -v b="${best[$side-us]:-}" 'BEGIN { exit !(b == "" || a < b) }' && best[$side-us]=$us
		awk -v a="$gb" -v b="${best[$side-gb]:-}" 'BEGIN { exit !(b == "" || a > b) }' && best[$side-gb]=$gb
		[ -z "${best[$side-sfaults]:-}" ] || [ "$sf" -lt "${best[$side-sfaults]}" ] && best[$side-sfaults]=$sf
		awk -v a="$sus" -v b="${best[$side-sus]:-}" 'BEGIN { exit !(b == "" || a < b) }' && best[$side-sus]=$sus
	done
	return 0
}

pm_probe_turn() {
	local dev
	dev=/dev/$(cat "$sys/$pm_ns/chardev")
	wait_for "$dev" 10 || die "$dev did not appear"
	probe_turn pmemctl "$dev"
}

# warm DEV: QEMU backs guest memory on its first touch (~10 ms per 2 MiB
# under TCG, more than any guest fault): one pass over the 3 GiB the
# rounds use, once per range, before they are timed
warm() {
	"$probe" "$1" $((3 * GiB)) $((2 * MiB)) 1 0 >/tmp/probe.out ||
		die "memmap-probe $1 (warm-up): $(cat /tmp/probe.out)"
	sed "s|^round 1|  warm-up $1:|" /tmp/probe.out | grep -v '^best '
}

# before each ondemand round: every chunk of the last one freed
od_fresh() {
	od_settle "$od_fixed" || die "ondemand: ram_bytes $(od_ram_now) is not back to $od_fixed after 30 s"
	echo "  ondemand: ram_bytes $(od_ram_now) (chunks freed in ${od_wait} s)"
}

od_probe_turn() {
	od_dev=/dev/$(cat "$sys/$pm_ns/chardev")
	wait_for "$od_dev" 10 || die "$od_dev did not appear"
	probe_turn ondemand "$od_dev" od_fresh
	od_fresh
	echo "  ondemand: ram_bytes_peak $(cat "$sys/$pm_ns/ram_bytes_peak")"
}

nd_probe_turn() {
	local dev
	dev=$(nd_chardev) || die "no libnvdimm /dev/daxX.Y"
	probe_turn libnvdimm "$dev"
}

s=$SECONDS
# 1a. pmemctl, RAM; the devdax page 2M namespace stays for the probe, then
# the ondemand one takes its place: its RAM, its probe
pm_load
pmemctl_cli init-labels region1 >/dev/null || die "init-labels region1"
echo "pmemctl: $(cat $sys/region1/size) bytes in region1, struct page $(cat $sys/region1/struct_page_size) bytes"
pm_measure page -m page
ram_cycles idle pm_off true "$pm_ns"
echo "idle (page namespace disabled on both sides): median $ram_kib KiB, median absolute $ram_abs KiB, largest $ram_max KiB"
result memmap noise-kib - "$ram_abs"
result memmap noise-max-kib - "$ram_max"
pm_destroy
pm_measure pfn -m pfn
pm_destroy
pm_measure devdax-pfn-2M -m devdax --map=dev -a 2M
pm_destroy
pm_measure devdax-page-1G -m devdax --map=mem -a 1G
pm_destroy
pm_measure devdax-page-2M -m devdax --map=mem -a 2M
echo "pmemctl RAM done at $((SECONDS - s)) s"
warm "/dev/$(cat "$sys/$pm_ns/chardev")"
pm_probe_turn
# the ondemand namespace takes its place
pm_destroy
od_create
ram_cycles ondemand-2M pm_off pm_on "$pm_ns"
od_fixed=$(od_ram_now)
echo "pmemctl ondemand-2M: $pm_ns, $(jq -r '"mode \(.mode) access \(.access) align \(.align) data_size \(.data_size) metadata_ram \(.metadata_ram) per GiB \(.metadata_ram_per_gib)"' /tmp/ns.json), ram_bytes $od_fixed, measured $ram_kib KiB"
result memmap ram-kib ondemand-2M "$ram_kib"
result memmap reported-kib ondemand-2M $((od_fixed >> 10))
result memmap data-bytes ondemand-2M "$(jq -r .data_size /tmp/ns.json)"
od_ram
echo "pmemctl ondemand RAM done at $((SECONDS - s)) s"
od_probe_turn
pm_unload

# 1b. libnvdimm, RAM; devdax 2M stays for the probe
nd_load
ndctl list -N >/tmp/nd-raw.json 2>/dev/null || die "ndctl list"
nd_ns=$(jq -r --argjson s $((4 * GiB)) '.[] | select(.size == $s) | .dev' /tmp/nd-raw.json)
[ -n "$nd_ns" ] || die "no libnvdimm namespace of 4 GiB: $(cat /tmp/nd-raw.json)"
# the other range (pmemctl's) is left alone: no driver, no memmap
for ns in $(jq -r --arg n "$nd_ns" '.[] | select(.dev != $n) | .dev' /tmp/nd-raw.json); do
	ndctl disable-namespace "$ns" >/dev/null 2>&1 || die "ndctl disable-namespace $ns"
done
echo "libnvdimm: $nd_ns, $(ndctl --version) (ndctl version)"
nd_measure nd-devdax-1G 1G
nd_measure nd-devdax-2M 2M
echo "libnvdimm RAM done at $((SECONDS - s)) s"
warm "$(nd_chardev)"
nd_probe_turn
nd_unload

# 2. the other turns of the probe, alternating
for t in $(seq 2 "$turns"); do
	pm_load
	if [ $((t % 2)) = 0 ]; then
		od_fixed=$(od_ram_now)
		od_probe_turn
		pm_destroy
		pm_create devdax-page-2M -m devdax --map=mem -a 2M
		pm_probe_turn
	else
		pm_probe_turn
		pm_destroy
		od_create
		od_probe_turn
	fi
	pm_unload
	nd_load
	nd_probe_turn
	nd_unload
	echo "turn $t done at $((SECONDS - s)) s"
done
for side in pmemctl ondemand libnvdimm; do
	result memmap fault-us-per-2m "$side" "${best[$side-us]}"
	result memmap faults "$side" "${best[$side-faults]}"
	result memmap memcpy-GBps "$side" "${best[$side-gb]}"
	result memmap steady-us-per-2m "$side" "${best[$side-sus]}"
	result memmap steady-faults "$side" "${best[$side-sfaults]}"
done
result memmap map-bytes - "$map_size"
echo "memmap done in $((SECONDS - s)) s"
