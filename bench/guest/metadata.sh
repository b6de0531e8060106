#!/bin/bash
# The pfn device reserve, measured: libnvdimm's fsdax --map=dev namespaces
# (nd_e820 + ndctl 76.1) on a 512 MiB and a 1 GiB legacy range, whose raw
# namespaces are exactly those sizes, then pmemctl's pfn namespaces of the
# same sizes (dry run and real create) on a third range after nd_e820 is
# unloaded. ndctl overwrites the first two ranges; pmemctl writes only the
# third (region numbers follow address order, so it is region2 for both).
# vm-mem: 9G
# vm-append: memmap=512M!4G memmap=1G!5G memmap=2G!6G
# vm-timeout: 900
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"	# unload_nd_e820

MiB=$((1 << 20))
command -v ndctl >/dev/null || die "ndctl not installed"

modprobe nd_e820 && modprobe nd_pmem || die "modprobe nd_e820 nd_pmem"
for i in $(seq 1 50); do
	[ "$(ndctl list -N 2>/dev/null | jq length 2>/dev/null)" = 3 ] && break
	sleep 0.2
done
ndctl list -N >/tmp/raw.json || die "ndctl list"
for size in $((512 * MiB)) $((1024 * MiB)); do
	ns=$(jq -r --argjson s "$size" '.[] | select(.size == $s) | .dev' /tmp/raw.json)
	[ -n "$ns" ] || die "no raw namespace of $size bytes: $(cat /tmp/raw.json)"
	ndctl create-namespace -f -e "$ns" -m fsdax -M dev >/tmp/fsdax.json ||
		die "ndctl create-namespace -e $ns -m fsdax -M dev"
	usable=$(jq -r .size /tmp/fsdax.json)
	echo "libnvdimm $ns: raw $size, fsdax --map=dev size $usable"
	result metadata ref "$size" $((size - usable))
done
unload_nd_e820 || die "cannot unload nd_pmem/nd_e820"

insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
pmemctl_cli init-labels region2 >/dev/null || die "init-labels region2"
for size in $((512 * MiB)) $((1024 * MiB)); do
	pmemctl_cli create-namespace -r 2 -s "$size" -m pfn --dry-run >/tmp/dry.json ||
		die "dry run $size"
	pmemctl_cli create-namespace -r 2 -s "$size" -m pfn >/tmp/real.json ||
		die "create $size"
	dry=$(jq -r .metadata_dev /tmp/dry.json)
	real=$(jq -r .metadata_dev /tmp/real.json)
	data=$(jq -r .data_size /tmp/real.json)
	bdev=$(jq -r .blockdev /tmp/real.json)
	echo "pmemctl pfn $size: dry run $dry, created $real, data $data, /dev/$bdev $(blockdev --getsize64 "/dev/$bdev")"
	[ "$dry" = "$real" ] || die "dry run says $dry, create $real"
	[ "$((size - data))" = "$real" ] || die "data_size $data + metadata_dev $real != $size"
	result metadata ours "$size" "$real"
done
pmemctl_cli disable-namespace all >/dev/null || die "disable-namespace all"
rmmod pmemctl || die "rmmod pmemctl"
