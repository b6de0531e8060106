#!/bin/bash
# PID 1 of a test guest, started by the initramfs after switch_root. The job
# share (/job) carries the environment from the host and takes back the
# test's output, exit status and kernel log.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-linux}

# No tmpfs on /tmp: the overlay is already writable, and a source or build
# tree under the host's /tmp (a CI clone) must stay visible.
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
hostname pmemctl-vm

# Unprivileged checks run the build as nobody: let it reach the trees even
# when the clone sits under a private (0700) directory. This changes the
# guest's overlay only, never the host.
for tree in "$PMEMCTL_SRCDIR" "$PMEMCTL_BUILDDIR"; do
	d=$tree
	while [ -n "$d" ] && [ "$d" != / ]; do
		chmod o+rx "$d" 2>/dev/null
		d=$(dirname "$d")
	done
done

# The CLI itself, not libtool's wrapper script around it: the wrapper
# is a bash and four more processes per call (about 6 s a call on the debug
# kernel under TCG); LD_LIBRARY_PATH is what it would set.
if [ -x "$PMEMCTL_BUILDDIR/cli/.libs/pmemctl" ]; then
	export PMEMCTL="$PMEMCTL_BUILDDIR/cli/.libs/pmemctl"
	export LD_LIBRARY_PATH="$PMEMCTL_BUILDDIR/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
	export PMEMCTL="$PMEMCTL_BUILDDIR/cli/pmemctl"
fi
export PMEMCTL_KO="${PMEMCTL_KO:-$PMEMCTL_BUILDDIR/kernel/pmemctl.ko}"

case "$PMEMCTL_VM_MODE" in
shell)
	echo "pmemctl test guest: kernel $(uname -r); module: insmod \$PMEMCTL_KO; CLI: \$PMEMCTL"
	echo "leave with 'exit' (ends the guest)"
	cd "$PMEMCTL_BUILDDIR" || cd /
	setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	;;
demo)
	cd /tmp
	bash "$PMEMCTL_SRCDIR/test/vm/demo.sh" >/dev/ttyS0 2>&1
	echo $? >/job/status
	;;
test)
	cd /tmp
	read -r PMEMCTL_VM_BOOT PMEMCTL_VM_BOOTS </job/boot
	export PMEMCTL_VM_BOOT PMEMCTL_VM_BOOTS
	[ "$PMEMCTL_VM_BOOTS" -gt 1 ] && echo "=== boot $PMEMCTL_VM_BOOT of $PMEMCTL_VM_BOOTS" >>/job/output
	# On a kernel with kmemleak, what boot left behind is not the test's:
	# forget it, and after the test scan for what the test leaked.
	kmemleak=/sys/kernel/debug/kmemleak
	[ -w $kmemleak ] && echo clear >$kmemleak
	bash "$PMEMCTL_VM_TEST" >>/job/output 2>&1
	st=$?
	if [ -w $kmemleak ]; then
		# kmemleak reports only objects older than 5 s; the list read
		# back keeps only what the last scan still found unreferenced,
		# so a pointer that was in flight during the first scan (in a
		# register, on a list being moved) clears its object.
		sleep 5
		echo scan >$kmemleak
		sleep 1
		echo scan >$kmemleak
		cat $kmemleak >/job/kmemleak
	fi
	echo $st >/job/status
	;;
esac

dmesg >/job/dmesg 2>/dev/null
sync
# A reset, not a power-off: QEMU runs with -no-reboot, so it exits, and a
# reset needs no ACPI.
echo b >/proc/sysrq-trigger
sleep 10
