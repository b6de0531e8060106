#!/bin/bash
# With the real systemd-udevd and our rules: creating namespaces gives
# /dev/disk/by-id/pmemctl-{uuid,name}-* links (and -partN for partitions)
# to the right block devices; destroying them removes the links; uevents
# carry the namespace's name, UUID and mode. A name used in two regions
# has exact region-qualified links.
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

start_udevd

udevadm monitor --udev --property --subsystem-match=pmemctl >/tmp/events 2>&1 &
mon=$!
load_module
run "$PMEMCTL" init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"
run "$PMEMCTL" create-namespace -r region0 -s 16M -n alpha --mode raw
expect_eq "$rc" 0 "create alpha ($err)"
uuid_a=$(echo "$out" | jq -r .uuid)
run "$PMEMCTL" create-namespace -r region0 -s 8M -n beta
expect_eq "$rc" 0 "create beta ($err)"
blk_b=$(echo "$out" | jq -r .blockdev)
udevadm settle -t 30 || fail "udev did not settle"

by=/dev/disk/by-id
expect_eq "$(readlink -f $by/pmemctl-name-alpha)" /dev/pmem0n0 "by-name link of alpha"
expect_eq "$(readlink -f $by/pmemctl-uuid-$uuid_a)" /dev/pmem0n0 "by-uuid link of alpha"
expect_eq "$(readlink -f $by/pmemctl-name-beta)" "/dev/$blk_b" "by-name link of beta"
expect_eq "$(readlink -f $by/pmemctl-region0-name-alpha)" /dev/pmem0n0 "region-qualified link of alpha"

# the same name in two regions: each region-qualified link is exact
run "$PMEMCTL" init-labels region1
expect_eq "$rc" 0 "init-labels region1 ($err)"
run "$PMEMCTL" create-namespace -r region1 -s 8M -n beta
expect_eq "$rc" 0 "create beta in region1 ($err)"
blk_b1=$(echo "$out" | jq -r .blockdev)
udevadm settle -t 30 || fail "udev did not settle"
expect_eq "$(readlink -f $by/pmemctl-region0-name-beta)" "/dev/$blk_b" "region0's beta"
expect_eq "$(readlink -f $by/pmemctl-region1-name-beta)" "/dev/$blk_b1" "region1's beta"

# partitions get -partN links
printf 'label: gpt\n,4M\n,\n' | sfdisk -q /dev/pmem0n0 || fail "sfdisk"
udevadm settle -t 30
expect_eq "$(readlink -f $by/pmemctl-name-alpha-part1)" /dev/pmem0n0p1 "partition 1 link"
expect_eq "$(readlink -f $by/pmemctl-uuid-$uuid_a-part2)" /dev/pmem0n0p2 "partition 2 link"
expect_eq "$(readlink -f $by/pmemctl-region0-name-alpha-part1)" /dev/pmem0n0p1 "region-qualified partition link"

# disable removes the links, enable brings them back
run "$PMEMCTL" disable-namespace alpha
expect_eq "$rc" 0 "disable alpha ($err)"
udevadm settle -t 30
[ ! -e $by/pmemctl-name-alpha ] || fail "link left after disable"
run "$PMEMCTL" enable-namespace alpha
expect_eq "$rc" 0 "enable alpha ($err)"
udevadm settle -t 30
expect_eq "$(readlink -f $by/pmemctl-name-alpha)" /dev/pmem0n0 "link after enable"

# destroy removes them for good (--force: both are enabled)
run "$PMEMCTL" destroy-namespace --force all
expect_eq "$rc" 0 "destroy all ($err)"
udevadm settle -t 30
ls $by | grep pmemctl && fail "links left after destroy"

kill $mon
grep -q "PMEMCTL_NAME=alpha" /tmp/events || fail "no udev event with the name"
grep -q "PMEMCTL_UUID=$uuid_a" /tmp/events || fail "no udev event with the uuid"
grep -q "PMEMCTL_MODE=raw" /tmp/events || fail "no udev event with the mode"
udevadm control --exit
unload_module
echo ok
