#!/bin/bash
# Seeded, bounded fuzzing of /dev/pmemctl (test/vm/ioctl-fuzz.c: see its
# header for the per-request oracle). Asserts:
# - at least 200,000 requests, of every command of the ABI (right sizes
#   with random fields, sizes, flags, offsets and lengths at the limits,
#   garbage names and UUIDs, bad pointers, unknown command values) and
#   well-formed sequences of create/destroy/enable/disable/reconfigure/
#   init-labels over both regions, each answered as documented;
# - from nobody (no capabilities, the descriptor opened by root): every
#   change request is EPERM, counted, and sysfs is unchanged;
# - afterwards no two namespaces overlap (sysfs resource and size), the
#   label store is valid (a module reload gives back the same namespaces,
#   list -N -v) and the kernel log has no oops, warning or checker report.
# The seed is printed ("seed: N"); to replay it, write it to
# $PMEMCTL_BUILDDIR/test/vm/ioctl-fuzz.seed and run the test again (the
# count can go there too, as a second word).
# vm-timeout: 1800
. "$PMEMCTL_SRCDIR/test/vm/lib.sh"

fz="$PMEMCTL_BUILDDIR/test/vm/ioctl-fuzz"
nsi="$PMEMCTL_BUILDDIR/test/vm/ns-ioctl"
P=$PMEMCTL
[ -x "$fz" ] || fail "$fz not built"
command -v jq >/dev/null || fail "jq not installed"

seed= count=
replay="$PMEMCTL_BUILDDIR/test/vm/ioctl-fuzz.seed"
[ -r "$replay" ] && read -r seed count <"$replay"
[ -n "$seed" ] || seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
[ -n "$count" ] || count=200000

echo "setup at ${SECONDS}s"
mark_log
load_module
# Through the kernel ABI alone (ns-ioctl), which is quicker than the CLI:
# something for the unprivileged requests to aim at, in every mode.
for r in 0 1; do
	"$nsi" init $r >/dev/null || fail "init-labels region$r"
done
M=$((1 << 20))
"$nsi" create 0 $((16 * M)) 0 fzraw 0 >/dev/null || fail "create raw"
"$nsi" create 0 $((16 * M)) 0 fzpage 1 >/dev/null || fail "create page"
"$nsi" create 1 $((16 * M)) 0 fzpfn 2 >/dev/null || fail "create pfn"
out=$("$nsi" create 1 $((8 * M)) 0 fzoff 0) || fail "create fzoff: $out"
"$nsi" disable 1 "$(echo "$out" | awk '{ print $2 }')" >/dev/null || fail "disable fzoff"

start=$(date +%s)
"$fz" --seed "$seed" --count "$count"
frc=$?
echo "fuzzer: exit $frc in $(($(date +%s) - start)) s"
[ $frc -eq 0 ] || fail "ioctl-fuzz --seed $seed --count $count failed (echo '$seed $count' > $replay to replay)"

echo "checks at ${SECONDS}s"
$P list -N | jq -e 'type == "array"' >/dev/null || fail "list -N is not a JSON array"
ns_overlap_check || fail "namespaces overlap"
ns_reload_check
ns_overlap_check || fail "namespaces overlap after the reload"
ns_disable_paged || fail "disable page/pfn namespaces"
rmmod pmemctl || fail "final rmmod"
no_splat
echo "PASS: seed $seed, $count requests (${SECONDS}s)"
