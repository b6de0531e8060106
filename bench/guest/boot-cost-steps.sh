# SPDX-License-Identifier: GPL-2.0-or-later
# Guest steps of bench/boot-cost, sourced after test/vm/boot-steps.sh (whose
# fail/ok/check_owner and MNT they use) by test/vm/boot.test's step service.

# kernel start (CLOCK_MONOTONIC) to /mnt/db mounted by systemd from fstab
report_mount_ready() {
	local t
	systemctl is-active -q mnt-db.mount || { fail "mnt-db.mount not active"; return 1; }
	findmnt -no OPTIONS $MNT | grep -Eq '(^|,)dax(=always)?(,|$)' ||
		fail "mounted without dax: $(findmnt -no OPTIONS $MNT)"
	t=$(systemctl show -P ActiveEnterTimestampMonotonic mnt-db.mount)
	echo "mount_ready_us $t"
	echo "namespaces $(pmemctl list -N 2>/dev/null | jq length)"
}

# pmemctl owns the range: one pfn namespace, ext4, fstab dax
step_bench_setup() {
	local dev
	check_owner pmemctl
	pmemctl init-labels region0 >/dev/null || { fail "init-labels"; return 1; }
	dev=/dev/$(pmemctl create-namespace -s 256M -n db --mode pfn | jq -r .blockdev)
	udevadm settle
	mkfs.ext4 -q -b 4096 "$dev" || { fail "mkfs.ext4 $dev"; return 1; }
	mkdir -p $MNT
	echo "$FSTAB_LINE" >>/etc/fstab
	return $failed
}

step_bench_measure() {
	report_mount_ready
	return $failed
}

# 999 more (raw, 2 MiB) namespaces next to db, in one apply of the layout
# the region has now plus them
step_bench_grow() {
	pmemctl list -R -N >cur.json || { fail "list"; return 1; }
	jq '.[0].namespaces += [range(1; 1000) | {name: "n\(.)", size: 2097152}]' cur.json >grow.json
	pmemctl apply grow.json >/dev/null || { fail "apply of 999 namespaces"; return 1; }
	[ "$(pmemctl list -N | jq length)" = 1000 ] || fail "not 1000 namespaces"
	return $failed
}

# hand the range to libnvdimm
step_bench_to_libnvdimm() {
	sed -i '\|/mnt/db|d' /etc/fstab
	pmemctl set-owner libnvdimm >/dev/null || fail "set-owner libnvdimm"
	return $failed
}

# libnvdimm owns it: ext4 on nd_pmem's raw /dev/pmem0 (e820 ranges get
# struct pages in RAM, so fs-DAX works without ndctl), the same fstab line
step_bench_ref_setup() {
	check_owner libnvdimm
	mkfs.ext4 -q -F -b 4096 /dev/pmem0 || { fail "mkfs.ext4 /dev/pmem0"; return 1; }
	echo "/dev/pmem0 $MNT ext4 dax,defaults 0 2" >>/etc/fstab
	return $failed
}
