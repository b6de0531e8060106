#!/bin/bash
# pmemctl list -R shows both emulated regions with exact sizes, in address
# order, as a JSON array that jq parses; filters and --human behave.
# vm-append: memmap=1G!4G memmap=512M!5G
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

load_module

run "$PMEMCTL" list -R
expect_eq "$rc" 0 "list -R exit status"
[ -z "$err" ] || fail "list -R wrote to stderr: $err"
echo "$out"
echo "$out" | jq -e 'type == "array"' >/dev/null || fail "output is not a JSON array"
expect_eq "$(echo "$out" | jq length)" 2 "region count"
expect_eq "$(echo "$out" | jq -r '[.[].dev] | join(",")')" "region0,region1" "region names"
expect_eq "$(echo "$out" | jq '.[0].size')" 1073741824 "region0 size"
expect_eq "$(echo "$out" | jq '.[1].size')" 536870912 "region1 size"
expect_eq "$(echo "$out" | jq '.[0].resource')" 4294967296 "region0 resource (4G)"
expect_eq "$(echo "$out" | jq '.[1].resource')" 5368709120 "region1 resource (5G)"
expect_eq "$(echo "$out" | jq -r '[.[].state] | unique | join(",")')" uninitialized "state"
expect_eq "$(echo "$out" | jq '[.[].align] | unique | .[0]')" 2097152 "align"
expect_eq "$(echo "$out" | jq '[.[].available_size, .[].max_available_extent] | unique')" "[
  0
]" "available space before init-labels"
expect_eq "$(echo "$out" | jq -r '.[0].persistence_domain')" unknown "persistence_domain"
echo "$out" | jq -e 'all(.[]; (.numa_node | type) == "number" or .numa_node == null)' >/dev/null ||
	fail "numa_node is neither a number nor null"

# sysfs agrees with the JSON, one value per file
expect_eq "$(cat /sys/bus/pmemctl/devices/region1/size)" 536870912 "sysfs size"
expect_eq "$(stat -c %a /sys/bus/pmemctl/devices/region0/resource)" 400 "resource mode"

# filters: by name, by number, repeated, all
run "$PMEMCTL" list -R -r region1
expect_eq "$(echo "$out" | jq -r '[.[].dev] | join(",")')" region1 "-r region1"
run "$PMEMCTL" list -R -r 0
expect_eq "$(echo "$out" | jq -r '[.[].dev] | join(",")')" region0 "-r 0"
run "$PMEMCTL" list -R --region=region1 -r region0
expect_eq "$(echo "$out" | jq -r '[.[].dev] | join(",")')" "region0,region1" "two -r"
run "$PMEMCTL" list -R -r all
expect_eq "$(echo "$out" | jq length)" 2 "-r all"
run "$PMEMCTL" list -R -r region7
[ "$rc" -ne 0 ] || fail "-r region7 (absent) succeeded"
[ -z "$out" ] || fail "-r region7 printed on stdout: $out"
[ -n "$err" ] || fail "-r region7 gave no error message"
echo "absent region: $err"

# plain "list" shows regions too, same shape
run "$PMEMCTL" list
expect_eq "$(echo "$out" | jq '[.[].size]')" "$(echo '[1073741824,536870912]' | jq .)" "plain list"

# --human: units as strings, still JSON
run "$PMEMCTL" list -R --human
expect_eq "$rc" 0 "--human exit status"
echo "$out" | jq -e '.[0].size | type == "string"' >/dev/null || fail "--human size not a string"
expect_eq "$(echo "$out" | jq -r '.[0].size')" "1.00 GiB" "--human region0 size"
expect_eq "$(echo "$out" | jq -r '.[1].size')" "512.00 MiB" "--human region1 size"

# an unprivileged user sees everything but the physical address
run setpriv --reuid=65534 --regid=65534 --clear-groups "$PMEMCTL" list -R
expect_eq "$rc" 0 "unprivileged list"
expect_eq "$(echo "$out" | jq '[.[].resource] | unique')" "$(echo '[null]' | jq .)" "unprivileged resource"
expect_eq "$(echo "$out" | jq '.[0].size')" 1073741824 "unprivileged size"

unload_module
[ ! -e /sys/bus/pmemctl ] || fail "/sys/bus/pmemctl still there after rmmod"
[ ! -e /dev/pmemctl ] || fail "/dev/pmemctl still there after rmmod"
grep -q "Persistent Memory (legacy)" /proc/iomem || fail "e820 ranges gone from /proc/iomem"
! grep -q region0 /proc/iomem || fail "region0 resource left in /proc/iomem"
echo "ok"
