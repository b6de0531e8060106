#!/bin/bash
# Hostile media: between boots the label store in the RAM file is damaged
# (bit flips, a wrong checksum, a label that overlaps another, an absurd
# size, random flips). The module never crashes or WARNs, falls back to the
# valid index copy when there is one, otherwise reports label-error, exposes
# no namespace from a bad label, and never writes to a damaged store unless
# told to with init-labels --force.
# The older index copy is a true fallback (boots 8, 9): after a change, or
# after a destroy and a create whose commit never landed, the newest copy
# is damaged, and the next boot shows exactly the previous layout (names,
# uuids, offsets, sizes, modes) and logs the fallback with both sequence
# numbers. Boot 9 fails if a new label may overwrite a slot that the older
# copy still references.
# A label from a newer module (boot 10): its access field holds a kind
# this module does not know (7), checksum and all. The label decodes: the
# region stays active, the namespace is listed (access "unknown") but
# never enabled (at load, by the ioctl: EOPNOTSUPP, or by the CLI), each
# refusal is logged, and it can be destroyed; the other namespaces stay
# enabled with their data, a create is placed around it, and a reload
# after that commit gives it back.
# vm-ram-file: yes
# vm-boots: 10
# vm-timeout: 150
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
forge="$PMEMCTL_BUILDDIR/test/vm/label-forge"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
phys=0x100000000
rsize=$((1024 * MiB))
idx0=$((phys)) idx1=$((phys + 4096)) slots=$((phys + 8192))
state=/job/state
mkdir -p "$state"

names() {
	cat $sys/namespace0.*/name 2>/dev/null | tr '\n' ' '
}

# A fresh store with namespaces A (slot 0) and B (slot 1), data in A.
fresh_ab() {
	local ns
	for ns in $sys/namespace0.*; do
		[ -e "$ns" ] && "$nsi" disable 0 "${ns##*.}" >/dev/null
	done
	"$nsi" init 0 force >/dev/null || fail "init-labels --force"
	"$nsi" create 0 $((8 * MiB)) 0 A >/dev/null || fail "create A"
	"$nsi" create 0 $((8 * MiB)) 0 B >/dev/null || fail "create B"
	head -c $((8 * MiB)) /dev/urandom >/tmp/a
	dd if=/tmp/a of=/dev/pmem0n0 bs=1M oflag=direct,dsync status=none || fail "write A"
	md5sum </tmp/a >"$state/a.md5"
}

check_a() {
	expect_eq "$(dd if=/dev/pmem0n0 bs=1M iflag=direct status=none | md5sum)" "$(cat "$state/a.md5")" "data of A"
}

# One line per namespace: name uuid offset size mode, sorted.
layout() {
	local ns
	for ns in $sys/namespace0.*; do
		[ -e "$ns" ] || continue
		echo "$(cat "$ns/name") $(cat "$ns/uuid") $(( $(cat "$ns/resource") - phys ))" \
			"$(cat "$ns/size") $(cat "$ns/mode")"
	done | sort
}

# Reload the module and print "COPY SEQ" of the current index copy, from
# the load's log line (the store must hold a namespace).
store_head() {
	unload_module
	load_module
	dmesg | grep -o 'region0: [0-9]* namespace(s) from the label store (index [01], seq [0-9]*' |
		tail -1 | sed 's/.*index \([01]\), seq \([0-9]*\)/\1 \2/'
}

# Flip a bitmap bit no label uses: the copy fails its checksum, its header
# (and so its sequence number) stays readable.
damage_index() {
	echo "$((phys + $1 * 4096 + 64 + 900)) ^01"
}

expect_fallback() {
	dmesg | grep pmemctl | grep "fell back" || true
	expect_eq "$(dmesg | grep -c 'pmemctl.*fell back')" 1 "one fallback line"
	dmesg | grep -qF "$1" || fail "no log line '$1'"
}

no_namespaces() {
	expect_eq "$(ls -d $sys/namespace0.* 2>/dev/null | wc -l)" 0 "namespaces exposed from a bad store"
	ls /dev/pmem0n* 2>/dev/null && fail "block devices from a bad store"
	expect_eq "$("$nsi" create 0 $((2 * MiB)))" "errno ENXIO" "create on a damaged store"
	expect_eq "$("$nsi" init 0)" "errno EEXIST" "init-labels without --force on a damaged store"
}

load_module
dmesg | grep -E "pmemctl.*(label|rejected)" || true
case "$PMEMCTL_VM_BOOT" in
1)
	"$nsi" init 0 >/dev/null || fail "init-labels"
	fresh_ab
	# the newest index copy loses a bit; the older one knows only A
	echo "$((idx0 + 200)) ^04" >/job/corrupt	# copy 0: A and B; copy 1: A only
	;;
2)
	expect_eq "$(cat $sys/region0/state)" active "fallback to the older copy"
	expect_eq "$(names)" "A " "namespaces after the fallback"
	check_a
	fresh_ab
	# B's label (slot 1) goes bad: only the newest copy references it
	echo "$((slots + 256 + 40)) ^10" >/job/corrupt
	;;
3)
	expect_eq "$(cat $sys/region0/state)" active "fallback past a bad label"
	expect_eq "$(names)" "A " "namespaces after a bad label"
	check_a
	# a forged label (valid checksum) overlapping A, in both index copies
	a_off=$(( $(cat $sys/namespace0.0/resource) - phys ))
	{
		"$forge" label $phys 5 9 $((a_off + 2 * MiB)) $((4 * MiB)) $((2 * MiB)) evil
		"$forge" index $phys $rsize 0 100 0 5
		"$forge" index $phys $rsize 1 99 0 5
	} >/job/corrupt
	;;
4)
	expect_eq "$(cat $sys/region0/state)" label-error "overlap: label error"
	expect_eq "$(cat $sys/region0/label_error)" "overlapping namespaces" "reason"
	no_namespaces
	# an absurd size, checksum and all
	{
		"$forge" label $phys 5 9 $((2 * MiB)) $((1 << 60)) $((2 * MiB)) huge
		"$forge" index $phys $rsize 0 102 5
		"$forge" index $phys $rsize 1 101 5
	} >/job/corrupt
	;;
5)
	expect_eq "$(cat $sys/region0/state)" label-error "absurd size: label error"
	expect_eq "$(cat $sys/region0/label_error)" "invalid label" "reason"
	no_namespaces
	# both index copies with a wrong checksum
	echo "$((idx0 + 24)) ^01" >/job/corrupt
	echo "$((idx1 + 24)) ^01" >>/job/corrupt
	;;
6)
	expect_eq "$(cat $sys/region0/state)" label-error "both checksums bad: label error"
	expect_eq "$(cat $sys/region0/label_error)" "bad checksum" "reason"
	no_namespaces
	# recover explicitly, then 200 random bit flips over the whole store
	fresh_ab
	"$forge" flip $phys $((2 * MiB)) 7 200 >/job/corrupt
	;;
7)
	st=$(cat $sys/region0/state)
	echo "after 200 random flips: $st $(cat $sys/region0/label_error) [$(names)]"
	case "$st" in
	active)
		# whatever survived is whole and inside the region
		for ns in $sys/namespace0.*; do
			[ -e "$ns" ] || continue
			s=$(( $(cat "$ns/resource") - phys )) z=$(cat "$ns/size")
			[ $s -ge $((2 * MiB)) ] && [ $((s + z)) -le $rsize ] || fail "$ns outside the region"
		done ;;
	label-error) no_namespaces ;;
	*) fail "state $st" ;;
	esac
	# a change (create C after A and B), then the newest copy damaged
	fresh_ab
	layout >"$state/prev"
	read -r cur seq <<<"$(store_head)"
	[ -n "$cur" ] || fail "no load line"
	echo "$cur $seq" >"$state/head"
	"$nsi" create 0 $((8 * MiB)) 0 C >/dev/null || fail "create C"
	damage_index $((1 - cur)) >/job/corrupt	# C's commit went there, seq + 1
	;;
8)
	read -r cur seq <"$state/head"
	expect_eq "$(cat $sys/region0/state)" active "fallback after a create"
	expect_eq "$(layout)" "$(cat "$state/prev")" "layout after the fallback"
	expect_fallback "index copy $((1 - cur)) (seq $((seq + 1)), unverified) is damaged (bad checksum); fell back to copy $cur (seq $seq)"
	check_a
	# destroy B, then a create whose commit never lands (the older copy
	# is put back as it was), then the newest copy damaged
	fresh_ab
	layout >"$state/prev"
	"$nsi" destroy 0 1 >/dev/null || fail "destroy B"
	read -r cur seq <<<"$(store_head)"	# A only; the older copy has A, B
	[ -n "$cur" ] || fail "no load line"
	echo "$cur $seq" >"$state/head"
	"$nsi" create 0 $((8 * MiB)) 0 C >/dev/null || fail "create C"
	{
		"$forge" index $phys $rsize $((1 - cur)) $((seq - 1)) 0 1
		damage_index "$cur"
	} >/job/corrupt
	;;
9)
	read -r cur seq <"$state/head"
	expect_eq "$(cat $sys/region0/state)" active "fallback past a torn create"
	expect_eq "$(layout)" "$(cat "$state/prev")" "layout before the destroy, B's label intact"
	expect_fallback "index copy $cur (seq $seq, unverified) is damaged (bad checksum); fell back to copy $((1 - cur)) (seq $((seq - 1)))"
	check_a
	# a label with access kind 7 (slot 5, id 9) right after B, in both
	# index copies, newer than the store's
	fresh_ab
	b_end=$(( $(cat $sys/namespace0.1/resource) + $(cat $sys/namespace0.1/size) - phys ))
	read -r cur seq <<<"$(store_head)"
	[ -n "$cur" ] || fail "no load line"
	{
		"$forge" label $phys 5 9 $b_end $((8 * MiB)) $((2 * MiB)) future access 7
		"$forge" index $phys $rsize "$cur" $((seq + 2)) 0 1 5
		"$forge" index $phys $rsize $((1 - cur)) $((seq + 1)) 0 1 5
	} >/job/corrupt
	;;
10)
	refusal="namespace0.9: label asks for access kind 7, which this module does not know: not enabled"
	f=$sys/namespace0.9
	expect_eq "$(cat $sys/region0/state)" active "a label with an unknown access kind"
	expect_eq "$(names)" "A B future " "namespaces with an unknown access kind"
	expect_eq "$(cat $f/access) $(cat $f/mode) $(cat $f/state)" "unknown raw disabled" "future's access, mode and state"
	expect_eq "$(cat $sys/namespace0.0/state) $(cat $sys/namespace0.1/state)" "enabled enabled" "A and B"
	check_a
	[ -e /dev/pmem0n9 ] && fail "a block device for an unknown access kind"
	dmesg | grep -qF "$refusal" || fail "no log line '$refusal' at load"
	run "$PMEMCTL" list -N -n future
	expect_eq "$(echo "$out" | jq -r '.[0] | "\(.access) \(.state) \(.size)"')" "null disabled $((8 * MiB))" "list -N -n future"

	mark_log
	expect_eq "$("$nsi" enable 0 9)" "errno EOPNOTSUPP" "NS_ENABLE of an unknown access kind"
	log_since_mark | grep -qF "$refusal" || fail "no log line '$refusal' for NS_ENABLE"
	run "$PMEMCTL" enable-namespace future
	expect_eq "$rc" 1 "enable-namespace future ($err)"
	echo "enable refused: $err"
	echo "$err" | grep -qF "its label asks for a kind of access this pmemctl module does not know" ||
		fail "enable-namespace message: $err"
	expect_eq "$(cat $f/state)" disabled "future after the refusals"

	# the store works around it: a create skips its extent, a reload
	# after that commit gives it back, and it can be destroyed
	"$nsi" create 0 $((8 * MiB)) 0 C >/dev/null || fail "create C"
	ns_overlap_check || fail "C overlaps the unknown namespace"
	ns_reload_check
	expect_eq "$(cat $f/access) $(cat $f/state)" "unknown disabled" "future after the reload"
	check_a
	"$nsi" destroy 0 9 >/dev/null || fail "destroy future"
	expect_eq "$(names)" "A B C " "namespaces after destroying future"
	;;
esac
dmesg | grep -E "WARNING|BUG|Call Trace|general protection" && fail "kernel complained"
unload_module
echo "boot $PMEMCTL_VM_BOOT ok"
