#!/bin/bash
# PMEMCTL_IOC_NS_BATCH through the kernel ABI alone: many label changes to
# a region checked together and committed with one index write. A batch
# that fails anywhere (a bad op late in it, a namespace still open, two ops
# on one namespace) changes nothing, not even the index sequence number; a
# create may reuse the extent and name of a namespace the same batch
# destroys; data survives a raw -> page change inside a batch; a dry run
# changes nothing. The sequence number is read from the module's load
# message after a reload, which also proves the store valid.
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
[ -x "$nsi" ] || fail "$nsi not built"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))

# the index sequence number, from a module reload's load message (made
# only when the store holds a namespace), checked against sysfs label_seq
# before and after the reload
store_seq() {
	local live loaded
	live=$(cat $sys/region0/label_seq)
	ns_reload_check >/dev/null
	loaded=$(dmesg | grep -o 'region0: [0-9]* namespace(s) from the label store (index [01], seq [0-9]*' |
		tail -1 | sed 's/.*seq //')
	expect_eq "$live" "$loaded" "label_seq before the reload"
	expect_eq "$(cat $sys/region0/label_seq)" "$loaded" "label_seq after the reload"
	echo "$loaded"
}

# ID of region0's namespace named NAME
id_of() {
	local n
	for n in "$sys"/namespace0.*; do
		[ "$(cat "$n/name")" = "$1" ] && { echo "${n##*.}"; return 0; }
	done
	return 1
}

mark_log
load_module
expect_eq "$(cat $sys/region0/label_seq)" 0 "label_seq without a store"
expect_eq "$("$nsi" init 0)" ok "init-labels"
expect_eq "$(cat $sys/region0/label_seq)" 2 "label_seq after init-labels"
# the raw store, for root: both index copies start with their magic
expect_eq "$(stat -c %a $sys/region0/labels)" 400 "labels mode"
expect_eq "$(head -c 13 $sys/region0/labels)" PMEMCTL-INDEX "index copy 0 in labels"
expect_eq "$(dd if=$sys/region0/labels bs=4096 skip=1 count=1 status=none | head -c 13)" \
	PMEMCTL-INDEX "index copy 1 in labels"
expect_eq "$(wc -c <$sys/region0/labels)" $((2 * MiB)) "labels size"
seq0=2	# init-labels writes copy 1 with seq 1, then copy 0 with seq 2

# three creates in one commit, placed first fit in op order
run "$nsi" batch 0 c:$((64 * MiB)):0:a c:$((32 * MiB)):0:b c:$((64 * MiB)):2:c
expect_eq "$rc" 0 "batch of three creates: $out"
expect_eq "$(echo "$out" | grep '^op' | cut -d' ' -f1-6 | tr '\n' ' ')" \
	"op 0 id 0 offset $((2 * MiB)) op 1 id 1 offset $((66 * MiB)) op 2 id 2 offset $((98 * MiB)) " \
	"ids and offsets"
expect_eq "$(cat $sys/namespace0.2/mode) $(cat $sys/namespace0.2/state)" "pfn enabled" "pfn created enabled"
[ -b /dev/pmem0n0 ] && [ -b /dev/pmem0n1 ] && [ -b /dev/pmem0n2 ] || fail "block devices missing"
expect_eq "$(store_seq)" $((seq0 + 1)) "three creates, one commit"

head -c $((32 * MiB)) /dev/urandom >/tmp/pattern
dd if=/tmp/pattern of=/dev/pmem0n1 bs=1M oflag=direct status=none || fail "write b"
before=$(ns_set)

# a dry run of a change set: nothing changes
run "$nsi" batch 0 dry d:0 c:$((64 * MiB)):0:d r:1:1
expect_eq "$rc" 0 "dry run: $out"
expect_eq "$(echo "$out" | grep '^op 1' | cut -d' ' -f1-6)" "op 1 id 3 offset $((2 * MiB))" \
	"dry run: the create reuses the destroyed extent"
expect_eq "$(ns_set)" "$before" "dry run changed nothing"

# a late failure changes nothing: destroy, create, then a create too big
run "$nsi" batch 0 d:0 c:$((4 * MiB)):0:e c:$((4096 * MiB)):0:f
expect_eq "$(echo "$out" | tail -1)" "errno ENOSPC failed 2" "late ENOSPC"
expect_eq "$(echo "$out" | grep '^op 2' | cut -d' ' -f1,7-8)" "op result ENOSPC" "the op blamed"
expect_eq "$(ns_set)" "$before" "a failed batch changed nothing"
expect_eq "$(cat $sys/namespace0.0/state)" enabled "the destroy's target still enabled"

# two ops on one namespace; a duplicate name within the batch
expect_eq "$("$nsi" batch 0 d:1 r:1:1 | tail -1)" "errno EINVAL failed 1" "two ops on one namespace"
expect_eq "$("$nsi" batch 0 c:$((4 * MiB)):0:x c:$((4 * MiB)):0:x | tail -1)" "errno EEXIST failed 1" \
	"one name twice in a batch"
expect_eq "$("$nsi" batch 0 c:$((4 * MiB)):0:a | tail -1)" "errno EEXIST failed 0" "a name the region keeps"
expect_eq "$("$nsi" batch 0 r:2:0 | tail -1)" "errno ENOTEMPTY failed 0" "out of pfn without force"

# an open namespace: the batch is refused and the ones it had disabled
# come back enabled
exec 3</dev/pmem0n0
run "$nsi" batch 0 r:1:1 d:0
exec 3<&-
expect_eq "$(echo "$out" | tail -1)" "errno EBUSY failed 1" "open namespace"
expect_eq "$(ns_set)" "$before" "refused batch changed nothing"
expect_eq "$(cat $sys/namespace0.1/state) $(cat $sys/namespace0.1/mode)" "enabled raw" \
	"the reconfigure's target enabled again, in its old mode"
[ -b /dev/pmem0n1 ] || fail "pmem0n1 gone after the refused batch"
seq1=$(store_seq)
expect_eq "$seq1" $((seq0 + 1)) "refused and failed batches committed nothing"
before=$(ns_set)

# the change set for real: a's extent and name go to new namespaces, b to
# page with its data, c to raw with force, and one left disabled
run "$nsi" batch 0 d:0 c:$((64 * MiB)):0:a r:1:1 r:2:0:force c:$((8 * MiB)):1:g:off
expect_eq "$rc" 0 "change set: $out"
expect_eq "$(echo "$out" | grep '^op 1' | cut -d' ' -f1-6)" "op 1 id 3 offset $((2 * MiB))" \
	"a again, in a's extent, with a new number"
[ -e $sys/namespace0.0 ] && fail "namespace0.0 still there"
expect_eq "$(id_of a)" 3 "the name a moved to namespace0.3"
expect_eq "$(cat $sys/namespace0.1/mode) $(cat $sys/namespace0.1/state)" "page enabled" "b page"
expect_eq "$(cat $sys/namespace0.2/mode) $(cat $sys/namespace0.2/state)" "raw enabled" "c raw"
g=$(id_of g) || fail "g not created"
expect_eq "$(cat $sys/namespace0.$g/mode) $(cat $sys/namespace0.$g/state)" "page disabled" "g left disabled"
cmp <(dd if=/dev/pmem0n1 bs=1M iflag=direct status=none) /tmp/pattern || fail "b's data after raw -> page"
ns_overlap_check || fail "overlapping namespaces"
expect_eq "$(store_seq)" $((seq1 + 1)) "the change set, one commit"
cmp <(dd if=/dev/pmem0n1 bs=1M iflag=direct status=none) /tmp/pattern || fail "b's data after a reload"

# many ops in one batch: 100 creates, then all destroyed in another
ops=()
for i in $(seq 1 100); do ops+=("c:$((2 * MiB)):0:n$i"); done
run "$nsi" batch 0 "${ops[@]}"
expect_eq "$(echo "$out" | tail -1)" ok "100 creates"
expect_eq "$(ls -d $sys/namespace0.* | wc -l)" 104 "namespaces after 100 creates"
ops=()
for i in $(echo "$out" | awk '/^op/ { print $4 }'); do ops+=("d:$i"); done
expect_eq "${#ops[@]}" 100 "ids of the 100 creates"
run "$nsi" batch 0 "${ops[@]}"
expect_eq "$(echo "$out" | tail -1)" ok "100 destroys"
expect_eq "$(ls -d $sys/namespace0.* | wc -l)" 4 "namespaces after 100 destroys"
expect_eq "$(store_seq)" $((seq1 + 3)) "two commits for 200 changes"

no_splat
echo PASS
