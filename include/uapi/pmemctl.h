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
/*
 * 1.4: NS_BATCH; 1.5: access kinds; 1.6: mode ondemand; 1.7: devdax
 * extent costs in sysfs, a batch op's ram_per_gib
 */
#define PMEMCTL_ABI_MINOR	7

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

/*
 * Namespace modes (label field and ioctl field): where the memmap lives.
 * ondemand (1.6) has the layout of page (no reserve) and struct pages in
 * RAM only for the chunks of the namespace that are mapped (device DAX)
 * or have been mapped (filesystem DAX) since it was enabled.
 */
#define PMEMCTL_MODE_RAW	0
#define PMEMCTL_MODE_PAGE	1
#define PMEMCTL_MODE_PFN	2
#define PMEMCTL_MODE_ONDEMAND	3

/*
 * How a namespace is accessed (1.5), independent of where its memmap lives
 * (the mode above): a block device (with filesystem DAX when the namespace
 * has struct pages), or a device-DAX character device pmemctl-daxR.N that
 * is mmap()ed directly. devdax needs struct pages: mode page or pfn. 0 is
 * what every label and request before 1.5 meant.
 */
#define PMEMCTL_ACCESS_BLOCK	0
#define PMEMCTL_ACCESS_DEVDAX	1

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
 * What a namespace's page metadata costs, as the kernel computes it for the
 * struct page size it was built with (Documentation/abi/ioctl.adoc):
 *   data_offset  bytes from the namespace start to its data (pfn: the
 *                memmap reserve; raw and page: 0)
 *   data_size    bytes usable for data: ns_size - data_offset
 *   ram_bytes    system RAM the memmap takes while enabled (page: all of
 *                it; pfn: the parts of 128 MiB sections the namespace only
 *                partly covers, which the kernel maps from RAM)
 *   dev_bytes    namespace bytes reserved for the memmap (= data_offset)
 */
struct pmemctl_ns_cost {
	__u64 data_offset;
	__u64 data_size;
	__u64 ram_bytes;
	__u64 dev_bytes;
};

/*
 * PMEMCTL_IOC_NS_CREATE: allocate, label and enable a namespace.
 *
 * In:  region, mode, ns_size (bytes, multiple of align), align (power of
 *      two, at least 2 MiB; 0 means 2 MiB), uuid (all zero: the kernel
 *      generates one), name (may be empty; unique within the region),
 *      access (1.5; PMEMCTL_ACCESS_*, 0 = block).
 *      page and pfn namespaces need a multiple of 2 MiB (they are).
 *      A devdax namespace's align is its mapping's fault size: 4 KiB,
 *      2 MiB or 1 GiB exactly; its extent still starts on a 2 MiB
 *      boundary and its size is a multiple of 2 MiB and of align, and with
 *      1 GiB its data start (pfn: after the reserve) must be 1 GiB aligned.
 * Out: id (N of namespaceR.N), uuid, offset (from the region start), cost.
 * For mode ondemand (1.6), cost.ram_bytes is the worst case (struct pages
 * for every chunk), and ram_per_gib what each GiB mapped takes.
 * The namespace is either fully created and enabled, or nothing changed.
 *
 * PMEMCTL_NS_CREATE_DRY_RUN checks the request exactly as a create would,
 * fills id, uuid, offset and cost, and changes nothing. (The id and uuid
 * a later create picks may differ.)
 *
 * A page namespace whose memmap would take more than half of the memory
 * the kernel reports available fails with ENOMEM before anything changes;
 * then (only) cost is copied out too, to say what the memmap would take.
 */
#define PMEMCTL_NS_CREATE_DRY_RUN	0x1u

struct pmemctl_ns_create {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 mode;
	__u64 ns_size;
	__u64 align;
	__u8 uuid[PMEMCTL_UUID_LEN];
	char name[PMEMCTL_NAME_LEN];
	__u32 id;			/* out */
	__u32 access;			/* in, 1.5 (was reserved0) */
	__u64 offset;
	struct pmemctl_ns_cost cost;
	__u64 ram_per_gib;		/* out, 1.6: ondemand, else 0 */
	__u64 reserved[1];
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
 * PMEMCTL_IOC_NS_RECONFIGURE: change a namespace's mode in place, keeping
 * its number, name, UUID and extent. One commit writes the new label; an
 * enabled namespace is re-enabled in the new mode (EBUSY while open or
 * mounted; if the new mode cannot be enabled, the old one stays).
 * raw <-> page keeps the data. A change into or out of pfn moves where the
 * data starts, so it fails with ENOTEMPTY unless PMEMCTL_RECONFIGURE_FORCE
 * says the data may be discarded. The same mode is a no-op.
 * PMEMCTL_RECONFIGURE_DRY_RUN checks and fills @cost, changing nothing.
 * @cost is filled on success and, as for NS_CREATE, on ENOMEM.
 *
 * PMEMCTL_RECONFIGURE_ACCESS (1.5): @access is the new access kind (block
 * <-> devdax keeps the data: only how it is reached changes; the
 * namespace's align must be valid for the new kind). Without the flag
 * @access must be 0 and the access kind is kept, so a caller from before
 * 1.5 never turns a devdax namespace into a block one.
 */
#define PMEMCTL_RECONFIGURE_FORCE	0x1u
#define PMEMCTL_RECONFIGURE_DRY_RUN	0x2u
#define PMEMCTL_RECONFIGURE_ACCESS	0x4u

struct pmemctl_ns_reconfigure {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 id;
	__u32 mode;
	__u32 access;			/* 1.5 (was reserved0) */
	struct pmemctl_ns_cost cost;	/* out */
	__u64 reserved[4];
};

#define PMEMCTL_IOC_NS_RECONFIGURE \
	_IOWR(PMEMCTL_IOC_MAGIC, 0x06, struct pmemctl_ns_reconfigure)

/*
 * PMEMCTL_IOC_NS_BATCH (1.4): many label changes to one region, checked
 * together and committed with one index write, or none of them.
 *
 * @ops points to @nr_ops (1 to PMEMCTL_BATCH_MAX_OPS) entries of
 * @op_size = sizeof(struct pmemctl_batch_op) bytes. Every op is checked
 * against the region as the ops before it leave it: a create may use the
 * extent, name or UUID of a namespace the batch destroys, never its label
 * slot or number. Space, names, UUIDs, slots and the RAM of all page
 * memmaps together are checked before anything changes.
 *
 * Then the namespaces that are destroyed or reconfigured are disabled (if
 * one is still in use, the ones already disabled are enabled again and
 * the batch fails with nothing changed), all new labels are written to
 * free slots and one index commit makes every change at once. After it,
 * the new namespaces and the reconfigured ones that were enabled are
 * enabled; an op whose enable fails has its namespace created or changed
 * but disabled, and its @result says why. The ioctl then returns 0.
 *
 * A non-zero return means nothing changed on the media. @failed is then
 * the index of the op that failed (its @result holds the same error), or
 * PMEMCTL_BATCH_NO_OP when no single op is to blame (the RAM of all page
 * memmaps together). @ops is copied back in every case but EFAULT and a
 * malformed header: ids, UUIDs, offsets and costs of every op as the batch
 * would make or has made them.
 *
 * PMEMCTL_BATCH_DRY_RUN checks and fills everything, changing nothing.
 */
#define PMEMCTL_BATCH_DRY_RUN		0x1u

#define PMEMCTL_BATCH_MAX_OPS		16384u
#define PMEMCTL_BATCH_NO_OP		0xffffffffu

/* struct pmemctl_batch_op.op */
#define PMEMCTL_BATCH_CREATE		1
#define PMEMCTL_BATCH_DESTROY		2
#define PMEMCTL_BATCH_RECONFIGURE	3

/* struct pmemctl_batch_op.flags */
#define PMEMCTL_BATCH_OP_FORCE		0x1u	/* reconfigure: as ..._FORCE */
#define PMEMCTL_BATCH_OP_DISABLED	0x2u	/* create: leave it disabled */
#define PMEMCTL_BATCH_OP_ACCESS		0x4u	/* reconfigure: as ..._ACCESS */

/*
 * One op. In: op, flags, and for a create mode, ns_size, align, uuid,
 * name and access as in NS_CREATE; for destroy and reconfigure id (and
 * reconfigure mode, and access with PMEMCTL_BATCH_OP_ACCESS). Fields an
 * op does not use, and every out field, must be 0.
 * Out: id, uuid and offset of the namespace the op makes or changes,
 * cost in its new mode (destroy: 0), result (0 or a negative errno).
 */
struct pmemctl_batch_op {
	__u32 op;
	__u32 flags;
	__u32 id;
	__u32 mode;
	__u64 ns_size;
	__u64 align;
	__u8 uuid[PMEMCTL_UUID_LEN];
	char name[PMEMCTL_NAME_LEN];
	__u64 offset;			/* out */
	struct pmemctl_ns_cost cost;	/* out */
	__s32 result;			/* out */
	__u32 access;			/* 1.5 (was reserved0) */
	__u64 ram_per_gib;		/* out, 1.7: ondemand, else 0 */
	__u64 reserved[1];
};

struct pmemctl_ns_batch {
	__u32 size;
	__u32 flags;
	__u32 region;
	__u32 nr_ops;
	__u64 ops;			/* user address of the op array */
	__u32 op_size;
	__u32 failed;			/* out */
	__u64 reserved[4];
};

#define PMEMCTL_IOC_NS_BATCH	_IOWR(PMEMCTL_IOC_MAGIC, 0x07, struct pmemctl_ns_batch)

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
/* 1.1: pfn layout; 1.2: access; 1.3: mode ondemand */
#define PMEMCTL_FORMAT_MINOR	3

#define PMEMCTL_INDEX_MAGIC	"PMEMCTL-INDEX\0\0"	/* 16 bytes with the NUL */
#define PMEMCTL_LABEL_MAGIC	"PMEMLBL"		/* 8 bytes with the NUL */

/* pfn layout constants: memmap blocks are mapped 2 MiB at a time. */
#define PMEMCTL_PFN_ALIGN	(2u << 20)
#define PMEMCTL_PFN_PAGE_SIZE	4096u
#define PMEMCTL_PAGE_STRUCT_SIZE	64u	/* reserved per struct page */

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
	/* pfn layout; all four are 0 in raw and page labels */
	__le64 data_offset;	/* memmap reserve: bytes before the data */
	__le64 npfns;		/* struct pages it holds: size / 4 KiB */
	__le32 pfn_align;	/* alignment of reserve and data: 2 MiB */
	__le32 page_struct_size; /* bytes reserved per struct page */
	__le32 access;		/* 1.2: PMEMCTL_ACCESS_*; 0 (block) before */
	__le32 reserved0;	/* must be 0 */
	__le64 reserved[11];	/* must be 0 */
	__le64 checksum;	/* Fletcher-64 of the 256 bytes, this field 0 */
};

#endif /* _UAPI_PMEMCTL_H */
