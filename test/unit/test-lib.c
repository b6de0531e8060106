// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl against the fixture trees; run by lib.test with the sysfs shim
 * preloaded. Usage: test-lib FIXTURES_DIR WRITABLE_COPY
 * (WRITABLE_COPY: a copy of FIXTURES_DIR/namespaces the changes may edit)
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libpmemctl.h"
#include "test/unit/tap.h"
#include "uapi/pmemctl.h"

static const char *fixtures;
static const char *writable;
static int logging;	/* built with --enable-logging (the default) */

static void use_fixture(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	setenv("PMEMCTL_TEST_ROOT", path, 1);
}

struct log_capture {
	int count;
	int last_priority;
	char last[512];
};

static void capture_log(void *data, int priority, const char *file, int line,
			const char *fn, const char *format, va_list args)
	__attribute__((format(printf, 6, 0)));

static void capture_log(void *data, int priority, const char *file, int line,
			const char *fn, const char *format, va_list args)
{
	struct log_capture *cap = data;

	cap->count++;
	cap->last_priority = priority;
	vsnprintf(cap->last, sizeof(cap->last), format, args);
	if (!file || line <= 0 || !fn)
		cap->last_priority = -1;	/* location must be recorded */
}

static struct pmemctl_ctx *new_ctx(void)
{
	struct pmemctl_ctx *ctx = NULL;

	if (pmemctl_new(&ctx) < 0 || !ctx) {
		printf("Bail out! pmemctl_new failed\n");
		exit(99);
	}
	return ctx;
}

static void test_ctx(void)
{
	struct pmemctl_ctx *ctx;

	unsetenv("PMEMCTL_LOG");
	ctx = new_ctx();
	check(pmemctl_get_log_priority(ctx) == PMEMCTL_LOG_OFF, "silent by default");
	check(pmemctl_ref(ctx) == ctx, "ref returns ctx");
	check(pmemctl_unref(ctx) == NULL, "unref of a shared ctx");
	check(pmemctl_get_log_priority(ctx) == PMEMCTL_LOG_OFF, "ctx alive after one unref");
	pmemctl_set_log_priority(ctx, 99);
	check(pmemctl_get_log_priority(ctx) == LOG_DEBUG, "priority clamped to debug");
	pmemctl_set_log_priority(ctx, -5);
	check(pmemctl_get_log_priority(ctx) == PMEMCTL_LOG_OFF, "negative priority is off");
	pmemctl_unref(ctx);
	check(pmemctl_ref(NULL) == NULL && pmemctl_unref(NULL) == NULL, "NULL-safe");

	setenv("PMEMCTL_LOG", "debug", 1);
	ctx = new_ctx();
	check(pmemctl_get_log_priority(ctx) == LOG_DEBUG, "PMEMCTL_LOG=debug");
	pmemctl_unref(ctx);
	setenv("PMEMCTL_LOG", "bogus", 1);
	ctx = new_ctx();
	check(pmemctl_get_log_priority(ctx) == LOG_ERR, "bad PMEMCTL_LOG: err, and says so");
	pmemctl_unref(ctx);
	setenv("PMEMCTL_LOG", "6", 1);
	ctx = new_ctx();
	check(pmemctl_get_log_priority(ctx) == LOG_INFO, "PMEMCTL_LOG=6");
	pmemctl_unref(ctx);
	unsetenv("PMEMCTL_LOG");
}

static void test_regions_two(void)
{
	struct log_capture cap = { 0 };
	struct pmemctl_region *r;
	struct pmemctl_ctx *ctx;
	int n = 0;

	use_fixture("two-regions");
	ctx = new_ctx();
	pmemctl_set_log_fn(ctx, capture_log, &cap);
	check(pmemctl_module_is_loaded(ctx) == 1, "module loaded");
	check(pmemctl_module_load(ctx) == 0, "load is a no-op when loaded");

	pmemctl_region_foreach(ctx, r)
		n++;
	check(n == 2, "two regions (namespace entry ignored), got %d", n);

	r = pmemctl_region_get_first(ctx);
	check(r && pmemctl_region_get_id(r) == 0, "first is region0");
	if (!r)
		goto out;
	check(pmemctl_region_get_ctx(r) == ctx, "region knows its ctx");
	check_str(pmemctl_region_get_devname(r), "region0", "devname");
	check(pmemctl_region_get_size(r) == 1073741824ULL, "size");
	check(pmemctl_region_get_align(r) == 2097152ULL, "align");
	check(pmemctl_region_get_available_size(r) == 0, "available_size");
	check(pmemctl_region_get_max_available_extent(r) == 0,
	      "max_available_extent");
	check(pmemctl_region_get_numa_node(r) == 0, "numa_node");
	check_str(pmemctl_region_get_persistence_domain(r), "unknown", "persistence_domain");
	check_str(pmemctl_region_get_state(r), "uninitialized", "state");
	check(pmemctl_region_get_resource(r) == 0x100000000ULL, "resource");

	r = pmemctl_region_get_next(r);
	check(r && pmemctl_region_get_id(r) == 1, "second is region1");
	if (r) {
		check(pmemctl_region_get_numa_node(r) == -1, "no numa node");
		check(pmemctl_region_get_resource(r) == ULLONG_MAX,
		      "unreadable resource is ULLONG_MAX");
		check(pmemctl_region_get_next(r) == NULL, "end of list");
	}

	/* The cache survives a fixture switch until invalidated. */
	use_fixture("no-regions");
	check(pmemctl_region_get_first(ctx) != NULL, "cached list kept");
	pmemctl_invalidate(ctx);
	errno = EBADF;
	check(pmemctl_region_get_first(ctx) == NULL && errno == 0,
	      "invalidate rereads: no regions, errno 0");
	check(cap.count == 0, "nothing logged at err priority (%d: %s)", cap.count, cap.last);
out:
	pmemctl_unref(ctx);
}

static void test_regions_ordering(void)
{
	static const unsigned int want[] = { 2, 9, 10 };
	struct pmemctl_region *r;
	struct pmemctl_ctx *ctx;
	unsigned int i = 0;
	int ok = 1;

	use_fixture("ordering");
	ctx = new_ctx();
	pmemctl_region_foreach(ctx, r) {
		if (i >= 3 || pmemctl_region_get_id(r) != want[i])
			ok = 0;
		if (pmemctl_region_get_id(r) == 9) {
			check(pmemctl_region_get_size(r) == ULLONG_MAX, "bad size is unknown");
			check(pmemctl_region_get_numa_node(r) == -1, "missing numa_node is -1");
		}
		if (pmemctl_region_get_id(r) == 10) {
			check(pmemctl_region_get_available_size(r) == 2147483648ULL,
			      "available_size read from its own file");
			check(pmemctl_region_get_max_available_extent(r) == 1073741824ULL,
			      "max_available_extent read from its own file");
		}
		i++;
	}
	check(ok && i == 3, "regions 2, 9, 10 in numeric order, nothing else");
	pmemctl_unref(ctx);
}

static void test_no_module(void)
{
	struct log_capture cap = { 0 };
	struct pmemctl_ctx *ctx;
	int err;

	use_fixture("no-module");
	setenv("PMEMCTL_MODULE", "/nonexistent/pmemctl.ko", 1);
	ctx = new_ctx();
	pmemctl_set_log_fn(ctx, capture_log, &cap);
	pmemctl_set_log_priority(ctx, LOG_ERR);
	check(pmemctl_module_is_loaded(ctx) == 0, "module not loaded");
	errno = 0;
	check(pmemctl_region_get_first(ctx) == NULL && errno == ENOENT,
	      "no bus: NULL with errno ENOENT");
	if (logging)
		check(cap.count >= 1 && cap.last_priority == LOG_ERR,
		      "error logged with location");
	else
		check(cap.count == 0, "logging compiled out: nothing logged");
	err = pmemctl_module_load(ctx);
	check(err == -ENOENT, "load of a missing .ko: %d", err);
	err = pmemctl_get_abi_version(ctx, NULL, NULL, NULL, 0);
	check(err == -ENOENT, "no control device: %d", err);
	pmemctl_unref(ctx);
	unsetenv("PMEMCTL_MODULE");
}

static void test_abi_version(void)
{
	struct pmemctl_ctx *ctx;
	unsigned int major = 0, minor = 99;
	char modver[8];
	int err;

	use_fixture("two-regions");
	setenv("PMEMCTL_TEST_MODVER", "0.1.0-test", 1);
	ctx = new_ctx();
	err = pmemctl_get_abi_version(ctx, &major, &minor, modver, sizeof(modver));
	check(err == 0, "PMEMCTL_IOC_VERSION: %d", err);
	check(major == PMEMCTL_ABI_MAJOR && minor == PMEMCTL_ABI_MINOR,
	      "ABI of the header, got %u.%u", major, minor);
	check_str(modver, "0.1.0-t", "module version truncated to the buffer");
	pmemctl_unref(ctx);
}

static struct pmemctl_namespace *find_ns(struct pmemctl_region *r, unsigned int id)
{
	struct pmemctl_namespace *ns;

	pmemctl_namespace_foreach(r, ns)
		if (pmemctl_namespace_get_id(ns) == id)
			return ns;
	return NULL;
}

static void test_namespaces(void)
{
	struct pmemctl_namespace *ns;
	struct pmemctl_region *r;
	struct pmemctl_ctx *ctx;
	unsigned int ids[8], n = 0;

	use_fixture("namespaces");
	ctx = new_ctx();
	r = pmemctl_region_get_first(ctx);
	if (!r) {
		check(0, "namespaces fixture has regions");
		goto out;
	}
	check(pmemctl_region_get_max_namespaces(r) == 8160, "max_namespaces");
	pmemctl_namespace_foreach(r, ns)
		if (n < 8)
			ids[n++] = pmemctl_namespace_get_id(ns);
	check(n == 3 && ids[0] == 0 && ids[1] == 1 && ids[2] == 3,
	      "region0: namespaces 0, 1, 3 (bus-level links ignored), got %u", n);

	ns = find_ns(r, 0);
	check(ns != NULL, "namespace0.0");
	if (ns) {
		check(pmemctl_namespace_get_region(ns) == r, "knows its region");
		check_str(pmemctl_namespace_get_devname(ns), "namespace0.0", "devname");
		check_str(pmemctl_namespace_get_name(ns), "db", "name");
		check_str(pmemctl_namespace_get_uuid(ns),
			  "6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8", "uuid");
		check_str(pmemctl_namespace_get_mode(ns), "raw", "mode");
		check(pmemctl_namespace_get_size(ns) == 536870912ULL, "size");
		check(pmemctl_namespace_get_align(ns) == 2097152ULL, "align");
		check(pmemctl_namespace_is_enabled(ns) == 1, "enabled");
		check_str(pmemctl_namespace_get_blockdev(ns), "pmem0n0", "blockdev");
		check(pmemctl_namespace_get_numa_node(ns) == 0, "numa_node");
		check(pmemctl_namespace_get_resource(ns) == 0x100200000ULL, "resource");
	}
	ns = find_ns(r, 1);
	if (ns) {
		check_str(pmemctl_namespace_get_name(ns), "", "no name is \"\"");
		check(pmemctl_namespace_is_enabled(ns) == 0, "disabled");
		check(pmemctl_namespace_get_blockdev(ns) == NULL, "no blockdev when disabled");
	}
	ns = find_ns(r, 3);
	if (ns)
		check_str(pmemctl_namespace_get_uuid(ns),
			  "c0ffee00-1111-4222-8333-444455556666", "UUID read in lower case");
	r = pmemctl_region_get_next(pmemctl_region_get_next(r));
	check(r && pmemctl_region_get_max_namespaces(r) == 0 &&
	      pmemctl_namespace_get_first(r) == NULL && errno == 0,
	      "uninitialized region2: no slots, no namespaces, errno 0");
out:
	pmemctl_unref(ctx);
}

static void test_config(void)
{
	struct pmemctl_namespace_config *cfg = NULL;
	struct pmemctl_ctx *ctx = new_ctx();
	static const unsigned char uuid[16] = { 1 };
	char longest[65];

	check(pmemctl_namespace_config_new(ctx, &cfg) == 0 && cfg, "config_new");
	if (!cfg)
		goto out;
	check(pmemctl_namespace_config_set_size(cfg, 0) == -EINVAL, "size 0");
	check(pmemctl_namespace_config_set_size(cfg, 2 << 20) == 0, "size 2 MiB");
	check(pmemctl_namespace_config_set_align(cfg, 0) == 0, "align 0: default");
	/* a power of two of 4 KiB or more: the kernel decides by access kind */
	check(pmemctl_namespace_config_set_align(cfg, 1 << 20) == 0, "align 1 MiB");
	check(pmemctl_namespace_config_set_align(cfg, 4096) == 0, "align 4 KiB (devdax)");
	check(pmemctl_namespace_config_set_align(cfg, 2048) == -EINVAL, "align 2 KiB");
	check(pmemctl_namespace_config_set_align(cfg, 3 << 20) == -EINVAL, "align 3 MiB");
	check(pmemctl_namespace_config_set_align(cfg, 1ULL << 30) == 0, "align 1 GiB");
	check(pmemctl_namespace_config_set_mode(cfg, "pfn") == 0, "mode pfn");
	check(pmemctl_namespace_config_set_mode(cfg, "fsdax") == -EINVAL, "mode fsdax");
	check(pmemctl_namespace_config_set_mode(cfg, NULL) == -EINVAL, "mode NULL");
	check(pmemctl_namespace_config_set_access(cfg, "devdax") == 0, "access devdax");
	check(pmemctl_namespace_config_set_access(cfg, "block") == 0, "access block");
	check(pmemctl_namespace_config_set_access(cfg, "fsdax") == -EINVAL, "access fsdax");
	check(pmemctl_namespace_config_set_access(cfg, NULL) == -EINVAL, "access NULL");
	check(pmemctl_namespace_config_set_name(cfg, "ok.name-1_") == 0, "name");
	check(pmemctl_namespace_config_set_name(cfg, "not ok") == -EINVAL, "name with blank");
	memset(longest, 'a', 64);
	longest[64] = '\0';
	check(pmemctl_namespace_config_set_name(cfg, longest) == -EINVAL, "64-byte name");
	longest[63] = '\0';
	check(pmemctl_namespace_config_set_name(cfg, longest) == 0, "63-byte name");
	check(pmemctl_namespace_config_set_name(cfg, NULL) == 0, "no name");
	check(pmemctl_namespace_config_set_uuid(cfg, uuid) == 0 &&
	      pmemctl_namespace_config_set_uuid(cfg, NULL) == 0, "uuid set and cleared");
	pmemctl_namespace_config_free(cfg);
out:
	pmemctl_namespace_config_free(NULL);
	pmemctl_unref(ctx);
}

/* Replace the content of file @rel of the writable copy. */
static int write_fixture(const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", writable, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/*
 * A namespace attribute is read when a getter first asks for it, not when
 * the list is read, and then kept until the region is reread.
 */
static void test_lazy_attrs(void)
{
	static const char align[] = "sys/bus/pmemctl/devices/region1/namespace1.0/align";
	static const char size[] = "sys/bus/pmemctl/devices/region1/namespace1.0/size";
	struct pmemctl_namespace *ns;
	struct pmemctl_region *r;
	struct pmemctl_ctx *ctx;

	setenv("PMEMCTL_TEST_ROOT", writable, 1);
	ctx = new_ctx();
	r = pmemctl_region_get_next(pmemctl_region_get_first(ctx));
	ns = r ? find_ns(r, 0) : NULL;
	if (!ns) {
		check(0, "writable fixture has namespace1.0");
		goto out;
	}
	check(pmemctl_namespace_get_size(ns) == 2097152ULL, "size read");
	if (write_fixture(align, "8388608\n") < 0 || write_fixture(size, "4194304\n") < 0) {
		check(0, "edit the fixture");
		goto out;
	}
	check(pmemctl_namespace_get_align(ns) == 8388608ULL,
	      "align read at the first getter call, after the listing");
	check(pmemctl_namespace_get_size(ns) == 2097152ULL,
	      "size kept from its first read");
	if (write_fixture(align, "2097152\n") < 0 || write_fixture(size, "2097152\n") < 0)
		check(0, "restore the fixture");
	check(pmemctl_namespace_get_align(ns) == 8388608ULL, "align kept");
	/* By the ABI: blockdev and numa_node follow without a file read. */
	check(pmemctl_namespace_get_numa_node(ns) == pmemctl_region_get_numa_node(r),
	      "numa_node is the region's");
out:
	pmemctl_unref(ctx);
}

/* Changes through the shim's fake module, on a writable copy. */
static void test_changes(void)
{
	struct pmemctl_namespace_config *cfg = NULL;
	struct pmemctl_namespace *ns = NULL, *db, *logs;
	struct pmemctl_region *r, *r2;
	struct pmemctl_ctx *ctx;
	int err;

	setenv("PMEMCTL_TEST_ROOT", writable, 1);
	ctx = new_ctx();
	r = pmemctl_region_get_first(ctx);
	if (!r || pmemctl_namespace_config_new(ctx, &cfg) < 0) {
		check(0, "writable fixture");
		goto out;
	}
	db = find_ns(r, 0);
	logs = find_ns(r, 3);
	if (pmemctl_namespace_config_set_size(cfg, 4 << 20) < 0 ||
	    pmemctl_namespace_config_set_name(cfg, "lib") < 0) {
		check(0, "config");
		goto out;
	}
	err = pmemctl_namespace_create(r, cfg, &ns);
	check(err == 0 && ns, "create: %d", err);
	if (ns) {
		check(pmemctl_namespace_get_id(ns) == 2, "lowest free number, 2");
		check_str(pmemctl_namespace_get_name(ns), "lib", "created name");
		check_str(pmemctl_namespace_get_blockdev(ns), "pmem0n2", "created blockdev");
		check(pmemctl_region_get_available_size(r) == 209715200ULL - (4 << 20),
		      "region reread after create");
	}
	check(find_ns(r, 0) == db && find_ns(r, 3) == logs,
	      "other namespace objects survive the reread");
	err = pmemctl_namespace_create(r, cfg, NULL);
	check(err == -EEXIST, "same name again: -EEXIST, got %d", err);
	check(pmemctl_namespace_disable(logs) == 0 && pmemctl_namespace_is_enabled(logs) == 0 &&
	      !pmemctl_namespace_get_blockdev(logs), "disable, reread in place");
	check(pmemctl_namespace_enable(logs) == 0 && pmemctl_namespace_is_enabled(logs) == 1,
	      "enable, reread in place");
	check(pmemctl_namespace_destroy(logs) == 0 && !find_ns(r, 3) && find_ns(r, 0) == db,
	      "destroy: gone, others kept");
	setenv("PMEMCTL_TEST_ERRNO", "EBUSY", 1);
	check(pmemctl_namespace_destroy(db) == -EBUSY && find_ns(r, 0) == db, "EBUSY passed on");
	unsetenv("PMEMCTL_TEST_ERRNO");
	setenv("PMEMCTL_TEST_OPEN_ERRNO", "EACCES", 1);
	check(pmemctl_namespace_disable(db) == -EPERM, "EACCES on open: -EPERM");
	unsetenv("PMEMCTL_TEST_OPEN_ERRNO");

	r2 = pmemctl_region_get_next(pmemctl_region_get_next(r));
	check(r2 && pmemctl_namespace_create(r2, cfg, NULL) == -ENXIO,
	      "create on an uninitialized region: -ENXIO");
	check(r2 && pmemctl_region_init_labels(r2, false) == 0 &&
	      strcmp(pmemctl_region_get_state(r2) ?: "", "active") == 0 &&
	      pmemctl_region_get_max_namespaces(r2) == 8160, "init_labels, region reread");
	check(r2 && pmemctl_region_init_labels(r2, false) == -EEXIST, "again: -EEXIST");
	check(pmemctl_region_init_labels(r, true) == -EBUSY,
	      "force with enabled namespaces: -EBUSY");
out:
	pmemctl_namespace_config_free(cfg);
	pmemctl_unref(ctx);
}

static bool cost_is(const struct pmemctl_cost *c, unsigned long long data_offset,
		    unsigned long long data_size, unsigned long long ram,
		    unsigned long long dev)
{
	bool ok = c->data_offset == data_offset && c->data_size == data_size &&
		  c->ram_bytes == ram && c->dev_bytes == dev;

	if (!ok)
		printf("#   got data_offset %llu data_size %llu ram %llu dev %llu\n",
		       c->data_offset, c->data_size, c->ram_bytes, c->dev_bytes);
	return ok;
}

/* LIBPMEMCTL_2 readers: namespace costs and layouts, region extent costs. */
static void test_costs(void)
{
	struct pmemctl_region *r0, *r1;
	struct pmemctl_namespace *ns;
	struct pmemctl_cost c;
	struct pmemctl_ctx *ctx;

	use_fixture("namespaces");
	ctx = new_ctx();
	r0 = pmemctl_region_get_first(ctx);
	r1 = r0 ? pmemctl_region_get_next(r0) : NULL;
	if (!r1) {
		check(0, "namespaces fixture has regions");
		goto out;
	}
	check(pmemctl_region_get_struct_page_size(r0) == 64, "region0: 64-byte struct page");
	check(pmemctl_region_get_struct_page_size(r1) == 0, "unreadable struct_page_size: 0");

	memset(&c, 0xff, sizeof(c));
	check(pmemctl_region_get_extent_cost(r0, "raw", &c) == 0 &&
	      cost_is(&c, 0, 64 << 20, 0, 0), "extent raw: all data");
	check(pmemctl_region_get_extent_cost(r0, "page", &c) == 0 &&
	      cost_is(&c, 0, 64 << 20, 1052672, 0), "extent page: memmap in RAM");
	check(pmemctl_region_get_extent_cost(r0, "pfn", &c) == 0 &&
	      cost_is(&c, 2 << 20, 62 << 20, 1052672, 2 << 20),
	      "extent pfn: data_offset is the reserve");
	check(pmemctl_region_get_extent_cost(r0, "fsdax", &c) == -EINVAL &&
	      pmemctl_region_get_extent_cost(r0, NULL, &c) == -EINVAL, "extent: unknown mode");
	check(pmemctl_region_get_extent_cost(r1, "raw", &c) == -ENOENT,
	      "extent: no report, -ENOENT");
	check(pmemctl_region_get_extent_cost_devdax(r0, "page", 2 << 20, &c) == 0 &&
	      cost_is(&c, 0, 64 << 20, 266240, 0), "devdax 2M page: compound memmap");
	check(pmemctl_region_get_extent_cost_devdax(r0, "pfn", 2 << 20, &c) == 0 &&
	      cost_is(&c, 2 << 20, 62 << 20, 1052672, 2 << 20),
	      "devdax 2M pfn: data_offset is the reserve");
	check(pmemctl_region_get_extent_cost_devdax(r0, "page", 1 << 30, &c) == 0 &&
	      cost_is(&c, 0, 0, 0, 0), "devdax 1G: does not fit, all zero");
	check(pmemctl_region_get_extent_cost_devdax(r0, "page", 4096, &c) == 0 &&
	      cost_is(&c, 0, 64 << 20, 1052672, 0), "devdax 4K: the block figures");
	check(pmemctl_region_get_extent_cost_devdax(r0, "raw", 2 << 20, &c) == -EINVAL &&
	      pmemctl_region_get_extent_cost_devdax(r0, "page", 4 << 20, &c) == -EINVAL &&
	      pmemctl_region_get_extent_cost_devdax(r0, NULL, 2 << 20, &c) == -EINVAL,
	      "devdax extent: raw, another align, no mode: -EINVAL");
	memset(&c, 0xff, sizeof(c));
	check(pmemctl_region_get_extent_cost_devdax(r1, "page", 2 << 20, &c) == -ENOENT &&
	      cost_is(&c, 0, 0, 0, 0), "devdax extent: no report, -ENOENT, all zero");

	ns = find_ns(r0, 0);
	memset(&c, 0xff, sizeof(c));
	check(ns && pmemctl_namespace_get_cost(ns, &c) == 0 &&
	      cost_is(&c, 0, 536870912ULL, 0, 0), "raw namespace: all of it is data");
	check(ns && pmemctl_namespace_get_npfns(ns) == 0 &&
	      pmemctl_namespace_get_page_struct_size(ns) == 0, "raw: no pfn layout");
	ns = find_ns(r1, 2);
	check(ns && pmemctl_namespace_get_cost(ns, &c) == 0 &&
	      cost_is(&c, 2 << 20, 2 << 20, 69632, 2 << 20), "pfn namespace: the kernel's figures");
	check(ns && pmemctl_namespace_get_npfns(ns) == 1024 &&
	      pmemctl_namespace_get_page_struct_size(ns) == 64, "pfn: its layout");
out:
	pmemctl_unref(ctx);
}

/* The fixture's badblocks files: 0.0 two runs, 0.1 empty, 0.3 missing. */
static void test_badblocks(void)
{
	struct pmemctl_badblock bb[3];
	struct pmemctl_region *r0, *r1;
	struct pmemctl_namespace *ns;
	struct pmemctl_ctx *ctx;

	use_fixture("namespaces");
	ctx = new_ctx();
	r0 = pmemctl_region_get_first(ctx);
	r1 = r0 ? pmemctl_region_get_next(r0) : NULL;
	if (!r1) {
		check(0, "namespaces fixture has regions");
		goto out;
	}
	ns = find_ns(r0, 0);
	check(ns && pmemctl_namespace_get_badblocks(ns, NULL, 0) == 2,
	      "badblocks: count without a buffer");
	memset(bb, 0xff, sizeof(bb));
	check(ns && pmemctl_namespace_get_badblocks(ns, bb, 1) == 2 &&
	      bb[0].offset == 8 && bb[0].length == 8 && bb[1].offset == ULLONG_MAX,
	      "badblocks: max 1 fills one, returns the total");
	check(ns && pmemctl_namespace_get_badblocks(ns, bb, 3) == 2 &&
	      bb[1].offset == 1024 && bb[1].length == 1 && bb[2].offset == ULLONG_MAX,
	      "badblocks: both runs, in order");
	check(ns && pmemctl_namespace_get_badblocks(ns, NULL, 1) == -EINVAL,
	      "badblocks: NULL buffer with max > 0");
	ns = find_ns(r0, 1);
	check(ns && pmemctl_namespace_get_badblocks(ns, bb, 3) == 0, "badblocks: empty file");
	ns = find_ns(r0, 3);
	check(ns && pmemctl_namespace_get_badblocks(ns, bb, 3) == -ENOENT,
	      "badblocks: no file (older module), -ENOENT");
	ns = find_ns(r1, 2);
	check(ns && pmemctl_namespace_get_badblocks(ns, bb, 3) == 1 &&
	      bb[0].offset == 0 && bb[0].length == 8, "badblocks: pfn namespace");
out:
	pmemctl_unref(ctx);
}

/* Dry run and reconfigure through the fake module, on the writable copy. */
static void test_cost_changes(void)
{
	struct pmemctl_namespace_config *cfg = NULL;
	static const unsigned char zero[16];
	struct pmemctl_namespace *ns;
	struct pmemctl_region *r;
	struct pmemctl_ctx *ctx;
	struct pmemctl_cost c;
	unsigned char uuid[16];
	unsigned long long avail;
	unsigned int id = 99;
	char path[4096];
	FILE *f;
	int err;

	setenv("PMEMCTL_TEST_ROOT", writable, 1);
	ctx = new_ctx();
	r = pmemctl_region_get_first(ctx);
	if (!r || pmemctl_namespace_config_new(ctx, &cfg) < 0 ||
	    pmemctl_namespace_config_set_size(cfg, 4 << 20) < 0 ||
	    pmemctl_namespace_config_set_mode(cfg, "page") < 0) {
		check(0, "writable fixture and config");
		goto out;
	}
	avail = pmemctl_region_get_available_size(r);
	memset(uuid, 0, sizeof(uuid));
	err = pmemctl_namespace_create_dry_run(r, cfg, &id, uuid, &c);
	check(err == 0 && id == 3 && memcmp(uuid, zero, sizeof(zero)) &&
	      cost_is(&c, 0, 4 << 20, 69632, 0), "dry run: number, UUID and cost (%d)", err);
	check(!find_ns(r, 3) && pmemctl_region_get_available_size(r) == avail,
	      "dry run: nothing created");
	setenv("PMEMCTL_TEST_ERRNO", "ENOMEM", 1);
	memset(&c, 0, sizeof(c));
	check(pmemctl_namespace_create_dry_run(r, cfg, NULL, NULL, &c) == -ENOMEM &&
	      c.ram_bytes == 69632, "dry run ENOMEM: the cost still comes back");
	unsetenv("PMEMCTL_TEST_ERRNO");
	pmemctl_namespace_config_set_mode(cfg, "pfn");
	pmemctl_namespace_config_set_size(cfg, 2 << 20);
	check(pmemctl_namespace_create_dry_run(r, cfg, NULL, NULL, NULL) == -EINVAL,
	      "dry run pfn 2 MiB: -EINVAL");

	ns = find_ns(r, 1);	/* raw, 256 MiB at 4G+514M */
	if (!ns) {
		check(0, "namespace0.1");
		goto out;
	}
	check(pmemctl_namespace_reconfigure(ns, "page", 0, &c) == 0 &&
	      cost_is(&c, 0, 256 << 20, 4202496, 0), "reconfigure raw -> page: cost");
	check(find_ns(r, 1) == ns && strcmp(pmemctl_namespace_get_mode(ns) ?: "", "page") == 0,
	      "reconfigured object reread in place");
	check(pmemctl_namespace_get_cost(ns, &c) == 0 && c.ram_bytes == 4202496,
	      "its cost read back from sysfs");
	check(pmemctl_namespace_reconfigure(ns, "pfn", 0, &c) == -ENOTEMPTY,
	      "page -> pfn without FORCE: -ENOTEMPTY");
	check(pmemctl_namespace_reconfigure(ns, "pfn", PMEMCTL_RECONF_FORCE |
					    PMEMCTL_RECONF_DRY_RUN, &c) == 0 &&
	      cost_is(&c, 4 << 20, 252 << 20, 2105344, 4 << 20) &&
	      strcmp(pmemctl_namespace_get_mode(ns) ?: "", "page") == 0,
	      "FORCE | DRY_RUN: pfn cost, still page");
	setenv("PMEMCTL_TEST_ERRNO", "ENOMEM", 1);
	memset(&c, 0, sizeof(c));
	check(pmemctl_namespace_reconfigure(find_ns(r, 0), "page", 0, &c) == -ENOMEM &&
	      c.ram_bytes == 8396800, "reconfigure ENOMEM: the cost still comes back");
	unsetenv("PMEMCTL_TEST_ERRNO");
	check(pmemctl_namespace_reconfigure(ns, "fsdax", 0, NULL) == -EINVAL &&
	      pmemctl_namespace_reconfigure(ns, "raw", 1u << 7, NULL) == -EINVAL,
	      "reconfigure: unknown mode or flag, -EINVAL");

	/* A page namespace whose cost files cannot be read */
	snprintf(path, sizeof(path), "%s/sys/bus/pmemctl/devices/region1/namespace1.0/mode",
		 writable);
	f = fopen(path, "w");
	if (f) {
		fputs("page\n", f);
		fclose(f);
	}
	pmemctl_unref(ctx);
	ctx = new_ctx();
	r = pmemctl_region_get_first(ctx);
	ns = r ? find_ns(pmemctl_region_get_next(r), 0) : NULL;
	memset(&c, 0xff, sizeof(c));
	check(ns && pmemctl_namespace_get_cost(ns, &c) == -ENOENT &&
	      cost_is(&c, 0, 0, 0, 0) && pmemctl_namespace_get_npfns(ns) == ULLONG_MAX &&
	      pmemctl_namespace_get_page_struct_size(ns) == 0,
	      "unreadable cost: -ENOENT, zeros, npfns unknown");
out:
	pmemctl_namespace_config_free(cfg);
	pmemctl_unref(ctx);
}

int main(int argc, char *argv[])
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s FIXTURES_DIR WRITABLE_COPY\n", argv[0]);
		return 99;
	}
	if (!getenv("PMEMCTL_SHIM_ACTIVE")) {
		printf("Bail out! run me through lib.test (sysfs shim not preloaded)\n");
		return 99;
	}
	fixtures = argv[1];
	writable = argv[2];
	logging = strcmp(getenv("PMEMCTL_LOGGING") ?: "yes", "no") != 0;
	test_ctx();
	test_regions_two();
	test_regions_ordering();
	test_no_module();
	test_abi_version();
	test_namespaces();
	test_config();
	test_lazy_attrs();
	test_changes();
	test_costs();
	test_badblocks();
	test_cost_changes();
	return tap_done();
}
