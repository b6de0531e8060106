/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals of libpmemctl shared between its source files. */
#ifndef _LIBPMEMCTL_PRIVATE_H_
#define _LIBPMEMCTL_PRIVATE_H_

#include <stdbool.h>
#include <syslog.h>

#include "common/util.h"
#include "libpmemctl.h"
#include "uapi/pmemctl.h"

#define PMEMCTL_EXPORT __attribute__((visibility("default")))

/*
 * Every path the library touches, in one place. The hermetic tests redirect
 * these prefixes with an LD_PRELOAD shim (test/unit/sysfs-shim.c), so keep
 * the list there in step with this one.
 */
#define PMEMCTL_SYSFS_BUS	"/sys/bus/" PMEMCTL_BUS_NAME
#define PMEMCTL_SYSFS_DEVICES	PMEMCTL_SYSFS_BUS "/devices"
#define PMEMCTL_DEV_CONTROL	PMEMCTL_CONTROL_DEVICE
#define PMEMCTL_MODULE_NAME	"pmemctl"

/* udevd's control socket: present while udevd runs. */
#define PMEMCTL_UDEV_CONTROL	"/run/udev/control"
/* Block device nodes, /dev/pmem<R>n<N>. */
#define PMEMCTL_DEV_DIR		"/dev"

/* How long pmemctl_module_load() waits for the bus to appear. */
#define PMEMCTL_MODULE_WAIT_MS	5000
/* How long a create or enable waits for the block device node. */
#define PMEMCTL_BLOCKDEV_WAIT_MS	5000

/* "region4294967295" */
#define REGION_DEVNAME_MAX	(sizeof("region") + 10)

struct pmemctl_namespace;

/*
 * A region and the attributes read from sysfs. Owned by the context's list;
 * its namespace list is read lazily and owned by the region.
 */
struct pmemctl_region {
	struct pmemctl_ctx *ctx;
	struct pmemctl_region *next;
	unsigned int id;
	char devname[REGION_DEVNAME_MAX];
	/*
	 * The region's sysfs directory, opened anew by each (re)read of the
	 * region, or the negative errno of that open. Its attributes, its
	 * namespace list and its namespaces' attributes ("namespace0.7/size")
	 * are read relative to it: one path walk per region, not one per
	 * file. Closed when the region is freed.
	 */
	int dirfd;

	unsigned long long size;
	unsigned long long align;
	unsigned long long available_size;
	unsigned long long max_available_extent;
	unsigned long long resource;
	int numa_node;
	int max_namespaces;
	char *persistence_domain;
	char *state;
	char *label_error;	/* NULL when the kernel gives no reason */

	/* Namespace cache, sorted by id; valid when namespaces_loaded. */
	bool namespaces_loaded;
	int namespaces_err;
	struct pmemctl_namespace *namespaces;
};

struct pmemctl_ctx {
	int refcount;
	pmemctl_log_fn log_fn;
	void *log_data;
	int log_priority;

	/* Region cache, sorted by id; valid when regions_loaded. */
	bool regions_loaded;
	int regions_err;		/* negative errno of the last load */
	struct pmemctl_region *regions;
};

void pmemctl_log(struct pmemctl_ctx *ctx, int priority, const char *file,
		 int line, const char *fn, const char *format, ...)
	_printf_(6, 7);

static inline void _printf_(2, 3)
pmemctl_log_null(struct pmemctl_ctx *ctx, const char *format, ...) {}

#define pmemctl_log_cond(ctx, prio, ...)					\
	do {								\
		if (pmemctl_get_log_priority(ctx) >= (prio))		\
			pmemctl_log(ctx, prio, __FILE__, __LINE__,	\
				    __func__, __VA_ARGS__);		\
	} while (0)

#ifdef ENABLE_LOGGING
#define dbg(ctx, ...)	pmemctl_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define info(ctx, ...)	pmemctl_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define err(ctx, ...)	pmemctl_log_cond(ctx, LOG_ERR, __VA_ARGS__)
#else
#define dbg(ctx, ...)	pmemctl_log_null(ctx, __VA_ARGS__)
#define info(ctx, ...)	pmemctl_log_null(ctx, __VA_ARGS__)
#define err(ctx, ...)	pmemctl_log_null(ctx, __VA_ARGS__)
#endif

/* libpmemctl-region.c */
void pmemctl_regions_free(struct pmemctl_ctx *ctx);
/*
 * Reread the attributes of @region and, if they were loaded, its
 * namespaces, in place (see pmemctl_namespaces_reload()).
 */
int pmemctl_region_refresh(struct pmemctl_region *region);

/* What a create asks for (pmemctl_namespace_config_*()), in ABI units. */
struct pmemctl_namespace_config {
	struct pmemctl_ctx *ctx;
	unsigned long long size;
	unsigned long long align;
	unsigned int mode;
	unsigned int access;		/* PMEMCTL_ACCESS_* */
	char name[PMEMCTL_NAME_LEN];
	unsigned char uuid[PMEMCTL_UUID_LEN];
};

/* libpmemctl-namespace.c */
void pmemctl_namespaces_free(struct pmemctl_region *region);
/*
 * Reread the namespace list of @region. Objects whose id is still listed
 * keep their address and get the new attributes; the others are freed.
 */
int pmemctl_namespaces_reload(struct pmemctl_region *region);
/*
 * Open /dev/pmemctl for a change and issue @request. -EPERM when the
 * device cannot be opened for writing; else 0 or the ioctl's -errno.
 */
int pmemctl_control_ioctl(struct pmemctl_ctx *ctx, unsigned long request,
			  const char *what, void *arg);
/* The namespace of @region numbered @id in the cache, or NULL. */
struct pmemctl_namespace *pmemctl_ns_find(struct pmemctl_region *region,
					 unsigned int id);
/*
 * Wait up to PMEMCTL_BLOCKDEV_WAIT_MS for the block device node of an
 * enabled @ns (processed by udev when udevd runs): 0, -ETIMEDOUT, -ENODEV.
 */
int pmemctl_ns_wait_blockdev(struct pmemctl_namespace *ns);
/* The kernel's struct pmemctl_ns_cost as the library's. */
void pmemctl_cost_from_kernel(struct pmemctl_cost *out,
			      const struct pmemctl_ns_cost *in);

#endif /* _LIBPMEMCTL_PRIVATE_H_ */
