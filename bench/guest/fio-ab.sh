#!/bin/bash
# fio on a pmemctl raw namespace and on libnvdimm's raw device (nd_e820 +
# nd_pmem, the reference) on the same memmap=1G!4G range, alternating in
# one guest for FIO_ROUNDS rounds, so that a change in host load between
# boots cannot favour either side. nd_pmem's device starts at the range's
# first byte and overwrites our label store, so each pmemctl round
# initialises a fresh one.
# vm-mem: 6G
# vm-append: memmap=1G!4G
# vm-timeout: 1200
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"	# unload_nd_e820

for round in $(seq 1 "${FIO_ROUNDS:-3}"); do
	RESULT_AS=fio-pmemctl
	insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
	pmemctl_cli init-labels --force region0 >/dev/null || die "init-labels"
	pmemctl_cli create-namespace -r region0 -s 1020M -n fio --mode raw >/tmp/ns.json ||
		die "create-namespace"
	dev=/dev/$(jq -r .blockdev /tmp/ns.json)
	wait_for "$dev" || die "$dev did not appear"
	echo "round $round: $dev, pmemctl raw namespace"
	fio_all "$dev"
	pmemctl_cli disable-namespace all >/dev/null
	rmmod pmemctl || die "rmmod pmemctl"

	RESULT_AS=fio-ndpmem
	modprobe nd_e820 && modprobe nd_pmem || die "modprobe nd_e820 nd_pmem"
	wait_for /dev/pmem0 || die "/dev/pmem0 did not appear"
	echo "round $round: /dev/pmem0, libnvdimm $(basename "$(readlink -f /sys/block/pmem0/device)")"
	fio_all /dev/pmem0
	unload_nd_e820 || die "cannot unload nd_pmem/nd_e820"
done
