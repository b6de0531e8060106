#!/bin/bash
# Crash consistency: 11 power cuts (QEMU SIGKILLed at random moments) during
# a loop of create (raw, page or pfn), destroy, disable/enable and
# reconfigure, each followed by a reboot from the same RAM file. The loop
# reconfigures two namespaces with data between raw and page (which keeps
# the data) and its own namespaces to any mode with force. After every
# reboot: the store is valid, the namespace set, with each namespace's mode
# and layout, equals the one before or after the interrupted operation,
# every namespace is enabled, no two namespaces overlap, and data written
# at the start is intact: on the raw, page and pfn namespaces the loop never
# touches and on the two it flips between raw and page.
# Each run picks new moments, so the runs add up; eleven cuts (each a boot,
# about 30 s under TCG) is what CI's hour holds next to the rest.
# vm-ram-file: yes
# vm-boots: 12
# vm-kill: 0.1 2.5
# vm-timeout: 120
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
state=/job/state
mkdir -p "$state"

# LIST: "id name uuid size offset mode data_offset npfns page_struct_size"
# per namespace of region0, one a line, in glob order. Built in this shell
# with builtins only: under TCG a fork costs 0.1-0.3 s, and the loop lists
# after every step.
list_ns() {
	local ns a v line
	LIST=
	for ns in $sys/namespace0.*; do
		[ -e "$ns" ] || continue
		line=${ns##*.}
		for a in name uuid size resource mode data_offset npfns page_struct_size; do
			read -r v <"$ns/$a"
			line+=" $v"
		done
		LIST+=$line$'\n'
	done
	LIST=${LIST%$'\n'}
}

# the same, sorted by id, on stdout
listing() {
	list_ns
	sort -n <<<"$LIST"
}

# AFTER: LIST once namespace ID is reconfigured to MODE: the same but for
# its mode and layout (pfn: the memmap of 64-byte struct pages, rounded up
# to 2 MiB, at the start; raw and page: none)
after_reconfigure() {
	local id=$1 mode=$2 line nid name uuid size res npfns
	AFTER=
	while IFS= read -r line; do
		read -r nid name uuid size res _ <<<"$line"
		if [ "$nid" != "$id" ]; then
			AFTER+=$line$'\n'
		elif [ "$mode" = pfn ]; then
			npfns=$((size / 4096))
			AFTER+="$nid $name $uuid $size $res pfn"
			AFTER+=" $(((npfns * 64 + 2 * MiB - 1) / (2 * MiB) * 2 * MiB)) $npfns 64"$'\n'
		else
			AFTER+="$nid $name $uuid $size $res $mode 0 0 0"$'\n'
		fi
	done <<<"$LIST"
	AFTER=${AFTER%$'\n'}
}

declare -A mode_number=([raw]=0 [page]=1 [pfn]=2)

blockdev_of() {
	local ns
	ns=$(dirname "$(grep -lx "$1" $sys/namespace0.*/name)")
	cat "$ns/blockdev"
}

# Durable on the host before it returns: the job share is 9p, uncached.
save() {
	printf '%s\n' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"
}

# The step about to start: "op args", then for reconfigure the listing
# after it. Written in place, without a fork: the step starts only once
# the write has returned, so a torn file means it never started.
pend() {
	printf '%s\n' "$@" >"$state/pending"
}

verify() {
	local now expected extra missing pending after op arg1 arg2
	expect_eq "$(cat $sys/region0/state)" active "store valid after the cut"
	now=$(listing)
	expected=$(cat "$state/expected")
	extra=$(comm -13 <(echo "$expected" | sort) <(echo "$now" | sort))
	missing=$(comm -23 <(echo "$expected" | sort) <(echo "$now" | sort))
	pending=$(head -n 1 "$state/pending" 2>/dev/null)
	after=$(tail -n +2 "$state/pending" 2>/dev/null)
	read -r op arg1 arg2 <<<"$pending"
	echo "${op:-none}" >>"$state/interrupted"
	if [ -z "$extra$missing" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as before${pending:+ the interrupted $pending}"
	elif [ "$op" = create ] && [ -z "$missing" ] && [ "$(echo "$extra" | wc -l)" = 1 ] &&
		[ "$(echo "$extra" | awk '{ print $2, $4 }')" = "$arg1 $arg2" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as after the interrupted $pending"
	elif [ "$op" = destroy ] && [ -z "$extra" ] && [ "$(echo "$missing" | wc -l)" = 1 ] &&
		[ "$(echo "$missing" | awk '{ print $1 }')" = "$arg1" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as after the interrupted $pending"
	elif [ "$op" = reconfigure ] && [ "$now" = "$(sort -n <<<"$after")" ]; then
		echo "boot $PMEMCTL_VM_BOOT: set as after the interrupted $pending"
	else
		echo "expected:"; echo "$expected"; echo "now:"; echo "$now"; echo "pending: $pending"
		[ "$op" = reconfigure ] && { echo "or after it:"; echo "$after"; }
		fail "namespace set is neither before nor after the interrupted operation"
	fi
	# no overlap: sorted by start, each ends before the next begins
	local start size prev_end=0
	while read -r start size; do
		[ "$start" -ge "$prev_end" ] || fail "overlapping namespaces at $start"
		prev_end=$((start + size))
	done < <(echo "$now" | while read -r _ _ _ sz res _; do
		[ -n "$res" ] && echo "$((res)) $sz"
	done | sort -n)
	local off
	off=$(grep -L '^enabled$' $sys/namespace0.*/state)
	[ -z "$off" ] || fail "not enabled after the reboot: $off"
	for keep in keep1 keep2 keep3 keep4 flip1 flip2; do
		blk=$(blockdev_of $keep)
		expect_eq "$(dd if=/dev/"$blk" bs=1M iflag=direct status=none | md5sum)" \
			"$(cat "$state/$keep.md5")" "$keep data ($(grep " $keep " <<<"$now" | cut -d' ' -f6) mode)"
	done
	if dmesg | grep -qE "WARNING|BUG|Call Trace"; then
		dmesg | grep -B 20 -A 40 -m 1 -E "WARNING|BUG|Call Trace"
		fail "kernel warnings"
	fi
	save expected "$now"
	: >"$state/pending"
}

load_module
if [ "$PMEMCTL_VM_BOOT" = 1 ]; then
	"$nsi" init 0 >/dev/null || fail "init-labels"
	# never touched by the loop: raw, raw, page, pfn; flipped raw <-> page
	for keep in keep1:0 keep2:0 keep3:1 keep4:2 flip1:0 flip2:0; do
		"$nsi" create 0 $((8 * MiB)) 0 "${keep%:*}" "${keep#*:}" >/dev/null ||
			fail "create $keep"
	done
	for keep in keep1 keep2 keep3 keep4 flip1 flip2; do
		blk=$(blockdev_of $keep)
		head -c "$(blockdev --getsize64 "/dev/$blk")" /dev/urandom >/tmp/d
		dd if=/tmp/d of="/dev/$blk" bs=1M oflag=direct,dsync status=none || fail "write $blk"
		md5sum </tmp/d >"$state/$keep.md5"
	done
	save expected "$(listing)"
	listing
else
	verify
fi

if [ "$PMEMCTL_VM_BOOT" = "$PMEMCTL_VM_BOOTS" ]; then
	echo "operations interrupted: $(sort "$state/interrupted" | uniq -c | tr -s ' \n' ' ')"
	unload_module
	echo ok
	exit 0
fi

# The loop the power cut interrupts; each step is logged before it starts.
touch /job/ready
i=0
declare -A fid mode_of size_of
list_ns
while :; do
	i=$((i + 1))
	ids=()
	while read -r id name _ size _ mode _; do
		mode_of[$id]=$mode size_of[$id]=$size
		case $name in
		b*) ids+=("$id") ;;
		flip*) fid[$name]=$id ;;
		esac
	done <<<"$LIST"
	count=${#ids[@]}
	r=$((RANDOM % 12))
	if [ "$count" -lt 3 ] || { [ $r -lt 5 ] && [ "$count" -lt 40 ]; }; then
		size=$(((1 + RANDOM % 4) * 2 * MiB))
		mode=$((RANDOM % 3))
		# pfn needs room for data behind its 2 MiB reserve
		[ $mode = 2 ] && [ $size -lt $((4 * MiB)) ] && mode=1
		name="b${PMEMCTL_VM_BOOT}i$i"
		pend "create $name $size"
		"$nsi" create 0 $size 0 "$name" $mode >/dev/null || fail "create $name mode $mode"
	elif [ $r -lt 7 ]; then
		id=${ids[RANDOM % count]}
		pend "destroy $id"
		"$nsi" destroy 0 "$id" >/dev/null || fail "destroy $id"
	elif [ $r -lt 8 ]; then
		id=${ids[RANDOM % count]}
		pend "disable $id"
		"$nsi" disable 0 "$id" >/dev/null || fail "disable $id"
		"$nsi" enable 0 "$id" >/dev/null || fail "enable $id"
	elif [ $r -lt 10 ]; then
		# raw <-> page: the same data start, no force, the data stays
		id=${fid[flip$((1 + RANDOM % 2))]}
		to=raw
		[ "${mode_of[$id]}" = raw ] && to=page
		after_reconfigure "$id" $to
		pend "reconfigure $id $to" "$AFTER"
		"$nsi" reconfigure 0 "$id" "${mode_number[$to]}" >/dev/null || fail "reconfigure $id $to"
	else
		# any other mode, forced: pfn moves the data start
		id=${ids[RANDOM % count]}
		modes=()
		for to in raw page pfn; do
			[ "$to" = "${mode_of[$id]}" ] && continue
			[ "$to" = pfn ] && [ "${size_of[$id]}" -lt $((4 * MiB)) ] && continue
			modes+=("$to")
		done
		to=${modes[RANDOM % ${#modes[@]}]}
		after_reconfigure "$id" "$to"
		pend "reconfigure $id $to" "$AFTER"
		"$nsi" reconfigure 0 "$id" "${mode_number[$to]}" 1 >/dev/null ||
			fail "reconfigure $id $to (force)"
	fi
	list_ns
	save expected "$LIST"
	: >"$state/pending"
done
