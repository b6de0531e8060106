#!/bin/bash
# What ./setup-and-demo shows in the guest: the module finding the emulated
# pmem, then the CLI carving a region into namespaces that are ordinary
# block devices, and choosing page backing for one with a dry run first.
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
echo "== what 512M would give and cost per mode: pmemctl create-namespace --dry-run -m page|pfn"
for m in page pfn; do
	"$PMEMCTL" create-namespace -r region0 -s 512M -m $m --dry-run |
		jq -M -c '{mode, size, data_size, metadata_ram, metadata_dev}'
done
echo "== pmemctl create-namespace -r region0 -s 512M -m pfn -n pm; mount -o dax"
"$PMEMCTL" create-namespace -r region0 -s 512M -m pfn -n pm |
	jq -M -c '{dev, mode, blockdev, data_size, metadata_ram, metadata_dev}'
mkfs.ext4 -q -F -b 4096 /dev/pmem0n2
mkdir -p /mnt/pm && mount -o dax /dev/pmem0n2 /mnt/pm && grep /mnt/pm /proc/mounts
echo "== pmemctl destroy-namespace db   (enabled: refused without --force)"
"$PMEMCTL" destroy-namespace db || true
echo "== pmemctl destroy-namespace --force db   (mounted: refused even so)"
"$PMEMCTL" destroy-namespace --force db || true
