# SPDX-License-Identifier: GPL-2.0-or-later
# The steps of test/vm/boot.test, run inside the booted Debian guest by
# pmemctl-boot-step (a systemd service, after the boot has finished) with
# the job share as the current directory. Each step_NAME prints what it
# checks, "fail: ..." for every failure, and returns nonzero if any.
# Sourced by bash; the host never runs it.

failed=0
fail() {
	echo "fail: $*"
	failed=1
}
ok() {
	echo "ok: $*"
}

MNT=/mnt/db
FSTAB_LINE="/dev/disk/by-id/pmemctl-name-db $MNT ext4 dax,defaults 0 2"

# No kernel warning, oops or sanitizer report in this boot.
check_kernel_log() {
	local bad
	bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|general protection' || true)
	[ -z "$bad" ] && ok "kernel log clean" || fail "kernel log: $bad"
}

check_owner() {
	local want=$1 got
	got=$(pmemctl show-owner | jq -r .current_owner)
	[ "$got" = "$want" ] && ok "current owner $got" || fail "current owner $got, want $want"
	case $want in
	pmemctl)
		grep -q '^pmemctl ' /proc/modules && ok "pmemctl loaded" || fail "pmemctl not loaded"
		grep -q '^nd_e820 ' /proc/modules && fail "nd_e820 loaded" || ok "nd_e820 not loaded"
		;;
	libnvdimm)
		grep -q '^nd_e820 ' /proc/modules && ok "nd_e820 loaded" || fail "nd_e820 not loaded"
		grep -q '^pmemctl ' /proc/modules && fail "pmemctl loaded" || ok "pmemctl not loaded"
		[ -b /dev/pmem0 ] && ok "libnvdimm's /dev/pmem0" || fail "no /dev/pmem0"
		;;
	esac
}

# Boot 1: pmemctl is the owner from the packages' set-owner; make the
# namespace, the filesystem, the fstab line and the file, then tell the
# host to cut the power.
step_create() {
	local out dev uuid
	check_owner pmemctl
	pmemctl init-labels region0 >/dev/null || { fail "init-labels"; return 1; }
	out=$(pmemctl create-namespace -s 256M -n db --mode pfn) || { fail "create-namespace"; return 1; }
	dev=/dev/$(echo "$out" | jq -r .blockdev)
	uuid=$(echo "$out" | jq -r .uuid)
	echo "$uuid" >uuid
	udevadm settle
	[ -b "$dev" ] || { fail "no $dev"; return 1; }
	mkfs.ext4 -q -b 4096 "$dev" || { fail "mkfs.ext4 $dev"; return 1; }
	mkdir -p $MNT
	echo "$FSTAB_LINE" >>/etc/fstab
	systemctl daemon-reload
	systemctl start mnt-db.mount || { fail "mount from fstab"; return 1; }
	findmnt -no OPTIONS $MNT | grep -Eq '(^|,)dax(=always)?(,|$)' ||
		fail "mounted without dax: $(findmnt -no OPTIONS $MNT)"
	head -c 8M /dev/urandom >$MNT/data
	sync $MNT/data
	sha256sum $MNT/data | cut -d' ' -f1 >sum
	sync
	check_kernel_log
	return $failed
}

# Boots 2 and 4: everything came back by itself after the power cut (or a
# clean reboot).
step_check() {
	local uuid src dev t
	uuid=$(cat uuid)
	check_owner pmemctl
	systemctl is-active -q mnt-db.mount && ok "mnt-db.mount active" ||
		fail "mnt-db.mount: $(systemctl is-active mnt-db.mount)"
	src=$(systemctl show -P SourcePath mnt-db.mount)
	[ "$src" = /etc/fstab ] && ok "mounted by systemd from $src" || fail "mount unit from '$src'"
	findmnt -no OPTIONS $MNT | grep -Eq '(^|,)dax(=always)?(,|$)' && ok "dax" ||
		fail "mounted without dax: $(findmnt -no OPTIONS $MNT)"
	dev=$(findmnt -no SOURCE $MNT)
	for l in pmemctl-name-db pmemctl-uuid-$uuid pmemctl-region0-name-db; do
		if [ "$(readlink -f /dev/disk/by-id/$l)" = "$(readlink -f "$dev")" ]; then
			ok "/dev/disk/by-id/$l -> $dev"
		else
			fail "/dev/disk/by-id/$l: '$(readlink -f /dev/disk/by-id/$l)', mounted $dev"
		fi
	done
	[ "$(sha256sum $MNT/data | cut -d' ' -f1)" = "$(cat sum)" ] && ok "file intact" ||
		fail "file changed"
	t=$(systemctl --failed --no-legend --plain)
	[ -z "$t" ] && ok "no failed unit" || fail "failed units: $t"
	# kernel start to the DAX mount being active, for the boot-cost figure
	t=$(systemctl show -P ActiveEnterTimestampMonotonic mnt-db.mount)
	echo "mount_ready_us $t"
	check_kernel_log
	return $failed
}

# After boot 2: give the ranges to libnvdimm (the fstab line goes, as an
# administrator would take it out with the namespace gone).
step_to_libnvdimm() {
	step_check || return 1
	sed -i '\|pmemctl-name-db|d' /etc/fstab
	pmemctl set-owner libnvdimm >owner.json || { fail "set-owner libnvdimm"; return 1; }
	[ "$(jq -r .initramfs owner.json)" = updated ] || fail "initramfs $(jq -r .initramfs owner.json)"
	return $failed
}

# Boot 3: libnvdimm owns the range; pmemctl is not loaded. Back.
step_to_pmemctl() {
	local t
	check_owner libnvdimm
	t=$(systemctl --failed --no-legend --plain)
	[ -z "$t" ] && ok "no failed unit" || fail "failed units: $t"
	check_kernel_log
	echo "$FSTAB_LINE" >>/etc/fstab
	pmemctl set-owner pmemctl >owner.json || { fail "set-owner pmemctl"; return 1; }
	[ "$(jq -r .initramfs owner.json)" = updated ] || fail "initramfs $(jq -r .initramfs owner.json)"
	return $failed
}
