#!/bin/bash
# Guest half of test/vm/dkms.test (not a VM test of its own): install the
# host's DKMS build for the running kernel with "dkms install", then the
# module loads by name from where DKMS put it and serves "pmemctl list".
# The guest's root is a throwaway overlay: nothing reaches the host.
# vm-timeout: 900
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

[ -n "${PMEMCTL_DKMS_TREE:-}" ] || skip "PMEMCTL_DKMS_TREE not set (run test/vm/dkms.test)"
ver=$(cat "$PMEMCTL_SRCDIR/VERSION")
kver=$(uname -r)
dkms() {
	command dkms --dkmstree "$PMEMCTL_DKMS_TREE/tree" \
		--sourcetree "$PMEMCTL_DKMS_TREE/src" "$@"
}

[ ! -e /sys/module/pmemctl ] || fail "module loaded before the test"
dkms status -m pmemctl -v "$ver" -k "$kver"
dkms install -m pmemctl -v "$ver" -k "$kver" || fail "dkms install"
dkms status -m pmemctl -v "$ver" -k "$kver" | grep -q ': installed' ||
	fail "dkms status does not say installed"

path=$(modinfo -n pmemctl) || fail "modinfo finds no pmemctl after dkms install"
echo "installed: $path"
case "$path" in
/lib/modules/"$kver"/*) ;;
*) fail "installed outside /lib/modules/$kver: $path" ;;
esac
expect_eq "$(modinfo -F vermagic pmemctl | cut -d' ' -f1)" "$kver" "vermagic"

modprobe pmemctl || fail "modprobe pmemctl"
run "$PMEMCTL" list -R
expect_eq "$rc" 0 "pmemctl list"
echo "$out"
expect_eq "$(echo "$out" | jq '[.[].size]' | tr -d ' \n')" "[1073741824,536870912]" "region sizes"
run "$PMEMCTL" list -R -v
expect_eq "$rc" 0 "pmemctl list -v"

unload_module
dkms remove -m pmemctl -v "$ver" -k "$kver" || fail "dkms remove"
! modinfo -n pmemctl 2>/dev/null || fail "module still installed after dkms remove"
echo ok
