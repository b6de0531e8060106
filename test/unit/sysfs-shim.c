// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LD_PRELOAD shim for the hermetic tests.
 *
 * Paths under /sys/bus/pmemctl, /dev/pmemctl, the block device nodes
 * /dev/pmem<R>n<N> and /run/udev are redirected into the fixture tree named
 * by PMEMCTL_TEST_ROOT (so /sys/bus/pmemctl/devices becomes
 * $PMEMCTL_TEST_ROOT/sys/bus/pmemctl/devices). Every other path is left
 * alone. The ioctls on the redirected control device are answered here
 * (see fake_ioctl()), checking the rules the module enforces; the change
 * ioctls edit the fixture tree the way the module changes sysfs, so tests
 * that change things run on a copy of a fixture.
 *
 * /proc/meminfo is redirected to $PMEMCTL_TEST_ROOT/proc/meminfo when the
 * fixture has one, so that the MemAvailable the CLI quotes is fixed.
 *
 * Keep the list of wrapped calls in step with what libpmemctl and the CLI
 * use: open (directly or through the fortified __open_2), fopen, opendir,
 * access and, to be safe, their 64-bit, *at and stat variants.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uapi/pmemctl.h"
#include "kernel/label-format.h"
#include "kernel/memmap-cost.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

static const char *const redirected[] = {
	"/sys/bus/" PMEMCTL_BUS_NAME,
	PMEMCTL_CONTROL_DEVICE,
	"/run/udev",
};

static int fixture_has(const char *path);

/* The rewritten path in buf, or path itself when it is not ours. */
static const char *redirect(const char *path, char *buf, size_t len)
{
	const char *root = getenv("PMEMCTL_TEST_ROOT");
	size_t i, n;

	if (!root || !path)
		return path;
	if (strcmp(path, "/proc/meminfo") == 0) {
		if ((size_t)snprintf(buf, len, "%s%s", root, path) >= len ||
		    !fixture_has(buf))
			return path;
		return buf;
	}
	/* Block device nodes: /dev/pmem<digit>..., device DAX /dev/pmemctl-dax... */
	if ((strncmp(path, "/dev/pmem", 9) == 0 && path[9] >= '0' && path[9] <= '9') ||
	    strncmp(path, "/dev/pmemctl-dax", 16) == 0) {
		if ((size_t)snprintf(buf, len, "%s%s", root, path) >= len)
			return path;
		return buf;
	}
	for (i = 0; i < sizeof(redirected) / sizeof(redirected[0]); i++) {
		n = strlen(redirected[i]);
		if (strncmp(path, redirected[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/')) {
			if ((size_t)snprintf(buf, len, "%s%s", root, path) >= len)
				return path;
			return buf;
		}
	}
	return path;
}

#define REAL(name) real_##name
#define DECLARE_REAL(ret, name, ...)					\
	static ret (*real_##name)(__VA_ARGS__);				\
	static void load_##name(void)					\
	{								\
		if (!real_##name)					\
			real_##name = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name); \
		if (!real_##name) {					\
			fprintf(stderr, "sysfs-shim: no %s\n", #name);	\
			abort();					\
		}							\
	}

/* open(2) and friends take a mode only with O_CREAT or O_TMPFILE. */
static mode_t get_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

DECLARE_REAL(int, open, const char *, int, ...)
DECLARE_REAL(int, open64, const char *, int, ...)
DECLARE_REAL(int, openat, int, const char *, int, ...)
DECLARE_REAL(int, openat64, int, const char *, int, ...)
DECLARE_REAL(int, __open_2, const char *, int)
DECLARE_REAL(int, __open64_2, const char *, int)
DECLARE_REAL(DIR *, opendir, const char *)
DECLARE_REAL(int, access, const char *, int)
DECLARE_REAL(int, faccessat, int, const char *, int, int)
DECLARE_REAL(int, stat, const char *, struct stat *)
DECLARE_REAL(int, lstat, const char *, struct stat *)
DECLARE_REAL(int, ioctl, int, unsigned long, ...)
DECLARE_REAL(FILE *, fopen, const char *, const char *)
DECLARE_REAL(FILE *, fopen64, const char *, const char *)

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

/*
 * PMEMCTL_TEST_OPEN_ERRNO=NAME: opening the control device for writing
 * fails with that errno (e.g. EACCES, as for a user without write access).
 */
static int errno_from_name(const char *name);

static int open_fails(const char *path, int flags)
{
	const char *e = getenv("PMEMCTL_TEST_OPEN_ERRNO");

	if (!e || !path || strcmp(path, PMEMCTL_CONTROL_DEVICE) != 0 ||
	    (flags & O_ACCMODE) == O_RDONLY)
		return 0;
	errno = errno_from_name(e);
	return 1;
}

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	va_list ap;
	mode_t mode;

	if (open_fails(path, flags))
		return -1;

	va_start(ap, flags);
	mode = get_mode(flags, ap);
	va_end(ap);
	load_open();
	return REAL(open)(redirect(path, buf, sizeof(buf)), flags, mode);
}

SHIM_EXPORT int open64(const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	va_list ap;
	mode_t mode;

	if (open_fails(path, flags))
		return -1;

	va_start(ap, flags);
	mode = get_mode(flags, ap);
	va_end(ap);
	load_open64();
	return REAL(open64)(redirect(path, buf, sizeof(buf)), flags, mode);
}

SHIM_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = get_mode(flags, ap);
	va_end(ap);
	load_openat();
	return REAL(openat)(dirfd, redirect(path, buf, sizeof(buf)), flags, mode);
}

SHIM_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = get_mode(flags, ap);
	va_end(ap);
	load_openat64();
	return REAL(openat64)(dirfd, redirect(path, buf, sizeof(buf)), flags, mode);
}

SHIM_EXPORT int __open_2(const char *path, int flags)
{
	char buf[PATH_MAX];

	if (open_fails(path, flags))
		return -1;
	load___open_2();
	return REAL(__open_2)(redirect(path, buf, sizeof(buf)), flags);
}

SHIM_EXPORT int __open64_2(const char *path, int flags)
{
	char buf[PATH_MAX];

	load___open64_2();
	return REAL(__open64_2)(redirect(path, buf, sizeof(buf)), flags);
}

SHIM_EXPORT DIR *opendir(const char *path)
{
	char buf[PATH_MAX];

	load_opendir();
	return REAL(opendir)(redirect(path, buf, sizeof(buf)));
}

SHIM_EXPORT int access(const char *path, int mode)
{
	char buf[PATH_MAX];

	load_access();
	return REAL(access)(redirect(path, buf, sizeof(buf)), mode);
}

SHIM_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	char buf[PATH_MAX];

	load_faccessat();
	return REAL(faccessat)(dirfd, redirect(path, buf, sizeof(buf)), mode, flags);
}

SHIM_EXPORT int stat(const char *path, struct stat *st)
{
	char buf[PATH_MAX];

	load_stat();
	return REAL(stat)(redirect(path, buf, sizeof(buf)), st);
}

SHIM_EXPORT int lstat(const char *path, struct stat *st)
{
	char buf[PATH_MAX];

	load_lstat();
	return REAL(lstat)(redirect(path, buf, sizeof(buf)), st);
}

SHIM_EXPORT FILE *fopen(const char *path, const char *mode)
{
	char buf[PATH_MAX];

	load_fopen();
	return REAL(fopen)(redirect(path, buf, sizeof(buf)), mode);
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	char buf[PATH_MAX];

	load_fopen64();
	return REAL(fopen64)(redirect(path, buf, sizeof(buf)), mode);
}

/* Whether the fixture holds @path (already rewritten). */
static int fixture_has(const char *path)
{
	load_access();
	return REAL(access)(path, F_OK) == 0;
}

/* Whether fd is the fixture's control device. */
static int is_fake_control(int fd)
{
	const char *root = getenv("PMEMCTL_TEST_ROOT");
	char link[64], target[PATH_MAX], expect[PATH_MAX];
	ssize_t n;

	if (!root)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	if (!realpath(root, expect))
		return 0;
	strncat(expect, PMEMCTL_CONTROL_DEVICE, sizeof(expect) - strlen(expect) - 1);
	return strcmp(target, expect) == 0;
}

static int errno_from_name(const char *name)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ENXIO", ENXIO },
		{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
		{ "ENODEV", ENODEV }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
		{ "EOPNOTSUPP", EOPNOTSUPP }, { "EIO", EIO },
		{ "ENOMEM", ENOMEM }, { "EOVERFLOW", EOVERFLOW },
		{ "ENOTEMPTY", ENOTEMPTY },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].value;
	return atoi(name) > 0 ? atoi(name) : EIO;
}

/*
 * PMEMCTL_TEST_ERRNO=NAME makes every change ioctl fail with errno NAME;
 * NAME@R.N only the destroy/enable/disable/reconfigure of namespace R.N.
 * ENOMEM fails create and reconfigure where the module's RAM check does,
 * after the cost is known, and copies that cost out as the module does.
 */
static int injected_errno(unsigned int region, long long id)
{
	const char *e = getenv("PMEMCTL_TEST_ERRNO");
	const char *at;
	char name[32], want[48];

	if (!e || !*e)
		return 0;
	at = strchr(e, '@');
	if (!at)
		return errno_from_name(e);
	if (id < 0 || (size_t)(at - e) >= sizeof(name))
		return 0;
	snprintf(want, sizeof(want), "%u.%lld", region, id);
	if (strcmp(at + 1, want) != 0)
		return 0;
	memcpy(name, e, (size_t)(at - e));
	name[at - e] = '\0';
	return errno_from_name(name);
}

/* PMEMCTL_TEST_IOCTL_LOG=FILE: one line per change request, for checks. */
static void log_request(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_request(const char *fmt, ...)
{
	const char *file = getenv("PMEMCTL_TEST_IOCTL_LOG");
	va_list ap;
	FILE *f;

	if (!file)
		return;
	f = fopen(file, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static int fail(int e)
{
	errno = e;
	return -1;
}

static int reserved_zero(const __u64 *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i])
			return 0;
	return 1;
}

/* $ROOT/sys/bus/pmemctl/devices/regionR[/namespaceR.N][/attr] */
static void region_path(char *buf, size_t len, unsigned int r, const char *rest)
{
	snprintf(buf, len, "%s/sys/bus/" PMEMCTL_BUS_NAME "/devices/region%u%s%s",
		 getenv("PMEMCTL_TEST_ROOT"), r, rest ? "/" : "", rest ? rest : "");
}

static void ns_path(char *buf, size_t len, unsigned int r, unsigned int id,
		    const char *attr)
{
	char rest[128];

	snprintf(rest, sizeof(rest), "namespace%u.%u%s%s", r, id, attr ? "/" : "",
		 attr ? attr : "");
	region_path(buf, len, r, rest);
}

static void ns_path(char *buf, size_t len, unsigned int r, unsigned int id,
		    const char *attr);
static int read_attr(const char *path, char *buf, size_t len);

/* A devdax namespace (its access file says so) has a character device. */
static bool ns_devdax(unsigned int r, unsigned int id)
{
	char path[PATH_MAX], access[16];

	ns_path(path, sizeof(path), r, id, "access");
	return read_attr(path, access, sizeof(access)) >= 0 &&
	       strcmp(access, "devdax") == 0;
}

static void node_path(char *buf, size_t len, unsigned int r, unsigned int id)
{
	if (ns_devdax(r, id))
		snprintf(buf, len, "%s/dev/pmemctl-dax%u.%u",
			 getenv("PMEMCTL_TEST_ROOT"), r, id);
	else
		snprintf(buf, len, "%s/dev/pmem%un%u",
			 getenv("PMEMCTL_TEST_ROOT"), r, id);
}

static int read_attr(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void write_attr(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void write_attr(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static unsigned long long read_ull(const char *path)
{
	char buf[64];

	return read_attr(path, buf, sizeof(buf)) < 0 ? 0 : strtoull(buf, NULL, 0);
}

static const char *const mode_names[] = {
	[PMEMCTL_MODE_RAW] = "raw",
	[PMEMCTL_MODE_PAGE] = "page",
	[PMEMCTL_MODE_PFN] = "pfn",
};

/*
 * Costs, as the module computes them (kernel/memmap-cost.c, with the pfn
 * layout of kernel/label-format.c) for a 64-byte struct page. The fake
 * module places every new namespace FAKE_NS_OFFSET into its region, so its
 * physical start is the region's "resource" plus that; an existing one
 * starts at its own "resource".
 */
#define FAKE_NS_OFFSET		(2ULL << 20)
#define FAKE_STRUCT_PAGE_SIZE	64

static void fake_cost(unsigned long long phys, unsigned int mode,
		      unsigned long long size, struct lf_ns *label,
		      struct pmemctl_ns_cost *out)
{
	struct mc_cost cost;

	memset(label, 0, sizeof(*label));
	label->mode = mode;
	label->size = size;
	lf_set_layout(label);
	mc_cost(phys, label, FAKE_STRUCT_PAGE_SIZE, 0, &cost);
	out->data_offset = cost.data_offset;
	out->data_size = cost.data_size;
	out->ram_bytes = cost.ram_bytes;
	out->dev_bytes = cost.dev_bytes;
}

/* The cost files the module shows for every namespace. */
static void ns_write_cost(unsigned int r, unsigned int id,
			  const struct lf_ns *label,
			  const struct pmemctl_ns_cost *cost)
{
	char path[PATH_MAX];

	ns_path(path, sizeof(path), r, id, "data_offset");
	write_attr(path, "%llu", (unsigned long long)cost->data_offset);
	ns_path(path, sizeof(path), r, id, "data_size");
	write_attr(path, "%llu", (unsigned long long)cost->data_size);
	ns_path(path, sizeof(path), r, id, "ram_bytes");
	write_attr(path, "%llu", (unsigned long long)cost->ram_bytes);
	ns_path(path, sizeof(path), r, id, "dev_bytes");
	write_attr(path, "%llu", (unsigned long long)cost->dev_bytes);
	ns_path(path, sizeof(path), r, id, "npfns");
	write_attr(path, "%llu", (unsigned long long)label->npfns);
	ns_path(path, sizeof(path), r, id, "page_struct_size");
	write_attr(path, "%u", label->page_struct_size);
}

/* The bus-level link, $ROOT/sys/bus/pmemctl/devices/namespaceR.N. */
static void ns_link_path(char *buf, size_t len, unsigned int r, unsigned int id)
{
	snprintf(buf, len, "%s/sys/bus/" PMEMCTL_BUS_NAME "/devices/namespace%u.%u",
		 getenv("PMEMCTL_TEST_ROOT"), r, id);
}

/*
 * Namespace R.N goes away as its sysfs device would: the directory with
 * every attribute the fixture gave it (not only those fake_create()
 * writes), then the bus link.
 */
static void ns_remove(unsigned int r, unsigned int id)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	ns_path(dir, sizeof(dir), r, id, NULL);
	d = opendir(dir);
	if (d) {
		while ((de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) <
			    sizeof(path))
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
	ns_link_path(path, sizeof(path), r, id);
	unlink(path);
}

static int ns_exists(unsigned int r, unsigned int id)
{
	char path[PATH_MAX];
	struct stat st;

	ns_path(path, sizeof(path), r, id, NULL);
	return REAL(stat) && REAL(stat)(path, &st) == 0;
}

/* Whether any namespace of region r has attr equal to val. */
static int ns_attr_used(unsigned int r, const char *attr, const char *val)
{
	char path[PATH_MAX], buf[128];
	unsigned int id;

	for (id = 0; id < 64; id++) {
		ns_path(path, sizeof(path), r, id, attr);
		if (read_attr(path, buf, sizeof(buf)) == 0 && strcmp(buf, val) == 0)
			return 1;
	}
	return 0;
}

static void ns_set_enabled(unsigned int r, unsigned int id, int on)
{
	char path[PATH_MAX];
	FILE *f;

	ns_path(path, sizeof(path), r, id, "state");
	write_attr(path, "%s", on ? "enabled" : "disabled");
	ns_path(path, sizeof(path), r, id, "blockdev");
	if (on && !ns_devdax(r, id))
		write_attr(path, "pmem%un%u", r, id);
	else
		write_attr(path, "%s", "");
	node_path(path, sizeof(path), r, id);
	if (!on) {
		unlink(path);
	} else if (!getenv("PMEMCTL_TEST_NO_NODE")) {
		f = fopen(path, "w");
		if (f)
			fclose(f);
	}
}

static int fake_init_labels(struct pmemctl_init_labels *req)
{
	char path[PATH_MAX], state[32];
	unsigned int id;
	int e;

	if (req->size != sizeof(*req) || (req->flags & ~PMEMCTL_INIT_FORCE) ||
	    req->reserved0 || !reserved_zero(req->reserved, 4))
		return fail(EINVAL);
	log_request("init-labels region=%u force=%u", req->region,
		    req->flags & PMEMCTL_INIT_FORCE);
	e = injected_errno(req->region, -1);
	if (e)
		return fail(e);
	region_path(path, sizeof(path), req->region, "state");
	if (read_attr(path, state, sizeof(state)) < 0)
		return fail(ENODEV);
	if (strcmp(state, "uninitialized") != 0 && !(req->flags & PMEMCTL_INIT_FORCE))
		return fail(EEXIST);
	if (ns_attr_used(req->region, "state", "enabled"))
		return fail(EBUSY);
	for (id = 0; id < 64; id++)
		if (ns_exists(req->region, id))
			ns_remove(req->region, id);
	region_path(path, sizeof(path), req->region, "state");
	write_attr(path, "active");
	region_path(path, sizeof(path), req->region, "max_namespaces");
	write_attr(path, "%u", PMEMCTL_NSLOTS);
	return 0;
}

/*
 * NS_CREATE, also as a dry run (logged as "create-dry-run"): the checks of
 * the module in its order, then the cost for the region's resource plus
 * FAKE_NS_OFFSET; a dry run stops there, filling id, uuid, offset and cost.
 */
static int fake_create(struct pmemctl_ns_create *req)
{
	char path[PATH_MAX], state[32], uuid[40], name[PMEMCTL_NAME_LEN];
	unsigned long long ext, avail, ext_align, align = req->align ? req->align : 2ULL << 20;
	static const __u8 zero[PMEMCTL_UUID_LEN];
	bool dry_run = req->flags & PMEMCTL_NS_CREATE_DRY_RUN;
	struct pmemctl_ns_cost cost;
	struct lf_ns label;
	unsigned int id;
	int e;

	if (req->size != sizeof(*req) || (req->flags & ~PMEMCTL_NS_CREATE_DRY_RUN) ||
	    req->id || req->access > PMEMCTL_ACCESS_DEVDAX ||
	    req->offset || req->cost.data_offset || req->cost.data_size ||
	    req->cost.ram_bytes || req->cost.dev_bytes || req->ram_per_gib ||
	    !reserved_zero(req->reserved, sizeof(req->reserved) / sizeof(req->reserved[0])) ||
	    req->name[PMEMCTL_NAME_LEN - 1])
		return fail(EINVAL);
	memcpy(name, req->name, sizeof(name));
	if (memcmp(req->uuid, zero, sizeof(zero)) == 0)
		snprintf(uuid, sizeof(uuid), "(generated)");
	else
		snprintf(uuid, sizeof(uuid),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 req->uuid[0], req->uuid[1], req->uuid[2], req->uuid[3],
			 req->uuid[4], req->uuid[5], req->uuid[6], req->uuid[7],
			 req->uuid[8], req->uuid[9], req->uuid[10], req->uuid[11],
			 req->uuid[12], req->uuid[13], req->uuid[14], req->uuid[15]);
	log_request("%s region=%u mode=%u size=%llu align=%llu name=%s uuid=%s%s",
		    dry_run ? "create-dry-run" : "create",
		    req->region, req->mode, (unsigned long long)req->ns_size,
		    (unsigned long long)req->align, name, uuid,
		    req->access ? " access=devdax" : "");
	e = injected_errno(req->region, -1);
	if (e && e != ENOMEM)
		return fail(e);
	region_path(path, sizeof(path), req->region, "state");
	if (read_attr(path, state, sizeof(state)) < 0)
		return fail(ENODEV);
	if (strcmp(state, "active") != 0)
		return fail(ENXIO);
	/* devdax (ABI 1.5): struct pages, a fault size for align */
	if (req->access == PMEMCTL_ACCESS_DEVDAX &&
	    (req->mode == PMEMCTL_MODE_RAW ||
	     (align != 4096 && align != (2ULL << 20) && align != (1ULL << 30))))
		return fail(EINVAL);
	/* the extent itself is 2 MiB aligned at least */
	ext_align = align < (2ULL << 20) ? 2ULL << 20 : align;
	if (req->mode > PMEMCTL_MODE_PFN || req->ns_size == 0 ||
	    (ext_align & (ext_align - 1)) || req->ns_size % ext_align ||
	    (req->access == PMEMCTL_ACCESS_BLOCK && align < (2ULL << 20)))
		return fail(EINVAL);
	if ((name[0] && ns_attr_used(req->region, "name", name)) ||
	    (uuid[0] != '(' && ns_attr_used(req->region, "uuid", uuid)))
		return fail(EEXIST);
	region_path(path, sizeof(path), req->region, "resource");
	fake_cost(read_ull(path) + FAKE_NS_OFFSET, req->mode, req->ns_size, &label, &cost);
	/* a pfn namespace needs room for data behind its reserve */
	if (label.data_offset >= label.size)
		return fail(EINVAL);
	region_path(path, sizeof(path), req->region, "max_available_extent");
	ext = read_ull(path);
	if (req->ns_size > ext)
		return fail(ENOSPC);
	for (id = 0; id < 64 && ns_exists(req->region, id); id++)
		;
	if (id == 64)
		return fail(ENOSPC);
	if (e == ENOMEM) {
		req->cost = cost;
		return fail(ENOMEM);
	}
	if (uuid[0] == '(') {
		/* "Generated": deterministic, so expected output can hold it. */
		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012x",
			 req->region * 1000 + id);
		for (e = 0; e < PMEMCTL_UUID_LEN; e++)
			req->uuid[e] = 0;
		req->uuid[6] = 0x40;
		req->uuid[8] = 0x80;
		req->uuid[15] = (__u8)(req->region * 1000 + id);
	}
	if (dry_run) {
		req->id = id;
		req->offset = FAKE_NS_OFFSET;
		req->cost = cost;
		return 0;
	}

	ns_path(path, sizeof(path), req->region, id, NULL);
	if (mkdir(path, 0755) < 0)
		return fail(EIO);
	ns_path(path, sizeof(path), req->region, id, "name");
	write_attr(path, "%s", name);
	ns_path(path, sizeof(path), req->region, id, "uuid");
	write_attr(path, "%s", uuid);
	ns_path(path, sizeof(path), req->region, id, "mode");
	write_attr(path, "%s", mode_names[req->mode]);
	if (req->access == PMEMCTL_ACCESS_DEVDAX) {
		ns_path(path, sizeof(path), req->region, id, "access");
		write_attr(path, "devdax");
	}
	ns_path(path, sizeof(path), req->region, id, "size");
	write_attr(path, "%llu", (unsigned long long)req->ns_size);
	ns_path(path, sizeof(path), req->region, id, "align");
	write_attr(path, "%llu", align);
	ns_path(path, sizeof(path), req->region, id, "numa_node");
	write_attr(path, "0");
	region_path(path, sizeof(path), req->region, "resource");
	ext = read_ull(path);
	ns_path(path, sizeof(path), req->region, id, "resource");
	write_attr(path, "%#llx", ext + FAKE_NS_OFFSET);
	ns_path(path, sizeof(path), req->region, id, "uevent");
	write_attr(path, "DEVTYPE=pmemctl_namespace");
	ns_write_cost(req->region, id, &label, &cost);
	ns_set_enabled(req->region, id, 1);

	region_path(path, sizeof(path), req->region, "available_size");
	avail = read_ull(path);
	write_attr(path, "%llu", avail - (unsigned long long)req->ns_size);
	region_path(path, sizeof(path), req->region, "max_available_extent");
	ext = read_ull(path);
	write_attr(path, "%llu", ext - (unsigned long long)req->ns_size);

	req->id = id;
	req->offset = FAKE_NS_OFFSET;
	req->cost = cost;
	return 0;
}

/*
 * NS_RECONFIGURE: the module's order of checks (mode, pfn room, no-op for
 * the same mode, ENOTEMPTY for a data offset that moves without FORCE, the
 * RAM check), then a dry run stops; otherwise the mode and cost files are
 * rewritten and an enabled namespace stays enabled. The cost is copied out
 * on success and with ENOMEM, as the module does.
 */
static int fake_reconfigure(struct pmemctl_ns_reconfigure *req)
{
	const unsigned int known = PMEMCTL_RECONFIGURE_FORCE | PMEMCTL_RECONFIGURE_DRY_RUN |
				   PMEMCTL_RECONFIGURE_ACCESS;
	bool set_access = req->flags & PMEMCTL_RECONFIGURE_ACCESS;
	char path[PATH_MAX], state[32], mode[16];
	struct lf_ns old, label;
	struct pmemctl_ns_cost cost;
	unsigned long long size;
	unsigned int m;
	int e;

	if (req->size != sizeof(*req) || (req->flags & ~known) ||
	    (!set_access && req->access) || req->access > PMEMCTL_ACCESS_DEVDAX ||
	    req->cost.data_offset || req->cost.data_size || req->cost.ram_bytes ||
	    req->cost.dev_bytes ||
	    !reserved_zero(req->reserved, sizeof(req->reserved) / sizeof(req->reserved[0])))
		return fail(EINVAL);
	log_request("reconfigure region=%u id=%u mode=%u force=%u dry-run=%u%s",
		    req->region, req->id, req->mode,
		    !!(req->flags & PMEMCTL_RECONFIGURE_FORCE),
		    !!(req->flags & PMEMCTL_RECONFIGURE_DRY_RUN),
		    !set_access ? "" : req->access ? " access=devdax" : " access=block");
	e = injected_errno(req->region, req->id);
	if (e && e != ENOMEM)
		return fail(e);
	region_path(path, sizeof(path), req->region, "state");
	if (read_attr(path, state, sizeof(state)) < 0)
		return fail(ENODEV);
	if (!ns_exists(req->region, req->id))
		return fail(ENOENT);
	if (req->mode > PMEMCTL_MODE_PFN)
		return fail(EINVAL);
	ns_path(path, sizeof(path), req->region, req->id, "mode");
	if (read_attr(path, mode, sizeof(mode)) < 0)
		return fail(EIO);
	for (m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++)
		if (strcmp(mode, mode_names[m]) == 0)
			break;
	if (m > PMEMCTL_MODE_PFN)
		return fail(EIO);
	ns_path(path, sizeof(path), req->region, req->id, "size");
	size = read_ull(path);
	memset(&old, 0, sizeof(old));
	old.mode = m;
	old.size = size;
	lf_set_layout(&old);

	ns_path(path, sizeof(path), req->region, req->id, "resource");
	fake_cost(read_ull(path), req->mode, size, &label, &cost);
	if (label.data_offset >= label.size)
		return fail(EINVAL);
	if (set_access && req->access == PMEMCTL_ACCESS_DEVDAX &&
	    req->mode == PMEMCTL_MODE_RAW)
		return fail(EINVAL);
	if (set_access && !(req->flags & PMEMCTL_RECONFIGURE_DRY_RUN)) {
		ns_path(path, sizeof(path), req->region, req->id, "access");
		write_attr(path, "%s", req->access ? "devdax" : "block");
	}
	if (req->mode == m) {
		req->cost = cost;
		return 0;
	}
	if (label.data_offset != old.data_offset &&
	    !(req->flags & PMEMCTL_RECONFIGURE_FORCE))
		return fail(ENOTEMPTY);
	req->cost = cost;
	if (e == ENOMEM)
		return fail(ENOMEM);
	if (req->flags & PMEMCTL_RECONFIGURE_DRY_RUN)
		return 0;

	ns_path(path, sizeof(path), req->region, req->id, "mode");
	write_attr(path, "%s", mode_names[req->mode]);
	ns_write_cost(req->region, req->id, &label, &cost);
	return 0;
}

static int fake_ns_ref(unsigned long request, struct pmemctl_ns_ref *req)
{
	const char *what = request == PMEMCTL_IOC_NS_DESTROY ? "destroy" :
			   request == PMEMCTL_IOC_NS_ENABLE ? "enable" : "disable";
	char path[PATH_MAX], state[32];
	int e;

	if (req->size != sizeof(*req) || req->flags || !reserved_zero(req->reserved, 2))
		return fail(EINVAL);
	log_request("%s region=%u id=%u", what, req->region, req->id);
	e = injected_errno(req->region, req->id);
	if (e)
		return fail(e);
	region_path(path, sizeof(path), req->region, "state");
	if (read_attr(path, state, sizeof(state)) < 0)
		return fail(ENODEV);
	if (!ns_exists(req->region, req->id))
		return fail(ENOENT);
	if (request == PMEMCTL_IOC_NS_ENABLE) {
		ns_set_enabled(req->region, req->id, 1);
		return 0;
	}
	ns_set_enabled(req->region, req->id, 0);
	if (request == PMEMCTL_IOC_NS_DESTROY)
		ns_remove(req->region, req->id);
	return 0;
}

/*
 * The fake module: version from PMEMCTL_TEST_MODVER (default "0.0.0-shim"),
 * ABI from the header, EINVAL for a wrong size, flags or reserved field;
 * the change ioctls as described above fake_init_labels().
 */
static int fake_ioctl(unsigned long request, void *arg)
{
	struct pmemctl_version *ver = arg;
	const char *modver = getenv("PMEMCTL_TEST_MODVER");
	size_t i;

	load_stat();
	switch (request) {
	case PMEMCTL_IOC_VERSION:
		break;
	case PMEMCTL_IOC_INIT_LABELS:
		return fake_init_labels(arg);
	case PMEMCTL_IOC_NS_CREATE:
		return fake_create(arg);
	case PMEMCTL_IOC_NS_DESTROY:
	case PMEMCTL_IOC_NS_ENABLE:
	case PMEMCTL_IOC_NS_DISABLE:
		return fake_ns_ref(request, arg);
	case PMEMCTL_IOC_NS_RECONFIGURE:
		return fake_reconfigure(arg);
	default:
		errno = ENOTTY;
		return -1;
	}
	if (ver->size != sizeof(*ver) || ver->flags != 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < sizeof(ver->reserved) / sizeof(ver->reserved[0]); i++) {
		if (ver->reserved[i]) {
			errno = EINVAL;
			return -1;
		}
	}
	ver->abi_major = PMEMCTL_ABI_MAJOR;
	ver->abi_minor = PMEMCTL_ABI_MINOR;
	memset(ver->module_version, 0, sizeof(ver->module_version));
	strncpy(ver->module_version, modver ? modver : "0.0.0-shim",
		sizeof(ver->module_version) - 1);
	return 0;
}

SHIM_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (is_fake_control(fd))
		return fake_ioctl(request, arg);
	load_ioctl();
	return REAL(ioctl)(fd, request, arg);
}
