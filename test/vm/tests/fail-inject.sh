#!/bin/bash
# Allocation-failure injection into the module's own call paths: create
# (raw, page, pfn), enable, disable, reconfigure (raw->page, page->raw,
# raw->pfn, pfn->raw), destroy, init-labels --force and module load, each
# run by test/vm/fail-nth with the N-th slab or page allocation of its task
# failing (failslab and fail_page_alloc through fail-nth, not ignoring
# sleeping or highmem allocations), for every N = 1, 2, ... until the
# operation no longer reaches its N-th allocation. Asserts, for every N:
# - the operation either succeeds or fails cleanly with an errno (the
#   program exits 0 or 1, it is not killed);
# - the namespace set in sysfs (names, UUIDs, modes, sizes, states, and
#   the regions' state and free space) is exactly the one before on
#   failure and exactly the one a success gives on success; a failed
#   module load leaves no module, no control device and no region behind,
#   and a later load succeeds;
# - once N is past the operation's last allocation it succeeds;
# and after each operation's run the label store is valid (a module reload
# gives back the same namespaces). No leak (kmemleak: the harness scans
# after the test on the debug kernel), no report in the kernel log but the
# injected failures themselves.
# Needs CONFIG_FAULT_INJECTION (and FAILSLAB, FAIL_PAGE_ALLOC): skips on
# Debian's stock kernels, which have no /proc/self/fail-nth.
# vm-timeout: 3600
# vm-expect-splat: ^FAULT_INJECTION: forcing a failure
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

[ -e /proc/self/fail-nth ] ||
	skip "this kernel has no fault injection (/proc/self/fail-nth, CONFIG_FAULT_INJECTION): run it on the debug kernel"
dbg=/sys/kernel/debug
[ -d $dbg/failslab ] || skip "no $dbg/failslab (CONFIG_FAILSLAB)"
[ -d $dbg/fail_page_alloc ] || skip "no $dbg/fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC)"

fnth="$PMEMCTL_BUILDDIR/test/vm/fail-nth"
nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
[ -x "$fnth" ] || fail "$fnth not built"
max_n=${FAILINJ_MAX_N:-20000}
M=$((1 << 20))
sys=/sys/bus/pmemctl/devices

# Let fail-nth fail GFP_KERNEL allocations, of any order and zone; one log
# line per injected failure, no stack dump.
for f in failslab fail_page_alloc; do
	echo N >$dbg/$f/ignore-gfp-wait
	echo 1 >$dbg/$f/verbose
done
echo N >$dbg/fail_page_alloc/ignore-gfp-highmem
echo 0 >$dbg/fail_page_alloc/min-order

# The state an operation may change, as text (read builtins, no forks:
# this runs twice per allocation tried, and forks are slow on the debug
# kernel).
snap() {
	local n r a b c d e f
	for r in $sys/region*; do
		[ -e "$r" ] || continue
		read -r a <"$r/state"
		read -r b <"$r/available_size"
		echo "${r##*/} $a $b"
	done
	for n in $sys/namespace*; do
		[ -e "$n" ] || continue
		read -r a <"$n/name"
		read -r b <"$n/uuid"
		read -r c <"$n/mode"
		read -r d <"$n/size"
		read -r e <"$n/state"
		echo "${n##*/} $a $b $c $d $e"
	done
}

# id_of NAME: N of the namespace named NAME (any region).
id_of() {
	local n v
	for n in $sys/namespace*; do
		[ -e "$n" ] || continue
		read -r v <"$n/name"
		[ "$v" = "$1" ] && { echo "${n##*.}"; return 0; }
	done
	return 1
}

quiet() {
	"$@" >/dev/null || fail "setup: $* failed"
}

# inject WHAT SETUP CHECK UNDO -- FAILNTH-ARGS...
#   SETUP: brings the state the operation starts from (every N);
#   CHECK: run after a success, fails the test unless the effect is right
#          (sees $before and $after);
#   UNDO: goes back after a success.
# The arguments may use @ID@, replaced by $id (set by SETUP).
inject() {
	local what=$1 setup=$2 check=$3 undo=$4 n=1 args before after line
	shift 5
	local injected=0 failed=0 tried=0
	while :; do
		tried=$((tried + 1))
		[ $n -le "$max_n" ] || fail "$what: still reaching allocation $n (FAILINJ_MAX_N=$max_n)"
		$setup
		args=("${@//@ID@/$id}")
		before=$(snap)
		run "$fnth" $n "${args[@]}"
		after=$(snap)
		case $rc in
		0 | 1) ;;
		*) fail "$what, allocation $n: fail-nth exited $rc: $out $err" ;;
		esac
		echo "$out" | grep -q '^nth: injected' && injected=$((injected + 1))
		if [ $rc -eq 1 ]; then
			failed=$((failed + 1))
			echo "$out" | grep -q '^nth: injected' ||
				fail "$what failed with no failure injected (allocation $n unreached): $out"
			if [ "${args[0]}" = insmod ] &&
				{ [ -e /sys/module/pmemctl ] || [ -e /dev/pmemctl ]; }; then
				fail "module load, allocation $n failed ($(echo "$out" | head -n 1)) but left the module or /dev/pmemctl behind"
			fi
			if [ "$before" != "$after" ]; then
				diff <(echo "$before") <(echo "$after")
				fail "$what, allocation $n failed ($(echo "$out" | head -n 1)) but changed the namespace set"
			fi
		else
			line=$(echo "$out" | head -n 1)
			$check || fail "$what, allocation $n: succeeded ($line) with the wrong effect"
			$undo
			echo "$out" | grep -q '^nth: unreached' && break
		fi
		# every N unless FAILINJ_STRIDE says to sample past the first 64
		if [ $n -ge 64 ] && [ "${FAILINJ_STRIDE:-1}" -gt 1 ]; then
			n=$((n + FAILINJ_STRIDE))
		else
			n=$((n + 1))
		fi
	done
	echo "$what: allocation $n unreached after $tried runs; $failed failed cleanly," \
		"$((injected - failed)) had the failure absorbed and succeeded"
	# the label store is valid: a reload gives back the same namespaces
	[ "${args[0]}" = insmod ] || ns_reload_check
}

# --- the operations -----------------------------------------------------

mode=raw

setup_none() { :; }
check_created() {
	local id
	id=$(echo "$line" | awk '{ print $4 }')
	[ "$(echo "$after" | grep -c '^namespace')" -eq $(($(echo "$before" | grep -c '^namespace') + 1)) ] &&
		echo "$after" | grep -q "^namespace0\.$id fi-new [0-9a-f-]* $mode $((8 * M)) enabled\$"
}
undo_created() {
	quiet "$nsi" disable 0 "$(echo "$line" | awk '{ print $4 }')"
	quiet "$nsi" destroy 0 "$(echo "$line" | awk '{ print $4 }')"
}

# A namespace fi-t of $mode in region0, enabled ($want_state) or not.
want_state=enabled
setup_target() {
	local m
	id=$(id_of fi-t) || {
		quiet "$nsi" create 0 $((8 * M)) 0 fi-t "$(mode_nr "$mode")"
		id=$(id_of fi-t)
	}
	read -r m <"$sys/namespace0.$id/mode"
	if [ "$m" != "$mode" ]; then
		quiet "$nsi" disable 0 "$id"
		quiet "$nsi" reconfigure 0 "$id" "$(mode_nr "$mode")" 1
	fi
	read -r m <"$sys/namespace0.$id/state"
	if [ "$m" != "$want_state" ]; then
		quiet "$nsi" "${want_state%d}" 0 "$id"
	fi
}
mode_nr() {
	case $1 in raw) echo 0 ;; page) echo 1 ;; pfn) echo 2 ;; esac
}
# The effect: only fi-t's state (or mode) changed, to $new_state/$new_mode.
check_target() {
	local b a
	b=$(echo "$before" | grep -v ' fi-t ' | grep -v '^region')
	a=$(echo "$after" | grep -v ' fi-t ' | grep -v '^region')
	[ "$a" = "$b" ] &&
		echo "$after" | grep -q "^namespace0\.$id fi-t [0-9a-f-]* $new_mode $((8 * M)) $new_state\$"
}
undo_none() { :; }
check_gone() {
	! echo "$after" | grep -q ' fi-t ' &&
		[ "$(echo "$after" | grep -c '^namespace')" -eq $(($(echo "$before" | grep -c '^namespace') - 1)) ]
}

# region1 holds only disabled namespaces (fi-i, keep-pfn): init-labels
# --force empties it.
setup_init() {
	local n v
	id=$(id_of fi-i) || { quiet "$nsi" create 1 $((8 * M)) 0 fi-i 0; id=$(id_of fi-i); }
	for n in $sys/namespace1.*; do
		[ -e "$n" ] || continue
		read -r v <"$n/state"
		[ "$v" = enabled ] && quiet "$nsi" disable 1 "${n##*.}"
	done
}
check_init() {
	! echo "$after" | grep -q '^namespace1\.' &&
		echo "$after" | grep -q '^region1 active ' &&
		[ "$(echo "$after" | grep '^namespace0\.')" = "$(echo "$before" | grep '^namespace0\.')" ]
}

# Module load: unloaded before; loaded with exactly $loaded_set after.
setup_unloaded() {
	if [ -e /sys/module/pmemctl ]; then
		ns_disable_paged || fail "disable page/pfn namespaces before rmmod"
		rmmod pmemctl || fail "rmmod pmemctl"
	fi
}
check_loaded() {
	[ "$after" = "$loaded_set" ] && [ -c /dev/pmemctl ]
}
undo_loaded() {
	setup_unloaded
}

mark_log
load_module
quiet "$nsi" init 0
quiet "$nsi" init 1
# Bystanders that no operation may touch, in both regions.
quiet "$nsi" create 0 $((16 * M)) 0 keep-raw 0
quiet "$nsi" create 1 $((16 * M)) 0 keep-pfn 2
id=

for mode in raw page pfn; do
	inject "create $mode" setup_none check_created undo_created -- create 0 $((8 * M)) $mode fi-new
done

for mode in raw page pfn; do
	want_state=disabled new_state=enabled new_mode=$mode
	inject "enable $mode" setup_target check_target undo_none -- enable 0 @ID@
	want_state=enabled new_state=disabled new_mode=$mode
	inject "disable $mode" setup_target check_target undo_none -- disable 0 @ID@
done

want_state=enabled new_state=enabled
for pair in raw:page page:raw raw:pfn pfn:raw; do
	mode=${pair%:*} new_mode=${pair#*:}
	inject "reconfigure $mode->$new_mode" setup_target check_target undo_none -- \
		reconfigure 0 @ID@ "$new_mode" force
done

mode=raw want_state=enabled
inject "destroy" setup_target check_gone undo_none -- destroy 0 @ID@
inject "init-labels --force" setup_init check_init undo_none -- init 1 force
ns_reload_check
ns_overlap_check || fail "namespaces overlap"

# Module load with a namespace of every mode in the store.
quiet "$nsi" create 0 $((8 * M)) 0 load-page 1
quiet "$nsi" create 1 $((8 * M)) 0 load-raw 0
quiet "$nsi" disable 1 "$(id_of load-raw)"
# After a load every namespace is enabled.
setup_unloaded
insmod "$PMEMCTL_KO" || fail "insmod"
loaded_set=$(snap)
echo "$loaded_set" | grep -q disabled && fail "a namespace came back disabled after a load"
inject "module load" setup_unloaded check_loaded undo_loaded -- insmod "$PMEMCTL_KO"
[ ! -e /sys/module/pmemctl ] || fail "module still loaded after the last run"
insmod "$PMEMCTL_KO" || fail "insmod after the injection runs"
[ "$(snap)" = "$loaded_set" ] || fail "namespaces differ after the injection runs"
ns_overlap_check || fail "namespaces overlap"
ns_disable_paged || fail "disable page/pfn namespaces"
rmmod pmemctl || fail "final rmmod"
no_splat 'FAULT_INJECTION'
echo "PASS"
