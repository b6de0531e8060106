#!/bin/bash
# Allocation-failure injection into the module's own call paths: create
# (raw, page, pfn), enable, disable, reconfigure (raw->page, page->raw,
# raw->pfn, pfn->raw), destroy, init-labels --force and module load, each
# run by test/vm/fail-nth with the N-th slab or page allocation of its task
# failing (failslab and fail_page_alloc through fail-nth, not ignoring
# sleeping or highmem allocations), for N = 1, 2, ... until the operation
# no longer reaches its N-th allocation: every N below 8, then every
# PMEMCTL_TEST_FAILINJ_STRIDE-th (below). Each operation first runs once
# without injection, and this script checks its effect; fail-nth then
# runs the N's in one process, judges each try and undoes each success.
# Asserts, for every N tried:
# - the operation either succeeds or fails cleanly with an errno (it is
#   not killed), and fails only when a failure was injected;
# - on failure the devices in sysfs (regions' state and free space;
#   namespaces' names, UUIDs, modes, sizes and states) are exactly as
#   before, and a failed module load leaves no module and no control
#   device behind;
# - on success they are exactly what the uninjected run gave (UUIDs of
#   re-created namespaces aside), except the documented ways a module load
#   absorbs a failure: a namespace left disabled, a namespace left out of
#   a region that then says "degraded", a region left out (with its
#   namespaces) while the others come up;
# - the success can be undone, back to exactly the starting set;
# - once N is past the operation's last allocation it succeeds;
# and after the runs the label store is valid (a module reload gives back
# the same namespaces; one reload at the end, as each costs ten seconds
# there). No leak (kmemleak: the harness scans
# after the test on the debug kernel), no report in the kernel log but the
# injected failures themselves and the warnings they cause (below).
# Needs CONFIG_FAULT_INJECTION (and FAILSLAB, FAIL_PAGE_ALLOC): skips on
# Debian's stock kernels, which have no /proc/self/fail-nth.
# vm-timeout: 300
# The ranges sit beside RAM, in every 1 GiB of them: x86-64's direct-map
# code (phys_pud_init() and its callers in arch/x86/mm/init_64.c, 6.1)
# does not check the GFP_ATOMIC page-table page that alloc_low_pages()
# returns after boot, so an injected failure of it is a NULL dereference
# in the kernel, not a failure the module could handle (seen: a general
# protection fault in phys_pmd_init() under memremap_pages() of "enable
# pfn"). Memory hotplug of a range allocates that page only for a 1 GiB
# with nothing mapped in it yet; with RAM mapped beside each region it is
# always there, and what is injected are the failures the module's own
# paths must handle.
# vm-append: memmap=512M!4608M memmap=512M!5632M
# vm-expect-splat: ^FAULT_INJECTION: forcing a failure
# An injected failure of kmemleak's own metadata (it then scans the whole
# object): the checker, not the module.
# vm-expect-splat: kmemleak: Cannot allocate a scan area
# The allocation-failure warnings of the injected failures themselves, in
# fail-nth's task (allocations without __GFP_NOWARN, e.g. the vmemmap
# memremap_pages() populates for a page namespace)...
# vm-expect-splat: ^fail-nth: (page allocation failure|vmemmap alloc failure|vmalloc error): 
# ... and the WARN_ON_ONCE of x86's add_pages() when such a failure makes
# memory hotplug's __add_pages() fail: the kernel's, on a path it handles.
# vm-expect-splat: WARNING: .* at arch/x86/mm/init_64.c:[0-9]+ add_pages
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

[ -e /proc/self/fail-nth ] ||
	skip "this kernel has no fault injection (/proc/self/fail-nth, CONFIG_FAULT_INJECTION): run it on the debug kernel"
dbg=/sys/kernel/debug
[ -d $dbg/failslab ] || skip "no $dbg/failslab (CONFIG_FAILSLAB)"
[ -d $dbg/fail_page_alloc ] || skip "no $dbg/fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC)"

fnth="$PMEMCTL_BUILDDIR/test/vm/fail-nth"
nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
[ -x "$fnth" ] || fail "$fnth not built"
# Every fault point below fail-nth's FULL_PREFIX (the entry of each
# path), then every $stride-th from a point that the seed picks per
# operation: one try costs two to five seconds on the debug kernel under
# TCG and most operations reach 300-450 points, 16 operations times that
# is hours, more than CI's hour holds. Each run tries other points (the
# seed is printed; PMEMCTL_TEST_FAILINJ_SEED=N replays a run), so the runs
# add up to every point; PMEMCTL_TEST_FAILINJ_STRIDE=1 tries every one in
# one run.
stride=${PMEMCTL_TEST_FAILINJ_STRIDE:-64}
# A module load reaches about 2700 points and each try (insmod, rmmod)
# costs 15-25 s there: it samples eight times as sparsely (about 10
# tries, 200 s, of the CI hour).
load_stride=$((stride == 1 ? 1 : stride * 8))
seed=${PMEMCTL_TEST_FAILINJ_SEED:-$((RANDOM * 32768 + RANDOM))}
echo "fail-inject: stride $stride, seed $seed (PMEMCTL_TEST_FAILINJ_SEED=$seed replays this run)"
RANDOM=$seed
# PMEMCTL_TEST_FAILINJ_ONLY=PREFIX runs only the operations whose name
# starts with PREFIX ("create", "module load", ...): for debugging.
only=${PMEMCTL_TEST_FAILINJ_ONLY:-}
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

# The state an operation may change, as text: the same lines fail-nth
# compares (one fork, not one per sysfs file).
snap() {
	"$fnth" snapshot || fail "fail-nth snapshot"
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
#   SETUP: brings the state the operation starts from;
#   CHECK: fails the test unless an uninjected run had the right effect
#          (sees $before, $after and $line, fail-nth's first line);
#   UNDO: goes back after that run.
# The arguments may use @ID@, replaced by $id (set by SETUP). The run
# without injection, checked here, gives the state every success must give;
# fail-nth then tries the fault points, judges each try against it and
# undoes every success itself.
inject() {
	local what=$1 setup=$2 check=$3 undo=$4 args want out rc at failed absorbed offset
	shift 5
	# a skipped operation still leaves its starting state, as its runs
	# would (the module unloaded, after a load)
	[[ -z $only || $what == "$only"* ]] || { $setup; return 0; }
	$setup
	args=("${@//@ID@/$id}")
	before=$(snap)
	out=$("$fnth" 0 "${args[@]}") || fail "$what: failed with nothing injected: $out"
	after=$(snap)
	line=${out%%$'\n'*}
	$check || fail "$what: succeeded ($line) with the wrong effect:"$'\n'"$after"
	want=$after
	$undo
	$setup
	args=("${@//@ID@/$id}")
	# (its progress on stderr goes straight to the test's output)
	offset=$((RANDOM % stride))
	out=$("$fnth" "1+$stride+$offset" --expect "$want" "${args[@]}")
	rc=$?
	[ "$rc" -eq 0 ] || fail "$what: fail-nth exited $rc: $out"
	[[ $out == *"nth: unreached"* ]] || fail "$what: fail-nth did not get past the last fault point: $out"
	at=${out##*at: } failed=${out##*failed: } absorbed=${out##*absorbed: }
	echo "$what: fault point ${at%%$'\n'*} unreached (every ${stride}th from $offset past the prefix);" \
		"${failed%%$'\n'*} failed cleanly," \
		"${absorbed%%$'\n'*} absorbed the failure and succeeded (${SECONDS}s)"
}

# Line filters without a fork (a process costs about a second on the
# debug kernel): the lines of TEXT that match (keep_lines) or do not match
# (drop_lines) the regex RE, and their count (count_lines), in REPLY.
keep_lines() {
	local l out= re=$1
	while IFS= read -r l; do [[ $l =~ $re ]] && out+=$l$'\n'; done <<<"$2"
	REPLY=$out
}
drop_lines() {
	local l out= re=$1
	while IFS= read -r l; do [[ $l =~ $re ]] || out+=$l$'\n'; done <<<"$2"
	REPLY=$out
}
count_lines() {
	local l c=0 re=$1
	while IFS= read -r l; do [[ $l =~ $re ]] && c=$((c + 1)); done <<<"$2"
	REPLY=$c
}

# --- the operations -----------------------------------------------------

mode=raw

setup_none() { :; }
# $line is "result: ok id ID"
check_created() {
	local id=${line##* } nb
	count_lines '^namespace' "$before"
	nb=$REPLY
	count_lines '^namespace' "$after"
	[ "$REPLY" -eq $((nb + 1)) ] || return 1
	count_lines "^namespace0\.$id fi-new [0-9a-f-]* $mode $((8 * M)) enabled\$" "$after"
	[ "$REPLY" -eq 1 ]
}
undo_created() {
	quiet "$nsi" disable 0 "${line##* }"
	quiet "$nsi" destroy 0 "${line##* }"
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
	local b
	drop_lines ' fi-t |^region' "$before"
	b=$REPLY
	drop_lines ' fi-t |^region' "$after"
	[ "$REPLY" = "$b" ] || return 1
	count_lines "^namespace0\.$id fi-t [0-9a-f-]* $new_mode $((8 * M)) $new_state\$" "$after"
	[ "$REPLY" -eq 1 ]
}
undo_none() { :; }
check_gone() {
	local nb
	count_lines ' fi-t ' "$after"
	[ "$REPLY" -eq 0 ] || return 1
	count_lines '^namespace' "$before"
	nb=$REPLY
	count_lines '^namespace' "$after"
	[ "$REPLY" -eq $((nb - 1)) ]
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
	local b
	count_lines '^namespace1\.' "$after"
	[ "$REPLY" -eq 0 ] || return 1
	count_lines '^region1 active ' "$after"
	[ "$REPLY" -eq 1 ] || return 1
	keep_lines '^namespace0\.' "$before"
	b=$REPLY
	keep_lines '^namespace0\.' "$after"
	[ "$REPLY" = "$b" ]
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
stride=$load_stride inject "module load" setup_unloaded check_loaded undo_loaded -- insmod "$PMEMCTL_KO"
[ ! -e /sys/module/pmemctl ] || fail "module still loaded after the last run"
insmod "$PMEMCTL_KO" || fail "insmod after the injection runs"
[ "$(snap)" = "$loaded_set" ] || fail "namespaces differ after the injection runs"
ns_overlap_check || fail "namespaces overlap"
ns_disable_paged || fail "disable page/pfn namespaces"
rmmod pmemctl || fail "final rmmod"
# The kernel log: run-test's checker scan, with the allowances above (this
# test runs on the debug kernel only, where the scan always runs).
echo "PASS"
