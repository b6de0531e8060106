#!/bin/bash
# Two CPUs, everything at once for a bounded time (STRESS_SECS, default
# 120 s, twice that on the debug kernel; the seed is printed: see "seed"
# below to replay it):
# - four CLI workers (the real pmemctl) create, reconfigure (raw, page,
#   pfn), disable, enable and destroy namespaces of their own (names
#   "w<N>-...", they touch no other) in both regions, at random from the
#   seed; a refusal the load explains (busy, no room, name taken) is
#   counted, any other error fails the test;
# - "pmemctl list -N" in a loop: it always exits 0 and its JSON parses;
# - fio with crc32c verification on a raw namespace made up front
#   ("stfio") that no worker touches: every run exits 0 with no verify
#   error;
# - DAX: an ext4 -o dax on a pfn namespace ("stdax"), two fio processes
#   with the mmap engine, in a loop (each run maps its file, faults it in,
#   writes and checks a pattern and unmaps it);
# - a loop opening every /dev/pmem* read-only and reading a block, as udev
#   does after each change.
# Afterwards: no two namespaces overlap, a module reload gives back the
# same namespaces (the label store is valid), and the kernel log has no
# oops, warning or checker report.
# vm-smp: 2
# vm-timeout: 1500
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
# Every process is several times slower on the debug kernel (KASAN,
# lockdep, kmemleak under TCG): twice the time there, for a comparable
# number of overlapping operations.
secs=${STRESS_SECS:-120}
[ -z "${PMEMCTL_VM_DEBUG_KERNEL:-}" ] || secs=$((secs * 2))
command -v fio >/dev/null || fail "fio not installed"
command -v jq >/dev/null || fail "jq not installed"
seed_file="$PMEMCTL_BUILDDIR/test/vm/stress.seed"
seed=
[ -r "$seed_file" ] && read -r seed <"$seed_file"
[ -n "$seed" ] || seed=$(($(od -An -N2 -tu2 /dev/urandom)))
echo "seed: $seed (echo $seed > $seed_file to replay the workers' choices)"
echo "CPUs: $(nproc)"
[ "$(nproc)" -ge 2 ] || fail "the stress test needs 2 CPUs (# vm-smp: 2)"

st=/tmp/stress
mkdir -p $st
mark_log
load_module
$P init-labels region0 >/dev/null || fail "init-labels region0"
$P init-labels region1 >/dev/null || fail "init-labels region1"

# The namespaces the workers leave alone.
out=$($P create-namespace -r region0 -s 64M -n stfio -m raw) || fail "create stfio"
fio_dev=/dev/$(echo "$out" | jq -r .blockdev)
out=$($P create-namespace -r region1 -s 128M -n stdax -m pfn) || fail "create stdax"
dax_dev=/dev/$(echo "$out" | jq -r .blockdev)
mkfs.ext4 -q -F -b 4096 "$dax_dev" || fail "mkfs.ext4 $dax_dev"
mkdir -p /mnt/stdax
mount -o dax "$dax_dev" /mnt/stdax || fail "mount -o dax $dax_dev"
grep -E "^$dax_dev /mnt/stdax ext4 .*\bdax\b" /proc/mounts ||
	fail "$dax_dev is not mounted with dax: $(grep "^$dax_dev " /proc/mounts)"

deadline=$(($(date +%s) + secs))
running() {
	[ "$(date +%s)" -lt "$deadline" ]
}

# Refusals the load itself causes: the udev-like opener holds a device
# (busy), the regions fill up (no room), a name is reused too early.
expected_refusal='in use|no room|free in extents|no free extent|no free label slot|already has a namespace|holds? pages|still holds'

# worker W: random changes to namespaces named wW-*, until the deadline.
worker() {
	local w=$1 n=0 ops=0 ok=0 refused=0 k op name mode i
	local -a names=()
	RANDOM=$((seed * 7 + w))
	while running; do
		k=$((RANDOM % 100))
		mode=$(echo raw page pfn | cut -d' ' -f$((RANDOM % 3 + 1)))
		if [ ${#names[@]} -eq 0 ] || [ $k -lt 25 ]; then
			op=create
			name=w$w-$n
			n=$((n + 1))
			run $P create-namespace -r region$((RANDOM % 2)) -n "$name" -m "$mode" \
				-s $((4 << (RANDOM % 4)))M
		else
			i=$((RANDOM % ${#names[@]}))
			name=${names[$i]}
			if [ $k -lt 45 ]; then
				op=reconfigure
				run $P reconfigure-namespace "$name" -m "$mode" --force
			elif [ $k -lt 60 ]; then
				op=disable
				run $P disable-namespace "$name"
			elif [ $k -lt 75 ]; then
				op=enable
				run $P enable-namespace "$name"
			else
				op=destroy
				run $P destroy-namespace --force "$name"
			fi
		fi
		ops=$((ops + 1))
		if [ "$rc" -eq 0 ]; then
			ok=$((ok + 1))
			case $op in
			create) names+=("$name") ;;
			destroy) unset "names[$i]"; names=("${names[@]}") ;;
			esac
		elif [ "$rc" -eq 1 ] && echo "$err" | grep -Eq "$expected_refusal"; then
			refused=$((refused + 1))
		else
			echo "worker $w: $op $name (mode $mode): exit $rc: $err"
			return 1
		fi
	done
	echo "worker $w: $ops operations, $ok done, $refused refused by the load; ${#names[@]} namespaces left"
}

# lister: list -N in a loop; it must succeed and print a JSON array.
lister() {
	local n=0
	while running; do
		run $P list -N
		[ "$rc" -eq 0 ] || { echo "list -N: exit $rc: $err"; return 1; }
		echo "$out" | jq -e 'type == "array"' >/dev/null ||
			{ echo "list -N printed what is not a JSON array: $out"; return 1; }
		n=$((n + 1))
	done
	echo "lister: $n lists, all parsed"
}

# fio_verify: write and verify the whole stfio device, again and again.
fio_verify() {
	local n=0 log=$st/fio.log
	while running; do
		fio --name=stfio --filename="$fio_dev" --ioengine=psync --direct=1 \
			--rw=randwrite --bs=4k --size=16M --offset=$((n % 4 * 16))M \
			--verify=crc32c --verify_fatal=1 --randseed=$((seed + n)) \
			--output="$log" >/dev/null 2>&1
		rc=$?
		if [ $rc -ne 0 ] || grep -qi 'verify.*\(fail\|bad\|mismatch\)' "$log"; then
			cat "$log"
			echo "fio on $fio_dev: exit $rc"
			return 1
		fi
		n=$((n + 1))
	done
	echo "fio: $n verified runs of 16 MiB on $fio_dev"
}

# dax_mapper J: the mmap engine on a file of the DAX filesystem.
dax_mapper() {
	local j=$1 n=0 log=$st/dax.$1.log
	while running; do
		fio --name=dax$j --filename=/mnt/stdax/f$j --ioengine=mmap \
			--rw=randwrite --bs=4k --size=8M --verify=crc32c --verify_fatal=1 \
			--randseed=$((seed + j * 1000 + n)) --output="$log" >/dev/null 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then
			cat "$log"
			echo "fio mmap on /mnt/stdax/f$j: exit $rc"
			return 1
		fi
		n=$((n + 1))
	done
	echo "dax mapper $j: $n runs of map, fault, write, verify, unmap"
}

# opener: what udev does after every change, as fast as it can.
opener() {
	local n=0 d
	while running; do
		for d in /dev/pmem*; do
			[ -b "$d" ] || continue
			dd if="$d" of=/dev/null bs=4096 count=1 status=none 2>/dev/null
			n=$((n + 1))
		done
	done
	echo "opener: $n opens"
}

pids=()
names=()
start() {
	"$@" >"$st/$1${2:+.$2}.out" 2>&1 &
	pids+=($!)
	names+=("$1${2:+.$2}")
}
start fio_verify
start dax_mapper 1
start dax_mapper 2
start opener
start lister
start worker 1
start worker 2
start worker 3
start worker 4
echo "load: ${#pids[@]} loads for ${secs}s"

failed=
for i in "${!pids[@]}"; do
	wait "${pids[$i]}"
	r=$?
	cat "$st/${names[$i]}.out"
	[ $r -eq 0 ] || failed+=" ${names[$i]}"
done
[ -z "$failed" ] || fail "failed:$failed"
echo "load done at ${SECONDS}s"
# A load that did nothing proves nothing: each must have run (under TCG
# on a busy host a CLI call can take seconds, so the bar is low).
grep -q '^fio: [1-9]' $st/fio_verify.out || fail "fio never completed a run"
grep -q '^dax mapper 1: [1-9]' $st/dax_mapper.1.out || fail "DAX mapper 1 never ran"
grep -q '^dax mapper 2: [1-9]' $st/dax_mapper.2.out || fail "DAX mapper 2 never ran"
grep -q '^lister: [1-9]' $st/lister.out || fail "list never ran"
grep -q '^opener: [1-9]' $st/opener.out || fail "the opener never opened a device"
[ "$(cat $st/worker.*.out | awk '{ n += $3 } END { print n }')" -ge 8 ] ||
	fail "the workers made fewer than 8 changes in all"

umount /mnt/stdax || fail "umount /mnt/stdax"
ns_overlap_check || fail "namespaces overlap"
ns_reload_check
ns_overlap_check || fail "namespaces overlap after the reload"
ns_disable_paged || fail "disable page/pfn namespaces"
rmmod pmemctl || fail "final rmmod"
no_splat
echo "PASS: seed $seed"
