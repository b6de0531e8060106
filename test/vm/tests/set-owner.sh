#!/bin/bash
# pmemctl set-owner / show-owner against the guest's real kmod and sysfs:
# the file each choice leaves, how kmod then resolves the e820_pmem
# device's alias (what udev asks at boot), the initramfs update and its
# rollback, refusals, and other modprobe configuration named as such.
# update-initramfs is replaced (bind mount) by a stand-in that records its
# arguments or fails: the real one would rebuild every initramfs under TCG.
# The boot itself (udev, the initramfs) is not exercised here.
# vm-timeout: 300
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

conf=/etc/modprobe.d/pmemctl-owner.conf
tool=/usr/sbin/update-initramfs
[ -x "$tool" ] || skip "no $tool in the guest's root"
[ ! -e "$conf" ] || fail "$conf exists before the test"
[ ! -e /sys/module/pmemctl ] || fail "module loaded before the test"

stand_in() {	# stand_in EXIT_STATUS: update-initramfs that logs and exits
	printf '#!/bin/sh\necho "$@" >>/tmp/initramfs.calls\necho updating the initramfs\nexit %s\n' "$1" \
		>/tmp/update-initramfs.$1
	chmod +x /tmp/update-initramfs.$1
	umount "$tool" 2>/dev/null
	mount --bind /tmp/update-initramfs.$1 "$tool" || fail "bind mount over $tool"
}
trap 'umount "$tool" 2>/dev/null' EXIT
resolve() { modprobe -R platform:e820_pmem 2>&1 | tr '\n' ' ' | sed 's/ $//'; }

# The default: no file, nd_e820 for the device
run "$PMEMCTL" show-owner
expect_eq "$rc" 0 "show-owner"
expect_eq "$(echo "$out" | jq -r .owner)" libnvdimm "default owner"
expect_eq "$(resolve)" nd_e820 "kmod's module for platform:e820_pmem, no choice made"
echo "default: owner libnvdimm, alias resolves to nd_e820"

# libnvdimm really binds when loaded the way udev loads it
unload_nd_e820 || fail "nd_e820 loaded at start and cannot be unloaded"
modprobe platform:e820_pmem || fail "modprobe platform:e820_pmem"
run "$PMEMCTL" show-owner
expect_eq "$(echo "$out" | jq -r .current_owner)" libnvdimm "current owner after modprobe by alias"
unload_nd_e820 || fail "cannot unload nd_e820"
run "$PMEMCTL" show-owner
expect_eq "$(echo "$out" | jq -r .current_owner)" none "current owner with no driver"

# Unprivileged: refused, nothing written
run setpriv --reuid=65534 --regid=65534 --clear-groups "$PMEMCTL" set-owner pmemctl
expect_eq "$rc" 1 "set-owner as nobody"
echo "$err" | grep -q "must be root to change the owner" || fail "nobody: $err"
[ ! -e "$conf" ] || fail "an unprivileged set-owner wrote $conf"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$PMEMCTL" set-owner libnvdimm
expect_eq "$rc" 0 "set-owner of the owner already chosen, as nobody"
expect_eq "$(echo "$out" | jq -c '[.changed, .initramfs]')" '[false,"unchanged"]' "no-op"

# Usage errors
run "$PMEMCTL" set-owner
expect_eq "$rc" 2 "set-owner without an owner"
run "$PMEMCTL" set-owner nd_pmem
expect_eq "$rc" 2 "set-owner nd_pmem"
echo "$err" | grep -q "invalid owner 'nd_pmem' (expected pmemctl or libnvdimm)" || fail "$err"

# A failing update-initramfs: the file is put back
stand_in 1
rm -f /tmp/initramfs.calls
run "$PMEMCTL" set-owner pmemctl
expect_eq "$rc" 1 "set-owner with a failing update-initramfs"
echo "$err" | grep -q "update-initramfs failed (status 1); the owner is still libnvdimm" || fail "$err"
echo "$err" | grep -q "updating the initramfs" || fail "update-initramfs output not on stderr: $err"
[ -z "$out" ] || fail "stdout after a failure: $out"
[ ! -e "$conf" ] || fail "$conf left behind after the rollback"
expect_eq "$(cat /tmp/initramfs.calls)" "-u -k all" "update-initramfs arguments"
expect_eq "$(resolve)" nd_e820 "alias after the rollback"
echo "failing update-initramfs: rolled back"

# pmemctl chosen
stand_in 0
rm -f /tmp/initramfs.calls
run "$PMEMCTL" set-owner pmemctl
expect_eq "$rc" 0 "set-owner pmemctl"
expect_eq "$(echo "$out" | jq -c '[.owner, .previous, .changed, .initramfs, .config]')" \
	'["pmemctl","libnvdimm",true,"updated","'"$conf"'"]' "set-owner pmemctl JSON"
expect_eq "$(cat /tmp/initramfs.calls)" "-u -k all" "update-initramfs ran once"
grep -qx 'alias platform:e820_pmem pmemctl' "$conf" || fail "no alias line in $conf"
grep -qx 'blacklist nd_e820' "$conf" || fail "no blacklist line in $conf"
expect_eq "$(stat -c %a "$conf")" 644 "mode of $conf"
[ ! -e "$conf.tmp" ] || fail "temporary file left"
# the whole answer: pmemctl alone, nd_e820 not beside it
expect_eq "$(resolve)" pmemctl "kmod's module for platform:e820_pmem with pmemctl chosen"
run "$PMEMCTL" show-owner
expect_eq "$(echo "$out" | jq -r .owner)" pmemctl "show-owner after the choice"
echo "pmemctl chosen: alias resolves to pmemctl only"

# The same again: nothing to do
rm -f /tmp/initramfs.calls
run "$PMEMCTL" set-owner pmemctl
expect_eq "$(echo "$out" | jq -c '[.changed, .initramfs]')" '[false,"unchanged"]' "repeat"
[ ! -e /tmp/initramfs.calls ] || fail "update-initramfs ran for no change"

# Other configuration that decides too is named
printf '# by hand, long ago\nblacklist nd_e820\noptions loop max_loop=8\n' >/etc/modprobe.d/old-pmem.conf
run "$PMEMCTL" show-owner
expect_eq "$(echo "$out" | jq -c '[.other_config[] | select(.file == "/etc/modprobe.d/old-pmem.conf") | [.line, .text]]')" \
	'[[2,"blacklist nd_e820"]]' "other_config"
echo "$err" | grep -q "warning: /etc/modprobe.d/old-pmem.conf:2 also decides" || fail "no warning: $err"
echo "$out" | jq -e '[.other_config[] | select(.file == "'"$conf"'")] | length == 0' >/dev/null ||
	fail "own file listed as other configuration"
rm /etc/modprobe.d/old-pmem.conf

# --no-initramfs, back to libnvdimm
rm -f /tmp/initramfs.calls
run "$PMEMCTL" set-owner --no-initramfs libnvdimm
expect_eq "$rc" 0 "set-owner --no-initramfs libnvdimm"
expect_eq "$(echo "$out" | jq -c '[.owner, .previous, .changed, .initramfs]')" \
	'["libnvdimm","pmemctl",true,"skipped"]' "back to libnvdimm"
[ ! -e /tmp/initramfs.calls ] || fail "update-initramfs ran with --no-initramfs"
[ ! -e "$conf" ] || fail "$conf still there"
expect_eq "$(resolve)" nd_e820 "alias back to nd_e820"

# A file edited by hand is not overwritten
printf 'alias platform:e820_pmem pmemctl\n' >"$conf"
run "$PMEMCTL" set-owner libnvdimm
expect_eq "$rc" 1 "set-owner over a hand-edited file"
echo "$err" | grep -q "was changed by hand; remove it, then run set-owner again" || fail "$err"
expect_eq "$(cat "$conf")" "alias platform:e820_pmem pmemctl" "hand-edited file kept"
run "$PMEMCTL" show-owner
expect_eq "$rc" 1 "show-owner over a hand-edited file"
rm -f "$conf"
echo ok
