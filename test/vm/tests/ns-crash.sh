#!/bin/bash
# Crash consistency: 21 power cuts (QEMU SIGKILLed at random moments) during
# a loop of create/destroy/disable/enable, each followed by a reboot from the
# same RAM file. After every reboot: the store is valid, the namespace set
# equals the one before or after the interrupted operation, no two
# namespaces overlap, and data written at the start to namespaces the loop
# never touches is intact.
# vm-ram-file: yes
# vm-boots: 22
# vm-kill: 0.1 2.5
# vm-timeout: 120
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
state=/job/state
mkdir -p "$state"

# "id name uuid size offset" per namespace of region0, sorted by id
listing() {
	local ns
	for ns in $sys/namespace0.*; do
		[ -e "$ns" ] || continue
		echo "${ns##*.} $(cat "$ns/name") $(cat "$ns/uuid") $(cat "$ns/size") $(cat "$ns/resource")"
	done | sort -n
}

# Durable on the host before it returns: the job share is 9p, uncached.
save() {
	printf '%s\n' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"
}

verify() {
	local now expected extra missing pending op arg1 arg2
	expect_eq "$(cat $sys/region0/state)" active "store valid after the cut"
	now=$(listing)
	expected=$(cat "$state/expected")
	extra=$(comm -13 <(echo "$expected" | sort) <(echo "$now" | sort))
	missing=$(comm -23 <(echo "$expected" | sort) <(echo "$now" | sort))
	pending=$(cat "$state/pending" 2>/dev/null)
	read -r op arg1 arg2 <<<"$pending"
	if [ -z "$extra$missing" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as before${pending:+ the interrupted $pending}"
	elif [ "$op" = create ] && [ -z "$missing" ] && [ "$(echo "$extra" | wc -l)" = 1 ] &&
		[ "$(echo "$extra" | awk '{ print $2, $4 }')" = "$arg1 $arg2" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as after the interrupted $pending"
	elif [ "$op" = destroy ] && [ -z "$extra" ] && [ "$(echo "$missing" | wc -l)" = 1 ] &&
		[ "$(echo "$missing" | awk '{ print $1 }')" = "$arg1" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as after the interrupted $pending"
	else
		echo "expected:"; echo "$expected"; echo "now:"; echo "$now"; echo "pending: $pending"
		fail "namespace set is neither before nor after the interrupted operation"
	fi
	# no overlap: sorted by start, each ends before the next begins
	local start size prev_end=0
	while read -r start size; do
		[ "$start" -ge "$prev_end" ] || fail "overlapping namespaces at $start"
		prev_end=$((start + size))
	done < <(echo "$now" | while read -r _ _ _ sz res; do
		[ -n "$res" ] && echo "$((res)) $sz"
	done | sort -n)
	for keep in keep1 keep2; do
		dev=$(basename "$(grep -l "^$keep\$" $sys/namespace0.*/name | xargs dirname)")
		blk=$(cat "$sys/$dev/blockdev")
		expect_eq "$(dd if=/dev/$blk bs=1M iflag=direct status=none | md5sum)" \
			"$(cat "$state/$keep.md5")" "$keep data"
	done
	if dmesg | grep -qE "WARNING|BUG|Call Trace"; then
		dmesg | grep -B 20 -A 40 -m 1 -E "WARNING|BUG|Call Trace"
		fail "kernel warnings"
	fi
	save expected "$now"
	rm -f "$state/pending"
}

load_module
if [ "$PMEMCTL_VM_BOOT" = 1 ]; then
	"$nsi" init 0 >/dev/null || fail "init-labels"
	for keep in keep1 keep2; do
		"$nsi" create 0 $((8 * MiB)) 0 $keep >/dev/null || fail "create $keep"
	done
	for n in 0 1; do
		head -c $((8 * MiB)) /dev/urandom >/tmp/d
		dd if=/tmp/d of=/dev/pmem0n$n bs=1M oflag=direct,dsync status=none || fail "write pmem0n$n"
		md5sum </tmp/d >"$state/keep$((n + 1)).md5"
	done
	save expected "$(listing)"
else
	verify
fi

[ "$PMEMCTL_VM_BOOT" = "$PMEMCTL_VM_BOOTS" ] && { unload_module; echo ok; exit 0; }

# The loop the power cut interrupts; each step is logged before it starts.
touch /job/ready
i=0
while :; do
	i=$((i + 1))
	ids=$(listing | awk '$2 !~ /^keep/ { print $1 }')
	count=$(echo "$ids" | grep -c .)
	r=$((RANDOM % 10))
	if [ "$count" -lt 3 ] || { [ $r -lt 5 ] && [ "$count" -lt 40 ]; }; then
		size=$(((1 + RANDOM % 4) * 2 * MiB))
		name="b${PMEMCTL_VM_BOOT}i$i"
		save pending "create $name $size"
		"$nsi" create 0 $size 0 "$name" >/dev/null || fail "create $name"
	elif [ $r -lt 8 ]; then
		id=$(echo "$ids" | shuf -n 1)
		save pending "destroy $id"
		"$nsi" destroy 0 "$id" >/dev/null || fail "destroy $id"
	else
		id=$(echo "$ids" | shuf -n 1)
		save pending "disable $id"
		"$nsi" disable 0 "$id" >/dev/null || fail "disable $id"
		"$nsi" enable 0 "$id" >/dev/null || fail "enable $id"
	fi
	save expected "$(listing)"
	rm -f "$state/pending"
done
