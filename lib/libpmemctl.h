/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpmemctl: manage persistent memory regions through the pmemctl kernel
 * module.
 *
 * Conventions, for every function below unless its comment says otherwise:
 *  - functions that can fail return 0 on success or a negative errno;
 *  - getters return the value directly, and a documented "unknown" value
 *    (ULLONG_MAX, -1 or NULL) when it cannot be read;
 *  - the library never prints; messages go to the log function of the
 *    context (see pmemctl_set_log_fn()).
 *
 * Build against it with: pkg-config --cflags --libs libpmemctl
 * and #include <pmemctl/libpmemctl.h>.
 */
#ifndef _LIBPMEMCTL_H_
#define _LIBPMEMCTL_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Library context.
 *
 * A context holds the log settings and the cached list of regions. It is
 * reference counted and not thread safe: use one context per thread, or
 * serialise access to it.
 */
struct pmemctl_ctx;

/*
 * pmemctl_new - create a library context
 * @ctx: where to store the new context (holding one reference)
 *
 * The log priority starts from the PMEMCTL_LOG environment variable ("off",
 * "err", "info", "debug" or a syslog priority number 0-7; default "off":
 * see pmemctl_set_log_priority()).
 * Returns 0, or -ENOMEM (and *ctx untouched).
 */
int pmemctl_new(struct pmemctl_ctx **ctx);

/*
 * pmemctl_ref - take a reference on a context
 * Returns @ctx; NULL when @ctx is NULL.
 */
struct pmemctl_ctx *pmemctl_ref(struct pmemctl_ctx *ctx);

/*
 * pmemctl_unref - drop a reference; the last one frees the context and
 * every region it owns. Accepts NULL. Always returns NULL.
 */
struct pmemctl_ctx *pmemctl_unref(struct pmemctl_ctx *ctx);

/*
 * Log function type. @priority is a syslog priority (LOG_ERR = 3,
 * LOG_INFO = 6, LOG_DEBUG = 7); @file, @line and @fn locate the message in
 * the library source; @format and @args are printf-style and the message
 * ends with a newline.
 */
typedef void (*pmemctl_log_fn)(void *data, int priority, const char *file,
			       int line, const char *fn, const char *format,
			       va_list args);

/*
 * pmemctl_set_log_fn - replace the log sink
 * @log_fn: called for every message at or below the log priority; NULL
 *          restores the default, which writes "libpmemctl: fn: message"
 *          to stderr
 * @data: passed back as the first argument of @log_fn
 */
void pmemctl_set_log_fn(struct pmemctl_ctx *ctx, pmemctl_log_fn log_fn,
			void *data);

/*
 * pmemctl_get_log_priority - current log priority (syslog scale), or
 * PMEMCTL_LOG_OFF.
 */
int pmemctl_get_log_priority(struct pmemctl_ctx *ctx);

/*
 * pmemctl_set_log_priority - log messages up to @priority (syslog scale;
 * values above 7 are clamped to 7, negative ones to PMEMCTL_LOG_OFF).
 *
 * The library never prints on its own: a new context has PMEMCTL_LOG_OFF
 * unless the PMEMCTL_LOG environment variable asks for more.
 */
#define PMEMCTL_LOG_OFF (-1)
void pmemctl_set_log_priority(struct pmemctl_ctx *ctx, int priority);

/*
 * pmemctl_invalidate - forget everything read from sysfs; the next
 * iteration reads it again. Region pointers obtained before the call
 * become invalid.
 */
void pmemctl_invalidate(struct pmemctl_ctx *ctx);

/*
 * Kernel module.
 */

/*
 * pmemctl_module_is_loaded - whether the module is loaded
 * Returns 1 when /sys/bus/pmemctl exists, 0 when it does not.
 */
int pmemctl_module_is_loaded(struct pmemctl_ctx *ctx);

/*
 * pmemctl_module_load - load the kernel module if it is not loaded
 *
 * Loads the module named "pmemctl" with libkmod, or the .ko file named by
 * the PMEMCTL_MODULE environment variable (its "depends" modules are
 * loaded by name first), then waits up to 5 seconds for
 * /sys/bus/pmemctl/devices to appear.
 * Returns 0 when the module is loaded (already or now); -EPERM without the
 * privilege to load modules; -ENOENT when the module cannot be found;
 * -ETIMEDOUT when the bus did not appear; another negative errno from the
 * kernel otherwise.
 */
int pmemctl_module_load(struct pmemctl_ctx *ctx);

/*
 * pmemctl_get_abi_version - ask the running module who it is
 * @major, @minor: ABI version of the module (either may be NULL)
 * @modver: buffer for the module version string (may be NULL if @len is 0);
 *          always NUL-terminated, truncated to @len - 1 characters
 *
 * Issues PMEMCTL_IOC_VERSION on /dev/pmemctl; needs no privilege.
 * Returns 0, -ENOENT when /dev/pmemctl does not exist (module not loaded),
 * or the negative errno of open(2)/ioctl(2).
 */
int pmemctl_get_abi_version(struct pmemctl_ctx *ctx, unsigned int *major,
			    unsigned int *minor, char *modver, size_t len);

/*
 * Regions: /sys/bus/pmemctl/devices/region<N>, numbered in physical
 * address order.
 *
 * Regions belong to the context: they are not reference counted and stay
 * valid until pmemctl_invalidate() or the last pmemctl_unref(). Their
 * attributes are read once, when the region list is first iterated.
 */
struct pmemctl_region;

/*
 * pmemctl_region_get_first - first region, by increasing id
 *
 * Reads the region list on first use. Returns NULL when there is no region
 * (errno is then 0) or when the list cannot be read (errno is set to a
 * positive error code and the reason is logged).
 */
struct pmemctl_region *pmemctl_region_get_first(struct pmemctl_ctx *ctx);

/* pmemctl_region_get_next - region after @region by id, or NULL. */
struct pmemctl_region *pmemctl_region_get_next(struct pmemctl_region *region);

/* Iterate over every region of @ctx in id order. */
#define pmemctl_region_foreach(ctx, region)				\
	for ((region) = pmemctl_region_get_first(ctx);			\
	     (region) != NULL;						\
	     (region) = pmemctl_region_get_next(region))

/* pmemctl_region_get_ctx - the context owning @region (no new reference). */
struct pmemctl_ctx *pmemctl_region_get_ctx(struct pmemctl_region *region);

/* pmemctl_region_get_id - N of region<N>. */
unsigned int pmemctl_region_get_id(struct pmemctl_region *region);

/* pmemctl_region_get_devname - device name, e.g. "region0". */
const char *pmemctl_region_get_devname(struct pmemctl_region *region);

/* pmemctl_region_get_size - capacity in bytes; ULLONG_MAX if unknown. */
unsigned long long pmemctl_region_get_size(struct pmemctl_region *region);

/*
 * pmemctl_region_get_align - alignment in bytes that namespaces of this
 * region follow; ULLONG_MAX if unknown.
 */
unsigned long long pmemctl_region_get_align(struct pmemctl_region *region);

/*
 * pmemctl_region_get_available_size - bytes not used by any namespace
 * (possibly in several extents); ULLONG_MAX if unknown.
 */
unsigned long long pmemctl_region_get_available_size(struct pmemctl_region *region);

/*
 * pmemctl_region_get_max_available_extent - largest contiguous free range
 * in bytes, i.e. the largest namespace that can be created now;
 * ULLONG_MAX if unknown.
 */
unsigned long long pmemctl_region_get_max_available_extent(struct pmemctl_region *region);

/*
 * pmemctl_region_get_numa_node - NUMA node of the region; -1 when it has
 * none or it is unknown.
 */
int pmemctl_region_get_numa_node(struct pmemctl_region *region);

/*
 * pmemctl_region_get_persistence_domain - where writes become persistent,
 * as the kernel reports it (e.g. "unknown", "memory_controller",
 * "cpu_cache"); NULL if unknown.
 */
const char *pmemctl_region_get_persistence_domain(struct pmemctl_region *region);

/*
 * pmemctl_region_get_state - region state as the kernel reports it:
 * "uninitialized" (no label area yet), "active", "label-error" or
 * "degraded" (a label could not be read or a namespace not added: the
 * others are served, creates are refused); NULL if unknown.
 */
const char *pmemctl_region_get_state(struct pmemctl_region *region);

/*
 * pmemctl_region_get_label_error - why the label store was rejected
 * (state "label-error") or is not whole ("degraded"), as the kernel words
 * it (e.g. "bad checksum", "media error"); NULL when there is no reason
 * (other states, or a module without the attribute). Since LIBPMEMCTL_3.
 */
const char *pmemctl_region_get_label_error(struct pmemctl_region *region);

/*
 * pmemctl_region_get_resource - physical start address; ULLONG_MAX when it
 * cannot be read (the sysfs file is readable by root only).
 */
unsigned long long pmemctl_region_get_resource(struct pmemctl_region *region);

/*
 * pmemctl_region_get_max_namespaces - label slots of the region, i.e. how
 * many namespaces it can hold (8160 once its label store is initialised,
 * 0 before); -1 if unknown.
 */
int pmemctl_region_get_max_namespaces(struct pmemctl_region *region);

/*
 * pmemctl_region_init_labels - write an empty label store on @region
 * @force: also overwrite a valid or damaged store (every namespace of the
 *         region is lost)
 *
 * Issues PMEMCTL_IOC_INIT_LABELS, then rereads the region (its namespace
 * objects obtained before become invalid). Needs CAP_SYS_ADMIN.
 * Returns 0; -EEXIST when the region has a store and @force is false;
 * -EBUSY when @force is set and a namespace of the region is enabled;
 * -ENODEV when the region is gone; -EPERM without the privilege (also when
 * /dev/pmemctl cannot be opened for writing); -ENOENT when /dev/pmemctl does
 * not exist; another negative errno from the kernel.
 */
int pmemctl_region_init_labels(struct pmemctl_region *region, bool force);

/*
 * pmemctl_region_read_labels - the raw bytes of @region's label store
 * @buf: set to a malloc()ed copy (free() it), NULL on failure
 * @len: set to its length: PMEMCTL_STORE_SIZE (2 MiB), less only for a
 *       region smaller than that
 *
 * Reads /sys/bus/pmemctl/devices/region<N>/labels, which only root can
 * read, in every region state (also "uninitialized" and "label-error").
 * The kernel copies at most 4096 bytes at a time, so a change of the
 * store during the read could mix two states: the read is tried again
 * (three times in all) while the region's label_seq changes across it.
 * Since LIBPMEMCTL_3.
 * Returns 0; -EACCES or -EPERM without the privilege; -EIO when part of
 * the store is on poisoned media (the rest can still be read with
 * pread(2) around the bad 4096 bytes); -ENOENT when the module has no
 * such attribute (an older module) or the region is gone; -EAGAIN when
 * every try overlapped a change; -ENOMEM.
 */
int pmemctl_region_read_labels(struct pmemctl_region *region, void **buf,
			       size_t *len);

/*
 * Namespaces: /sys/bus/pmemctl/devices/namespace<R>.<N>, a range of region
 * R. N is stored in the namespace's label: stable across reboots, not
 * necessarily contiguous.
 *
 * Namespaces belong to their region and, like it, are not reference
 * counted. A region's list is read on the first call to
 * pmemctl_namespace_get_first() and kept until pmemctl_invalidate(); each
 * attribute of a namespace is read (one sysfs file) when a getter first
 * asks for it, and kept until the region is reread or invalidated.
 *
 * A change (create, destroy, enable, disable, reconfigure) issues one ioctl on
 * /dev/pmemctl, then rereads the region it touched in place: the region
 * pointer and its other namespace pointers stay valid and show the new
 * state; a destroyed namespace's pointer becomes invalid. Every change
 * needs CAP_SYS_ADMIN and returns -EPERM without it, or when /dev/pmemctl
 * cannot be opened for writing.
 */
struct pmemctl_namespace;

/*
 * pmemctl_namespace_get_first - namespace of @region with the lowest N
 *
 * Returns NULL when the region has none (errno is then 0) or when the list
 * cannot be read (errno set to a positive error code, reason logged).
 */
struct pmemctl_namespace *pmemctl_namespace_get_first(struct pmemctl_region *region);

/* pmemctl_namespace_get_next - namespace after @ns by N, or NULL. */
struct pmemctl_namespace *pmemctl_namespace_get_next(struct pmemctl_namespace *ns);

/* Iterate over every namespace of @region in N order. */
#define pmemctl_namespace_foreach(region, ns)				\
	for ((ns) = pmemctl_namespace_get_first(region);		\
	     (ns) != NULL;						\
	     (ns) = pmemctl_namespace_get_next(ns))

/* pmemctl_namespace_get_region - the region owning @ns. */
struct pmemctl_region *pmemctl_namespace_get_region(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_id - N of namespace<R>.<N>. */
unsigned int pmemctl_namespace_get_id(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_devname - device name, e.g. "namespace0.1". */
const char *pmemctl_namespace_get_devname(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_name - the user's name for @ns; "" when it has
 * none, NULL if unknown.
 */
const char *pmemctl_namespace_get_name(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_uuid - UUID as lower-case 8-4-4-4-12 text; NULL
 * if unknown.
 */
const char *pmemctl_namespace_get_uuid(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_mode - "raw", "page", "pfn" or "ondemand"; NULL if unknown. */
const char *pmemctl_namespace_get_mode(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_size - size in bytes; ULLONG_MAX if unknown. */
unsigned long long pmemctl_namespace_get_size(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_align - alignment in bytes; ULLONG_MAX if unknown. */
unsigned long long pmemctl_namespace_get_align(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_is_enabled - 1 when enabled (its block device exists),
 * 0 when disabled, -1 if unknown.
 */
int pmemctl_namespace_is_enabled(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_blockdev - block device name, e.g. "pmem0n1"
 * (the node is /dev/pmem0n1); NULL when disabled, unknown, or a devdax
 * namespace (see pmemctl_namespace_get_chardev()).
 */
const char *pmemctl_namespace_get_blockdev(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_access - how @ns is accessed: "block" (a block
 * device, with filesystem DAX in page and pfn mode) or "devdax" (a
 * device-DAX character device); NULL for a kind this library does not
 * know. A module before ABI 1.5 has block namespaces only.
 * Added in LIBPMEMCTL_4.
 */
const char *pmemctl_namespace_get_access(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_chardev - device-DAX character device name, e.g.
 * "pmemctl-dax0.1" (the node is /dev/pmemctl-dax0.1); NULL unless @ns is
 * an enabled devdax namespace (pmemctl_namespace_get_blockdev() is NULL
 * for those). Added in LIBPMEMCTL_4.
 */
const char *pmemctl_namespace_get_chardev(struct pmemctl_namespace *ns);

/* pmemctl_namespace_get_numa_node - NUMA node, or -1. */
int pmemctl_namespace_get_numa_node(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_resource - physical start address; ULLONG_MAX when
 * it cannot be read (root only).
 */
unsigned long long pmemctl_namespace_get_resource(struct pmemctl_namespace *ns);

/*
 * struct pmemctl_cost - what a namespace's page metadata costs, computed
 * by the kernel for its own struct page size:
 * @data_offset: bytes before the data (pfn: the memmap reserve; else 0)
 * @data_size:   bytes usable for data (size - data_offset)
 * @ram_bytes:   system RAM the memmap takes while enabled (page: all of
 *               it; pfn: only the parts of 128 MiB sections the namespace
 *               covers in part, which the kernel maps from RAM)
 * @dev_bytes:   namespace bytes reserved for the memmap (pfn)
 * Added in LIBPMEMCTL_2.
 */
struct pmemctl_cost {
	unsigned long long data_offset;
	unsigned long long data_size;
	unsigned long long ram_bytes;
	unsigned long long dev_bytes;
};

/*
 * pmemctl_namespace_get_cost - fill @cost for @ns in its current mode
 * (while a pfn namespace is enabled, from what its reserve really holds;
 * while an ondemand one is, ram_bytes is what its chunks take now, and
 * disabled, its worst case).
 * Returns 0, or -errno when the kernel's figures cannot be read.
 */
int pmemctl_namespace_get_cost(struct pmemctl_namespace *ns,
			       struct pmemctl_cost *cost);

/*
 * pmemctl_namespace_get_ram_peak, pmemctl_namespace_get_ram_per_gib -
 * of an ondemand namespace: the most RAM its memmap took since it was
 * enabled (0 while disabled), and what each GiB of it takes once mapped.
 * Both 0 in other modes. Read afresh on each call. Returns 0, or -ENOENT
 * from a module older than ABI 1.6. Added in LIBPMEMCTL_5.
 */
int pmemctl_namespace_get_ram_peak(struct pmemctl_namespace *ns,
				   unsigned long long *bytes);
int pmemctl_namespace_get_ram_per_gib(struct pmemctl_namespace *ns,
				      unsigned long long *bytes);

/*
 * pmemctl_namespace_get_npfns, pmemctl_namespace_get_page_struct_size -
 * the pfn layout the label records: struct pages in the reserve and bytes
 * reserved for each; 0 for raw and page namespaces, ULLONG_MAX / 0 when
 * unknown.
 */
unsigned long long pmemctl_namespace_get_npfns(struct pmemctl_namespace *ns);
unsigned int pmemctl_namespace_get_page_struct_size(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_get_held_pages - how many pages of an enabled page or
 * pfn namespace something outside its filesystem still holds (a pipe
 * filled by vmsplice, direct I/O in flight, a pin). While it is not 0 the
 * kernel refuses to disable, destroy or reconfigure the namespace
 * (-EBUSY). Read from the kernel on every call; 0 for raw and disabled
 * namespaces. Returns 0 with *@count set, or -errno (then *@count is 0).
 */
int pmemctl_namespace_get_held_pages(struct pmemctl_namespace *ns,
				     unsigned long long *count);

/*
 * struct pmemctl_badblock - a run of bad sectors in a namespace's data:
 * @offset: first bad sector, in 512-byte sectors from the start of the
 *          data (the namespace's block device sector; pfn mode: after the
 *          memmap reserve)
 * @length: number of bad 512-byte sectors
 * Added in LIBPMEMCTL_3.
 */
struct pmemctl_badblock {
	unsigned long long offset;
	unsigned long long length;
};

/*
 * pmemctl_namespace_get_badblocks - the media errors the kernel knows in
 * @ns (reads that hit poison, memory-failure reports), in ascending order.
 * Fills at most @max entries of @bb (which may be NULL when @max is 0) and
 * returns how many there are in all (0: none known), so a caller can size
 * its buffer and ask again; or -errno when the list cannot be read
 * (-EBADMSG: the kernel's answer is malformed). Read afresh on every call:
 * the list changes as errors are found and cleared. The kernel keeps it
 * for as long as the namespace exists (disabled included), not across a
 * module reload or reboot. Added in LIBPMEMCTL_3.
 */
int pmemctl_namespace_get_badblocks(struct pmemctl_namespace *ns,
				    struct pmemctl_badblock *bb,
				    unsigned int max);

/*
 * pmemctl_region_get_extent_cost - what a block namespace of @mode ("raw",
 * "page", "pfn", "ondemand") filling the region's largest free extent
 * would give and cost. All zero when nothing is free. Returns 0, -EINVAL for an unknown
 * mode, or -errno when the kernel's figures cannot be read (then @cost is
 * all zero too).
 */
int pmemctl_region_get_extent_cost(struct pmemctl_region *region,
				   const char *mode, struct pmemctl_cost *cost);

/*
 * pmemctl_region_get_extent_cost_devdax - the same for a device-DAX
 * namespace of @mode ("page", "pfn" or "ondemand") and @align (4096, 2 MiB
 * or 1 GiB, the mapping's fault size) filling the part of the largest free
 * extent that starts and ends on @align. At 2 MiB and 1 GiB its memmap is
 * of compound pages, which cost less RAM where the kernel deduplicates
 * them; at 4 KiB the figures are the block namespace's. All zero when that
 * shape does not fit (a 1 GiB pfn namespace whose memmap reserve moves its
 * data off 1 GiB, an extent smaller than @align). Returns 0, -EINVAL for
 * raw or an unknown @mode or @align, -ENOENT from a module before ABI 1.7,
 * or another -errno when the figures cannot be read (then @cost is all
 * zero). Added in LIBPMEMCTL_7.
 */
int pmemctl_region_get_extent_cost_devdax(struct pmemctl_region *region,
					  const char *mode,
					  unsigned long long align,
					  struct pmemctl_cost *cost);

/*
 * pmemctl_region_get_struct_page_size - sizeof(struct page) of the running
 * kernel, as the module reports it; 0 if unknown.
 */
unsigned int pmemctl_region_get_struct_page_size(struct pmemctl_region *region);

/*
 * Namespace creation: fill a configuration, then create from it. A
 * configuration belongs to no region and can be reused.
 */
struct pmemctl_namespace_config;

/*
 * pmemctl_namespace_config_new - a configuration with no size, the default
 * alignment (2 MiB), mode "raw", no name, and no UUID (the kernel
 * generates one). Returns 0 or -ENOMEM.
 */
int pmemctl_namespace_config_new(struct pmemctl_ctx *ctx,
				 struct pmemctl_namespace_config **cfg);

/* pmemctl_namespace_config_free - free @cfg; accepts NULL. */
void pmemctl_namespace_config_free(struct pmemctl_namespace_config *cfg);

/*
 * pmemctl_namespace_config_set_size - size in bytes, a non-zero multiple
 * of the alignment. Returns 0, or -EINVAL for 0.
 */
int pmemctl_namespace_config_set_size(struct pmemctl_namespace_config *cfg,
				      unsigned long long size);

/*
 * pmemctl_namespace_config_set_align - alignment of the start and size in
 * bytes: a power of two, at least 2 MiB (a devdax namespace: its fault
 * size, 4 KiB, 2 MiB or 1 GiB, which the kernel checks); 0 restores the
 * default (2 MiB). Returns 0, or -EINVAL for a value that is not a power
 * of two of at least 4 KiB.
 */
int pmemctl_namespace_config_set_align(struct pmemctl_namespace_config *cfg,
				       unsigned long long align);

/*
 * pmemctl_namespace_config_set_mode - "raw", "page", "pfn" or "ondemand".
 * Returns 0 or -EINVAL. (The kernel may still refuse a mode it does not
 * support yet with -EOPNOTSUPP.)
 */
int pmemctl_namespace_config_set_mode(struct pmemctl_namespace_config *cfg,
				      const char *mode);

/*
 * pmemctl_namespace_config_set_access - "block" (default) or "devdax": a
 * device-DAX character device instead of a block device. devdax needs
 * struct pages (mode "page", "pfn" or "ondemand") and an align of 4 KiB, 2 MiB or
 * 1 GiB; the kernel refuses other combinations with -EINVAL.
 * Returns 0 or -EINVAL. Added in LIBPMEMCTL_4.
 */
int pmemctl_namespace_config_set_access(struct pmemctl_namespace_config *cfg,
					const char *access);

/*
 * pmemctl_namespace_config_set_name - 1 to 63 characters of
 * [A-Za-z0-9._-], unique within the region; NULL or "" for no name.
 * Returns 0 or -EINVAL.
 */
int pmemctl_namespace_config_set_name(struct pmemctl_namespace_config *cfg,
				      const char *name);

/*
 * pmemctl_namespace_config_set_uuid - the 16 bytes of the UUID; NULL (or
 * all zeros) lets the kernel generate one. Returns 0.
 */
int pmemctl_namespace_config_set_uuid(struct pmemctl_namespace_config *cfg,
				      const unsigned char uuid[16]);

/*
 * pmemctl_namespace_create - create and enable a namespace on @region
 * @ns: where to store the new namespace (owned by @region); may be NULL
 *
 * Issues PMEMCTL_IOC_NS_CREATE, rereads the region, then waits up to 5
 * seconds for the block device node /dev/pmem<R>n<N>: through libudev
 * until udev has processed it when udevd runs, else for the devtmpfs node.
 * Returns 0; -ETIMEDOUT when the node did not appear in time (the
 * namespace exists, and *ns is set); -EINVAL when the size is missing or
 * the kernel finds the request malformed; -ENXIO when the region has no
 * valid label store (see pmemctl_region_init_labels()); -EEXIST when the
 * name or UUID is already used in the region; -ENOSPC when no free extent
 * is large enough or every label slot is used; -ENOMEM when a page
 * namespace's memmap would take more than half of the available RAM;
 * -EOPNOTSUPP for a mode the module does not support; -ENODEV when the
 * region is gone; -EPERM; another negative errno.
 */
int pmemctl_namespace_create(struct pmemctl_region *region,
			     const struct pmemctl_namespace_config *cfg,
			     struct pmemctl_namespace **ns);

/*
 * pmemctl_namespace_create_dry_run - what pmemctl_namespace_create() would
 * do with @cfg on @region, without changing anything: the kernel checks
 * the request the same way and returns the number (@id), UUID (@uuid, 16
 * bytes) and cost it would have. Both may differ in a later create when
 * they were not given. Same errors as pmemctl_namespace_create(), and
 * -ENOMEM when a page memmap would not fit in free RAM: then @cost (may
 * be NULL) still says what it would take. Added in LIBPMEMCTL_2.
 */
int pmemctl_namespace_create_dry_run(struct pmemctl_region *region,
				     const struct pmemctl_namespace_config *cfg,
				     unsigned int *id, unsigned char uuid[16],
				     struct pmemctl_cost *cost);

/*
 * pmemctl_namespace_create_dry_run_per_gib - pmemctl_namespace_create_dry_run(),
 * and for mode "ondemand" also the RAM each GiB of the namespace takes
 * once mapped (@ram_per_gib; 0 in other modes and from modules older than
 * ABI 1.6). An ondemand namespace's @cost says what it takes with every
 * chunk made, its worst case. Added in LIBPMEMCTL_5.
 */
int pmemctl_namespace_create_dry_run_per_gib(struct pmemctl_region *region,
					     const struct pmemctl_namespace_config *cfg,
					     unsigned int *id, unsigned char uuid[16],
					     struct pmemctl_cost *cost,
					     unsigned long long *ram_per_gib);

/* Flags of pmemctl_namespace_reconfigure(). */
#define PMEMCTL_RECONF_FORCE	(1u << 0)	/* the data may be discarded */
#define PMEMCTL_RECONF_DRY_RUN	(1u << 1)	/* check and report only */

/*
 * pmemctl_namespace_reconfigure - change the mode of @ns in place to @mode
 * ("raw", "page", "pfn", "ondemand"), keeping its number, name, UUID and extent; an
 * enabled namespace is enabled again in the new mode (then waits for its
 * block device as pmemctl_namespace_create() does). @cost (may be NULL)
 * receives the cost in the new mode, on success and on -ENOMEM. raw <-> page keeps the data; a change
 * into or out of pfn moves the data start and needs PMEMCTL_RECONF_FORCE.
 * Returns 0 (also when @ns already has @mode); -ENOTEMPTY when the change
 * would discard data and FORCE is not set; -EBUSY when the block device
 * is open or mounted; -ENOMEM when a page memmap would not fit in free
 * RAM; -EOVERFLOW when a pfn reserve is too small for this kernel's
 * struct page; -EINVAL for an unknown mode or flag, or a pfn namespace
 * with no room for data (under 4 MiB); -ENOSPC when the region has no free
 * label slot for the new label; -ETIMEDOUT when the block device node did
 * not appear in time (the change is made); -ENOENT; -ENODEV when the region
 * is gone; -EPERM; another -errno.
 * Added in LIBPMEMCTL_2.
 */
int pmemctl_namespace_reconfigure(struct pmemctl_namespace *ns,
				  const char *mode, unsigned int flags,
				  struct pmemctl_cost *cost);

/*
 * pmemctl_namespace_reconfigure_access - as pmemctl_namespace_reconfigure(),
 * and with @access non-NULL ("block" or "devdax") also change how @ns is
 * accessed; NULL keeps it (pmemctl_namespace_reconfigure() always keeps
 * it). block <-> devdax keeps the data. Also -EINVAL when the namespace's
 * align or mode does not suit the new kind (devdax: page or pfn, align
 * 4 KiB, 2 MiB or 1 GiB; block: align of at least 2 MiB); -EBUSY while
 * the character device of a devdax namespace is open or mapped.
 * Added in LIBPMEMCTL_4.
 */
int pmemctl_namespace_reconfigure_access(struct pmemctl_namespace *ns,
					 const char *mode, const char *access,
					 unsigned int flags,
					 struct pmemctl_cost *cost);

/*
 * pmemctl_namespace_destroy - remove the label of @ns (its data becomes
 * unreachable) and its block device. @ns is invalid afterwards, on
 * success. Returns 0; -EBUSY when the block device is open or mounted;
 * -ENOENT when it no longer exists; -EPERM; another negative errno.
 */
int pmemctl_namespace_destroy(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_enable - create the block device of a disabled @ns and
 * wait for its node as pmemctl_namespace_create() does. Enabling an
 * enabled namespace is left to the kernel. Returns 0, -ETIMEDOUT, -ENOENT,
 * -ENOMEM when a page namespace's memmap would take more than half of the
 * available RAM, -EOVERFLOW when a pfn namespace's reserve was made for
 * smaller struct pages than this kernel's, -EPERM or another negative
 * errno.
 */
int pmemctl_namespace_enable(struct pmemctl_namespace *ns);

/*
 * pmemctl_namespace_disable - remove the block device of @ns, keeping its
 * label and data. Not persistent: every namespace comes back enabled after
 * a reboot. Returns 0; -EBUSY when the block device is open or mounted;
 * -ENOENT; -EPERM; another negative errno.
 */
int pmemctl_namespace_disable(struct pmemctl_namespace *ns);

/*
 * Batches (added in LIBPMEMCTL_3): label changes to one region that the
 * kernel checks together and commits with one index write, all or none
 * (PMEMCTL_IOC_NS_BATCH, ABI 1.4). Ops are checked in the order they were
 * added, each against the region as the earlier ones leave it: a create
 * may take the extent, name or UUID of a namespace the batch destroys.
 * A power cut leaves the region with exactly the old layout or exactly
 * the new one.
 */
struct pmemctl_batch;

/* pmemctl_batch_new - an empty batch for @region. 0, -EINVAL, -ENOMEM. */
int pmemctl_batch_new(struct pmemctl_region *region,
		      struct pmemctl_batch **batch);

/* pmemctl_batch_free - free @batch; accepts NULL. */
void pmemctl_batch_free(struct pmemctl_batch *batch);

/* pmemctl_batch_get_count - the number of ops added. */
unsigned int pmemctl_batch_get_count(struct pmemctl_batch *batch);

/* Flags of pmemctl_batch_add_create(). */
#define PMEMCTL_BATCH_CREATE_DISABLED	(1u << 0)	/* do not enable it */

/*
 * pmemctl_batch_add_create - add a create of the namespace @cfg describes
 * (enabled after the commit unless PMEMCTL_BATCH_CREATE_DISABLED); the
 * batch keeps its own copy of @cfg.
 * pmemctl_batch_add_destroy - add the destroy of @ns (a namespace of the
 * batch's region; disabled first if it is enabled).
 * pmemctl_batch_add_reconfigure - add a mode change of @ns to @mode, with
 * PMEMCTL_RECONF_FORCE as pmemctl_namespace_reconfigure() takes it.
 * Each returns the op's index (from 0), or -EINVAL for a bad argument,
 * -ENOMEM, -E2BIG past the kernel's limit on ops, -EBUSY after a commit.
 */
int pmemctl_batch_add_create(struct pmemctl_batch *batch,
			     const struct pmemctl_namespace_config *cfg,
			     unsigned int flags);
int pmemctl_batch_add_destroy(struct pmemctl_batch *batch,
			      struct pmemctl_namespace *ns);
int pmemctl_batch_add_reconfigure(struct pmemctl_batch *batch,
				  struct pmemctl_namespace *ns,
				  const char *mode, unsigned int flags);

/*
 * pmemctl_batch_add_reconfigure_access - pmemctl_batch_add_reconfigure(),
 * and with @access non-NULL ("block" or "devdax") also a change of how @ns
 * is accessed, as pmemctl_namespace_reconfigure_access() makes it (NULL
 * keeps it). Added in LIBPMEMCTL_6.
 */
int pmemctl_batch_add_reconfigure_access(struct pmemctl_batch *batch,
					 struct pmemctl_namespace *ns,
					 const char *mode, const char *access,
					 unsigned int flags);

/* Flags of pmemctl_batch_commit(). */
#define PMEMCTL_BATCH_DRY_RUN_ONLY	(1u << 0)	/* check, change nothing */

/*
 * pmemctl_batch_commit - send @batch. With PMEMCTL_BATCH_DRY_RUN_ONLY the
 * kernel checks it exactly as a commit would and changes nothing (it may
 * be committed afterwards, and a create given no UUID then gets the one
 * the dry run reported); otherwise it is committed, the region is
 * reread, and the block device of every namespace the batch enabled is
 * waited for as pmemctl_namespace_create() does. An empty batch is 0.
 * Returns 0; -ETIMEDOUT when a block device did not appear in time (the
 * commit stands). Any other negative errno means nothing changed:
 * pmemctl_batch_get_failed() names the op to blame, if one is, with the
 * errors of pmemctl_namespace_create(), _destroy() and _reconfigure()
 * (-EINVAL also for two ops on one namespace), or -ENOMEM for the page
 * memmaps of the whole batch together. Namespace objects of the region
 * that the batch destroyed are invalid after a commit.
 */
int pmemctl_batch_commit(struct pmemctl_batch *batch, unsigned int flags);

/*
 * pmemctl_batch_get_failed - the index of the op that made the last
 * commit fail, or -1.
 */
int pmemctl_batch_get_failed(struct pmemctl_batch *batch);

/*
 * pmemctl_batch_get_result - what op @i made or would make, after a
 * commit or dry run: the namespace number (@id), UUID (@uuid, 16 bytes),
 * offset from the region start and cost in its new mode (destroy: only
 * @id). Every pointer may be NULL. Returns 0; after a commit, the
 * negative errno of an enable that failed (the namespace was created or
 * changed, and is disabled); after a failed commit, the op's error when it
 * is the one pmemctl_batch_get_failed() names; -EINVAL for no such op.
 */
int pmemctl_batch_get_result(struct pmemctl_batch *batch, unsigned int i,
			     unsigned int *id, unsigned char uuid[16],
			     unsigned long long *offset,
			     struct pmemctl_cost *cost);

/*
 * pmemctl_batch_get_ram_per_gib - after a commit or a dry run, the RAM
 * each GiB of op @i's namespace takes once mapped, when that op makes or
 * leaves it in mode "ondemand" (0 for any other op or mode). Returns 0,
 * -EINVAL for an op that does not exist, the op's own negative errno when
 * it failed, or -EOPNOTSUPP from a module before ABI 1.7, which does not
 * report it (@ram_per_gib is then 0). Added in LIBPMEMCTL_7.
 */
int pmemctl_batch_get_ram_per_gib(struct pmemctl_batch *batch, unsigned int i,
				  unsigned long long *ram_per_gib);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _LIBPMEMCTL_H_ */
