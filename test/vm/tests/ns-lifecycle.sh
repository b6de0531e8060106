#!/bin/bash
# The raw namespace lifecycle through the kernel ABI alone (no library):
# init-labels, create, block device and its data, disable/enable, destroy,
# EBUSY while open or mounted, uevents, and the label rules.
# vm-timeout: 240
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
[ -x "$nsi" ] || fail "$nsi not built"
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))

load_module
expect_eq "$(cat $sys/region0/state)" uninitialized "state before init"
expect_eq "$("$nsi" create 0 $((4 * MiB)))" "errno ENXIO" "create before init-labels"

expect_eq "$("$nsi" init 0)" ok "init-labels"
expect_eq "$(cat $sys/region0/state)" active "state after init"
expect_eq "$(cat $sys/region0/max_namespaces)" 8160 "label slots"
expect_eq "$(cat $sys/region0/available_size)" $((1022 * MiB)) "available after the 2 MiB store"
expect_eq "$(cat $sys/region0/max_available_extent)" $((1022 * MiB)) "largest extent"
expect_eq "$("$nsi" init 0)" "errno EEXIST" "init over a valid store without force"
expect_eq "$(cat $sys/region1/state)" uninitialized "region1 untouched"

# create three; ids 0, 1, 2 in address order; names and uuids unique
udevadm monitor --kernel --property --subsystem-match=pmemctl >/tmp/uevents 2>&1 &
mon=$!
sleep 0.5
expect_eq "$("$nsi" create 0 $((64 * MiB)) 0 alpha | cut -d' ' -f1-4)" "id 0 offset $((2 * MiB))" "create alpha"
expect_eq "$("$nsi" create 0 $((32 * MiB)) 0 beta | cut -d' ' -f1-4)" "id 1 offset $((66 * MiB))" "create beta"
expect_eq "$("$nsi" create 0 $((8 * MiB)) $((8 * MiB)) gamma | cut -d' ' -f1-4)" "id 2 offset $((104 * MiB))" "aligned create"
expect_eq "$("$nsi" create 0 $((2 * MiB)) 0 alpha)" "errno EEXIST" "duplicate name"
expect_eq "$("$nsi" create 0 $((2048 * MiB)))" "errno ENOSPC" "larger than free space"
expect_eq "$(cat $sys/namespace0.0/name) $(cat $sys/namespace0.0/mode) $(cat $sys/namespace0.0/size)" \
	"alpha raw $((64 * MiB))" "namespace0.0 attributes"
expect_eq "$(cat $sys/namespace0.1/blockdev)" pmem0n1 "blockdev"
expect_eq "$(cat $sys/namespace0.1/state)" enabled "state"
expect_eq "$(stat -c %a $sys/namespace0.1/resource)" 400 "resource mode"
expect_eq "$(cat $sys/namespace0.1/resource)" "$(printf '%#x' $((0x100000000 + 66 * MiB)))" "resource"
uuid=$(cat $sys/namespace0.0/uuid)
echo "$uuid" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' || fail "uuid format: $uuid"
expect_eq "$(cat $sys/region0/available_size)" $(((1022 - 104) * MiB)) "available after three"

# the block devices
[ -b /dev/pmem0n0 ] || fail "/dev/pmem0n0 missing"
expect_eq "$(blockdev --getsize64 /dev/pmem0n1)" $((32 * MiB)) "pmem0n1 size"
expect_eq "$(blockdev --getss /dev/pmem0n1)" 512 "logical block size"
expect_eq "$(blockdev --getpbsz /dev/pmem0n1)" 4096 "physical block size"
expect_eq "$(cat /sys/block/pmem0n1/queue/write_cache)" "write back" "write cache"
expect_eq "$(cat /sys/block/pmem0n1/queue/fua)" 1 "FUA"
head -c $((32 * MiB)) /dev/urandom >/tmp/pattern
dd if=/tmp/pattern of=/dev/pmem0n1 bs=1M oflag=direct status=none || fail "write pmem0n1"
cmp <(dd if=/dev/pmem0n1 bs=1M iflag=direct status=none) /tmp/pattern || fail "read back pmem0n1"
dd if=/tmp/pattern of=/dev/pmem0n0 bs=4k count=3 seek=1 oflag=direct status=none
cmp <(dd if=/dev/pmem0n0 bs=4k count=3 skip=1 iflag=direct status=none) <(head -c 12288 /tmp/pattern) ||
	fail "4 KiB I/O at an offset"
# neighbours untouched by writes to pmem0n1
expect_eq "$(dd if=/dev/pmem0n2 bs=1M count=1 status=none | tr -d '\0' | wc -c)" 0 "pmem0n2 still zero"

# busy: open, then mounted
exec 7</dev/pmem0n1
expect_eq "$("$nsi" destroy 0 1)" "errno EBUSY" "destroy while open"
expect_eq "$("$nsi" disable 0 1)" "errno EBUSY" "disable while open"
exec 7<&-
mkfs.ext4 -q -F -b 4096 /dev/pmem0n0 || fail mkfs
mkdir -p /mnt/a && mount /dev/pmem0n0 /mnt/a || fail mount
echo hello >/mnt/a/f && sync
expect_eq "$("$nsi" destroy 0 0)" "errno EBUSY" "destroy while mounted"
expect_eq "$(cat /mnt/a/f)" hello "data intact after refused destroy"
umount /mnt/a

# disable / enable keep the data
expect_eq "$("$nsi" disable 0 1)" ok "disable"
expect_eq "$(cat $sys/namespace0.1/state)" disabled "disabled state"
expect_eq "$(cat $sys/namespace0.1/blockdev)" "" "no blockdev while disabled"
[ ! -e /dev/pmem0n1 ] || fail "/dev/pmem0n1 still there"
expect_eq "$("$nsi" enable 0 1)" ok "enable"
cmp <(dd if=/dev/pmem0n1 bs=1M iflag=direct status=none) /tmp/pattern || fail "data after disable/enable"

# destroy frees the extent; the next create reuses the lowest id and the gap
expect_eq "$("$nsi" destroy 0 1)" ok "destroy"
[ ! -e $sys/namespace0.1 ] || fail "namespace0.1 still there"
expect_eq "$("$nsi" create 0 $((16 * MiB)) 0 delta | cut -d' ' -f1-4)" "id 1 offset $((66 * MiB))" "reuse of the gap"
expect_eq "$("$nsi" init 0 force)" "errno EBUSY" "init --force with enabled namespaces"

kill $mon
grep -q "PMEMCTL_NAME=alpha" /tmp/uevents || fail "no uevent with the name"
grep -q "PMEMCTL_UUID=$uuid" /tmp/uevents || fail "no uevent with the uuid"
grep -q "PMEMCTL_MODE=raw" /tmp/uevents || fail "no uevent with the mode"
grep -q "^ACTION=remove" /tmp/uevents || grep -q "remove" /tmp/uevents || fail "no remove uevent"
grep -q "change" /tmp/uevents || fail "no change uevent"

# unprivileged: every change is EPERM
for op in "init 0 force" "create 0 2097152" "destroy 0 0" "enable 0 0" "disable 0 0"; do
	# shellcheck disable=SC2086
	expect_eq "$(setpriv --reuid=65534 --regid=65534 --clear-groups "$nsi" $op)" "errno EPERM" "unprivileged $op"
done
expect_eq "$(cat $sys/namespace0.0/name)" alpha "nothing changed by EPERM"

"$nsi" badreq 0 || fail "malformed requests"
expect_eq "$(ls -d $sys/namespace0.* | wc -l)" 3 "namespace count unchanged by bad requests"

unload_module
load_module
expect_eq "$(ls -d $sys/namespace0.* | xargs -n1 basename | tr '\n' ' ')" \
	"namespace0.0 namespace0.1 namespace0.2 " "namespaces after reload"
expect_eq "$(cat $sys/namespace0.1/name)" delta "name after reload"
expect_eq "$(cat $sys/namespace0.0/uuid)" "$uuid" "uuid after reload"
expect_eq "$(cat $sys/namespace0.1/state)" enabled "enabled after reload"
[ -b /dev/pmem0n1 ] || fail "no /dev/pmem0n1 after reload"
unload_module
echo ok
