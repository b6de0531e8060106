// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl namespaces: the namespace<R>.<N> children of each region
 * device, and the ioctls that create, destroy, enable and disable them.
 *
 * A region's list is read from its own sysfs directory (not from the bus
 * directory, which lists every namespace of every region) on first use,
 * sorted by id, and reread in place after each change. Listing reads only
 * the directory. Each attribute is read when a getter first asks for it,
 * and only that one: finding one namespace among thousands (after a create,
 * or by number) costs one readdir, and listing them costs one file per
 * value printed, whatever else sysfs offers. A file is opened relative to
 * the region's directory ("namespace0.7/size"), which the region keeps
 * open: no read walks /sys/bus/pmemctl/devices again, and a namespace
 * costs no open of its own directory. What remains per value is the
 * kernel's open, read and close of one sysfs file (30-60 us each under
 * QEMU TCG), so with thousands of namespaces the number of files read is
 * what listing costs: read none that nobody asked for.
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

/* "namespace4294967295.4294967295" */
#define NS_DEVNAME_MAX		(sizeof("namespace.") + 20)
/* "pmem4294967295n4294967295" */
#define NS_BLOCKDEV_MAX		(sizeof("pmemn") + 20)
#define NS_MODE_MAX		16
#define NS_CHARDEV_MAX		(sizeof("pmemctl-dax.") + 20)

/* The sysfs attributes of a namespace, one file each. */
enum ns_attr {
	NS_ATTR_NAME,
	NS_ATTR_UUID,
	NS_ATTR_MODE,
	NS_ATTR_SIZE,
	NS_ATTR_ALIGN,
	NS_ATTR_RESOURCE,
	NS_ATTR_STATE,
	NS_ATTR_BLOCKDEV,
	NS_ATTR_NUMA_NODE,
	NS_ATTR_ACCESS,
	NS_ATTR_COUNT
};

static const char *const ns_attr_files[NS_ATTR_COUNT] = {
	[NS_ATTR_NAME] = "name",
	[NS_ATTR_UUID] = "uuid",
	[NS_ATTR_MODE] = "mode",
	[NS_ATTR_SIZE] = "size",
	[NS_ATTR_ALIGN] = "align",
	[NS_ATTR_RESOURCE] = "resource",
	[NS_ATTR_STATE] = "state",
	[NS_ATTR_BLOCKDEV] = "blockdev",
	[NS_ATTR_NUMA_NODE] = "numa_node",
	[NS_ATTR_ACCESS] = "access",
};

/* One bit each in pmemctl_namespace.attrs_read. */
_Static_assert(NS_ATTR_COUNT <= 32, "too many namespace attributes for attrs_read");

struct pmemctl_namespace {
	struct pmemctl_region *region;
	struct pmemctl_namespace *next;
	unsigned int id;
	char devname[NS_DEVNAME_MAX];

	/*
	 * Bit (1 << enum ns_attr) set: that attribute has been read into its
	 * field below (see ns_attr()); the others are not read yet.
	 */
	unsigned int attrs_read;
	/* Strings are "" when unknown; name_known tells the name's apart. */
	bool name_known;
	char name[PMEMCTL_NAME_LEN];
	char uuid[UUID_STR_LEN + 1];
	char mode[NS_MODE_MAX];
	char blockdev[NS_BLOCKDEV_MAX];
	char chardev[NS_CHARDEV_MAX];
	int access;			/* enum ns_access, or -1 unknown */
	unsigned long long size;
	unsigned long long align;
	unsigned long long resource;
	int enabled;
	int numa_node;

	/* Read by the first cost getter (see ns_cost()); 0 when loaded. */
	bool cost_loaded;
	int cost_err;
	struct pmemctl_cost cost;
	unsigned long long npfns;
	unsigned int page_struct_size;
};

/* common/mode.c numbers the modes as the ABI does. */
_Static_assert(NS_MODE_RAW == PMEMCTL_MODE_RAW && NS_MODE_PAGE == PMEMCTL_MODE_PAGE &&
	       NS_MODE_PFN == PMEMCTL_MODE_PFN && NS_MODE_ONDEMAND == PMEMCTL_MODE_ONDEMAND,
	       "mode numbers are the ABI's");

void pmemctl_namespaces_free(struct pmemctl_region *region)
{
	struct pmemctl_namespace *ns, *next;

	for (ns = region->namespaces; ns; ns = next) {
		next = ns->next;
		free(ns);
	}
	region->namespaces = NULL;
	region->namespaces_loaded = false;
	region->namespaces_err = 0;
}

/* namespace<R>.<N> with R the region's id. */
static bool ns_parse_name(struct pmemctl_region *region, const char *name,
			  unsigned int *id)
{
	unsigned int r;

	if (strncmp(name, "namespace", strlen("namespace")) != 0)
		return false;
	if (ns_devname_parse(name, &r, id) < 0)
		return false;
	return r == region->id;
}

/*
 * Attribute readers. As for regions, an unreadable attribute is "unknown",
 * logged at debug level only. Each reads one file of the namespace's
 * directory through the region's directory descriptor.
 */
#define NS_ATTR_PATH_MAX	(NS_DEVNAME_MAX + 32)

/*
 * "namespaceR.N/<file>" into @path; returns the directory it is relative
 * to, or a negative errno. (Not snprintf: this runs once per value listed.)
 */
static int ns_file_path(struct pmemctl_namespace *ns, const char *file,
			char path[NS_ATTR_PATH_MAX])
{
	size_t n = strlen(ns->devname), m = strlen(file);

	if (n + 1 + m >= NS_ATTR_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(path, ns->devname, n);
	path[n] = '/';
	memcpy(path + n + 1, file, m + 1);
	return ns->region->dirfd;
}

static int ns_attr_path(struct pmemctl_namespace *ns, enum ns_attr attr,
			char path[NS_ATTR_PATH_MAX])
{
	return ns_file_path(ns, ns_attr_files[attr], path);
}

static void ns_read_failed(struct pmemctl_namespace *ns, enum ns_attr attr,
			   int err)
{
	dbg(ns->region->ctx, "%s: cannot read %s: %s\n", ns->devname,
	    ns_attr_files[attr], strerror(-err));
}

/*
 * A string attribute into @buf, "" when unreadable. The file holds the
 * value and a newline, so read through a larger buffer and refuse what
 * does not fit.
 */
static bool ns_read_str(struct pmemctl_namespace *ns, enum ns_attr attr,
			char *buf, size_t len)
{
	char path[NS_ATTR_PATH_MAX], text[128];
	int dfd = ns_attr_path(ns, attr, path);
	int err = dfd < 0 ? dfd : sysfs_read_str_at(dfd, path, text, sizeof(text));

	if (err == 0 && strlen(text) >= len)
		err = -EFBIG;
	if (err < 0) {
		buf[0] = '\0';
		ns_read_failed(ns, attr, err);
		return false;
	}
	memcpy(buf, text, strlen(text) + 1);
	return true;
}

/* A byte count or an address; ULLONG_MAX when unreadable. */
static unsigned long long ns_read_ull(struct pmemctl_namespace *ns,
				      enum ns_attr attr)
{
	char path[NS_ATTR_PATH_MAX];
	unsigned long long val;
	int dfd = ns_attr_path(ns, attr, path);
	int err = dfd < 0 ? dfd : sysfs_read_ull_at(dfd, path, &val);

	if (err < 0) {
		ns_read_failed(ns, attr, err);
		return ULLONG_MAX;
	}
	return val;
}

/* numa_node: -1 when unreadable or out of range. */
static int ns_read_node(struct pmemctl_namespace *ns, enum ns_attr attr)
{
	char path[NS_ATTR_PATH_MAX];
	int dfd = ns_attr_path(ns, attr, path);
	int node, err = dfd < 0 ? dfd : sysfs_read_int_at(dfd, path, &node);

	if (err < 0) {
		ns_read_failed(ns, attr, err);
		return -1;
	}
	return node < -1 ? -1 : node;
}

/*
 * access (ABI 1.5): a module without the file has block namespaces only;
 * a kind this library does not know is -1 (getter: NULL).
 */
static void ns_read_access(struct pmemctl_namespace *ns)
{
	char path[NS_ATTR_PATH_MAX], text[32];
	int dfd = ns_attr_path(ns, NS_ATTR_ACCESS, path);
	enum ns_access a;
	int err = dfd < 0 ? dfd : sysfs_read_str_at(dfd, path, text, sizeof(text));

	if (err == -ENOENT) {
		ns->access = NS_ACCESS_BLOCK;
		return;
	}
	if (err < 0) {
		ns_read_failed(ns, NS_ATTR_ACCESS, err);
		ns->access = -1;
		return;
	}
	ns->access = ns_access_from_name(text, &a) < 0 ? -1 : (int)a;
}

static void ns_read_attr(struct pmemctl_namespace *ns, enum ns_attr attr)
{
	unsigned char uuid[UUID_BYTES];
	char text[64];
	enum ns_mode mode;

	switch (attr) {
	case NS_ATTR_NAME:
		ns->name_known = ns_read_str(ns, attr, ns->name, sizeof(ns->name));
		break;
	case NS_ATTR_UUID:
		/* Only a well-formed UUID, re-printed in our canonical form. */
		if (ns_read_str(ns, attr, text, sizeof(text)) &&
		    uuid_from_str(text, uuid) == 0)
			uuid_to_str(uuid, ns->uuid);
		else
			ns->uuid[0] = '\0';
		break;
	case NS_ATTR_MODE:
		ns_read_str(ns, attr, ns->mode, sizeof(ns->mode));
		if (ns_mode_from_name(ns->mode, &mode) < 0)
			ns->mode[0] = '\0';
		break;
	case NS_ATTR_SIZE:
		ns->size = ns_read_ull(ns, attr);
		break;
	case NS_ATTR_ALIGN:
		ns->align = ns_read_ull(ns, attr);
		break;
	case NS_ATTR_RESOURCE:
		ns->resource = ns_read_ull(ns, attr);
		break;
	case NS_ATTR_STATE:
		ns->enabled = -1;
		if (ns_read_str(ns, attr, text, sizeof(text))) {
			if (strcmp(text, "enabled") == 0)
				ns->enabled = 1;
			else if (strcmp(text, "disabled") == 0)
				ns->enabled = 0;
		}
		break;
	case NS_ATTR_BLOCKDEV:
		/* A name that could be a path is not a block device of ours. */
		if (!ns_read_str(ns, attr, ns->blockdev, sizeof(ns->blockdev)) ||
		    strncmp(ns->blockdev, "pmem", 4) != 0 || strchr(ns->blockdev, '/'))
			ns->blockdev[0] = '\0';
		break;
	case NS_ATTR_NUMA_NODE:
		ns->numa_node = ns_read_node(ns, attr);
		break;
	case NS_ATTR_ACCESS:
		ns_read_access(ns);
		break;
	case NS_ATTR_COUNT:
		break;
	}
}

/* @ns with attribute @attr read, for the getters: each file at most once. */
static struct pmemctl_namespace *ns_attr(struct pmemctl_namespace *ns,
					 enum ns_attr attr)
{
	if (!(ns->attrs_read & (1u << attr))) {
		ns_read_attr(ns, attr);
		ns->attrs_read |= 1u << attr;
	}
	return ns;
}

static int ns_read_cost_file(struct pmemctl_namespace *ns, const char *file,
			     unsigned long long *val)
{
	char path[NS_ATTR_PATH_MAX];
	int dfd = ns_file_path(ns, file, path);

	return dfd < 0 ? dfd : sysfs_read_ull_at(dfd, path, val);
}

/*
 * The cost attributes, on first use only: listing raw namespaces, the
 * common case at scale, reads none of them, since a raw namespace has no
 * metadata (its data is all of it).
 */
static struct pmemctl_namespace *ns_cost(struct pmemctl_namespace *ns)
{
	struct pmemctl_cost *c = &ns->cost;
	unsigned long long pss = 0;
	int err = 0;

	if (ns->cost_loaded)
		return ns;
	ns->cost_loaded = true;
	ns_attr(ns, NS_ATTR_MODE);
	ns_attr(ns, NS_ATTR_SIZE);
	if (ns_mode_is(ns->mode, NS_MODE_RAW) && ns->size != ULLONG_MAX) {
		*c = (struct pmemctl_cost){ .data_size = ns->size };
		ns->npfns = 0;
		ns->page_struct_size = 0;
		ns->cost_err = 0;
		return ns;
	}
	err = ns_read_cost_file(ns, "data_offset", &c->data_offset);
	err = err ?: ns_read_cost_file(ns, "data_size", &c->data_size);
	err = err ?: ns_read_cost_file(ns, "ram_bytes", &c->ram_bytes);
	err = err ?: ns_read_cost_file(ns, "dev_bytes", &c->dev_bytes);
	err = err ?: ns_read_cost_file(ns, "npfns", &ns->npfns);
	err = err ?: ns_read_cost_file(ns, "page_struct_size", &pss);
	if (err < 0 || pss > UINT_MAX) {
		dbg(ns->region->ctx, "%s: cannot read its cost: %s\n",
		    ns->devname, strerror(err < 0 ? -err : ERANGE));
		*c = (struct pmemctl_cost){ 0 };
		ns->npfns = ULLONG_MAX;
		pss = 0;
		err = err < 0 ? err : -ERANGE;
	}
	ns->page_struct_size = (unsigned int)pss;
	ns->cost_err = err;
	return ns;
}

static int ns_cmp(const void *a, const void *b)
{
	const struct pmemctl_namespace *x = *(struct pmemctl_namespace *const *)a;
	const struct pmemctl_namespace *y = *(struct pmemctl_namespace *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Read the namespace directories of @region into a new array sorted by id.
 * Thousands of namespaces per region are expected: collect, then sort once.
 */
static int ns_read_list(struct pmemctl_region *region,
			struct pmemctl_namespace ***out, size_t *count)
{
	struct pmemctl_ctx *ctx = region->ctx;
	struct pmemctl_namespace **list = NULL, **bigger, *ns;
	size_t n = 0, cap = 0, i;
	char path[PATH_MAX];
	struct dirent *de;
	unsigned int id;
	DIR *dir;
	int fd, err;

	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s", region->devname);
	/*
	 * Through the directory the attributes are read from, with an offset
	 * of its own: the listing and the reads see the same device.
	 */
	dir = NULL;
	err = region->dirfd;
	if (err >= 0) {
		fd = openat(region->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		dir = fd < 0 ? NULL : fdopendir(fd);
		err = dir ? 0 : -errno;
		if (!dir && fd >= 0)
			close(fd);
	}
	if (err < 0) {
		err(ctx, "cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno) {
				err = -errno;
				err(ctx, "cannot read %s: %s\n", path, strerror(-err));
			}
			break;
		}
		if (!ns_parse_name(region, de->d_name, &id))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			bigger = reallocarray(list, cap, sizeof(*list));
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			list = bigger;
		}
		ns = calloc(1, sizeof(*ns));
		if (!ns) {
			err = -ENOMEM;
			break;
		}
		ns->region = region;
		ns->id = id;
		/* ns_parse_name() took only the canonical form: keep it. */
		memcpy(ns->devname, de->d_name, strlen(de->d_name) + 1);
		list[n++] = ns;
	}
	closedir(dir);

	if (err < 0) {
		for (i = 0; i < n; i++)
			free(list[i]);
		free(list);
		return err;
	}
	if (n > 1)
		qsort(list, n, sizeof(*list), ns_cmp);
	info(ctx, "%s: %zu namespace%s\n", region->devname, n, n == 1 ? "" : "s");
	*out = list;
	*count = n;
	return 0;
}

int pmemctl_namespaces_reload(struct pmemctl_region *region)
{
	struct pmemctl_namespace **list, *old, *next, **tail;
	size_t n, i;
	int err;

	err = ns_read_list(region, &list, &n);
	if (err < 0) {
		pmemctl_namespaces_free(region);
		region->namespaces_loaded = true;
		region->namespaces_err = err;
		return err;
	}

	/*
	 * Both lists are sorted by id: merge, keeping surviving objects. The
	 * copy from the new object also drops the old attributes.
	 */
	old = region->namespaces;
	tail = &region->namespaces;
	for (i = 0; i < n; i++) {
		while (old && old->id < list[i]->id) {
			next = old->next;
			free(old);
			old = next;
		}
		if (old && old->id == list[i]->id) {
			next = old->next;
			*old = *list[i];
			free(list[i]);
			list[i] = old;
			old = next;
		}
		*tail = list[i];
		tail = &list[i]->next;
	}
	*tail = NULL;
	for (; old; old = next) {
		next = old->next;
		free(old);
	}
	free(list);
	region->namespaces_loaded = true;
	region->namespaces_err = 0;
	return 0;
}

PMEMCTL_EXPORT struct pmemctl_namespace *
pmemctl_namespace_get_first(struct pmemctl_region *region)
{
	if (!region->namespaces_loaded)
		pmemctl_namespaces_reload(region);
	if (region->namespaces_err < 0) {
		errno = -region->namespaces_err;
		return NULL;
	}
	errno = 0;
	return region->namespaces;
}

PMEMCTL_EXPORT struct pmemctl_namespace *
pmemctl_namespace_get_next(struct pmemctl_namespace *ns)
{
	return ns->next;
}

PMEMCTL_EXPORT struct pmemctl_region *
pmemctl_namespace_get_region(struct pmemctl_namespace *ns)
{
	return ns->region;
}

PMEMCTL_EXPORT unsigned int pmemctl_namespace_get_id(struct pmemctl_namespace *ns)
{
	return ns->id;
}

PMEMCTL_EXPORT const char *pmemctl_namespace_get_devname(struct pmemctl_namespace *ns)
{
	return ns->devname;
}

PMEMCTL_EXPORT const char *pmemctl_namespace_get_name(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_NAME)->name_known ? ns->name : NULL;
}

PMEMCTL_EXPORT const char *pmemctl_namespace_get_uuid(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_UUID)->uuid[0] ? ns->uuid : NULL;
}

PMEMCTL_EXPORT const char *pmemctl_namespace_get_mode(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_MODE)->mode[0] ? ns->mode : NULL;
}

PMEMCTL_EXPORT unsigned long long pmemctl_namespace_get_size(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_SIZE)->size;
}

PMEMCTL_EXPORT unsigned long long pmemctl_namespace_get_align(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_ALIGN)->align;
}

PMEMCTL_EXPORT int pmemctl_namespace_is_enabled(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_STATE)->enabled;
}

/*
 * The ABI fixes the block device's name (pmemRnN, sysfs-bus-pmemctl):
 * derived from the state, not read from the blockdev file, since each
 * file read is most of what listing thousands of namespaces costs.
 */
PMEMCTL_EXPORT const char *pmemctl_namespace_get_blockdev(struct pmemctl_namespace *ns)
{
	if (ns_attr(ns, NS_ATTR_STATE)->enabled != 1 ||
	    ns_attr(ns, NS_ATTR_ACCESS)->access != NS_ACCESS_BLOCK)
		return NULL;
	if (!ns->blockdev[0])
		snprintf(ns->blockdev, sizeof(ns->blockdev), "pmem%un%u",
			 ns->region->id, ns->id);
	return ns->blockdev;
}

PMEMCTL_EXPORT const char *pmemctl_namespace_get_access(struct pmemctl_namespace *ns)
{
	int a = ns_attr(ns, NS_ATTR_ACCESS)->access;

	return a < 0 ? NULL : ns_access_name((enum ns_access)a);
}

/* Derived like the block device's: pmemctl-daxR.N by the ABI. */
PMEMCTL_EXPORT const char *pmemctl_namespace_get_chardev(struct pmemctl_namespace *ns)
{
	if (ns_attr(ns, NS_ATTR_STATE)->enabled != 1 ||
	    ns_attr(ns, NS_ATTR_ACCESS)->access != NS_ACCESS_DEVDAX)
		return NULL;
	if (!ns->chardev[0])
		snprintf(ns->chardev, sizeof(ns->chardev), "pmemctl-dax%u.%u",
			 ns->region->id, ns->id);
	return ns->chardev;
}

/* Always the region's, by the ABI: no file read either. */
PMEMCTL_EXPORT int pmemctl_namespace_get_numa_node(struct pmemctl_namespace *ns)
{
	return ns->region->numa_node;
}

PMEMCTL_EXPORT unsigned long long
pmemctl_namespace_get_resource(struct pmemctl_namespace *ns)
{
	return ns_attr(ns, NS_ATTR_RESOURCE)->resource;
}

PMEMCTL_EXPORT int pmemctl_namespace_get_cost(struct pmemctl_namespace *ns,
					      struct pmemctl_cost *cost)
{
	ns_cost(ns);
	*cost = ns->cost;
	return ns->cost_err;
}

PMEMCTL_EXPORT unsigned long long
pmemctl_namespace_get_npfns(struct pmemctl_namespace *ns)
{
	return ns_cost(ns)->npfns;
}

PMEMCTL_EXPORT unsigned int
pmemctl_namespace_get_page_struct_size(struct pmemctl_namespace *ns)
{
	return ns_cost(ns)->page_struct_size;
}

/*
 * Read afresh on every call: it changes as holders come and go. A kernel
 * module older than the attribute has no such count (-ENOENT).
 */
PMEMCTL_EXPORT int pmemctl_namespace_get_held_pages(struct pmemctl_namespace *ns,
						    unsigned long long *count)
{
	int err;

	*count = 0;
	err = ns_read_cost_file(ns, "held_pages", count);
	if (err)
		*count = 0;
	return err;
}

/*
 * ondemand: read afresh, they change as chunks are made and freed. A
 * module older than ABI 1.6 has neither attribute (-ENOENT).
 */
PMEMCTL_EXPORT int pmemctl_namespace_get_ram_peak(struct pmemctl_namespace *ns,
						  unsigned long long *bytes)
{
	int err = ns_read_cost_file(ns, "ram_bytes_peak", bytes);

	if (err)
		*bytes = 0;
	return err;
}

PMEMCTL_EXPORT int pmemctl_namespace_get_ram_per_gib(struct pmemctl_namespace *ns,
						     unsigned long long *bytes)
{
	int err = ns_read_cost_file(ns, "ram_per_gib", bytes);

	if (err)
		*bytes = 0;
	return err;
}

/*
 * namespaceR.N/badblocks: "SECTOR LENGTH" per line, at most a page (the
 * kernel's badblocks_show()). Parsed strictly: a malformed line makes the
 * whole answer unusable rather than half believed.
 */
#define NS_BADBLOCKS_MAX	8192

static int parse_badblock_line(const char *line, struct pmemctl_badblock *out)
{
	unsigned long long v[2];
	const char *p = line;
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		if (*p < '0' || *p > '9')
			return -EBADMSG;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno)
			return -EBADMSG;
		p = end;
		if (i == 0) {
			if (*p != ' ')
				return -EBADMSG;
			p++;
		}
	}
	if (*p != '\0' || v[1] == 0)
		return -EBADMSG;
	out->offset = v[0];
	out->length = v[1];
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_get_badblocks(struct pmemctl_namespace *ns,
						   struct pmemctl_badblock *bb,
						   unsigned int max)
{
	char path[NS_ATTR_PATH_MAX], *text, *line, *next;
	struct pmemctl_badblock one;
	unsigned int count = 0;
	int dfd, err;

	if (!bb && max)
		return -EINVAL;
	dfd = ns_file_path(ns, "badblocks", path);
	if (dfd < 0)
		return dfd;
	text = malloc(NS_BADBLOCKS_MAX);
	if (!text)
		return -ENOMEM;
	err = sysfs_read_str_at(dfd, path, text, NS_BADBLOCKS_MAX);
	for (line = text; err == 0 && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		err = parse_badblock_line(line, &one);
		if (err == 0 && count == INT_MAX)
			err = -EOVERFLOW;
		if (err == 0 && count < max)
			bb[count] = one;
		if (err == 0)
			count++;
	}
	free(text);
	if (err < 0) {
		dbg(ns->region->ctx, "%s: cannot read badblocks: %s\n",
		    ns->devname, strerror(-err));
		return err;
	}
	return (int)count;
}

/*
 * Changes.
 */

struct pmemctl_namespace *pmemctl_ns_find(struct pmemctl_region *region,
					 unsigned int id)
{
	struct pmemctl_namespace *ns;

	pmemctl_namespace_foreach(region, ns)
		if (ns->id == id)
			return ns;
	return NULL;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_new(struct pmemctl_ctx *ctx,
						struct pmemctl_namespace_config **cfg)
{
	struct pmemctl_namespace_config *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->ctx = ctx;
	c->mode = PMEMCTL_MODE_RAW;
	*cfg = c;
	return 0;
}

PMEMCTL_EXPORT void pmemctl_namespace_config_free(struct pmemctl_namespace_config *cfg)
{
	free(cfg);
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_size(struct pmemctl_namespace_config *cfg,
						     unsigned long long size)
{
	if (size == 0)
		return -EINVAL;
	cfg->size = size;
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_align(struct pmemctl_namespace_config *cfg,
						      unsigned long long align)
{
	if (align != 0 && ((align & (align - 1)) != 0 || align < 4096))
		return -EINVAL;
	cfg->align = align;
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_mode(struct pmemctl_namespace_config *cfg,
						     const char *mode)
{
	enum ns_mode m;

	if (ns_mode_from_name(mode, &m) < 0)
		return -EINVAL;
	cfg->mode = m;
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_access(struct pmemctl_namespace_config *cfg,
						       const char *access)
{
	enum ns_access a;

	if (ns_access_from_name(access, &a) < 0)
		return -EINVAL;
	cfg->access = a;
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_name(struct pmemctl_namespace_config *cfg,
						     const char *name)
{
	if (!name || !*name) {
		cfg->name[0] = '\0';
		return 0;
	}
	if (!ns_name_valid(name))
		return -EINVAL;
	memset(cfg->name, 0, sizeof(cfg->name));
	memcpy(cfg->name, name, strlen(name));
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_config_set_uuid(struct pmemctl_namespace_config *cfg,
						     const unsigned char uuid[16])
{
	if (uuid)
		memcpy(cfg->uuid, uuid, sizeof(cfg->uuid));
	else
		memset(cfg->uuid, 0, sizeof(cfg->uuid));
	return 0;
}

/* The NS_CREATE request for @cfg on @region. */
static int ns_create_request(struct pmemctl_region *region,
			     const struct pmemctl_namespace_config *cfg,
			     unsigned int flags, struct pmemctl_ns_create *req)
{
	if (cfg->size == 0) {
		err(region->ctx, "%s: no size given for the new namespace\n",
		    region->devname);
		return -EINVAL;
	}
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->flags = flags;
	req->region = region->id;
	req->mode = cfg->mode;
	req->access = cfg->access;
	req->ns_size = cfg->size;
	req->align = cfg->align;
	memcpy(req->uuid, cfg->uuid, sizeof(req->uuid));
	memcpy(req->name, cfg->name, sizeof(req->name));
	return 0;
}

PMEMCTL_EXPORT int pmemctl_namespace_create(struct pmemctl_region *region,
					    const struct pmemctl_namespace_config *cfg,
					    struct pmemctl_namespace **out)
{
	struct pmemctl_ctx *ctx = region->ctx;
	struct pmemctl_ns_create req;
	struct pmemctl_namespace *ns;
	int err, rerr;

	if (out)
		*out = NULL;
	err = ns_create_request(region, cfg, 0, &req);
	if (err < 0)
		return err;

	info(ctx, "%s: creating a %s namespace of %llu bytes\n", region->devname,
	     ns_mode_name(cfg->mode), cfg->size);
	err = pmemctl_control_ioctl(ctx, PMEMCTL_IOC_NS_CREATE,
				    "PMEMCTL_IOC_NS_CREATE", &req);
	/* Reread either way: a failure reports the region's current numbers. */
	rerr = pmemctl_region_refresh(region);
	if (err < 0)
		return err;
	if (rerr < 0)
		return rerr;

	ns = pmemctl_ns_find(region, req.id);
	if (!ns) {
		err(ctx, "%s: namespace%u.%u created but not in sysfs\n",
		    region->devname, region->id, req.id);
		return -EIO;
	}
	info(ctx, "%s created\n", ns->devname);
	if (out)
		*out = ns;
	return pmemctl_ns_wait_blockdev(ns);
}

void pmemctl_cost_from_kernel(struct pmemctl_cost *out,
			       const struct pmemctl_ns_cost *in)
{
	out->data_offset = in->data_offset;
	out->data_size = in->data_size;
	out->ram_bytes = in->ram_bytes;
	out->dev_bytes = in->dev_bytes;
}

static int ns_dry_run(struct pmemctl_region *region,
		      const struct pmemctl_namespace_config *cfg,
		      unsigned int *id, unsigned char uuid[16],
		      struct pmemctl_cost *cost, unsigned long long *per_gib)
{
	struct pmemctl_ctx *ctx = region->ctx;
	struct pmemctl_ns_create req;
	int err;

	err = ns_create_request(region, cfg, PMEMCTL_NS_CREATE_DRY_RUN, &req);
	if (err < 0)
		return err;

	info(ctx, "%s: dry run of a %s namespace of %llu bytes\n",
	     region->devname, ns_mode_name(cfg->mode), cfg->size);
	err = pmemctl_control_ioctl(ctx, PMEMCTL_IOC_NS_CREATE,
				    "PMEMCTL_IOC_NS_CREATE (dry run)", &req);
	if (err == -ENOMEM && cost)
		pmemctl_cost_from_kernel(cost, &req.cost);
	if (err < 0)
		return err;
	if (id)
		*id = req.id;
	if (uuid)
		memcpy(uuid, req.uuid, sizeof(req.uuid));
	if (cost)
		pmemctl_cost_from_kernel(cost, &req.cost);
	if (per_gib)
		*per_gib = req.ram_per_gib;
	return 0;
}

PMEMCTL_EXPORT int
pmemctl_namespace_create_dry_run(struct pmemctl_region *region,
				 const struct pmemctl_namespace_config *cfg,
				 unsigned int *id, unsigned char uuid[16],
				 struct pmemctl_cost *cost)
{
	return ns_dry_run(region, cfg, id, uuid, cost, NULL);
}

PMEMCTL_EXPORT int
pmemctl_namespace_create_dry_run_per_gib(struct pmemctl_region *region,
					 const struct pmemctl_namespace_config *cfg,
					 unsigned int *id, unsigned char uuid[16],
					 struct pmemctl_cost *cost,
					 unsigned long long *ram_per_gib)
{
	return ns_dry_run(region, cfg, id, uuid, cost, ram_per_gib);
}

PMEMCTL_EXPORT int pmemctl_namespace_reconfigure(struct pmemctl_namespace *ns,
						 const char *mode,
						 unsigned int flags,
						 struct pmemctl_cost *cost)
{
	return pmemctl_namespace_reconfigure_access(ns, mode, NULL, flags, cost);
}

PMEMCTL_EXPORT int pmemctl_namespace_reconfigure_access(struct pmemctl_namespace *ns,
							const char *mode,
							const char *access,
							unsigned int flags,
							struct pmemctl_cost *cost)
{
	struct pmemctl_region *region = ns->region;
	struct pmemctl_ns_reconfigure req;
	unsigned int id = ns->id;
	enum ns_access a = NS_ACCESS_BLOCK;
	enum ns_mode m;
	int err, rerr;

	if (ns_mode_from_name(mode, &m) < 0 ||
	    (access && ns_access_from_name(access, &a) < 0) ||
	    (flags & ~(PMEMCTL_RECONF_FORCE | PMEMCTL_RECONF_DRY_RUN)))
		return -EINVAL;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.region = region->id;
	req.id = id;
	req.mode = m;
	if (flags & PMEMCTL_RECONF_FORCE)
		req.flags |= PMEMCTL_RECONFIGURE_FORCE;
	if (flags & PMEMCTL_RECONF_DRY_RUN)
		req.flags |= PMEMCTL_RECONFIGURE_DRY_RUN;
	if (access) {
		req.flags |= PMEMCTL_RECONFIGURE_ACCESS;
		req.access = a;
	}

	info(region->ctx, "%s: reconfigure to %s%s%s%s\n", ns->devname, mode,
	     access ? ", access " : "", access ? access : "",
	     flags & PMEMCTL_RECONF_DRY_RUN ? " (dry run)" : "");
	err = pmemctl_control_ioctl(region->ctx, PMEMCTL_IOC_NS_RECONFIGURE,
				    "PMEMCTL_IOC_NS_RECONFIGURE", &req);
	if ((err == 0 || err == -ENOMEM) && cost)
		pmemctl_cost_from_kernel(cost, &req.cost);
	if (flags & PMEMCTL_RECONF_DRY_RUN)
		return err;
	rerr = pmemctl_region_refresh(region);
	if (err < 0)
		return err;
	if (rerr < 0)
		return rerr;
	ns = pmemctl_ns_find(region, id);
	if (!ns)
		return -ENOENT;
	return pmemctl_namespace_is_enabled(ns) == 1 ? pmemctl_ns_wait_blockdev(ns) : 0;
}

/* Destroy, enable and disable: one ioctl naming the namespace, then reread. */
static int ns_change(struct pmemctl_namespace *ns, unsigned long request,
		     const char *what)
{
	struct pmemctl_region *region = ns->region;
	struct pmemctl_ns_ref req;
	int err, rerr;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.region = region->id;
	req.id = ns->id;

	info(region->ctx, "%s: %s\n", ns->devname, what);
	err = pmemctl_control_ioctl(region->ctx, request, what, &req);
	rerr = pmemctl_region_refresh(region);
	return err < 0 ? err : rerr;
}

PMEMCTL_EXPORT int pmemctl_namespace_destroy(struct pmemctl_namespace *ns)
{
	return ns_change(ns, PMEMCTL_IOC_NS_DESTROY, "PMEMCTL_IOC_NS_DESTROY");
}

PMEMCTL_EXPORT int pmemctl_namespace_enable(struct pmemctl_namespace *ns)
{
	struct pmemctl_region *region = ns->region;
	unsigned int id = ns->id;
	int err;

	err = ns_change(ns, PMEMCTL_IOC_NS_ENABLE, "PMEMCTL_IOC_NS_ENABLE");
	if (err < 0)
		return err;
	/* Refreshed in place: find it again in case it vanished meanwhile. */
	ns = pmemctl_ns_find(region, id);
	return ns ? pmemctl_ns_wait_blockdev(ns) : -ENOENT;
}

PMEMCTL_EXPORT int pmemctl_namespace_disable(struct pmemctl_namespace *ns)
{
	return ns_change(ns, PMEMCTL_IOC_NS_DISABLE, "PMEMCTL_IOC_NS_DISABLE");
}
