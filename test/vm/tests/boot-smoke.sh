#!/bin/bash
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"
grep -i "persistent memory" /proc/iomem
load_module
ls /sys/bus/pmemctl/devices
cat /sys/bus/pmemctl/devices/*/size
dmesg | grep pmemctl
unload_module
