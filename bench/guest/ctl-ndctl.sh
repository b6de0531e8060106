#!/bin/bash
# Control plane of the reference: ndctl 76.1 on QEMU's emulated NVDIMM with a
# 128 KiB label area (an NFIT region of 2 GiB, region align set to 2 MiB so
# that 2 MiB raw namespaces are accepted). Same method as ctl-pmemctl.sh:
# fill to COUNT-1 (untimed, through libnvdimm's sysfs: uuid, size, bind to
# nd_pmem, the same kernel steps ndctl takes), then REPS times: ndctl
# create-namespace -m raw -s 2M, ndctl list -N, ndctl destroy-namespace -f.
# The label area holds ~1019 namespaces, so 4096 cannot be measured.
# If filling would exceed FILL_BUDGET seconds, the last count is measured
# where the fill stopped and extrapolated linearly from that and COUNT 32
# (said so in the output).
# vm-mem: 6G
# vm-append:
# vm-timeout: 2400
# vm-qemu: -machine nvdimm=on -m 6G,slots=2,maxmem=16G -object memory-backend-file,id=mem1,share=on,mem-path=@JOB@/nvdimm,size=2G -device nvdimm,memdev=mem1,id=nv1,label-size=128K
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

COUNTS="1 32 1000"
REPS=3
FILL_BUDGET=1200

ndctl_nfit_region
r=/sys/bus/nd/devices/region0
echo "region0: $(cat $r/size) bytes, align $(cat $r/align), $(ndctl --version 2>/dev/null | head -1) (ndctl version)"

fill_one() {
	local s
	s=$(cat $r/namespace_seed)
	cat /proc/sys/kernel/random/uuid >/sys/bus/nd/devices/"$s"/uuid &&
		echo 2097152 >/sys/bus/nd/devices/"$s"/size &&
		echo "$s" >/sys/bus/nd/drivers/nd_pmem/bind
}

declare -A at32
have=0
deadline=$((SECONDS + FILL_BUDGET))
for count in $COUNTS; do
	s=$EPOCHREALTIME
	while [ $have -lt $((count - 1)) ] && [ $SECONDS -lt $deadline ]; do
		fill_one || die "sysfs fill at $have namespaces"
		have=$((have + 1))
	done
	echo "filled to $have namespaces in $(awk -v s="$s" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }') s"
	at=$((have + 1))
	c= l= d=
	for i in $(seq 1 $REPS); do
		c+=" $(secs ndctl create-namespace -r region0 -m raw -s 2M)"
		dev=$(jq -r .dev /tmp/last_out)
		l+=" $(secs ndctl list -N)"
		n=$(jq length /tmp/last_out)
		[ "$n" = "$at" ] || die "ndctl list shows $n namespaces, expected $at"
		d+=" $(secs ndctl destroy-namespace -f "$dev")"
	done
	echo "count $at: create$c; list$l; destroy$d"
	for m in create list destroy; do
		case $m in create) v=$(echo "$c" | median) ;; list) v=$(echo "$l" | median) ;;
		destroy) v=$(echo "$d" | median) ;; esac
		[ "$count" = 32 ] && at32[$m]=$v
		if [ "$at" = "$count" ]; then
			result ctl-ref "$m" "$count" "$v"
		else
			v=$(awk -v a="${at32[$m]}" -v b="$v" -v n="$at" -v t="$count" \
				'BEGIN { printf "%.4f", a + (b - a) * (t - 32) / (n - 32) }')
			result ctl-ref "$m" "$count" "$v" "extrapolated-from-$at"
		fi
	done
done
