#!/bin/bash
# read-labels and check-labels against the real module: the JSON of a
# live store (both index copies, their sequence numbers and verdicts, the
# current one and label_seq agreeing, a label per namespace with what list
# shows), -o saving exactly the bytes of regionN/labels (mode 0600, not
# over an existing file without --force), check-labels passing on the
# live store and on the saved copy and failing (exit 1, the problem
# named) on a copy with a damaged index copy or label, a region without a
# store, and a caller without root refused.
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
sys=/sys/bus/pmemctl/devices
load_module

# no store yet
run $P check-labels region0
expect_eq "$rc" 1 "check-labels without a store"
expect_eq "$(echo "$out" | jq -r '.consistent')" false "no store is not consistent"
echo "$out" | jq -r '.problems[]' | grep -q "no label store" || fail "no-store problem not named: $out"

$P init-labels region0 >/dev/null || fail "init-labels"
for n in a:raw b:page c:pfn; do
	$P create-namespace -r region0 -s 8M -n "${n%:*}" -m "${n#*:}" >/dev/null || fail "create $n"
done

run $P read-labels region0
expect_eq "$rc" 0 "read-labels ($err)"
seq=$(cat $sys/region0/label_seq)
expect_eq "$(echo "$out" | jq -r '.region, .seq, .error, .fell_back' | tr '\n' ' ')" \
	"region0 $seq null false " "store summary"
expect_eq "$(echo "$out" | jq -r '[.index[] | "\(.copy):\(.verdict)"] | join(" ")')" "0:ok 1:ok" \
	"both index copies valid"
cur=$(echo "$out" | jq -r '.current')
expect_eq "$(echo "$out" | jq -r ".index[$cur].seq, .index[$cur].current" | tr '\n' ' ')" "$seq true " \
	"the current copy carries label_seq"
expect_eq "$(echo "$out" | jq -r "[.labels[] | select(.in | index($cur)) | \"\(.name):\(.mode):\(.verdict)\"] | sort | join(\" \")")" \
	"a:raw:ok b:page:ok c:pfn:ok" "the current copy's labels"
expect_eq "$(echo "$out" | jq -r '[.labels[] | select(.name == "c") | .uuid] | first')" \
	"$($P list -N -n c | jq -r '.[0].uuid')" "a label's UUID is the namespace's"

# save the raw bytes
run $P read-labels region0 -o /tmp/store.bin
expect_eq "$rc" 0 "read-labels -o ($err)"
expect_eq "$(echo "$out" | jq -r '.saved, .seq' | tr '\n' ' ')" "/tmp/store.bin $seq " "-o summary"
cmp /tmp/store.bin $sys/region0/labels || fail "the saved copy differs from the store"
expect_eq "$(stat -c %a /tmp/store.bin)" 600 "saved copy's mode"
run $P read-labels region0 -o /tmp/store.bin
expect_eq "$rc" 1 "-o over an existing file"
run $P read-labels region0 -o /tmp/store.bin --force
expect_eq "$rc" 0 "-o --force ($err)"

run $P check-labels region0
expect_eq "$rc $(echo "$out" | jq -c '[.consistent, .problems]')" "0 [true,[]]" "check-labels on the live store"
run $P check-labels region0 --file /tmp/store.bin
expect_eq "$rc $(echo "$out" | jq -r '.consistent')" "0 true" "check-labels on the saved copy"

# a damaged copy: one byte of index copy 1 (at 4 KiB), then of a label
cp /tmp/store.bin /tmp/bad.bin
printf '\xff' | dd of=/tmp/bad.bin bs=1 seek=$((4096 + 64)) conv=notrunc status=none
run $P check-labels region0 --file /tmp/bad.bin
expect_eq "$rc" 1 "check-labels on a damaged index copy"
echo "$out" | jq -r '.problems[]' | grep -q "^index copy 1: " ||
	fail "the damaged index copy is not named: $out"
slot=$(jq -r "[.labels[] | select(.name == \"b\")][0].slot" <<<"$($P read-labels region0)")
cp /tmp/store.bin /tmp/bad.bin
printf '\x5a' | dd of=/tmp/bad.bin bs=1 seek=$((8192 + slot * 256 + 40)) conv=notrunc status=none
run $P check-labels region0 --file /tmp/bad.bin
expect_eq "$rc" 1 "check-labels on a damaged label"
echo "$out" | jq -r '.problems[]' | grep -q "slot $slot: " || fail "the damaged slot is not named: $out"

# root only
run setpriv --reuid=65534 --regid=65534 --clear-groups $P read-labels region0
expect_eq "$rc" 1 "read-labels as nobody"
expect_eq "$err" "pmemctl read-labels: reading the label store of region0 needs root (CAP_SYS_ADMIN)" \
	"the unprivileged refusal"

expect_eq "$(cat $sys/region0/label_seq)" "$seq" "reading changed nothing"
no_splat
echo "labels-dump: all checks passed"
