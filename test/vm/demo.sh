#!/bin/bash
# What ./setup-and-demo shows in the guest: the module finding the emulated
# pmem, then the CLI carving a region into namespaces that are ordinary
# block devices.
set -e
echo "== guest kernel $(uname -r), /proc/iomem:"
grep "Persistent Memory" /proc/iomem
echo "== insmod pmemctl.ko"
insmod "$PMEMCTL_KO"
dmesg | grep -E 'pmemctl(:| region)' | grep -v taint
echo "== pmemctl list"
"$PMEMCTL" list
echo "== pmemctl init-labels region0"
"$PMEMCTL" init-labels region0
echo "== pmemctl create-namespace -r region0 -s 256M -n db"
"$PMEMCTL" create-namespace -r region0 -s 256M -n db
echo "== pmemctl create-namespace -r region0 -s 64M -n logs"
"$PMEMCTL" create-namespace -r region0 -s 64M -n logs >/dev/null
echo "== pmemctl list -N --human"
"$PMEMCTL" list -N --human
echo "== mkfs.ext4 + mount /dev/pmem0n0"
mkfs.ext4 -q -F -b 4096 /dev/pmem0n0
mkdir -p /mnt/db && mount /dev/pmem0n0 /mnt/db && df -h /mnt/db | tail -1
echo "== pmemctl destroy-namespace db   (enabled: refused without --force)"
"$PMEMCTL" destroy-namespace db || true
echo "== pmemctl destroy-namespace --force db   (mounted: refused even so)"
"$PMEMCTL" destroy-namespace --force db || true
