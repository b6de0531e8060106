# Sourced by the VM tests that measure what a memmap takes from RAM
# (ns-memmap-ram.sh, ns-memmap-compound.sh, ns-ondemand.sh).
#
# Free memory is MemFree plus the pages parked on the per-CPU free lists
# (the "count" of every pageset in /proc/zoneinfo): a freed 2 MiB vmemmap
# block lands on such a list first, so MemFree alone jumps by +-20 MiB.

# KiB free: MemFree plus every per-CPU list, read back to back
free_kib() {
	awk '$1 == "count:" { pcp += $2 }
	     FILENAME == "/proc/meminfo" && $1 == "MemFree:" { free = $2 }
	     END { print free + pcp * 4 }' /proc/zoneinfo /proc/meminfo
}

# the median of the numbers on stdin, one per line
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# KiB free, settled: caches dropped, the median of five readings
sample() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	for _ in 1 2 3 4 5; do
		free_kib
		sleep 0.2
	done | median
}

# KiB free and KiB of slab pages (meminfo's Slab), settled as sample()
# is: "FREE SLAB", each the median of five readings
sample_split() {
	local free= slab=
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	for _ in 1 2 3 4 5; do
		free+="$(free_kib) "
		slab+="$(awk '$1 == "Slab:" { print $2 }' /proc/meminfo) "
		sleep 0.2
	done
	echo "$(tr ' ' '\n' <<<"$free" | grep . | median)" \
	     "$(tr ' ' '\n' <<<"$slab" | grep . | median)"
}
