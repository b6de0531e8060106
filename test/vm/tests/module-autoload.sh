#!/bin/bash
# libpmemctl loads pmemctl.ko through libkmod when it is not loaded: by name
# once the module is installed and depmod'ed, or from PMEMCTL_MODULE. An
# unprivileged caller gets a clear error and nothing on stdout.
# depmod -a reads every module of the kernel over 9p: ~150 s under TCG.
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

[ ! -e /sys/module/pmemctl ] || fail "module loaded before the test"

run setpriv --reuid=65534 --regid=65534 --clear-groups "$PMEMCTL" list -R
echo "unprivileged, module absent: rc=$rc err=$err"
expect_eq "$rc" 1 "exit status without permission to load"
[ -z "$out" ] || fail "stdout not empty: $out"
echo "$err" | grep -qi "module" || fail "error does not mention the module: $err"
[ ! -e /sys/module/pmemctl ] || fail "module loaded by an unprivileged caller"

# from a path (how developers and these tests point at a fresh build)
run env PMEMCTL_MODULE="$PMEMCTL_KO" "$PMEMCTL" list -R
expect_eq "$rc" 0 "list with PMEMCTL_MODULE"
expect_eq "$(echo "$out" | jq length)" 2 "regions after loading from a path"
[ -e /sys/module/pmemctl ] || fail "module not loaded"
unload_module

# by name, the way an installed pmemctl finds it (guest root is a tmpfs overlay)
kdir=/lib/modules/$(uname -r)/extra
mkdir -p "$kdir"
cp "$PMEMCTL_KO" "$kdir/"
depmod -a || fail depmod
run "$PMEMCTL" list -R
expect_eq "$rc" 0 "list with the module installed"
expect_eq "$(echo "$out" | jq '[.[].size]' | tr -d ' \n')" "[1073741824,536870912]" "sizes"
grep -q '^pmemctl ' /proc/modules || fail "module not loaded by name"
unload_module
echo ok
