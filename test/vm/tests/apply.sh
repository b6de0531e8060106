#!/bin/bash
# pmemctl apply against the real module: a layout converges (creates in
# file order, first fit; raw -> page keeping the data; enable/disable),
# with one index commit per region (label_seq); the same file twice, and
# what list -R -N printed, change nothing; a bad file (exit 2, with the
# place) and refusals (exit 1: no store without --init, a new size
# without --force, an enabled namespace under --prune without --force, a
# name another region uses) change nothing; --force re-creates, --prune
# destroys; a region the kernel refuses (no room) stops the apply before
# any region is committed, even one earlier in the file; --dry-run
# changes nothing and gives the costs.
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
seq0() { cat $sys/region0/label_seq; }
seq1() { cat $sys/region1/label_seq; }
# name:mode:size:state of region R's namespaces, by offset
layout_of() {
	$P list -N -v -r "region$1" | jq -r 'sort_by(.resource)[] |
		"\(.name):\(.mode):\(.size):\(.state)"' | tr '\n' ' '
}

mark_log
load_module

cat >/tmp/l1.json <<'EOF'
[
  { "dev": "region0",
    "namespaces": [
      { "name": "a", "size": "64M" },
      { "name": "b", "size": 33554432, "mode": "page" },
      { "name": "c", "size": "64M", "mode": "fsdax", "map": "dev" },
      { "name": "d", "size": "16M", "state": "disabled" }
    ] }
]
EOF

# no store: refused without --init, nothing changes
run $P apply /tmp/l1.json
expect_eq "$rc" 1 "apply to a region without a store ($err)"
expect_eq "$(echo "$out" | jq -r '.refusals[0].reason')" \
	"the region has no label store: --init initializes it" "refusal reason"
expect_eq "$(echo "$out" | jq -r '.refusals[0].place, .refusals[0].region' | tr '\n' ' ')" \
	"[0] region0 " "refusal place"
expect_eq "$err" \
	'pmemctl apply: nothing was changed: the layout has 1 refusal(s), listed in "refusals"' \
	"refusal message"
expect_eq "$(cat $sys/region0/state)" uninitialized "still no store"

run $P apply --init --dry-run /tmp/l1.json
expect_eq "$rc" 0 "dry run with --init ($err)"
expect_eq "$(echo "$out" | jq -r '.dry_run, ([.actions[].action] | join(","))' | tr '\n' ' ')" \
	"true init-labels,create,create,create,create " "dry-run actions"
expect_eq "$(cat $sys/region0/state)" uninitialized "the dry run initialized nothing"

run $P apply --init /tmp/l1.json
expect_eq "$rc" 0 "apply --init ($err)"
echo "$out"
expect_eq "$(echo "$out" | jq -r '[.actions[] | "\(.action):\(.name // "-")"] | join(",")')" \
	"init-labels:-,create:a,create:b,create:c,create:d" "actions done"
expect_eq "$(layout_of 0)" \
	"a:raw:$((64 * MiB)):enabled b:page:$((32 * MiB)):enabled c:pfn:$((64 * MiB)):enabled d:raw:$((16 * MiB)):disabled " \
	"layout made, in file order"
expect_eq "$(echo "$out" | jq -r '.actions[3].namespace | "\(.dev) \(.metadata_dev) \(.data_size)"')" \
	"namespace0.2 $((2 * MiB)) $((62 * MiB))" "the pfn create's cost"
# (part of a 128 MiB section: 64 bytes per 4 KiB page and one page of page
# table, the model of memmap-cost.c)
expect_eq "$(echo "$out" | jq -r '.actions[2].namespace.metadata_ram')" $((32 * MiB / 4096 * 64 + 4096)) \
	"the page create's RAM cost"
expect_eq "$(seq0)" 3 "init-labels (seq 2) and one commit for four creates"
[ -b /dev/pmem0n0 ] && [ -b /dev/pmem0n2 ] || fail "block devices missing"

# the same file again, and what list printed: nothing to do, no commit
run $P apply /tmp/l1.json
expect_eq "$rc" 0 "apply again ($err)"
expect_eq "$(echo "$out" | jq -c '[(.actions | length), .unchanged, (.refusals | length)]')" "[0,4,0]" \
	"second apply: nothing to do"
$P list -R -N -v >/tmp/saved.json || fail "list -R -N"
run $P apply - </tmp/saved.json
expect_eq "$rc" 0 "apply what list printed, from stdin ($err)"
expect_eq "$(echo "$out" | jq -c '[(.actions | length), .unchanged]')" "[0,4]" \
	"list's output is a layout that changes nothing"
expect_eq "$(seq0)" 3 "no commit"

# a bad file: exit 2, the place named, nothing read further
jq '.[0].namespaces[2].mode = "fsdaxx"' /tmp/l1.json >/tmp/bad.json
run $P apply /tmp/bad.json
expect_eq "$rc" 2 "bad mode"
echo "$err" | grep -q "^pmemctl apply: /tmp/bad.json: \[0\].namespaces\[2\].mode: " ||
	fail "the error does not name the place: $err"
jq '.[0].namespaces[0].colour = "red"' /tmp/l1.json >/tmp/bad.json
run $P apply /tmp/bad.json
expect_eq "$rc" 2 "unknown key"
echo "$err" | grep -q '\[0\].namespaces\[0\].colour' || fail "unknown key not named: $err"
printf '[ { "dev": "region0" ' >/tmp/bad.json
run $P apply /tmp/bad.json
expect_eq "$rc" 2 "truncated JSON"
echo "$err" | grep -q "line 1, column" || fail "no line and column: $err"
run $P apply
expect_eq "$rc" 2 "no file"
expect_eq "$(seq0)" 3 "bad files changed nothing"

# raw -> page keeps the data; a new size needs --force
head -c $((64 * MiB)) /dev/urandom >/tmp/pattern
dd if=/tmp/pattern of=/dev/pmem0n0 bs=1M oflag=direct status=none || fail "write a"
cat >/tmp/l2.json <<'EOF'
[
  { "dev": "region0",
    "namespaces": [
      { "name": "a", "size": "64M", "mode": "page" },
      { "name": "b", "size": "16M", "mode": "page" },
      { "name": "c", "size": "64M", "mode": "pfn" },
      { "name": "d", "size": "16M", "state": "enabled" }
    ] }
]
EOF
before=$(ns_set)
run $P apply /tmp/l2.json
expect_eq "$rc" 1 "a new size without --force"
expect_eq "$(echo "$out" | jq -r '.refusals[] | "\(.name) \(.place) \(.reason)"')" \
	"b [0].namespaces[1] its size differs (32.00 MiB here, 16.00 MiB in the layout): --force destroys and re-creates it" \
	"the size refusal"
expect_eq "$(ns_set)" "$before" "a refusal changed nothing"
expect_eq "$(seq0)" 3 "no commit on a refusal"

run $P apply --dry-run --force /tmp/l2.json
expect_eq "$rc" 0 "dry run with --force ($err)"
expect_eq "$(echo "$out" | jq -r '[.actions[] | "\(.action):\(.name)"] | join(",")')" \
	"destroy:b,reconfigure:a,create:b,enable:d" "the plan, in execution order"
expect_eq "$(echo "$out" | jq -r '.actions[1] | "\(.from_mode) \(.namespace.mode) \(.namespace.metadata_ram)"')" \
	"raw page $((64 * MiB / 4096 * 64 + 4096))" "the reconfigure's cost"
expect_eq "$(ns_set)" "$before" "the dry run changed nothing"

run $P apply --force /tmp/l2.json
expect_eq "$rc" 0 "apply --force ($err)"
expect_eq "$(layout_of 0)" \
	"a:page:$((64 * MiB)):enabled b:page:$((16 * MiB)):enabled c:pfn:$((64 * MiB)):enabled d:raw:$((16 * MiB)):enabled " \
	"layout converged"
expect_eq "$(seq0)" 4 "destroy, reconfigure and create in one commit"
cmp -n $((64 * MiB)) /tmp/pattern /dev/pmem0n0 || fail "raw -> page lost a's data"
run $P apply --force /tmp/l2.json
expect_eq "$(echo "$out" | jq -c '[(.actions | length), .unchanged]') $(seq0)" "[0,4] 4" \
	"converged: the next apply does nothing"

# --prune: a disabled one goes, an enabled one needs --force
cat >/tmp/l3.json <<'EOF'
[ { "dev": "region0", "namespaces": [ { "name": "a", "size": "64M" } ] } ]
EOF
$P disable-namespace b >/dev/null || fail "disable b"
run $P apply --prune /tmp/l3.json
expect_eq "$rc" 1 "--prune with enabled namespaces"
expect_eq "$(echo "$out" | jq -r '[.refusals[] | "\(.name):\(.place)"] | sort | join(",")')" \
	"c:null,d:null" "the enabled ones are refused, with no place"
expect_eq "$(seq0)" 4 "no commit"
run $P apply --prune --force /tmp/l3.json
expect_eq "$rc" 0 "--prune --force ($err)"
expect_eq "$(echo "$out" | jq -r '[.actions[] | "\(.action):\(.name)"] | sort | join(",")')" \
	"destroy:b,destroy:c,destroy:d" "pruned"
expect_eq "$(layout_of 0)" "a:page:$((64 * MiB)):enabled " "only a is left"
expect_eq "$(seq0)" 5 "one commit"

# two regions: the second does not fit, so the first is not committed
cat >/tmp/l4.json <<EOF
[ { "dev": "region1", "namespaces": [ { "name": "e", "size": "8M" } ] },
  { "dev": "region0", "namespaces": [ { "name": "a", "size": "64M" },
                                      { "name": "huge", "size": "2G" } ] } ]
EOF
run $P apply --init /tmp/l4.json
expect_eq "$rc" 1 "a region that does not fit"
expect_eq "$(echo "$out" | jq -r '.refusals[] | "\(.region) \(.name) \(.reason)"')" \
	"region0 huge the kernel refuses the region's changes: no free extent fits it, or every label slot is used" \
	"the kernel's refusal, on the op it blames"
expect_eq "$(cat $sys/region1/state)" uninitialized "region1 left alone"
expect_eq "$(seq0)" 5 "region0 not committed"

# a name another region has
$P init-labels region1 >/dev/null || fail "init-labels region1"
$P create-namespace -r region1 -s 8M -n e >/dev/null || fail "create e"
cat >/tmp/l5.json <<'EOF'
[ { "dev": "region0", "namespaces": [ { "name": "e", "size": "8M" } ] } ]
EOF
run $P apply /tmp/l5.json
expect_eq "$rc" 1 "a name another region has"
expect_eq "$(echo "$out" | jq -r '.refusals[0].reason')" \
	"the name is taken by namespace1.0 in another region" "the name refusal"
cat >/tmp/l6.json <<'EOF'
[ { "dev": "region9", "namespaces": [] } ]
EOF
run $P apply /tmp/l6.json
expect_eq "$rc $(echo "$out" | jq -r '.refusals[0].reason')" "1 region9 does not exist" "no such region"

ns_reload_check
no_splat
echo "apply: all checks passed"
