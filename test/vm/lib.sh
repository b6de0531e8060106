# Helpers sourced by the guest-side test scripts in test/vm/tests/.
# Each test is a bash script run as root in the guest, from a scratch cwd.
# Exit status: 0 pass, 77 skip (say why on stdout), anything else fail.

set -u

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# run CMD...: run a command, keep stdout/stderr/status in $out/$err/$rc.
run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	"$@" >"$o" 2>"$e"
	rc=$?
	out=$(cat "$o") err=$(cat "$e")
	rm -f "$o" "$e"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

load_module() {
	insmod "$PMEMCTL_KO" "$@" || fail "insmod $PMEMCTL_KO failed"
}

# The module stays loaded while a page or pfn namespace is enabled (its
# struct pages hold a module reference: see kernel/pagemap.c), as for a
# user: those are disabled first. Raw ones are left to the unload.
disable_struct_page_namespaces() {
	local d
	for d in /sys/bus/pmemctl/devices/namespace*; do
		[ -e "$d/mode" ] || continue
		[ "$(cat "$d/state")" = enabled ] || continue
		[ "$(cat "$d/mode")" = raw ] && continue
		"$PMEMCTL" disable-namespace "${d##*/}" >/dev/null ||
			fail "cannot disable ${d##*/} before rmmod"
	done
}

unload_module() {
	disable_struct_page_namespaces
	rmmod pmemctl || fail "rmmod pmemctl failed"
}

# Unload libnvdimm's legacy pmem drivers (nd_pmem, nd_e820). Each region
# bound to nd_region pins nd_e820 (what "ndctl disable-region" undoes) and
# region probing is asynchronous, so unbind and retry for a few seconds.
# Returns non-zero, listing what is still loaded, when they stay.
unload_nd_e820() {
	local i r m
	for i in $(seq 1 50); do
		for r in /sys/bus/nd/drivers/nd_region/region*; do
			[ -e "$r" ] && basename "$r" >/sys/bus/nd/drivers/nd_region/unbind
		done
		for m in nd_pmem nd_e820; do
			grep -q "^$m " /proc/modules && modprobe -r "$m" 2>/dev/null
		done
		grep -qE '^(nd_pmem|nd_e820) ' /proc/modules || return 0
		sleep 0.2
	done
	lsmod | grep -E '^(nd_|libnvdimm)'
	return 1
}

# The kernel log since the last mark_log call.
mark_log() {
	log_mark=$(dmesg | wc -l)
}

log_since_mark() {
	dmesg | tail -n +"$((log_mark + 1))"
}

# The scratch disk of "# vm-disk: SIZE" (see run-test for its content):
# loads virtio_blk and prints its /dev path.
vm_disk() {
	local i s
	modprobe virtio_blk || return 1
	for i in $(seq 1 50); do
		for s in /sys/block/vd*/serial; do
			[ -r "$s" ] && [ "$(cat "$s")" = pmemctl-disk ] || continue
			s=${s%/serial}
			echo "/dev/${s##*/}"
			return 0
		done
		sleep 0.1
	done
	echo "vm_disk: no virtio disk with serial pmemctl-disk" >&2
	return 1
}
