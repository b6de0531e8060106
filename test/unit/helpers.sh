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
