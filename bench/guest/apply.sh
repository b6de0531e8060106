#!/bin/bash
# pmemctl apply against sequential creates and ndctl, in one guest: COUNT
# 2 MiB raw namespaces made three ways, each timed as a whole (wall time):
#  1. pmemctl apply --init on a layout file of COUNT namespaces, on the
#     memmap region as the guest boots it (no label store: --init makes one,
#     then one batch commit creates all COUNT);
#  2. COUNT sequential `pmemctl create-namespace -r region0 -s 2M -n nI`
#     after the same region is emptied (disable-namespace all, init-labels
#     --force; untimed);
#  3. ndctl 76.1 create-namespace -m raw -s 2M, one after the other, on
#     QEMU's labelled NVDIMM (NFIT, 128 KiB label area, set up as in
#     ctl-ndctl.sh). Each ndctl create costs more the more namespaces
#     the region has (~0.6 s at 32, ~6.4 s at 1000 under TCG), so COUNT of
#     them would take about an hour: only NDCTL_COUNT (default 100) are
#     timed, and the figure for COUNT is extrapolated per namespace (mean
#     of the NDCTL_COUNT x COUNT; a lower bound, said so in the output).
#     A least-squares line through the per-create times, summed to COUNT,
#     is printed as a second estimate.
# memmap=3G!4G holds 1535 namespaces of 2 MiB next to the label store.
# vm-mem: 8G
# vm-append: memmap=3G!4G
# vm-timeout: 2400
# vm-qemu: -machine nvdimm=on -m 8G,slots=2,maxmem=20G -object memory-backend-file,id=mem1,share=on,mem-path=@JOB@/nvdimm,size=2G -device nvdimm,memdev=mem1,id=nv1,label-size=128K
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

COUNT=${APPLY_COUNT:-1000}
NDCTL_COUNT=${APPLY_NDCTL_COUNT:-100}
[ "$NDCTL_COUNT" -gt "$COUNT" ] && NDCTL_COUNT=$COUNT

since() {	# since START: seconds from EPOCHREALTIME START to now
	awk -v s="$1" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", e - s }'
}

insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
p=/sys/bus/pmemctl/devices/region0
echo "pmemctl region0: $(cat $p/size) bytes"

# 1. apply
{
	printf '[{"dev":"region0","namespaces":['
	for i in $(seq 0 $((COUNT - 1))); do
		[ "$i" -gt 0 ] && printf ','
		printf '{"name":"n%d","size":2097152}' "$i"
	done
	printf ']}]\n'
} >/tmp/layout.json
t_apply=$(secs pmemctl_cli apply --init /tmp/layout.json)
[ -n "$t_apply" ] || die "pmemctl apply --init of $COUNT namespaces: $(head -c 600 /tmp/last_err)"
cp /tmp/last_out /tmp/apply.json
echo "apply: $t_apply s, $(jq '[.actions[] | select(.action == "create")] | length' /tmp/apply.json) creates, $(jq -r '[.actions[] | select(.action == "init-labels")] | length' /tmp/apply.json) init-labels, $(jq '.refusals | length' /tmp/apply.json) refusals"
n=$(pmemctl_cli list -N | jq length)
[ "$n" = "$COUNT" ] || die "after apply, pmemctl list shows $n namespaces, expected $COUNT"
# Applying again changes nothing (not timed into the result; a check).
echo "apply again (no change): $(secs pmemctl_cli apply /tmp/layout.json) s, unchanged $(jq .unchanged /tmp/last_out)"

# 2. sequential creates on the emptied region
pmemctl_cli disable-namespace all >/dev/null || die "disable-namespace all"
pmemctl_cli init-labels --force region0 >/dev/null || die "init-labels --force"
n=$(pmemctl_cli list -N | jq length)
[ "$n" = 0 ] || die "after init-labels --force, $n namespaces"
s=$EPOCHREALTIME
for i in $(seq 0 $((COUNT - 1))); do
	pmemctl_cli create-namespace -r region0 -s 2M -n "n$i" >/dev/null 2>/tmp/err ||
		die "create-namespace n$i (at $i): $(head -c 300 /tmp/err)"
done
t_seq=$(since "$s")
echo "sequential creates: $t_seq s"
n=$(pmemctl_cli list -N | jq length)
[ "$n" = "$COUNT" ] || die "after creates, pmemctl list shows $n namespaces, expected $COUNT"
pmemctl_cli disable-namespace all >/dev/null || die "disable-namespace all"

# 3. ndctl, one create-namespace after the other
ndctl_nfit_region
r=/sys/bus/nd/devices/region0
echo "nd region0: $(cat $r/size) bytes, align $(cat $r/align), ndctl $(ndctl --version 2>/dev/null | head -1)"
times=
s=$EPOCHREALTIME
for i in $(seq 1 "$NDCTL_COUNT"); do
	times+=" $(secs ndctl create-namespace -r region0 -m raw -s 2M)"
done
t_nd=$(since "$s")
n=$(ndctl list -N | jq length)
[ "$n" = "$NDCTL_COUNT" ] || die "ndctl list shows $n namespaces, expected $NDCTL_COUNT"
echo "ndctl: $NDCTL_COUNT creates in $t_nd s; first ${times:1:40}; last ${times: -30}"
result apply apply "$COUNT" "$t_apply"
result apply sequential "$COUNT" "$t_seq"
if [ "$NDCTL_COUNT" = "$COUNT" ]; then
	result apply ndctl "$COUNT" "$t_nd"
else
	# per namespace: the mean of the NDCTL_COUNT creates, times COUNT
	result apply ndctl "$COUNT" "$(awk -v t="$t_nd" -v n="$NDCTL_COUNT" -v c="$COUNT" \
		'BEGIN { printf "%.4f", t / n * c }')" "extrapolated-from-$NDCTL_COUNT"
	# fitted: create i costs a + b*i (least squares), summed over 1..COUNT
	result apply ndctl-fit "$COUNT" "$(echo "$times" | tr ' ' '\n' | grep . | awk -v c="$COUNT" '
		{ x = NR; sx += x; sy += $1; sxx += x * x; sxy += x * $1 }
		END { b = (NR * sxy - sx * sy) / (NR * sxx - sx * sx); a = (sy - b * sx) / NR
			printf "%.4f", a * c + b * c * (c + 1) / 2 }')"
fi
