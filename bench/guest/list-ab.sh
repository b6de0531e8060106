#!/bin/bash
# list -N at COUNT namespaces, pmemctl against ndctl 76.1 in one guest:
# QEMU's labelled NVDIMM (NFIT, 128 KiB label area) for ndctl and a memmap
# region for pmemctl, both filled to COUNT 2 MiB namespaces (untimed: ndctl's
# through libnvdimm's sysfs as in ctl-ndctl.sh, ours with bench/ns-fill), then
# ROUNDS rounds that each time `ndctl list -N` and `pmemctl list -N` one
# after the other. Host load that comes and goes hits both sides alike, so
# the ratio of the medians is steadier than one from separate guests.
# vm-mem: 8G
# vm-append: memmap=3G!4G
# vm-timeout: 2400
# vm-qemu: -machine nvdimm=on -m 8G,slots=2,maxmem=20G -object memory-backend-file,id=mem1,share=on,mem-path=@JOB@/nvdimm,size=2G -device nvdimm,memdev=mem1,id=nv1,label-size=128K
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

COUNT=${LIST_COUNT:-1000}
ROUNDS=${LIST_ROUNDS:-5}
fill=$PMEMCTL_BUILDDIR/bench/ns-fill
[ -x "$fill" ] || die "$fill not built (bench/run builds it)"

ndctl_nfit_region
r=/sys/bus/nd/devices/region0
insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
pmemctl_cli init-labels region0 >/dev/null || die "init-labels"

s=$SECONDS
"$fill" 0 "$COUNT" f >/dev/null || die "ns-fill to $COUNT"
for i in $(seq 1 "$COUNT"); do
	ns=$(cat $r/namespace_seed)
	cat /proc/sys/kernel/random/uuid >/sys/bus/nd/devices/"$ns"/uuid &&
		echo 2097152 >/sys/bus/nd/devices/"$ns"/size &&
		echo "$ns" >/sys/bus/nd/drivers/nd_pmem/bind || die "ndctl side: sysfs fill at $i"
done
echo "filled both sides to $COUNT namespaces in $((SECONDS - s)) s"

nd= pm=
for i in $(seq 1 "$ROUNDS"); do
	nd+=" $(secs ndctl list -N)"
	[ "$(jq length /tmp/last_out)" = "$COUNT" ] || die "ndctl list shows $(jq length /tmp/last_out)"
	pm+=" $(secs pmemctl_cli list -N)"
	[ "$(jq length /tmp/last_out)" = "$COUNT" ] || die "pmemctl list shows $(jq length /tmp/last_out)"
	echo "round $i: ndctl ${nd##* } pmemctl ${pm##* }"
done
result list-ab ndctl "$COUNT" "$(echo "$nd" | median)"
result list-ab pmemctl "$COUNT" "$(echo "$pm" | median)"
