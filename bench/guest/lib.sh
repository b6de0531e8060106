# Helpers for the benchmark guest scripts (sourced; bash, root, in the guest).
# A guest script prints its figures as lines
#   RESULT <benchmark> <metric> <count-or-dash> <value>
# which bench/run collects from the output of test/vm/run-test, filed under
# the script's name, or under $RESULT_AS when a script measures both sides.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The knobs (FIO_ROUNDS, LIST_COUNT, MEMMAP_CYCLES, ...) as bench/run was given them
# shellcheck disable=SC1091
[ -r "$PMEMCTL_BUILDDIR/bench-env" ] && . "$PMEMCTL_BUILDDIR/bench-env"

die() {
	echo "FAIL: $*"
	exit 1
}

result() {
	echo "RESULT${RESULT_AS:+@$RESULT_AS} $*"
}

# The installed-style CLI: the real binary, not libtool's wrapper script
# (a bash script whose start-up alone costs ~0.4 s under TCG).
pmemctl_cli() {
	LD_LIBRARY_PATH=$PMEMCTL_BUILDDIR/lib/.libs "$PMEMCTL_BUILDDIR/cli/.libs/pmemctl" "$@"
}

# secs CMD...: run CMD (stdout to $last_out), print the wall time in seconds.
# A failing command aborts the benchmark: a time for a failure means nothing.
secs() {
	local s=$EPOCHREALTIME e
	"$@" >/tmp/last_out 2>/tmp/last_err || {
		echo "FAIL: $* (exit $?): $(head -c 300 /tmp/last_err)" >&2
		exit 1
	}
	e=$EPOCHREALTIME
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
}

median() {
	tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) printf "%.4f\n", v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

wait_for() {	# wait_for PATH [SECONDS]
	local i
	for i in $(seq 1 $((${2:-30} * 10))); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# fio_all DEV: the four fio jobs on DEV, over the same 512 MiB range of any
# device, each time-based; prints RESULT lines (IOPS for 4 KiB, MB/s for 1 MiB).
FIO_SIZE=${FIO_SIZE:-512m}
FIO_RUNTIME=${FIO_RUNTIME:-8}
fio_all() {
	local dev=$1 job rw bs out
	for job in randread:4k randwrite:4k read:1m write:1m; do
		rw=${job%:*} bs=${job#*:}
		out=/tmp/fio-$rw.json
		fio --name="$rw-$bs" --filename="$dev" --rw="$rw" --bs="$bs" --size="$FIO_SIZE" \
			--offset=0 --direct=1 --ioengine=psync --numjobs=1 --iodepth=1 \
			--time_based --runtime="$FIO_RUNTIME" --ramp_time=1 --norandommap \
			--randrepeat=1 --output-format=json >"$out" 2>/tmp/fio.err ||
			die "fio $rw $bs on $dev: $(cat /tmp/fio.err)"
		case "$rw" in
		randread) result fio randread-4k-iops - "$(jq '.jobs[0].read.iops' "$out")" ;;
		randwrite) result fio randwrite-4k-iops - "$(jq '.jobs[0].write.iops' "$out")" ;;
		read) result fio seqread-1m-MBps - "$(jq '.jobs[0].read.bw_bytes / 1e6' "$out")" ;;
		write) result fio seqwrite-1m-MBps - "$(jq '.jobs[0].write.bw_bytes / 1e6' "$out")" ;;
		esac
	done
}

# The reference's labelled region: QEMU's NVDIMM (vm-qemu in the script)
# through nfit + nd_pmem, labels initialised, 2 MiB alignment like ours.
ndctl_nfit_region() {
	modprobe nfit && modprobe nd_pmem || die "modprobe nfit nd_pmem"
	wait_for /sys/bus/nd/devices/region0 || die "no NFIT region"
	ndctl disable-region all >/dev/null 2>&1 || die "disable-region"
	ndctl init-labels -f all >/dev/null 2>&1 || die "init-labels"
	echo 2097152 >/sys/bus/nd/devices/region0/align || die "region align"
	ndctl enable-region all >/dev/null 2>&1 || die "enable-region"
}
