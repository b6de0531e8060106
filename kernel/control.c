// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/pmemctl: the control device. Every state change will arrive here as
 * one ioctl; reads go through sysfs instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <pmemctl.h>

#include "internal.h"

static struct miscdevice pmemctl_control;

/*
 * Anything a caller sends can be wrong on purpose; say why only at debug
 * level, through this one call site so that a single rate limit covers
 * every kind of rejection and userspace cannot flood the log.
 */
static __printf(1, 2) void pmemctl_reject(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_dbg_ratelimited(pmemctl_control.this_device, "rejected: %pV", &vaf);
	va_end(args);
}

static long pmemctl_ioc_version(void __user *uarg)
{
	struct pmemctl_version ver;

	if (copy_from_user(&ver, uarg, sizeof(ver)))
		return -EFAULT;
	if (ver.size != sizeof(ver)) {
		pmemctl_reject("VERSION: size %u, expected %zu\n", ver.size,
			       sizeof(ver));
		return -EINVAL;
	}
	if (ver.flags) {
		pmemctl_reject("VERSION: unknown flags %#x\n", ver.flags);
		return -EINVAL;
	}
	if (memchr_inv(ver.reserved, 0, sizeof(ver.reserved))) {
		pmemctl_reject("VERSION: reserved fields not zero\n");
		return -EINVAL;
	}

	/* Every byte copied out is set here: no stack contents leak. */
	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.abi_major = PMEMCTL_ABI_MAJOR;
	ver.abi_minor = PMEMCTL_ABI_MINOR;
	strscpy_pad(ver.module_version, PMEMCTL_VERSION,
		    sizeof(ver.module_version));

	if (copy_to_user(uarg, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

static long pmemctl_control_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case PMEMCTL_IOC_VERSION:
		return pmemctl_ioc_version(uarg);
	default:
		pmemctl_reject("unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}
}

static const struct file_operations pmemctl_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = pmemctl_control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * World-readable so that unprivileged tools can ask for the version; each
 * command that changes state checks CAP_SYS_ADMIN itself.
 */
static struct miscdevice pmemctl_control = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pmemctl",
	.fops = &pmemctl_control_fops,
	.mode = 0644,
};

int pmemctl_control_register(void)
{
	return misc_register(&pmemctl_control);
}

void pmemctl_control_unregister(void)
{
	misc_deregister(&pmemctl_control);
}
