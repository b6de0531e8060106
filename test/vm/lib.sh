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

unload_module() {
	rmmod pmemctl || fail "rmmod pmemctl failed"
}

# The kernel log since the last mark_log call.
mark_log() {
	log_mark=$(dmesg | wc -l)
}

log_since_mark() {
	dmesg | tail -n +"$((log_mark + 1))"
}
