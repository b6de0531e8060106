#!/bin/bash
# A device-DAX namespace as QEMU's guest RAM (memory-backend-file with
# mem-path=/dev/pmemctl-daxR.N, share=on, align=2M), with the host's own
# qemu-system-x86_64 run inside the test guest. Its guest is never started
# (-S): the generic loader writes a blob into guest RAM at reset and the
# monitor's pmemsave reads guest RAM back, which is all the guest memory
# access a paused machine needs.
# - page mode: with pmem=on QEMU maps it MAP_SYNC (VmFlags "sf" in its
#   smaps), what it reads at a guest-physical address is what
#   devdax-probe wrote at that offset of the device, and what its loader
#   wrote is in the device afterwards; a size above the namespace's is
#   refused by QEMU itself (it sizes a character device with lseek
#   SEEK_END);
# - ondemand mode (mem-path its /dev/dax/by-id link): while the paused
#   QEMU holds its 64 MiB mapping, only the chunks it touched have struct
#   pages (at least the 2 it used, at most 4 of 32); once it quits the
#   memmap goes, and the data stays.
# The debug kernel runs it too.
# vm-mem: 5G
# vm-append: memmap=1G!4G
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
probe="$PMEMCTL_BUILDDIR/test/vm/devdax-probe"
sys=/sys/bus/pmemctl/devices
M=$((1 << 20))
[ -x "$probe" ] || fail "$probe not built"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 not installed"

guest=$((64 * M))
blob_at=$((2 * M))
read_at=$((8 * M))
head -c 65536 /dev/urandom >/tmp/blob

# qemu DEV OPTS READ_AT OUT [SAMPLE]: a paused 64 MiB QEMU whose RAM is
# DEV (OPTS appended to its memory-backend-file), the blob loaded at
# $blob_at; it saves 64 KiB of guest RAM at READ_AT into OUT, then
# SAMPLE (a shell command, run while QEMU still maps DEV, with $qpid)
# runs and QEMU quits. Output in /tmp/qemu.out, status in $qrc.
qemu() {
	local dev=$1 opts=$2 at=$3 out=$4 sample=${5:-true} q
	rm -f "$out" /tmp/qemu.pid /tmp/qemu.in
	mkfifo /tmp/qemu.in
	timeout 300 qemu-system-x86_64 -machine pc,memory-backend=ram0 \
		-accel tcg -m $((guest / M))M -S -nodefaults -no-user-config \
		-display none -serial none -parallel none -monitor stdio \
		-pidfile /tmp/qemu.pid \
		-object "memory-backend-file,id=ram0,mem-path=$dev,size=$guest,share=on,align=2M$opts" \
		-device "loader,file=/tmp/blob,addr=$blob_at,force-raw=on" \
		</tmp/qemu.in >/tmp/qemu.out 2>&1 &
	q=$!
	exec 7>/tmp/qemu.in
	printf 'pmemsave %d 65536 "%s"\n' "$at" "$out" >&7
	for _ in $(seq 1 1200); do
		[ "$(stat -c %s "$out" 2>/dev/null)" = 65536 ] && break
		kill -0 $q 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $q 2>/dev/null; then
		sleep 0.5
		qpid=$(cat /tmp/qemu.pid)
		eval "$sample"
		echo quit >&7
	fi
	exec 7>&-
	wait $q
	qrc=$?
}

# what QEMU printed, without the monitor's echo of the commands
qemu_said() {
	grep -v -e '^(qemu)' -e 'monitor - type' /tmp/qemu.out
}

start_udevd
mark_log
load_module
run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"

# --- page mode -----------------------------------------------------------
run $P create-namespace -r 0 -s 128M -a 2M -n vm -m devdax --map=mem
expect_eq "$rc" 0 "create devdax ($err)"
dev=/dev/$(echo "$out" | jq -r .chardev)
[ -c "$dev" ] || fail "$dev is not a character device"
run $probe faults "$dev" $((128 * M)) 7
expect_eq "$rc" 0 "pattern ($err)"

# pmem=on: QEMU maps it MAP_SYNC (VM_SYNC shows as "sf" in VmFlags)
flags_of() {
	awk -v dev="$dev" '$NF == dev && NF >= 6 { on = 1; next }
		on && $1 == "VmFlags:" { print; exit }' "/proc/$1/smaps"
}
qemu "$dev" ",pmem=on" $read_at /tmp/qemu-read 'flags_of "$qpid" >/tmp/vmflags'
qemu_said
expect_eq "$qrc" 0 "QEMU with $dev as its RAM"
echo "QEMU's mapping of $dev: $(cat /tmp/vmflags)"
grep -qw sf /tmp/vmflags || fail "QEMU's pmem=on mapping is not MAP_SYNC: $(cat /tmp/vmflags)"
[ "$(tr -d '\000' </tmp/qemu-read | wc -c)" -gt 0 ] || fail "QEMU read only zeros"
$probe dump "$dev" $read_at 65536 >/tmp/probe-read || fail "dump $read_at"
cmp /tmp/qemu-read /tmp/probe-read || fail "QEMU's guest RAM at $read_at is not the device's bytes there"
$probe dump "$dev" $blob_at 65536 >/tmp/probe-blob || fail "dump $blob_at"
cmp /tmp/blob /tmp/probe-blob || fail "what QEMU's loader wrote is not in the device"
echo "page: QEMU read the device's bytes at $read_at and wrote its blob at $blob_at ($SECONDS s)"

# a guest bigger than the namespace: QEMU refuses it
guest=$((256 * M)) qemu "$dev" "" $read_at /tmp/qemu-big
qemu_said
echo "refused ($SECONDS s)"
[ "$qrc" -ne 0 ] || fail "QEMU took 256 MiB from a 128 MiB namespace"
grep -q "backing store size" /tmp/qemu.out || fail "QEMU's refusal does not name the size"
run $P disable-namespace vm
expect_eq "$rc" 0 "disable once QEMU is gone ($err)"

# --- ondemand mode -------------------------------------------------------
run $P create-namespace -r 0 -s 128M -a 2M -n od -m ondemand --access=devdax
expect_eq "$rc" 0 "create ondemand devdax ($err)"
ns=$sys/$(echo "$out" | jq -r .dev)
# by its udev link, as pmemctl-create-namespace(1)'s example
udevadm settle -t 30 || fail "udev did not settle"
dev=/dev/dax/by-id/pmemctl-name-od
[ -c "$dev" ] || fail "no $dev"
fixed=$(cat "$ns/ram_bytes")
chunk=$(($(cat "$ns/ram_per_gib") / 512))
qemu "$dev" "" $read_at /tmp/qemu-read 'cat "$ns/ram_bytes" >/tmp/during'
qemu_said
expect_eq "$qrc" 0 "QEMU with ondemand $dev as its RAM"
during=$(cat /tmp/during)
echo "ondemand ($SECONDS s): ram_bytes $fixed enabled, $during while the paused QEMU maps 64 MiB (a chunk: $chunk)"
[ "$during" -ge $((fixed + 2 * chunk)) ] || fail "QEMU touched 2 chunks; ram_bytes $during"
[ "$during" -le $((fixed + 4 * chunk)) ] || fail "a paused QEMU made more than 4 of 32 chunks: ram_bytes $during"
[ "$(cat "$ns/ram_bytes_peak")" -ge "$during" ] || fail "peak below $during"
wait_ram_at_most "$ns" "$fixed" 20
echo "ondemand: ram_bytes $ram_now after QEMU quit ($SECONDS s)"
[ "$ram_now" -le "$fixed" ] || fail "the chunks QEMU made stay: ram_bytes $ram_now"
$probe dump "$dev" $blob_at 65536 >/tmp/probe-blob || fail "dump $blob_at"
cmp /tmp/blob /tmp/probe-blob || fail "what QEMU's loader wrote is not in the ondemand device"
run $P disable-namespace od
expect_eq "$rc" 0 "disable ondemand ($err)"

no_splat
unload_module
echo ok
