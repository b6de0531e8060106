#!/bin/bash
# pmemctl apply with device DAX against the real module: a layout makes
# devdax namespaces in both spellings (list's "access": "devdax" and
# ndctl's "mode": "devdax"), at 4K, 2M and 1G, in page, pfn and ondemand
# mode, each a character device; the dry run names the character devices
# and the costs the create gives; what list -R -N prints applies again
# with nothing to do; block <-> devdax is changed in place and the data
# is kept both ways (written through one kind of device, read through
# the other); what cannot be is refused and changes nothing (a raw devdax
# entry, exit 2; a 4K devdax namespace made a block device, a 1G pfn one
# whose memmap reserve moves its data off 1G, exit 1); an
# open character device stops the commit of its region, and the same
# file applies once it is closed.
# vm-mem: 6G
# vm-append: memmap=3G!4G
# vm-timeout: 600
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

P=$PMEMCTL
probe=$PMEMCTL_BUILDDIR/test/vm/devdax-probe
sys=/sys/bus/pmemctl/devices
MiB=$((1 << 20))
GiB=$((1 << 30))
seq0() { cat $sys/region0/label_seq; }
# name:mode:access:align:chardev-or-blockdev of region0's namespaces, by name
shapes() {
	$P list -N -r region0 | jq -r 'sort_by(.name)[] |
		"\(.name):\(.mode):\(.access):\(.align):\(.chardev // .blockdev)"' | tr '\n' ' '
}
# the /dev node of namespace NAME
node_of() {
	echo "/dev/$($P list -N -n "$1" | jq -r '.[0] | .chardev // .blockdev')"
}

mark_log
load_module
run $P init-labels region0
expect_eq "$rc" 0 "init-labels ($err)"

# The 1 GiB one first: region0's first GiB holds the label store, so the
# namespaces are placed in file order after it; "vm" (1G, page) starts on
# the first 1 GiB boundary only as the second namespace, after "filler".
cat >/tmp/l1.json <<'EOF'
[
  { "dev": "region0",
    "namespaces": [
      { "name": "filler", "size": "1022M" },
      { "name": "vm", "size": "1G", "mode": "devdax", "map": "mem", "align": "1G" },
      { "name": "small", "size": "16M", "mode": "page", "access": "devdax", "align": 4096 },
      { "name": "dflt", "size": "16M", "access": "devdax" },
      { "name": "od", "size": "64M", "mode": "ondemand", "access": "devdax" },
      { "name": "blk", "size": "32M", "mode": "page" }
    ] }
]
EOF

seq_before=$(seq0)
run $P apply --dry-run /tmp/l1.json
expect_eq "$rc" 0 "dry run ($err)"
echo "$out"
expect_eq "$(echo "$out" | jq -r '[.actions[] | "\(.action):\(.name)"] | join(",")')" \
	"create:filler,create:vm,create:small,create:dflt,create:od,create:blk" "planned actions"
expect_eq "$(echo "$out" | jq -r '[.actions[].namespace | "\(.mode)/\(.access)/\(.chardev)/\(.blockdev)"] | join(" ")')" \
	"raw/block/null/pmem0n0 page/devdax/pmemctl-dax0.1/null page/devdax/pmemctl-dax0.2/null pfn/devdax/pmemctl-dax0.3/null ondemand/devdax/pmemctl-dax0.4/null page/block/null/pmem0n5" \
	"the dry run names each namespace's device, of its kind"
# 1G compound pages deduplicated: 40 KiB per GiB (ns-memmap-compound.sh)
expect_eq "$(echo "$out" | jq -r '.actions[1].namespace.metadata_ram')" $((40 << 10)) \
	"the 1G devdax create's RAM cost"
expect_eq "$(echo "$out" | jq -r '.actions[4].namespace.metadata_ram_peak')" null \
	"an ondemand create has no peak yet"
od_per_gib=$(echo "$out" | jq -r '.actions[4].namespace.metadata_ram_per_gib')
expect_eq "$(seq0)" "$seq_before" "the dry run committed nothing"

run $P apply /tmp/l1.json
expect_eq "$rc" 0 "apply ($err)"
expect_eq "$(seq0)" $((seq_before + 1)) "one commit for six creates"
expect_eq "$(shapes)" \
	"blk:page:block:$((2 * MiB)):pmem0n5 dflt:pfn:devdax:$((2 * MiB)):pmemctl-dax0.3 filler:raw:block:$((2 * MiB)):pmem0n0 od:ondemand:devdax:$((2 * MiB)):pmemctl-dax0.4 small:page:devdax:4096:pmemctl-dax0.2 vm:page:devdax:$GiB:pmemctl-dax0.1 " \
	"the layout, with devdax in both spellings"
for n in vm small dflt od; do
	[ -c "$(node_of $n)" ] || fail "$n: no character device $(node_of $n)"
done
# the dry run's cost per mapped GiB (from the batch) is the namespace's
run $P list -N -n od
expect_eq "$(echo "$out" | jq -r '.[0].metadata_ram_per_gib')" "$od_per_gib" \
	"od: metadata_ram_per_gib of the dry run and of the namespace"
[ "$od_per_gib" -gt 0 ] || fail "od: no cost per GiB ($od_per_gib)"
[ -b "$(node_of blk)" ] || fail "blk: no block device"
# what the files ask for really maps at that size: 1G faults
run "$probe" faults "$(node_of vm)" $GiB 7
expect_eq "$rc" 0 "vm: faults ($err)"
f=$(echo "$out" | awk '/^faults/ { print $2 }')
[ "$f" -le 4 ] || fail "vm: 1 GiB at 1 GiB alignment took $f faults"

# what list printed is the layout: nothing to do, no commit
$P list -R -N -r region0 >/tmp/saved.json || fail "list -R -N"
run $P apply /tmp/saved.json
expect_eq "$rc" 0 "apply what list printed ($err)"
expect_eq "$(echo "$out" | jq -c '[(.actions | length), .unchanged, (.refusals | length)]') $(seq0)" \
	"[0,6,0] $((seq_before + 1))" "list's output, devdax included, applies with nothing to do"

# block -> devdax in place: written through the block device, read
# through the character device
head -c $MiB /dev/urandom >/tmp/data
dd if=/tmp/data of="$(node_of blk)" bs=1M oflag=direct status=none || fail "write blk"
sed 's/"name": "blk", "size": "32M", "mode": "page"/"name": "blk", "size": "32M", "mode": "page", "access": "devdax"/' \
	/tmp/l1.json >/tmp/l2.json
run $P apply /tmp/l2.json
expect_eq "$rc" 0 "blk to devdax ($err)"
expect_eq "$(echo "$out" | jq -r '.actions[] | "\(.action) \(.from_mode) \(.from_access) \(.namespace.access) \(.namespace.chardev)"')" \
	"reconfigure page block devdax pmemctl-dax0.5" "one reconfigure, from block"
expect_eq "$(seq0)" $((seq_before + 2)) "one commit"
"$probe" dump "$(node_of blk)" 0 $MiB >/tmp/back || fail "dump blk"
cmp /tmp/data /tmp/back || fail "the data written as a block device is not in the devdax one"

# the file without blk's access: not compared, nothing to do
run $P apply /tmp/l1.json
expect_eq "$rc $(echo "$out" | jq -c '[(.actions | length), .unchanged]')" "0 [0,6]" \
	"a file that gives no access leaves it as it is ($err)"
# and back: the bytes in the character device are read through the
# block device
sed 's/"name": "blk", "size": "32M", "mode": "page"/"name": "blk", "size": "32M", "mode": "page", "access": "block"/' \
	/tmp/l1.json >/tmp/l2b.json
run $P apply /tmp/l2b.json
expect_eq "$rc" 0 "blk to block ($err)"
expect_eq "$(echo "$out" | jq -r '.actions[] | "\(.action) \(.from_access) \(.namespace.access) \(.namespace.blockdev)"')" \
	"reconfigure devdax block pmem0n5" "one reconfigure, from devdax"
dd if="$(node_of blk)" of=/tmp/back bs=1M count=1 iflag=direct status=none || fail "read blk"
cmp /tmp/data /tmp/back || fail "the data is not kept from devdax to block"

# a raw devdax entry: a bad file, nothing asked of the kernel
sed 's/"name": "dflt", "size": "16M", "access": "devdax"/"name": "dflt", "size": "16M", "mode": "raw", "access": "devdax"/' \
	/tmp/l1.json >/tmp/bad.json
run $P apply /tmp/bad.json
expect_eq "$rc" 2 "a raw devdax entry"
expect_eq "$err" \
	"pmemctl apply: /tmp/bad.json: [0].namespaces[3].mode: mode 'raw' cannot be devdax: device DAX needs struct pages (page, pfn or ondemand)" \
	"its message"

# a 4K devdax namespace cannot be a block device in place
sed 's/"mode": "page", "access": "devdax", "align": 4096/"mode": "page", "access": "block"/' \
	/tmp/l1.json >/tmp/l3.json
seq_now=$(seq0)
run $P apply --force /tmp/l3.json
expect_eq "$rc" 1 "small to block"
expect_eq "$(echo "$out" | jq -r '.refusals[] | "\(.name) \(.reason)"')" \
	"small its alignment (4.00 KiB) does not suit block access: --force with an \"align\" that does destroys and re-creates it" \
	"refused, with what to do"
expect_eq "$(seq0) $(shapes | grep -o 'small:[^ ]*')" "$seq_now small:page:devdax:4096:pmemctl-dax0.2" \
	"nothing changed"

# 1G devdax in pfn mode (ndctl's devdax without a map): the reserve
# would move the data off 1G
sed 's/{ "name": "blk", "size": "32M", "mode": "page" }/{ "name": "blk", "size": "32M", "mode": "page" }, { "name": "g1", "size": "1G", "mode": "devdax", "align": "1G" }/' \
	/tmp/l1.json >/tmp/l5.json
run $P apply /tmp/l5.json
expect_eq "$rc" 1 "1G pfn devdax"
expect_eq "$(echo "$out" | jq -r '.refusals[] | "\(.name) \(.place) \(.reason)"')" \
	"g1 [0].namespaces[6] devdax with 1G alignment needs its data to start on a 1G boundary, and a pfn memmap reserve of 16.00 MiB would move it off one: give it mode page (\"map\": \"mem\")" \
	"refused before the kernel is asked"
expect_eq "$(seq0)" "$seq_now" "nothing changed"

# an open character device stops its region's commit; closed, it applies
exec 3<"$(node_of od)" || fail "open od"
sed 's/"name": "od", "size": "64M", "mode": "ondemand", "access": "devdax"/"name": "od", "size": "64M", "mode": "ondemand", "access": "block"/' \
	/tmp/l1.json >/tmp/l4.json
run $P apply /tmp/l4.json
expect_eq "$rc" 1 "od to block while open"
echo "$err"
case $err in
*"region0: "*"the regions before it are applied, it and the rest are not"*) ;;
*) fail "the failed commit's message: $err" ;;
esac
expect_eq "$(seq0) $(shapes | grep -o 'od:[^ ]*')" "$seq_now od:ondemand:devdax:$((2 * MiB)):pmemctl-dax0.4" \
	"an open devdax namespace is not changed"
exec 3<&-
# the access change moves the cost per mapped GiB (no compound pages in
# a block namespace): the dry run says by how much
run $P apply --dry-run /tmp/l4.json
expect_eq "$rc" 0 "od to block, dry run ($err)"
planned=$(echo "$out" | jq -r '.actions[0].namespace | "\(.access) \(.metadata_ram_per_gib)"')
run $P apply /tmp/l4.json
expect_eq "$rc" 0 "od to block once closed ($err)"
expect_eq "$(shapes | grep -o 'od:[^ ]*')" "od:ondemand:block:$((2 * MiB)):pmem0n4" "od is a block device"
run $P list -N -n od
expect_eq "$planned" "block $(echo "$out" | jq -r '.[0].metadata_ram_per_gib')" \
	"od to block: the dry run's metadata_ram_per_gib is the namespace's"
[ "${planned#block }" != "$od_per_gib" ] ||
	fail "od: block and devdax cost the same per GiB ($od_per_gib)"
# reconfigure-namespace's dry run into ondemand says it too
run $P reconfigure-namespace blk -m ondemand --dry-run
expect_eq "$rc" 0 "blk to ondemand, dry run ($err)"
planned=$(echo "$out" | jq -r '"\(.metadata_ram_peak) \(.metadata_ram_per_gib)"')
expect_eq "$planned" "null ${planned#null }" "blk to ondemand: no peak yet"
run $P reconfigure-namespace blk -m ondemand
expect_eq "$rc" 0 "blk to ondemand ($err)"
expect_eq "${planned#null }" "$(echo "$out" | jq -r '.metadata_ram_per_gib')" \
	"blk to ondemand: the dry run's metadata_ram_per_gib is the namespace's"

no_splat
ns_disable_paged || fail "disable the namespaces with struct pages"
unload_module
echo ok
