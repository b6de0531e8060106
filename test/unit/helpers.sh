# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the hermetic unit tests (*.test); sourced, not run.
#
# run_shimmed ROOT PROGRAM ARGS...: run a built program (libtool wrapper or
# not) with test/unit/sysfs-shim preloaded and /sys/bus/pmemctl and
# /dev/pmemctl redirected into fixture ROOT. Only the real binary gets
# LD_PRELOAD: libtool's execute mode swaps the wrapper for it.

set -u

: "${PMEMCTL_SRCDIR:?run through make check}"
: "${PMEMCTL_BUILDDIR:?run through make check}"

FIXTURES=$PMEMCTL_SRCDIR/test/fixtures
EXPECTED=$PMEMCTL_SRCDIR/test/unit/expected
LIBTOOL="${SHELL:-/bin/sh} $PMEMCTL_BUILDDIR/libtool"
PMEMCTL=$PMEMCTL_BUILDDIR/cli/pmemctl

# The shim's real file name, from the libtool archive.
shim_la=$PMEMCTL_BUILDDIR/test/unit/sysfs-shim.la
dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$shim_la")
SHIM=$PMEMCTL_BUILDDIR/test/unit/.libs/$dlname
[ -f "$SHIM" ] || { echo "sysfs shim not built: $SHIM" >&2; exit 99; }

# Nothing from the caller's environment may change what the CLI does, and
# nothing may ever load a real module.
unset PMEMCTL_LOG PMEMCTL_TEST_MODVER
export PMEMCTL_MODULE=/nonexistent/pmemctl.ko
export LC_ALL=C
# man -w must find nothing, so --help falls back to the usage text.
export MANPATH=$FIXTURES/no-module

# ASan wants to be first in the preload list; our shim comes first instead.
# LSan and UBSan findings must fail the test (and do: exit status 1 or 23).
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

run_shimmed() {
	root=$1
	shift
	$LIBTOOL --mode=execute env \
		LD_PRELOAD="$SHIM" PMEMCTL_SHIM_ACTIVE=1 \
		PMEMCTL_TEST_ROOT="$root" "$@"
}

failures=0
tests=0
pass() { tests=$((tests + 1)); echo "ok $tests - $*"; }
fail() { tests=$((tests + 1)); failures=$((failures + 1)); echo "not ok $tests - $*"; }
finish() {
	echo "1..$tests"
	[ "$failures" -eq 0 ] || { echo "# $failures failed"; exit 1; }
	exit 0
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pmemctl-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# expect NAME STATUS STDOUT_FILE|- STDERR_PATTERN|- ROOT ARGS...: run the CLI
# in fixture ROOT and check its exit status, exact stdout ("-": empty) and
# that stderr matches a grep -E pattern ("-": empty). Extra environment for
# the run goes in $EXPECT_ENV ("VAR=value ...").
expect() {
	name=$1 want_status=$2 want_out=$3 want_err=$4 root=$5
	shift 5
	status=0
	# shellcheck disable=SC2086 # EXPECT_ENV is a list of assignments
	run_shimmed "$root" ${EXPECT_ENV:-} "$PMEMCTL" "$@" \
		>"$TMP/out" 2>"$TMP/err" || status=$?
	ok=1
	if [ "$status" -ne "$want_status" ]; then
		echo "# exit status $status, want $want_status"
		ok=0
	fi
	if [ "$want_out" = - ]; then
		[ -s "$TMP/out" ] && { echo "# stdout should be empty"; ok=0; }
	elif ! cmp -s "$want_out" "$TMP/out"; then
		# PMEMCTL_TEST_REGEN=1 rewrites expected files (review the diff!)
		[ "${PMEMCTL_TEST_REGEN:-}" = 1 ] && cp "$TMP/out" "$want_out"
		echo "# stdout differs from $want_out:"
		diff -u "$want_out" "$TMP/out" | sed 's/^/# /'
		ok=0
	fi
	if [ "$want_err" = - ]; then
		[ -s "$TMP/err" ] && { echo "# stderr should be empty"; ok=0; }
	elif ! grep -Eq -- "$want_err" "$TMP/err"; then
		echo "# stderr does not match /$want_err/"
		ok=0
	fi
	if [ "$ok" -eq 0 ]; then
		sed 's/^/# stdout: /' "$TMP/out"
		sed 's/^/# stderr: /' "$TMP/err"
		fail "$name"
	else
		pass "$name"
	fi
}
