#!/bin/bash
# What ./setup-and-demo shows in the guest: the module finding the emulated
# pmem and the CLI listing it.
set -e
echo "== guest kernel $(uname -r), /proc/iomem:"
grep "Persistent Memory" /proc/iomem
echo "== insmod pmemctl.ko"
insmod "$PMEMCTL_KO"
dmesg | grep -E 'pmemctl(:| region)' | grep -v taint
echo "== pmemctl list --human"
"$PMEMCTL" list --human
echo "== pmemctl list"
"$PMEMCTL" list
