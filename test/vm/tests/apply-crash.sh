#!/bin/bash
# All or nothing across power cuts: pmemctl apply --prune --force turns
# two regions back and forth between two layouts (each change destroys,
# creates and reconfigures several namespaces in both regions: one batch
# per region), and QEMU is SIGKILLed at random moments of that loop. After
# every reboot each region holds exactly the namespaces (name, mode, size,
# UUID) of its old layout or exactly those of its new one (the regions of
# one apply commit one after the other, so one may be new and the other
# old), both stores are valid, a namespace kept in both layouts and one
# flipped between raw and page keep their data, and applying the last
# layout again finishes the change. Each run picks new moments.
# vm-ram-file: yes
# vm-boots: 5
# vm-kill: 0.2 6
# vm-timeout: 120
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
sys=/sys/bus/pmemctl/devices
state=/job/state
mkdir -p "$state"

# Durable on the host before it returns: the job share is 9p, uncached.
save() {
	printf '%s\n' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"
}

u() { printf '5eed0000-0000-4000-8000-%012d' "$1"; }

# layout A and B: keep (same in both) and flip (raw in A, page in B) in
# region0, the rest different
write_layouts() {
	cat >"$state/A.json" <<EOF
[ { "dev": "region0", "namespaces": [
    { "name": "keep", "size": $((8 << 20)), "uuid": "$(u 1)" },
    { "name": "flip", "size": $((8 << 20)), "mode": "raw", "uuid": "$(u 2)" },
    { "name": "a1", "size": $((8 << 20)), "uuid": "$(u 3)" },
    { "name": "a2", "size": $((16 << 20)), "mode": "page", "uuid": "$(u 4)" },
    { "name": "a3", "size": $((8 << 20)), "mode": "pfn", "uuid": "$(u 5)" } ] },
  { "dev": "region1", "namespaces": [
    { "name": "a4", "size": $((8 << 20)), "uuid": "$(u 6)" },
    { "name": "a5", "size": $((8 << 20)), "mode": "page", "uuid": "$(u 7)" } ] } ]
EOF
	cat >"$state/B.json" <<EOF
[ { "dev": "region0", "namespaces": [
    { "name": "keep", "size": $((8 << 20)), "uuid": "$(u 1)" },
    { "name": "flip", "size": $((8 << 20)), "mode": "page", "uuid": "$(u 2)" },
    { "name": "b1", "size": $((8 << 20)), "mode": "page", "uuid": "$(u 8)" },
    { "name": "b2", "size": $((4 << 20)), "uuid": "$(u 9)" } ] },
  { "dev": "region1", "namespaces": [
    { "name": "b3", "size": $((8 << 20)), "mode": "pfn", "uuid": "$(u 10)" },
    { "name": "b4", "size": $((16 << 20)), "uuid": "$(u 11)" },
    { "name": "b5", "size": $((2 << 20)), "uuid": "$(u 12)" } ] } ]
EOF
}

# "name mode size uuid" of each namespace of region R, sorted, on one line
sig_now() {
	"$P" list -N -r "region$1" | jq -r '[.[] | "\(.name) \(.mode) \(.size) \(.uuid)"] | sort | join(",")'
}

# the same, as layout file F (A or B) asks it for region R
sig_of() {
	jq -r --arg r "region$2" '.[] | select(.dev == $r) | [.namespaces[] |
		"\(.name) \(.mode // "raw") \(.size) \(.uuid)"] | sort | join(",")' "$state/$1.json"
}

blockdev_of() {
	"$P" list -N -n "$1" | jq -r '.[0].blockdev'
}

verify() {
	local old new r now
	old=$(cat "$state/expected")
	new=$(cat "$state/pending" 2>/dev/null)
	for r in 0 1; do
		expect_eq "$(cat $sys/region$r/state)" active "region$r store valid after the cut"
		now=$(sig_now $r)
		if [ "$now" = "$(sig_of "$old" $r)" ]; then
			echo "boot $PMEMCTL_VM_BOOT: region$r holds layout $old${new:+ (the apply of $new was cut before its commit)}"
		elif [ -n "$new" ] && [ "$now" = "$(sig_of "$new" $r)" ]; then
			echo "boot $PMEMCTL_VM_BOOT: region$r holds layout $new (its apply was cut after this region's commit)"
			echo "$r" >>"$state/committed"
		else
			echo "now:      $now"
			echo "$old:        $(sig_of "$old" $r)"
			[ -n "$new" ] && echo "$new:        $(sig_of "$new" $r)"
			fail "region$r holds neither its old layout nor its new one"
		fi
	done
	expect_eq "$(dd if=/dev/"$(blockdev_of keep)" bs=1M iflag=direct status=none | md5sum)" \
		"$(cat "$state/keep.md5")" "keep's data"
	expect_eq "$(dd if=/dev/"$(blockdev_of flip)" bs=1M iflag=direct status=none | md5sum)" \
		"$(cat "$state/flip.md5")" "flip's data (raw <-> page)"
	if dmesg | grep -qE "WARNING|BUG|Call Trace"; then
		dmesg | grep -B 20 -A 40 -m 1 -E "WARNING|BUG|Call Trace"
		fail "kernel warnings"
	fi
	# finish what was cut: the layout then holds in both regions
	if [ -n "$new" ]; then
		"$P" apply --prune --force "$state/$new.json" >/dev/null || fail "apply $new again"
		save expected "$new"
	fi
	: >"$state/pending"
}

load_module
if [ "$PMEMCTL_VM_BOOT" = 1 ]; then
	write_layouts
	run "$P" apply --init "$state/A.json"
	expect_eq "$rc" 0 "apply A to empty regions ($err)"
	for n in keep flip; do
		blk=$(blockdev_of $n)
		head -c $((8 << 20)) /dev/urandom >/tmp/d
		dd if=/tmp/d of="/dev/$blk" bs=1M oflag=direct,dsync status=none || fail "write $n"
		md5sum </tmp/d >"$state/$n.md5"
	done
	save expected A
	: >"$state/pending"
else
	verify
fi

if [ "$PMEMCTL_VM_BOOT" = "$PMEMCTL_VM_BOOTS" ]; then
	run "$P" apply --prune --force "$state/$(cat "$state/expected").json"
	expect_eq "$rc $(echo "$out" | jq -c '.actions | length')" "0 0" "the last layout holds: nothing to do"
	touch "$state/committed"
	echo "apply-crash: $(wc -l <"$state/committed") region(s) found committed by a cut apply"
	ns_disable_paged || fail "disable before unload"
	unload_module
	echo ok
	exit 0
fi

# The loop the power cut interrupts: A -> B -> A ..., the target saved
# before each apply starts.
touch /job/ready
while :; do
	next=B
	[ "$(cat "$state/expected")" = B ] && next=A
	save pending "$next"
	"$P" apply --prune --force "$state/$next.json" >/dev/null || fail "apply $next"
	save expected "$next"
	: >"$state/pending"
done
