#!/bin/bash
# Control plane of pmemctl: list / create / destroy latency at 1, 32, 1000
# and 4096 namespaces in one 9 GiB region (2 MiB namespaces). The region is
# filled to COUNT-1 namespaces by bench/ns-fill (untimed set-up); then, REPS
# times, the pmemctl CLI creates one (timed: COUNT-1 -> COUNT), lists all
# COUNT (timed), and destroys the one it created (timed: COUNT -> COUNT-1).
# The median of the REPS is reported.
# vm-mem: 12G
# vm-append: memmap=9G!4G
# vm-timeout: 1500
. "$PMEMCTL_SRCDIR/bench/guest/lib.sh"

COUNTS="1 32 1000 4096"
REPS=5
fill=$PMEMCTL_BUILDDIR/bench/ns-fill
[ -x "$fill" ] || die "$fill not built (bench/run builds it)"

insmod "$PMEMCTL_KO" || die "insmod $PMEMCTL_KO"
pmemctl_cli init-labels region0 >/dev/null || die "init-labels"
echo "region0: $(cat /sys/bus/pmemctl/devices/region0/size) bytes, $(cat /sys/bus/pmemctl/devices/region0/max_namespaces) label slots"
# JSON is pmemctl list's only output format; use --json if this CLI takes it.
listopt=(-N)
pmemctl_cli list -N --json >/dev/null 2>&1 && listopt=(-N --json)
echo "list command: pmemctl list ${listopt[*]}"
# The namespace destroyed is enabled: that takes --force where the CLI has it
# (ndctl's side uses -f too).
destroyopt=()
pmemctl_cli destroy-namespace -h | grep -q -- --force && destroyopt=(--force)
echo "destroy command: pmemctl destroy-namespace ${destroyopt[*]}"

have=0
for count in $COUNTS; do
	if [ $((count - 1)) -gt $have ]; then
		s=$EPOCHREALTIME
		"$fill" 0 $((count - 1 - have)) "f$have-" || die "ns-fill to $((count - 1))"
		echo "filled $have -> $((count - 1)) namespaces in $(awk -v s="$s" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }') s"
		have=$((count - 1))
	fi
	c= l= d=
	for r in $(seq 1 $REPS); do
		c+=" $(secs pmemctl_cli create-namespace -r region0 -s 2M -n "m$count-$r" --mode raw)"
		dev=$(jq -r .dev /tmp/last_out)
		l+=" $(secs pmemctl_cli list "${listopt[@]}")"
		n=$(jq length /tmp/last_out)
		[ "$n" = "$count" ] || die "list shows $n namespaces, expected $count"
		d+=" $(secs pmemctl_cli destroy-namespace "${destroyopt[@]}" "$dev")"
	done
	echo "count $count: create$c; list$l; destroy$d"
	result ctl create "$count" "$(echo "$c" | median)"
	result ctl list "$count" "$(echo "$l" | median)"
	result ctl destroy "$count" "$(echo "$d" | median)"
done
