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
#define PMEMCTL_ABI_MINOR	1

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

/* Namespace modes (label field and ioctl field). */
#define PMEMCTL_MODE_RAW	0
#define PMEMCTL_MODE_PAGE	1
#define PMEMCTL_MODE_PFN	2

/* Name: up to 63 bytes of [A-Za-z0-9._-], NUL-terminated and NUL-padded. */
#define PMEMCTL_NAME_LEN	64
#define PMEMCTL_UUID_LEN	16

/*
 * PMEMCTL_IOC_INIT_LABELS: write an empty label store at the start of
 * @region. Refuses (EEXIST) when the region holds a valid store or a damaged
 * one, unless PMEMCTL_INIT_FORCE is set. Refuses (EBUSY) while any of the
 * region's namespaces is enabled.
 */
#define PMEMCTL_INIT_FORCE	0x1u

struct pmemctl_init_labels {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 reserved0;
	__u64 reserved[4];
};

#define PMEMCTL_IOC_INIT_LABELS	_IOW(PMEMCTL_IOC_MAGIC, 0x01, struct pmemctl_init_labels)

/*
 * PMEMCTL_IOC_NS_CREATE: allocate, label and enable a namespace.
 *
 * In:  region, mode, ns_size (bytes, multiple of align), align (power of
 *      two, at least 2 MiB; 0 means 2 MiB), uuid (all zero: the kernel
 *      generates one), name (may be empty; unique within the region).
 * Out: id (N of namespaceR.N), uuid, offset (from the region start).
 * The namespace is either fully created and enabled, or nothing changed.
 */
struct pmemctl_ns_create {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 mode;
	__u64 ns_size;
	__u64 align;
	__u8 uuid[PMEMCTL_UUID_LEN];
	char name[PMEMCTL_NAME_LEN];
	__u32 id;
	__u32 reserved0;
	__u64 offset;
	__u64 reserved[6];
};

#define PMEMCTL_IOC_NS_CREATE	_IOWR(PMEMCTL_IOC_MAGIC, 0x02, struct pmemctl_ns_create)

/*
 * Destroy, enable and disable name one namespace. Destroy removes the label
 * (its data is no longer reachable); it and disable fail with EBUSY while
 * the block device is open or mounted. Enabling is not persistent: after a
 * reboot every namespace with a valid label comes back enabled.
 */
struct pmemctl_ns_ref {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 id;
	__u64 reserved[2];
};

#define PMEMCTL_IOC_NS_DESTROY	_IOW(PMEMCTL_IOC_MAGIC, 0x03, struct pmemctl_ns_ref)
#define PMEMCTL_IOC_NS_ENABLE	_IOW(PMEMCTL_IOC_MAGIC, 0x04, struct pmemctl_ns_ref)
#define PMEMCTL_IOC_NS_DISABLE	_IOW(PMEMCTL_IOC_MAGIC, 0x05, struct pmemctl_ns_ref)

/*
 * On-media label store (Documentation/abi/label-format.adoc), at offset 0 of
 * every region, all fields little-endian:
 *
 *   0                      index copy 0   (PMEMCTL_INDEX_SIZE bytes)
 *   PMEMCTL_INDEX_SIZE     index copy 1
 *   2 * PMEMCTL_INDEX_SIZE label slots    (nslots * PMEMCTL_LABEL_SIZE)
 *
 * The store occupies PMEMCTL_STORE_SIZE bytes; namespaces start after it.
 * An index copy is a header followed by a bitmap of used slots. The copy
 * with the higher sequence number whose checksum and contents are valid is
 * current. A change writes only slots that are free in the current index,
 * then writes the other index copy with sequence + 1: that write is the
 * single commit point, and the previous index stays valid until it lands.
 */
#define PMEMCTL_STORE_SIZE	(2u << 20)
#define PMEMCTL_INDEX_SIZE	4096u
#define PMEMCTL_LABEL_SIZE	256u
#define PMEMCTL_NSLOTS \
	((PMEMCTL_STORE_SIZE - 2 * PMEMCTL_INDEX_SIZE) / PMEMCTL_LABEL_SIZE)

#define PMEMCTL_FORMAT_MAJOR	1
#define PMEMCTL_FORMAT_MINOR	0

#define PMEMCTL_INDEX_MAGIC	"PMEMCTL-INDEX\0\0"	/* 16 bytes with the NUL */
#define PMEMCTL_LABEL_MAGIC	"PMEMLBL"		/* 8 bytes with the NUL */

struct pmemctl_index {
	__u8 magic[16];
	__le32 major;
	__le32 minor;
	__le64 seq;		/* higher is newer; 0 is never valid */
	__le64 region_size;	/* bytes; must match the region */
	__le32 nslots;
	__le32 label_size;
	__le32 index_size;
	__le32 copy;		/* 0 or 1: must match where it is stored */
	__le64 checksum;	/* Fletcher-64 of index_size bytes, this field 0 */
	/* followed by the used-slot bitmap (bit n of byte n / 8), zero after */
};

struct pmemctl_label {
	__u8 magic[8];
	__le32 slot;		/* must match the slot it is stored in */
	__le32 id;		/* N of namespaceR.N */
	__u8 uuid[PMEMCTL_UUID_LEN];
	char name[PMEMCTL_NAME_LEN];
	__le64 offset;		/* from the region start, bytes */
	__le64 size;		/* bytes */
	__le64 align;		/* bytes, power of two >= 2 MiB */
	__le32 mode;		/* PMEMCTL_MODE_* */
	__le32 flags;		/* none defined; must be 0 */
	__le64 reserved[15];	/* must be 0 (page backing layout goes here) */
	__le64 checksum;	/* Fletcher-64 of the 256 bytes, this field 0 */
};

#endif /* _UAPI_PMEMCTL_H */
