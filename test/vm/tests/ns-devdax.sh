#!/bin/bash
# Device-DAX namespaces (access devdax), with the real CLI and udevd:
# - create -m devdax --map=mem (ndctl's spelling) gives a character device
#   /dev/pmemctl-dax0.0 (no block device) with sysfs size and align, links
#   /dev/dax/by-id/pmemctl-{name,uuid,region0-name}-*, and list shows
#   access, chardev and align; raw with devdax is refused (CLI and ioctl);
# - a MAP_SHARED mapping of 512 MiB at 2 MiB alignment, every 4 KiB page
#   touched, takes at most 260 faults (one per 2 MiB); MAP_PRIVATE and
#   misaligned offsets, lengths and addresses are EINVAL, MAP_SYNC works;
# - an O_DIRECT read from the scratch disk into the mapping, a fork that
#   shares it, and a futex between two processes' mappings work;
# - disable, destroy and reconfigure are EBUSY while a process maps the
#   device, and while a pipe holds pages vmsplice()d from it after the
#   mapping and file are gone (held_pages counts them, whole compound
#   pages: the 16 pages of one 2 MiB page hold all its 512; the module
#   stays loaded); once the pipe is drained (its bytes intact) disable
#   works;
# - the data survives disable/enable and a module reload;
# - the memmap on the device (--map=dev), 4 KiB alignment (one fault per
#   page), and 1 GiB alignment (one fault for 1 GiB, on a range where a
#   1 GiB-aligned extent fits), and block <-> devdax reconfigure in place,
#   keeping the data.
# The debug kernel runs it too (held pages after munmap: KASAN's class).
# vm-timeout: 600
# vm-disk: 16M
# vm-mem: 6G
# vm-append: memmap=2G!4G memmap=512M!6G
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
probe="$PMEMCTL_BUILDDIR/test/vm/devdax-probe"
sys=/sys/bus/pmemctl/devices
M=$((1 << 20))
[ -x "$probe" ] || fail "$probe not built"

start_udevd

load_module
run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"

# --- raw has no struct pages: no devdax ---------------------------------
run $P create-namespace -r 0 -s 16M -m raw --access=devdax
expect_eq "$rc" 2 "raw --access=devdax exit status"
echo "$err" | grep -q "a raw namespace cannot be devdax: device DAX needs struct pages" ||
	fail "raw devdax message: $err"
run $nsi create 0 $((16 * M)) $((2 * M)) rawdax 0 - 1
expect_eq "$out" "errno EINVAL" "NS_CREATE raw with access devdax"
run $nsi create 0 $((16 * M)) $((2 * M)) baddax 1 - 7
expect_eq "$out" "errno EINVAL" "NS_CREATE with an unknown access kind"
run $nsi create 0 $((16 * M)) $((4 * M)) align4m 1 - 1
expect_eq "$out" "errno EINVAL" "NS_CREATE devdax with a 4 MiB align"
run $P create-namespace -r 0 -s 16M -m devdax -a 4M
expect_eq "$rc" 2 "devdax -a 4M exit status"
run $P create-namespace -r 0 -s 16M -m fsdax --access=devdax
expect_eq "$rc" 2 "fsdax --access=devdax exit status"

# --- create, names, links, sysfs -----------------------------------------
run $P create-namespace -r 0 -s 512M -a 2M -n dd -m devdax --map=mem
expect_eq "$rc" 0 "create devdax ($err)"
echo "$out"
expect_eq "$(echo "$out" | jq -r .mode)" page "mode of -m devdax --map=mem"
expect_eq "$(echo "$out" | jq -r .access)" devdax "access"
expect_eq "$(echo "$out" | jq -r .chardev)" pmemctl-dax0.0 "chardev"
expect_eq "$(echo "$out" | jq -r .blockdev)" null "no blockdev"
expect_eq "$(echo "$out" | jq -r .align)" 2097152 "align"
uuid=$(echo "$out" | jq -r .uuid)
dev=/dev/pmemctl-dax0.0
[ -c $dev ] || fail "$dev is not a character device"
[ -e /dev/pmem0n0 ] && fail "a devdax namespace has a block device"
ls /dev/dax* 2>/dev/null | grep -q '^/dev/dax[0-9]' && fail "a /dev/daxX.Y appeared"
udevadm settle -t 30 || fail "udev did not settle"
by=/dev/dax/by-id
expect_eq "$(readlink -f $by/pmemctl-name-dd)" $dev "by-name link"
expect_eq "$(readlink -f $by/pmemctl-uuid-$uuid)" $dev "by-uuid link"
expect_eq "$(readlink -f $by/pmemctl-region0-name-dd)" $dev "region-qualified link"
mm=$(stat -c '%t:%T' $dev)
cd_sys=/sys/dev/char/$((16#${mm%:*})):$((16#${mm#*:}))
expect_eq "$(cat $cd_sys/size)" $((512 * M)) "size of $cd_sys (QEMU's mem-path size)"
expect_eq "$(cat $cd_sys/align)" $((2 * M)) "align of $cd_sys"
expect_eq "$(basename "$(readlink -f $cd_sys/device)")" namespace0.0 "parent of the character device"
expect_eq "$(cat $sys/namespace0.0/access)" devdax "sysfs access"
expect_eq "$(cat $sys/namespace0.0/chardev)" pmemctl-dax0.0 "sysfs chardev"
expect_eq "$(cat $sys/namespace0.0/blockdev)" "" "sysfs blockdev"
run $P list -N -n dd
expect_eq "$(echo "$out" | jq -r '.[0].access + " " + .[0].chardev')" "devdax pmemctl-dax0.0" "list"

# --- the mapping ---------------------------------------------------------
run $probe faults $dev $((512 * M)) 1
expect_eq "$rc" 0 "faults ($out $err)"
echo "$out"
faults=$(echo "$out" | awk '/^faults/ { print $2 }')
[ "$faults" -le 260 ] || fail "512 MiB at 2 MiB took $faults faults (at most 260)"
run $probe reject $dev $((2 * M))
expect_eq "$rc" 0 "refused mappings ($out $err)"
echo "$out"
disk=$(vm_disk) || fail "no scratch disk"
run $probe odirect $dev "$disk" $M
expect_eq "$rc" 0 "O_DIRECT into the mapping ($out $err)"
run $probe share $dev $((2 * M))
expect_eq "$rc" 0 "fork and futex ($out $err)"
echo "$out"
# odirect and share wrote into the first 2 MiB: write the pattern again
run $probe faults $dev $((512 * M)) 1
expect_eq "$rc" 0 "rewrite ($err)"

# --- teardown while mapped -----------------------------------------------
rm -f /tmp/mapped
$probe holdmap $dev $((4 * M)) /tmp/mapped &
holder=$!
wait_file /tmp/mapped $holder || fail "holdmap did not map"
run $P disable-namespace dd
expect_eq "$rc" 1 "disable while mapped ($err)"
echo "disable refused: $err"
echo "$err" | grep -q "is in use (open or mapped by a process)" || fail "message: $err"
run $P destroy-namespace --force dd
expect_eq "$rc" 1 "destroy while mapped ($err)"
run $P reconfigure-namespace --access=block dd
expect_eq "$rc" 1 "reconfigure while mapped ($err)"
expect_eq "$(cat $sys/namespace0.0/state)" enabled "state after the refusals"
kill -USR1 $holder
wait $holder || fail "holdmap failed"

# --- pages held by a pipe after munmap and close ---------------------------
rm -f /tmp/spliced
$probe vmsplice $dev 65536 /tmp/spliced >/tmp/vmsplice.out 2>&1 &
holder=$!
wait_file /tmp/spliced $holder || fail "vmsplice did not get ready: $(cat /tmp/vmsplice.out)"
# a 2 MiB-aligned devdax namespace has 2 MiB compound pages: references
# to any of the 16 count on the one head, and none of its 512 pages can go
expect_eq "$(cat $sys/namespace0.0/held_pages)" 512 "held_pages while the pipe holds them"
run $P disable-namespace dd
expect_eq "$rc" 1 "disable while a pipe holds pages ($err)"
echo "disable refused: $err"
echo "$err" | grep -q "a process still holds 512 page(s)" || fail "message: $err"
run $P destroy-namespace --force dd
expect_eq "$rc" 1 "destroy while held ($err)"
rmmod pmemctl 2>/dev/null && fail "rmmod succeeded while pages are held"
[ -c $dev ] || fail "$dev gone after the refusals"
kill -USR1 $holder
wait $holder || fail "the pipe's bytes: $(cat /tmp/vmsplice.out)"
cat /tmp/vmsplice.out
expect_eq "$(cat $sys/namespace0.0/held_pages)" 0 "held_pages after draining"

# --- persistence ------------------------------------------------------------
# the vmsplice pattern overwrote the first 64 KiB; write the words again
run $probe faults $dev $((512 * M)) 2
expect_eq "$rc" 0 "write pattern 2 ($err)"
run $P disable-namespace dd
expect_eq "$rc" 0 "disable once the pipe is drained ($err)"
[ -e $dev ] && fail "$dev still there after disable"
run $P enable-namespace dd
expect_eq "$rc" 0 "enable ($err)"
run $probe check $dev $((512 * M)) 2
expect_eq "$rc" 0 "data after disable/enable ($out)"
run $P disable-namespace dd
expect_eq "$rc" 0 "disable before rmmod ($err)"
rmmod pmemctl || fail "rmmod"
load_module
udevadm settle -t 30
[ -c $dev ] || fail "$dev did not come back after the reload"
expect_eq "$(cat $sys/namespace0.0/access)" devdax "access after the reload"
run $probe check $dev $((512 * M)) 2
expect_eq "$rc" 0 "data after a module reload ($out)"

# --- reconfigure block <-> devdax in place --------------------------------
run $P reconfigure-namespace --access=block dd
expect_eq "$rc" 0 "reconfigure to block ($err)"
[ -b /dev/pmem0n0 ] || fail "no block device after reconfigure to block"
[ -e $dev ] && fail "$dev still there"
run $P reconfigure-namespace --access=devdax dd
expect_eq "$rc" 0 "reconfigure back to devdax ($err)"
run $probe check $dev $((512 * M)) 2
expect_eq "$rc" 0 "data after block and back ($out)"

# --- memmap on the device, 4 KiB -------------------------------------------
run $P create-namespace -r 0 -s 64M -n ddpfn -m devdax --map=dev
expect_eq "$rc" 0 "create devdax --map=dev ($err)"
expect_eq "$(echo "$out" | jq -r .mode)" pfn "mode of devdax --map=dev"
cdev=/dev/$(echo "$out" | jq -r .chardev)
size=$(echo "$out" | jq -r .data_size)
run $probe faults "$cdev" "$size" 3
expect_eq "$rc" 0 "pfn devdax faults ($err)"
echo "pfn: $out"
f=$(echo "$out" | awk '/^faults/ { print $2 }')
[ "$f" -le $((size / (2 * M) + 4)) ] || fail "pfn devdax: $f faults for $size bytes"

run $P create-namespace -r 0 -s 16M -a 4K -n dd4k -m page --access=devdax
expect_eq "$rc" 0 "create 4K devdax ($err)"
expect_eq "$(echo "$out" | jq -r .align)" 4096 "align 4K"
cdev=/dev/$(echo "$out" | jq -r .chardev)
run $probe faults "$cdev" $((16 * M)) 4
expect_eq "$rc" 0 "4K devdax faults ($err)"
echo "4K: $out"
f=$(echo "$out" | awk '/^faults/ { print $2 }')
[ "$f" -ge 4096 ] || fail "4K alignment took only $f faults for 4096 pages"
run $probe reject "$cdev" 4096
expect_eq "$rc" 0 "4K: MAP_PRIVATE refused ($out)"

# --- 1 GiB ------------------------------------------------------------------
run $nsi dryrun 0 $((1 << 30)) $((1 << 30)) probe1g 1
if [ "$rc" != 0 ]; then
	echo "SKIPPED PART: no 1 GiB-aligned free extent of 1 GiB in region0 ($out)"
else
	run $P create-namespace -r 0 -s 1G -a 1G -n dd1g -m devdax --map=mem
	expect_eq "$rc" 0 "create 1G devdax ($err)"
	cdev=/dev/$(echo "$out" | jq -r .chardev)
	run $probe faults "$cdev" $((1 << 30)) 5
	expect_eq "$rc" 0 "1G devdax faults ($err)"
	echo "1G: $out"
	f=$(echo "$out" | awk '/^faults/ { print $2 }')
	[ "$f" -le 4 ] || fail "1 GiB at 1 GiB alignment took $f faults"
	run $probe reject "$cdev" $((1 << 30))
	expect_eq "$rc" 0 "1G: misaligned mappings refused ($out)"
	run $P create-namespace -r 0 -s 1G -a 1G -n dd1gpfn -m devdax --map=dev --dry-run
	expect_eq "$rc" 2 "1G devdax with the memmap on the device"
	echo "$err" | grep -q "needs its data to start on a 1G boundary" || fail "message: $err"
	run $P destroy-namespace --force dd1g
	expect_eq "$rc" 0 "destroy dd1g ($err)"
fi

for n in dd dd4k ddpfn; do
	run $P destroy-namespace --force $n
	expect_eq "$rc" 0 "destroy $n ($err)"
done
udevadm settle -t 30
[ -e $by/pmemctl-name-dd ] && fail "by-name link left after destroy"
unload_module
echo "ns-devdax: ok"
