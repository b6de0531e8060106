/* SPDX-License-Identifier: LGPL-2.1-or-later WITH Linux-syscall-note */
/*
 * pmemctl kernel <-> userspace ABI.
 *
 * This is the only definition of the control-device ABI. The kernel module
 * and libpmemctl both include it; nothing else may talk to /dev/pmemctl.
 *
 * Rules every command follows (Documentation/abi/ioctl.adoc):
 *  - every argument struct starts with a __u32 size holding sizeof() of the
 *    struct the caller was built with, and a __u32 flags word;
 *  - a size the kernel does not know, an unknown flag, or a non-zero
 *    reserved field fails with EINVAL;
 *  - commands that change state need CAP_SYS_ADMIN (EPERM otherwise);
 *  - the kernel never copies out bytes it did not initialise.
 */
#ifndef _UAPI_PMEMCTL_H
#define _UAPI_PMEMCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* ABI generation. Additions bump the minor, incompatible changes the major. */
#define PMEMCTL_ABI_MAJOR	1
#define PMEMCTL_ABI_MINOR	0

/* Path of the control device and name of the sysfs bus. */
#define PMEMCTL_CONTROL_DEVICE	"/dev/pmemctl"
#define PMEMCTL_BUS_NAME	"pmemctl"

#define PMEMCTL_IOC_MAGIC	0xB8

#define PMEMCTL_VERSION_LEN	32

/*
 * PMEMCTL_IOC_VERSION: identify the running module.
 *
 * In:  size = sizeof(struct pmemctl_version), flags = 0, everything else 0.
 * Out: abi_major, abi_minor, and module_version (NUL-terminated, NUL-padded).
 * Needs no privilege.
 */
struct pmemctl_version {
	__u32 size;
	__u32 flags;
	__u32 abi_major;
	__u32 abi_minor;
	char module_version[PMEMCTL_VERSION_LEN];
	__u64 reserved[4];
};

#define PMEMCTL_IOC_VERSION	_IOWR(PMEMCTL_IOC_MAGIC, 0x00, struct pmemctl_version)

#endif /* _UAPI_PMEMCTL_H */
