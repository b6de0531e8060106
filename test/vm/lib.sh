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
# On the debug kernel, whose CONFIG_DEBUG_KOBJECT_RELEASE runs kobject
# releases 1-4 s late, the guest stays up 5 s more, so that a release
# that touches the module's memory after it is gone (a static class's
# did) oopses while the checkers still read the console.
unload_module() {
	ns_disable_paged || fail "cannot disable the page/pfn namespaces before rmmod"
	rmmod pmemctl || fail "rmmod pmemctl failed"
	[ "${PMEMCTL_VM_DEBUG_KERNEL:-}" != 1 ] || sleep 5
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

# wait_file PATH PID: 0 once PATH exists, 1 when PID is gone or after 60 s.
wait_file() {
	local i
	for i in $(seq 1 600); do
		[ -e "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# wait_ram_at_most NSDIR BYTES SECONDS: 0 once NSDIR/ram_bytes is at most
# BYTES, 1 if it is still above after SECONDS, saying each second what it
# is meanwhile. An on-demand namespace frees a chunk's memmap some time
# after the chunk's last mapping went (the reclaimer waits out RCU grace
# periods, ~32 ms a chunk under TCG). The last value read is in $ram_now.
wait_ram_at_most() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
		ram_now=$(cat "$1/ram_bytes")
		[ "$ram_now" -le "$2" ] && return 0
		[ $((i % 10)) = 0 ] && echo "  $((i / 10)) s: ram_bytes $ram_now, waiting for at most $2"
		sleep 0.1
	done
	return 1
}

# start_udevd: run systemd-udevd with our rules; skip the test without it.
start_udevd() {
	local udevd
	udevd=$(command -v systemd-udevd || echo /lib/systemd/systemd-udevd)
	[ -x "$udevd" ] || skip "systemd-udevd not installed"
	mkdir -p /etc/udev/rules.d /run/udev
	cp "$PMEMCTL_SRCDIR/udev/60-pmemctl.rules" /etc/udev/rules.d/
	"$udevd" --daemon --resolve-names=never || fail "cannot start systemd-udevd"
	udevadm control --ping || fail "udevd not answering"
}

# Checks shared by the load tests (ioctl-fuzz, stress, fail-inject).

# ns_overlap_check: no two namespaces of a region overlap and each lies
# inside its region after the label store (sysfs resource and size; root).
ns_overlap_check() {
	local d=/sys/bus/pmemctl/devices r n
	{
		for r in "$d"/region*; do
			[ -e "$r" ] || continue
			echo "R $(($(cat "$r/resource"))) $(cat "$r/size") ${r##*/}"
		done
		for n in "$d"/namespace*; do
			[ -e "$n" ] || continue
			echo "N $(($(cat "$n/resource"))) $(cat "$n/size") ${n##*/}"
		done
	} | sort -k2,2n | awk '
		$1 == "R" { rs = $2; re = $2 + $3; rn = $4; last = rs + 2097152; lastn = "store"; next }
		{
			if ($2 < last || $2 + $3 > re) {
				printf "%s [%d, %d) overlaps %s or leaves %s\n", $4, $2, $2 + $3, lastn, rn
				bad = 1
			}
			last = $2 + $3; lastn = $4
		}
		END { exit bad }'
}

# ns_set: the namespaces as a stable text (what a module reload must give
# back): dev, name, uuid, mode, size, align and offset, one per line.
ns_set() {
	"$PMEMCTL" list -N -v 2>/dev/null | jq -r 'sort_by(.dev)[] |
		"\(.dev) \(.name // "-") \(.uuid) \(.mode) \(.size) \(.align) \(.resource)"'
}

# ns_disable_paged: disable every enabled page, pfn and ondemand namespace
# (the module refuses to unload while one has, or may make, struct pages).
ns_disable_paged() {
	local n
	for n in /sys/bus/pmemctl/devices/namespace*; do
		[ -e "$n" ] || continue
		case "$(cat "$n/mode") $(cat "$n/state")" in
		"page enabled" | "pfn enabled" | "ondemand enabled")
			# the raw ioctl: quicker than the CLI under TCG
			n=${n##*/namespace}
			"$PMEMCTL_BUILDDIR/test/vm/ns-ioctl" disable "${n%.*}" "${n#*.}" >/dev/null ||
				return 1
			;;
		esac
	done
}

# ns_reload_check: the label store is valid: after a module reload the
# same namespaces come back (compared with ns_set).
ns_reload_check() {
	local before after
	before=$(ns_set) || fail "list -N before the reload"
	ns_disable_paged || fail "cannot disable the page/pfn namespaces before rmmod"
	rmmod pmemctl || fail "rmmod pmemctl"
	insmod "$PMEMCTL_KO" || fail "insmod after the reload"
	after=$(ns_set) || fail "list -N after the reload"
	if [ "$before" != "$after" ]; then
		diff <(echo "$before") <(echo "$after")
		fail "the namespaces after a module reload differ from before"
	fi
	echo "reload: the same $(echo "$before" | grep -c .) namespaces"
}

# no_splat: the kernel log since mark_log has no oops, warning or checker
# report (the harness checks too, on the debug kernel).
no_splat() {
	local bad
	bad=$(log_since_mark | grep -E 'BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|kmemleak|INFO: task|possible (circular|recursive)|lockdep|Call Trace' |
		grep -vE "${1:-^\$}")
	[ -z "$bad" ] || { log_since_mark | tail -n 60; fail "kernel log: $(echo "$bad" | head -n 3)"; }
}
