// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl regions: the region<N> entries of /sys/bus/pmemctl/devices.
 *
 * The list is read on first iteration and cached in the context, sorted by
 * id, until pmemctl_invalidate(). Attributes are read at the same time, so
 * every getter is a plain field access.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpmemctl-private.h"

/* Longest string attribute we keep (persistence_domain, state). */
#define REGION_STR_MAX		64

/* region<N>, N decimal without leading zeros. Anything else is not ours. */
static bool region_parse_name(const char *name, unsigned int *id)
{
	if (strncmp(name, "region", strlen("region")) != 0)
		return false;
	return parse_uint_strict(name + strlen("region"), id) == 0;
}

static void region_free(struct pmemctl_region *region)
{
	pmemctl_namespaces_free(region);
	if (region->dirfd >= 0)
		close(region->dirfd);
	free(region->persistence_domain);
	free(region->state);
	free(region->label_error);
	free(region);
}

void pmemctl_regions_free(struct pmemctl_ctx *ctx)
{
	struct pmemctl_region *region, *next;

	for (region = ctx->regions; region; region = next) {
		next = region->next;
		region_free(region);
	}
	ctx->regions = NULL;
	ctx->regions_loaded = false;
	ctx->regions_err = 0;
}

/*
 * (Re)open the region's directory: after a change, or a reload of the
 * module, the path may name a new device.
 */
static void region_open_dir(struct pmemctl_region *region)
{
	char path[PATH_MAX];

	if (region->dirfd >= 0)
		close(region->dirfd);
	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s", region->devname);
	region->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (region->dirfd < 0) {
		region->dirfd = -errno;
		dbg(region->ctx, "cannot open %s: %s\n", path,
		    strerror(-region->dirfd));
	}
}

/*
 * Attribute readers: an attribute that cannot be read leaves the field at
 * its "unknown" value and is logged at debug level only, since a missing
 * or root-only attribute is not an error for the caller.
 */
static void region_read_ull(struct pmemctl_region *region, const char *attr,
			    unsigned long long *val)
{
	int dfd = region->dirfd;
	int err = dfd < 0 ? dfd : sysfs_read_ull_at(dfd, attr, val);

	if (err < 0) {
		*val = ULLONG_MAX;
		dbg(region->ctx, "%s: cannot read %s: %s\n", region->devname,
		    attr, strerror(-err));
	}
}

static int region_read_str(struct pmemctl_region *region, const char *attr,
			   char **val)
{
	char buf[REGION_STR_MAX];
	int dfd = region->dirfd;
	int err = dfd < 0 ? dfd : sysfs_read_str_at(dfd, attr, buf, sizeof(buf));

	*val = NULL;
	if (err < 0) {
		dbg(region->ctx, "%s: cannot read %s: %s\n", region->devname,
		    attr, strerror(-err));
		return 0;
	}
	*val = strdup(buf);
	if (!*val)
		return -ENOMEM;
	return 0;
}

/* (Re)read every attribute; strings are replaced. */
static int region_read_attrs(struct pmemctl_region *region)
{
	unsigned long long slots;
	int err;

	region_open_dir(region);
	region_read_ull(region, "size", &region->size);
	region_read_ull(region, "align", &region->align);
	region_read_ull(region, "available_size", &region->available_size);
	region_read_ull(region, "max_available_extent", &region->max_available_extent);
	region_read_ull(region, "resource", &region->resource);
	region_read_ull(region, "max_namespaces", &slots);
	region->max_namespaces = slots > INT_MAX ? -1 : (int)slots;

	if (region->dirfd < 0 ||
	    sysfs_read_int_at(region->dirfd, "numa_node", &region->numa_node) < 0 ||
	    region->numa_node < -1)
		region->numa_node = -1;

	free(region->persistence_domain);
	free(region->state);
	region->state = NULL;
	free(region->label_error);
	region->label_error = NULL;
	err = region_read_str(region, "persistence_domain", &region->persistence_domain);
	if (err == 0)
		err = region_read_str(region, "state", &region->state);
	if (err == 0)
		err = region_read_str(region, "label_error", &region->label_error);
	/* an empty line: nothing wrong */
	if (region->label_error && !region->label_error[0]) {
		free(region->label_error);
		region->label_error = NULL;
	}
	return err;
}

static int region_new(struct pmemctl_ctx *ctx, unsigned int id,
		      struct pmemctl_region **out)
{
	struct pmemctl_region *region;
	int err;

	region = calloc(1, sizeof(*region));
	if (!region)
		return -ENOMEM;
	region->ctx = ctx;
	region->id = id;
	region->dirfd = -EBADF;
	snprintf(region->devname, sizeof(region->devname), "region%u", id);

	err = region_read_attrs(region);
	if (err < 0) {
		region_free(region);
		return err;
	}

	dbg(ctx, "%s: size %llu state %s\n", region->devname, region->size,
	    region->state ? region->state : "(unknown)");
	*out = region;
	return 0;
}

int pmemctl_region_refresh(struct pmemctl_region *region)
{
	int err;

	dbg(region->ctx, "%s: rereading\n", region->devname);
	err = region_read_attrs(region);
	if (err == 0 && region->namespaces_loaded)
		err = pmemctl_namespaces_reload(region);
	return err;
}

/* Insert keeping the list sorted by id (numeric, so region10 after region9). */
static void region_insert(struct pmemctl_ctx *ctx, struct pmemctl_region *region)
{
	struct pmemctl_region **pos = &ctx->regions;

	while (*pos && (*pos)->id < region->id)
		pos = &(*pos)->next;
	region->next = *pos;
	*pos = region;
}

static int regions_load(struct pmemctl_ctx *ctx)
{
	struct pmemctl_region *region;
	struct dirent *de;
	unsigned int id, count = 0;
	DIR *dir;
	int err = 0;

	dir = opendir(PMEMCTL_SYSFS_DEVICES);
	if (!dir) {
		err = -errno;
		if (err == -ENOENT)
			err(ctx, "%s not found: is the pmemctl module loaded?\n",
			    PMEMCTL_SYSFS_DEVICES);
		else
			err(ctx, "cannot open %s: %s\n", PMEMCTL_SYSFS_DEVICES,
			    strerror(-err));
		return err;
	}

	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno) {
				err = -errno;
				err(ctx, "cannot read %s: %s\n",
				    PMEMCTL_SYSFS_DEVICES, strerror(-err));
			}
			break;
		}
		/* Namespaces (namespace<R>.<N>) and anything else: skip. */
		if (!region_parse_name(de->d_name, &id))
			continue;
		err = region_new(ctx, id, &region);
		if (err < 0) {
			err(ctx, "%s: %s\n", de->d_name, strerror(-err));
			break;
		}
		region_insert(ctx, region);
		count++;
	}
	closedir(dir);

	if (err < 0) {
		pmemctl_regions_free(ctx);
		return err;
	}
	info(ctx, "found %u region%s in %s\n", count, count == 1 ? "" : "s",
	     PMEMCTL_SYSFS_DEVICES);
	return 0;
}

PMEMCTL_EXPORT struct pmemctl_region *pmemctl_region_get_first(struct pmemctl_ctx *ctx)
{
	if (!ctx->regions_loaded) {
		ctx->regions_err = regions_load(ctx);
		ctx->regions_loaded = true;
	}
	if (ctx->regions_err < 0) {
		errno = -ctx->regions_err;
		return NULL;
	}
	errno = 0;
	return ctx->regions;
}

PMEMCTL_EXPORT struct pmemctl_region *pmemctl_region_get_next(struct pmemctl_region *region)
{
	return region->next;
}

PMEMCTL_EXPORT struct pmemctl_ctx *pmemctl_region_get_ctx(struct pmemctl_region *region)
{
	return region->ctx;
}

PMEMCTL_EXPORT unsigned int pmemctl_region_get_id(struct pmemctl_region *region)
{
	return region->id;
}

PMEMCTL_EXPORT const char *pmemctl_region_get_devname(struct pmemctl_region *region)
{
	return region->devname;
}

PMEMCTL_EXPORT unsigned long long pmemctl_region_get_size(struct pmemctl_region *region)
{
	return region->size;
}

PMEMCTL_EXPORT unsigned long long pmemctl_region_get_align(struct pmemctl_region *region)
{
	return region->align;
}

PMEMCTL_EXPORT unsigned long long
pmemctl_region_get_available_size(struct pmemctl_region *region)
{
	return region->available_size;
}

PMEMCTL_EXPORT unsigned long long
pmemctl_region_get_max_available_extent(struct pmemctl_region *region)
{
	return region->max_available_extent;
}

PMEMCTL_EXPORT int pmemctl_region_get_numa_node(struct pmemctl_region *region)
{
	return region->numa_node;
}

PMEMCTL_EXPORT const char *
pmemctl_region_get_persistence_domain(struct pmemctl_region *region)
{
	return region->persistence_domain;
}

PMEMCTL_EXPORT const char *pmemctl_region_get_state(struct pmemctl_region *region)
{
	return region->state;
}

PMEMCTL_EXPORT const char *pmemctl_region_get_label_error(struct pmemctl_region *region)
{
	return region->label_error;
}

PMEMCTL_EXPORT unsigned long long pmemctl_region_get_resource(struct pmemctl_region *region)
{
	return region->resource;
}

PMEMCTL_EXPORT int pmemctl_region_get_max_namespaces(struct pmemctl_region *region)
{
	return region->max_namespaces;
}

PMEMCTL_EXPORT int pmemctl_region_init_labels(struct pmemctl_region *region,
					      bool force)
{
	struct pmemctl_init_labels req;
	int err, rerr;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = force ? PMEMCTL_INIT_FORCE : 0;
	req.region = region->id;

	info(region->ctx, "%s: writing an empty label store%s\n",
	     region->devname, force ? " (forced)" : "");
	err = pmemctl_control_ioctl(region->ctx, PMEMCTL_IOC_INIT_LABELS,
				    "PMEMCTL_IOC_INIT_LABELS", &req);
	/* Every namespace of the region may be gone: drop them all. */
	pmemctl_namespaces_free(region);
	rerr = pmemctl_region_refresh(region);
	return err < 0 ? err : rerr;
}

/* One extent_<name>/ directory of the region (kernel/region.c). */
static int extent_cost_read(struct pmemctl_region *region, const char *name,
			    struct pmemctl_cost *cost)
{
	char path[PATH_MAX];
	int dfd, err;

	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s/extent_%s",
		 region->devname, name);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		err = -errno;
		dbg(region->ctx, "cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	err = sysfs_read_ull_at(dfd, "data_size", &cost->data_size);
	err = err ?: sysfs_read_ull_at(dfd, "ram_bytes", &cost->ram_bytes);
	err = err ?: sysfs_read_ull_at(dfd, "dev_bytes", &cost->dev_bytes);
	close(dfd);
	cost->data_offset = cost->dev_bytes;
	if (err < 0) {
		dbg(region->ctx, "cannot read %s: %s\n", path, strerror(-err));
		memset(cost, 0, sizeof(*cost));
	}
	return err;
}

/*
 * Read on each call, not with the other attributes: only verbose listings
 * and cost reports need them, and they follow every change of the region.
 */
PMEMCTL_EXPORT int pmemctl_region_get_extent_cost(struct pmemctl_region *region,
						  const char *mode,
						  struct pmemctl_cost *cost)
{
	enum ns_mode m;

	memset(cost, 0, sizeof(*cost));
	if (ns_mode_from_name(mode, &m) < 0)
		return -EINVAL;
	return extent_cost_read(region, mode, cost);
}

/*
 * A 4K devdax namespace has no compound pages and takes its extent as a
 * block namespace does, so its figures are the block ones.
 */
PMEMCTL_EXPORT int
pmemctl_region_get_extent_cost_devdax(struct pmemctl_region *region,
				      const char *mode, unsigned long long align,
				      struct pmemctl_cost *cost)
{
	char name[32];
	enum ns_mode m;

	memset(cost, 0, sizeof(*cost));
	if (ns_mode_from_name(mode, &m) < 0 || m == NS_MODE_RAW)
		return -EINVAL;
	if (align == 4096)
		return extent_cost_read(region, mode, cost);
	if (align != 2ULL << 20 && align != 1ULL << 30)
		return -EINVAL;
	snprintf(name, sizeof(name), "%s_devdax%s", mode,
		 align == 2ULL << 20 ? "2m" : "1g");
	return extent_cost_read(region, name, cost);
}

PMEMCTL_EXPORT unsigned int
pmemctl_region_get_struct_page_size(struct pmemctl_region *region)
{
	char path[PATH_MAX];
	unsigned long long v;

	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s/struct_page_size",
		 region->devname);
	if (sysfs_read_ull(path, &v) < 0 || v > UINT_MAX)
		return 0;
	return (unsigned int)v;
}
