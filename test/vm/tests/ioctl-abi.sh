#!/bin/bash
# The control device answers VERSION, rejects malformed requests with
# EINVAL/ENOTTY/EFAULT, logs nothing for them at the default log level, and
# only rate-limited debug lines when dynamic debug is switched on.
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

probe="$PMEMCTL_BUILDDIR/test/vm/ioctl-abi"
[ -x "$probe" ] || fail "$probe not built (make check builds it)"

load_module
expect_eq "$(stat -c %a /dev/pmemctl)" 644 "/dev/pmemctl mode"

mark_log
"$probe" || fail "ioctl checks failed"
expect_eq "$(log_since_mark)" "" "kernel log after malformed ioctls"

# unprivileged callers get the same answers
setpriv --reuid=65534 --regid=65534 --clear-groups "$probe" >/dev/null ||
	fail "ioctl checks failed for an unprivileged caller"

# with debug output on, 100 rounds of bad requests stay rate-limited
ctl=/sys/kernel/debug/dynamic_debug/control
[ -w "$ctl" ] || skip "dynamic debug control not available"
echo "module pmemctl +p" >"$ctl"
mark_log
start=$(date +%s)
for i in $(seq 1 100); do "$probe" >/dev/null; done
elapsed=$(($(date +%s) - start))
lines=$(log_since_mark | grep -c pmemctl)
# one burst of 10 per 5 s interval, plus a "callbacks suppressed" line each
limit=$((11 * (elapsed / 5 + 2)))
echo "debug lines for 2100 malformed requests in ${elapsed}s: $lines (limit $limit)"
[ "$lines" -ge 1 ] || fail "no debug line at all with dynamic debug on"
[ "$lines" -le "$limit" ] || fail "$lines debug lines: not rate-limited"
echo "module pmemctl -p" >"$ctl"
unload_module
echo ok
