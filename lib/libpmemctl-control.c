// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl: talking to the module. Every change is one ioctl on
 * /dev/pmemctl (opened per call, so a context holds no descriptor), and a
 * namespace the kernel enabled is ready only once its block device node
 * exists and, when udevd runs, udev has processed it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libudev.h>

#include "libpmemctl-private.h"

int pmemctl_control_ioctl(struct pmemctl_ctx *ctx, unsigned long request,
			  const char *what, void *arg)
{
	int fd, err = 0;

	fd = open(PMEMCTL_DEV_CONTROL, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		err(ctx, "cannot open %s for writing: %s\n", PMEMCTL_DEV_CONTROL,
		    strerror(-err));
		/* Not allowed to write the device: not allowed to change. */
		return err == -EACCES ? -EPERM : err;
	}
	if (ioctl(fd, request, arg) < 0) {
		err = -errno;
		info(ctx, "%s: %s\n", what, strerror(-err));
	}
	close(fd);
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * udevd has run its rules for device @name of @subsystem (its database
 * entry exists).
 */
static bool udev_initialized(struct udev *udev, const char *subsystem,
			     const char *name)
{
	struct udev_device *dev;
	bool done;

	dev = udev_device_new_from_subsystem_sysname(udev, subsystem, name);
	if (!dev)
		return false;
	done = udev_device_get_is_initialized(dev) > 0;
	udev_device_unref(dev);
	return done;
}

/*
 * Wait for /dev/<blockdev>, or /dev/<chardev> of a devdax namespace
 * (class pmemctl-dax). devtmpfs creates the node before the ioctl
 * returns; when udevd runs we also wait until it has processed the device,
 * so its symlinks exist too. The udev queue's inotify descriptor wakes us
 * when udevd finishes events; a 10 ms poll covers the window before it has
 * even read ours.
 */
int pmemctl_ns_wait_blockdev(struct pmemctl_namespace *ns)
{
	struct pmemctl_ctx *ctx =
		pmemctl_region_get_ctx(pmemctl_namespace_get_region(ns));
	const char *devname = pmemctl_namespace_get_devname(ns);
	struct udev_queue *queue = NULL;
	struct udev *udev = NULL;
	const char *name = pmemctl_namespace_get_blockdev(ns);
	const char *subsystem = "block";
	char node[PATH_MAX];
	long long start = now_ms(), waited;
	int qfd = -1;

	if (!name) {
		name = pmemctl_namespace_get_chardev(ns);
		subsystem = "pmemctl-dax";
	}
	if (!name) {
		err(ctx, "%s: enabled but no block or character device in sysfs\n",
		    devname);
		return -ENODEV;
	}
	snprintf(node, sizeof(node), PMEMCTL_DEV_DIR "/%s", name);

	if (access(PMEMCTL_UDEV_CONTROL, F_OK) == 0) {
		udev = udev_new();
		queue = udev ? udev_queue_new(udev) : NULL;
		qfd = queue ? udev_queue_get_fd(queue) : -1;
		if (!udev)
			info(ctx, "udevd runs but libudev failed: polling for %s\n", node);
	}

	for (;;) {
		struct pollfd pfd = { .fd = qfd, .events = POLLIN };

		if (access(node, F_OK) == 0 && (!udev || udev_initialized(udev, subsystem, name)))
			break;
		waited = now_ms() - start;
		if (waited >= PMEMCTL_BLOCKDEV_WAIT_MS) {
			err(ctx, "%s: %s did not appear within %d ms\n", devname,
			    node, PMEMCTL_BLOCKDEV_WAIT_MS);
			udev_queue_unref(queue);
			udev_unref(udev);
			return -ETIMEDOUT;
		}
		if (qfd >= 0) {
			if (poll(&pfd, 1, 10) > 0)
				udev_queue_flush(queue);
		} else {
			const struct timespec step = { .tv_nsec = 2 * 1000 * 1000 };

			nanosleep(&step, NULL);
		}
	}
	dbg(ctx, "%s: %s ready after %lld ms%s\n", devname, node,
	    now_ms() - start, udev ? " (udev)" : "");
	udev_queue_unref(queue);
	udev_unref(udev);
	return 0;
}
