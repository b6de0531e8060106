#!/bin/bash
# The CLI and library against the real module: init-labels, create (JSON
# on stdout, the documented keys; a used name refused without -r), list -N
# with filters (one matching nothing is an error), --json and -v, enable/
# disable/destroy by name, number, UUID and "all", and the error messages
# and exit codes for a full region, a busy namespace, an existing store, an
# unprivileged caller, an unknown namespace and an enabled namespace
# destroyed without --force (refused, data intact).
# vm-timeout: 900
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
load_module

run $P create-namespace -r region0 -s 4M
expect_eq "$rc" 1 "create before init-labels"
echo "$err" | grep -qi "init-labels" || fail "error does not say to run init-labels: $err"

run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"
run $P init-labels region0
expect_eq "$rc" 1 "init-labels over a valid store"
echo "$err" | grep -q -- "--force" || fail "refusal does not mention --force: $err"
[ -z "$out" ] || [ "$(echo "$out" | jq -c .)" = '{"initialized":0}' ] || fail "unexpected stdout: $out"

run $P create-namespace -r region0 -s 64M -n db --mode raw
expect_eq "$rc" 0 "create db ($err)"
echo "$out"
expect_eq "$(echo "$out" | jq -r '.dev, .mode, .size, .name, .state, .blockdev' | tr '\n' ' ')" \
	"namespace0.0 raw 67108864 db enabled pmem0n0 " "create output"
uuid=$(echo "$out" | jq -r .uuid)
run $P create-namespace -r 0 -s 1G -n big
expect_eq "$rc" 1 "create larger than the free space"
echo "ENOSPC message: $err"
echo "$err" | grep -q "region0 has .* free in extents of at most .*; asked for 1.00 GiB" ||
	fail "ENOSPC message does not give the numbers: $err"
run $P create-namespace -r region0 -s 8M -n db
expect_eq "$rc" 1 "duplicate name"
# without -r the CLI refuses it before asking the module, naming the region
run $P create-namespace -s 8M -n db
expect_eq "$rc" 1 "duplicate name without -r"
expect_eq "$err" \
	"pmemctl create-namespace: the name 'db' is already used in region0 (namespace0.0); choose another name, or give -r REGION to use it again in another region" \
	"refusal of a used name without -r"
run $P create-namespace -s 8M -n logs --mode fsdax --map=dev --dry-run
expect_eq "$rc" 0 "dry run of a pfn create ($err)"
expect_eq "$(echo "$out" | jq -r '.mode, .size, .data_size, .metadata_dev, .name, .state' | tr '\n' ' ')" \
	"pfn 8388608 6291456 2097152 logs enabled " "dry run output"
run $P list -N
expect_eq "$(echo "$out" | jq -r '[.[].name] | join(",")')" "db" "nothing created by the dry run"
run $P create-namespace -s 8M -n logs -a 4M
expect_eq "$rc" 0 "create without -r, aligned ($err)"
expect_eq "$(echo "$out" | jq -r .align)" 4194304 "align"

run $P list -N
expect_eq "$(echo "$out" | jq -r '[.[].name] | join(",")')" "db,logs" "list -N"
run $P list -N -n db
expect_eq "$(echo "$out" | jq -r '[.[].dev] | join(",")')" namespace0.0 "list -n by name"
run $P list -N -n "$uuid"
expect_eq "$(echo "$out" | jq -r '.[0].name')" db "list -n by uuid"
run $P list -N -m pfn
expect_eq "$rc" 1 "mode filter with no match"
expect_eq "$err" "pmemctl list: no namespace is in mode pfn" "mode filter with no match: message"
run $P list -N -m raw --json
expect_eq "$(echo "$out" | jq -r '[.[].name] | join(",")')" "db,logs" "list -m raw --json"
run $P list -N -v
expect_eq "$(echo "$out" | jq '.[0].resource')" $((0x100200000)) "-v resource"
run $P list -R -N
expect_eq "$(echo "$out" | jq '.[0].namespaces | length')" 2 "regions with namespaces"
# 1022 MiB after the store, less 64 + 8; the 2 MiB gap that aligning logs
# to 4 MiB left after db is still free
expect_eq "$(echo "$out" | jq '.[0].available_size')" $(((1022 - 64 - 8) * 1048576)) \
	"available_size after two creates"
expect_eq "$(echo "$out" | jq '.[0].max_available_extent')" $(((1022 - 64 - 2 - 8) * 1048576)) \
	"largest extent after two creates"
run $P list -N -n nosuch
expect_eq "$rc" 1 "unknown namespace filter"

# busy: mounted (even with --force)
mkfs.ext4 -q -F -b 4096 /dev/pmem0n0 && mkdir -p /mnt/db && mount /dev/pmem0n0 /mnt/db || fail mount
run $P destroy-namespace --force db
expect_eq "$rc" 1 "destroy --force a mounted namespace"
echo "EBUSY message: $err"
echo "$err" | grep -q "in use" || fail "EBUSY message: $err"
run $P disable-namespace 0.0
expect_eq "$rc" 1 "disable a mounted namespace"
umount /mnt/db

# unprivileged
run setpriv --reuid=65534 --regid=65534 --clear-groups $P destroy-namespace --force db
expect_eq "$rc" 1 "unprivileged destroy"
echo "EPERM message: $err"
run setpriv --reuid=65534 --regid=65534 --clear-groups $P list -N
expect_eq "$rc" 0 "unprivileged list"

run $P disable-namespace db
expect_eq "$rc" 0 "disable ($err)"
run $P list -N -n db
expect_eq "$(echo "$out" | jq -r '.[0].state, .[0].blockdev' | tr '\n' ' ')" "disabled null " "disabled view"
run $P enable-namespace "$uuid"
expect_eq "$rc" 0 "enable by uuid ($err)"
[ -b /dev/pmem0n0 ] || fail "no block device after enable"

# Without --force an enabled namespace is refused and keeps its data; a
# disabled one is destroyed; --force destroys an enabled one.
dd if=/dev/urandom of=/tmp/pattern bs=1M count=4 status=none || fail "make a pattern"
dd if=/tmp/pattern of=/dev/pmem0n0 bs=1M seek=1 oflag=direct conv=fsync status=none ||
	fail "write the pattern to pmem0n0"
run $P destroy-namespace db
expect_eq "$rc" 1 "destroy an enabled namespace without --force"
echo "refusal without --force: $err"
expect_eq "$err" \
	"pmemctl destroy-namespace: namespace0.0 is enabled (pmem0n0); disable it first or pass --force" \
	"refusal message"
expect_eq "$(echo "$out" | jq -c .)" '{"destroyed":0}' "refused: nothing destroyed"
run $P list -N -n db
expect_eq "$(echo "$out" | jq -r '.[0].state, .[0].blockdev, .[0].uuid' | tr '\n' ' ')" \
	"enabled pmem0n0 $uuid " "refused namespace still listed, enabled"
[ -b /dev/pmem0n0 ] || fail "block device gone after a refused destroy"
dd if=/dev/pmem0n0 bs=1M skip=1 count=4 iflag=direct status=none | cmp -s - /tmp/pattern ||
	fail "data changed by a refused destroy"
run $P disable-namespace logs
expect_eq "$rc" 0 "disable logs ($err)"
run $P destroy-namespace all
expect_eq "$rc" 1 "destroy all without --force, db enabled"
expect_eq "$(echo "$out" | jq -c .)" '{"destroyed":1}' "destroy all: only the disabled logs"
echo "$err" | grep -q "namespace0.0 is enabled (pmem0n0)" || fail "destroy all: db not refused: $err"
expect_eq "$($P list -N | jq -r '[.[].name] | join(",")')" db "only db left"
dd if=/dev/pmem0n0 bs=1M skip=1 count=4 iflag=direct status=none | cmp -s - /tmp/pattern ||
	fail "data changed by destroy all without --force"
run $P destroy-namespace --force db
expect_eq "$rc" 0 "destroy --force an enabled namespace ($err)"
expect_eq "$(echo "$out" | jq -c .)" '{"destroyed":1}' "destroy --force summary"
[ ! -e /dev/pmem0n0 ] || fail "/dev/pmem0n0 left after destroy --force"
run $P list -N
expect_eq "$(echo "$out" | jq -c .)" "[]" "nothing left"
run $P destroy-namespace namespace0.7
expect_eq "$rc" 1 "destroy of an unknown namespace"

# 32 namespaces through the CLI (timed: ASan binaries under TCG are slow)
start=$(date +%s)
for i in $(seq 1 32); do
	$P create-namespace -r region0 -s 2M -n n$i >/dev/null || fail "create n$i"
done
echo "32 creates: $(($(date +%s) - start))s"
expect_eq "$($P list -N | jq length)" 32 "32 namespaces"
start=$(date +%s)
run $P destroy-namespace --force all -r region0
echo "destroy all: $(($(date +%s) - start))s"
expect_eq "$(echo "$out" | jq -c .)" '{"destroyed":32}' "destroy 32"
unload_module
echo ok
