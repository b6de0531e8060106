#!/bin/bash
# fio on a pmemctl raw namespace (1020 MiB of a memmap=1G!4G region).
# vm-mem: 6G
# vm-append: memmap=1G!4G
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
pmemctl_cli init-labels region0 >/dev/null || die "init-labels"
pmemctl_cli create-namespace -r region0 -s 1020M -n fio --mode raw >/tmp/ns.json || die "create-namespace"
dev=/dev/$(jq -r .blockdev /tmp/ns.json)
wait_for "$dev" || die "$dev did not appear"
echo "device: $dev ($(blockdev --getsize64 "$dev") bytes), pmemctl raw namespace"
fio_all "$dev"
