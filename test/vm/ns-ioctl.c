// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Raw namespace ioctls for the VM tests, bypassing libpmemctl so that the
 * kernel's answers are tested on their own:
 *
 *   ns-ioctl init REGION [force]
 *   ns-ioctl create REGION SIZE [ALIGN [NAME [MODE [UUIDHEX [ACCESS]]]]]
 *            (UUIDHEX "-": generated; ACCESS 0 block, 1 devdax)
 *   ns-ioctl dryrun REGION SIZE [ALIGN [NAME [MODE]]]   (create, dry run)
 *   ns-ioctl destroy|enable|disable REGION ID
 *   ns-ioctl reconfigure REGION ID MODE [FLAGS [ACCESS]]
 *            (FLAGS: 1 force, 2 dry run, 4 ACCESS is the new access kind)
 *   ns-ioctl batch REGION [dry] OP...   one NS_BATCH; OP is one of
 *            c:SIZE:MODE[:NAME[:off]]   create (off: leave it disabled)
 *            d:ID                       destroy
 *            r:ID:MODE[:force]          reconfigure
 *   ns-ioctl badreq REGION      every malformed form of every change command
 *
 * Prints "ok ..." or "errno NAME"; exit status 0 on success, else 1.
 * create, dryrun and reconfigure print the cost the kernel returned:
 * "... data_offset N data_size N ram_bytes N dev_bytes N". batch prints
 * "op I id N offset N result ERRNO ..." for every op, then "ok" or
 * "errno NAME failed I" (I is the op the kernel blamed, or -1).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pmemctl.h>

#include "errname.h"

static int failures;

static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static void expect(int got, int want, const char *what)
{
	printf("%s: %s: %s (want %s)\n", got == want ? "ok" : "NOT OK", what,
	       errname(got), errname(want));
	if (got != want)
		failures++;
}

static void fresh_create(struct pmemctl_ns_create *c, unsigned int region)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->region = region;
	c->mode = PMEMCTL_MODE_RAW;
	c->ns_size = 4 << 20;
	c->align = 2 << 20;
}

static void fresh_ref(struct pmemctl_ns_ref *r, unsigned int region, unsigned int id)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->region = region;
	r->id = id;
}

/* Every malformed request is refused and changes nothing. */
static void fresh_reconf(struct pmemctl_ns_reconfigure *r, unsigned int region,
			 unsigned int id, unsigned int mode)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->region = region;
	r->id = id;
	r->mode = mode;
}

static void print_cost(const struct pmemctl_ns_cost *c)
{
	printf(" data_offset %llu data_size %llu ram_bytes %llu dev_bytes %llu",
	       (unsigned long long)c->data_offset, (unsigned long long)c->data_size,
	       (unsigned long long)c->ram_bytes, (unsigned long long)c->dev_bytes);
}

static void badreq(int fd, unsigned int region)
{
	struct pmemctl_ns_reconfigure rc;
	static const unsigned long refs[] = {
		PMEMCTL_IOC_NS_DESTROY, PMEMCTL_IOC_NS_ENABLE, PMEMCTL_IOC_NS_DISABLE,
	};
	struct pmemctl_init_labels il;
	struct pmemctl_ns_create c;
	struct pmemctl_ns_ref r;
	char what[96];
	size_t i;

	memset(&il, 0, sizeof(il));
	il.size = sizeof(il) - 1;
	il.region = region;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), EINVAL, "init: wrong size field");
	il.size = sizeof(il);
	il.flags = 2;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), EINVAL, "init: unknown flag");
	il.flags = 0;
	il.reserved[3] = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), EINVAL, "init: reserved non-zero");
	il.reserved[3] = 0;
	il.reserved0 = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), EINVAL, "init: reserved0 non-zero");
	il.reserved0 = 0;
	il.region = 999;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), ENODEV, "init: no such region");
	il.region = region;
	expect(do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il), EEXIST, "init: over a valid store");

	fresh_create(&c, region);
	c.size = sizeof(c) + 8;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: wrong size field");
	fresh_create(&c, region);
	c.flags = 0x80;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: unknown flag");
	fresh_create(&c, region);
	c.reserved[0] = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: reserved non-zero");
	fresh_create(&c, region);
	c.ram_per_gib = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: output field ram_per_gib set");
	fresh_create(&c, region);
	c.id = 7;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: output field id set");
	fresh_create(&c, region);
	c.ns_size = 0;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: size 0");
	fresh_create(&c, region);
	c.ns_size = (4 << 20) + 4096;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: size not aligned");
	fresh_create(&c, region);
	c.align = 3 << 20;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: align not a power of 2");
	fresh_create(&c, region);
	c.align = 4096;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: align below 2 MiB");
	fresh_create(&c, region);
	c.ns_size = 1ULL << 50;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), ENOSPC, "create: larger than the region");
	fresh_create(&c, region);
	c.ns_size = ~0ULL - (2 << 20) + 1;	/* multiple of 2 MiB; start+size wraps */
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), ENOSPC, "create: start+size overflows");
	fresh_create(&c, region);
	c.mode = 9;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: unknown mode");
	fresh_create(&c, region);
	strcpy(c.name, "bad name/");
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: bad name chars");
	fresh_create(&c, region);
	memset(c.name, 'a', sizeof(c.name));
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: name not terminated");
	fresh_create(&c, region);
	c.region = 999;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), ENODEV, "create: no such region");

	fresh_create(&c, region);
	c.flags = 0x2;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: unknown flag");
	fresh_create(&c, region);
	c.cost.ram_bytes = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: cost (out) non-zero");
	fresh_create(&c, region);
	c.mode = PMEMCTL_MODE_PFN;
	c.ns_size = 2 << 20;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: pfn without room for data");

	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.size = sizeof(rc) + 8;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: wrong size field");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.flags = 0x8;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: unknown flag");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.access = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL,
	       "reconfigure: access without PMEMCTL_RECONFIGURE_ACCESS");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.flags = PMEMCTL_RECONFIGURE_ACCESS;
	rc.access = 2;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: unknown access");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.cost.data_size = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: cost (out) non-zero");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.reserved[3] = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: reserved non-zero");
	fresh_reconf(&rc, region, 123456, PMEMCTL_MODE_PAGE);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), ENOENT, "reconfigure: no such namespace");
	fresh_reconf(&rc, 999, 0, PMEMCTL_MODE_PAGE);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), ENODEV, "reconfigure: no such region");

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const char *n = i == 0 ? "destroy" : i == 1 ? "enable" : "disable";

		fresh_ref(&r, region, 0);
		r.size = 0;
		snprintf(what, sizeof(what), "%s: wrong size field", n);
		expect(do_ioctl(fd, refs[i], &r), EINVAL, what);
		fresh_ref(&r, region, 0);
		r.flags = 0x80;
		snprintf(what, sizeof(what), "%s: unknown flag", n);
		expect(do_ioctl(fd, refs[i], &r), EINVAL, what);
		fresh_ref(&r, region, 0);
		r.reserved[1] = 1;
		snprintf(what, sizeof(what), "%s: reserved non-zero", n);
		expect(do_ioctl(fd, refs[i], &r), EINVAL, what);
		fresh_ref(&r, region, 123456);
		snprintf(what, sizeof(what), "%s: no such namespace", n);
		expect(do_ioctl(fd, refs[i], &r), ENOENT, what);
		fresh_ref(&r, 999, 0);
		snprintf(what, sizeof(what), "%s: no such region", n);
		expect(do_ioctl(fd, refs[i], &r), ENODEV, what);
	}
}

static void fresh_batch(struct pmemctl_ns_batch *b, unsigned int region,
			struct pmemctl_batch_op *ops, unsigned int nr)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->region = region;
	b->nr_ops = nr;
	b->ops = (unsigned long)ops;
	b->op_size = sizeof(*ops);
}

/* Malformed batches; ops[0] starts as a well-formed destroy of nothing. */
static void badreq_batch(int fd, unsigned int region)
{
	struct pmemctl_batch_op ops[2], *tail;
	struct pmemctl_ns_batch b;
	char *map;
	long page;
	static const struct {
		size_t off;
		const char *what;
	} fields[] = {
		{ offsetof(struct pmemctl_batch_op, offset), "offset (out)" },
		{ offsetof(struct pmemctl_batch_op, cost), "cost (out)" },
		{ offsetof(struct pmemctl_batch_op, result), "result (out)" },
		{ offsetof(struct pmemctl_batch_op, access), "access" },
		{ offsetof(struct pmemctl_batch_op, ram_per_gib) + 7, "ram_per_gib (out)" },
		{ offsetof(struct pmemctl_batch_op, reserved) + 7, "reserved" },
		{ offsetof(struct pmemctl_batch_op, ns_size), "ns_size" },
		{ offsetof(struct pmemctl_batch_op, align), "align" },
		{ offsetof(struct pmemctl_batch_op, uuid) + 3, "uuid" },
		{ offsetof(struct pmemctl_batch_op, name) + 63, "name" },
		{ offsetof(struct pmemctl_batch_op, mode), "mode" },
	};
	char what[96];
	size_t i;

#define DESTROY_NOTHING(o) do { memset(&(o), 0, sizeof(o)); \
		(o).op = PMEMCTL_BATCH_DESTROY; (o).id = 123456; } while (0)
	DESTROY_NOTHING(ops[0]);
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), ENOENT, "batch: well formed, no such namespace");
	if (b.failed != 0) {
		printf("NOT OK: batch: failed %u, want 0\n", b.failed);
		failures++;
	}
	fresh_batch(&b, region, ops, 1);
	b.size = sizeof(b) - 8;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: wrong size field");
	fresh_batch(&b, region, ops, 1);
	b.flags = 0x2;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: unknown flag");
	fresh_batch(&b, region, ops, 1);
	b.reserved[3] = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: reserved non-zero");
	fresh_batch(&b, region, ops, 1);
	b.failed = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: failed (out) non-zero");
	fresh_batch(&b, region, ops, 0);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: no ops");
	fresh_batch(&b, region, ops, PMEMCTL_BATCH_MAX_OPS + 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: too many ops");
	fresh_batch(&b, region, ops, 1);
	b.op_size = sizeof(ops[0]) + 8;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: wrong op size");
	fresh_batch(&b, region, ops, 1);
	b.ops = 16;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EFAULT, "batch: ops not mapped");
	/* the second op of two lies on a page that is not mapped */
	page = sysconf(_SC_PAGESIZE);
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map != MAP_FAILED) {
		munmap(map + page, page);
		tail = (struct pmemctl_batch_op *)(map + page - sizeof(*tail));
		DESTROY_NOTHING(*tail);
		fresh_batch(&b, region, tail, 2);
		expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EFAULT,
		       "batch: ops run past the mapping");
		munmap(map, page);
	}
	fresh_batch(&b, 999, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), ENODEV, "batch: no such region");

	DESTROY_NOTHING(ops[0]);
	ops[0].op = 9;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: unknown op");
	DESTROY_NOTHING(ops[0]);
	ops[0].flags = PMEMCTL_BATCH_OP_FORCE;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: destroy with force");
	DESTROY_NOTHING(ops[0]);
	ops[0].op = PMEMCTL_BATCH_RECONFIGURE;
	ops[0].flags = PMEMCTL_BATCH_OP_DISABLED;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: reconfigure with disabled");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		DESTROY_NOTHING(ops[0]);
		DESTROY_NOTHING(ops[1]);
		((unsigned char *)&ops[1])[fields[i].off] = 1;
		fresh_batch(&b, region, ops, 2);
		snprintf(what, sizeof(what), "batch: destroy with %s set", fields[i].what);
		expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, what);
		if (b.failed != 1) {
			printf("NOT OK: %s: failed %u, want 1\n", what, b.failed);
			failures++;
		}
	}
	/* the kernel writes the out fields back: a fresh op every time */
#define CREATE_4M(o) do { memset(&(o), 0, sizeof(o)); \
		(o).op = PMEMCTL_BATCH_CREATE; (o).ns_size = 4 << 20; } while (0)
	CREATE_4M(ops[0]);
	ops[0].id = 3;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: create with id set");
	CREATE_4M(ops[0]);
	ops[0].mode = 9;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: create, unknown mode");
	CREATE_4M(ops[0]);
	ops[0].ns_size = (4 << 20) + 4096;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: create, size not aligned");
	CREATE_4M(ops[0]);
	ops[0].ns_size = 1ULL << 50;
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), ENOSPC, "batch: create, larger than the region");
	CREATE_4M(ops[0]);
	memset(ops[0].name, 'a', sizeof(ops[0].name));
	fresh_batch(&b, region, ops, 1);
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: create, name not terminated");
	CREATE_4M(ops[0]);
	fresh_batch(&b, region, ops, 1);
	b.flags = PMEMCTL_BATCH_DRY_RUN;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), 0, "batch: dry run of a good create");
	expect(ops[0].cost.data_size == 4 << 20 ? 0 : EIO, 0, "batch: dry run fills the cost");
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b), EINVAL, "batch: out fields left set");
#undef CREATE_4M
#undef DESTROY_NOTHING
}

/* "c:SIZE:MODE[:NAME[:off]]", "d:ID", "r:ID:MODE[:force]" */
static int parse_op(const char *arg, struct pmemctl_batch_op *op)
{
	char buf[128], *f[5] = { NULL }, *save = NULL, *t;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (t = strtok_r(buf, ":", &save); t && n < 5; t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	memset(op, 0, sizeof(*op));
	if (n >= 3 && !strcmp(f[0], "c")) {
		op->op = PMEMCTL_BATCH_CREATE;
		op->ns_size = strtoull(f[1], NULL, 0);
		op->mode = (unsigned int)strtoul(f[2], NULL, 0);
		if (n > 3)
			snprintf(op->name, sizeof(op->name), "%s", f[3]);
		if (n > 4 && !strcmp(f[4], "off"))
			op->flags = PMEMCTL_BATCH_OP_DISABLED;
	} else if (n == 2 && !strcmp(f[0], "d")) {
		op->op = PMEMCTL_BATCH_DESTROY;
		op->id = (unsigned int)strtoul(f[1], NULL, 0);
	} else if (n >= 3 && !strcmp(f[0], "r")) {
		op->op = PMEMCTL_BATCH_RECONFIGURE;
		op->id = (unsigned int)strtoul(f[1], NULL, 0);
		op->mode = (unsigned int)strtoul(f[2], NULL, 0);
		if (n > 3 && !strcmp(f[3], "force"))
			op->flags = PMEMCTL_BATCH_OP_FORCE;
	} else {
		return -1;
	}
	return 0;
}

static int batch(int fd, unsigned int region, int argc, char **argv)
{
	struct pmemctl_batch_op *ops;
	struct pmemctl_ns_batch b;
	int i, first = 3, rc;
	bool dry = argc > 3 && !strcmp(argv[3], "dry");

	if (dry)
		first++;
	if (argc <= first) {
		fprintf(stderr, "ns-ioctl: batch needs ops\n");
		return 2;
	}
	ops = calloc((size_t)(argc - first), sizeof(*ops));
	if (!ops)
		return 2;
	for (i = first; i < argc; i++) {
		if (parse_op(argv[i], &ops[i - first])) {
			fprintf(stderr, "ns-ioctl: bad op %s\n", argv[i]);
			free(ops);
			return 2;
		}
	}
	fresh_batch(&b, region, ops, (unsigned int)(argc - first));
	if (dry)
		b.flags = PMEMCTL_BATCH_DRY_RUN;
	rc = do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, &b);
	for (i = 0; i < argc - first; i++) {
		printf("op %d id %u offset %llu result %s", i, ops[i].id,
		       (unsigned long long)ops[i].offset,
		       ops[i].result ? errname(-ops[i].result) : "0");
		print_cost(&ops[i].cost);
		/* only ondemand has one: other lines stay as they were */
		if (ops[i].ram_per_gib)
			printf(" ram_per_gib %llu",
			       (unsigned long long)ops[i].ram_per_gib);
		printf("\n");
	}
	free(ops);
	if (rc) {
		printf("errno %s failed %d\n", errname(rc),
		       b.failed == PMEMCTL_BATCH_NO_OP ? -1 : (int)b.failed);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int parse_uuid(const char *hex, unsigned char *out)
{
	size_t i;

	if (strlen(hex) != 32)
		return -1;
	for (i = 0; i < 16; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = (unsigned char)b;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int region;
	int fd, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: see the comment at the top of ns-ioctl.c\n");
		return 2;
	}
	region = (unsigned int)strtoul(argv[2], NULL, 0);
	fd = open(PMEMCTL_CONTROL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = open(PMEMCTL_CONTROL_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(PMEMCTL_CONTROL_DEVICE);
		return 2;
	}

	if (!strcmp(argv[1], "init")) {
		struct pmemctl_init_labels il = { .size = sizeof(il), .region = region };

		if (argc > 3 && !strcmp(argv[3], "force"))
			il.flags = PMEMCTL_INIT_FORCE;
		rc = do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &il);
	} else if ((!strcmp(argv[1], "create") || !strcmp(argv[1], "dryrun")) && argc > 3) {
		struct pmemctl_ns_create c;

		fresh_create(&c, region);
		if (!strcmp(argv[1], "dryrun"))
			c.flags = PMEMCTL_NS_CREATE_DRY_RUN;
		c.ns_size = strtoull(argv[3], NULL, 0);
		c.align = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
		if (argc > 5)
			snprintf(c.name, sizeof(c.name), "%s", argv[5]);
		if (argc > 6)
			c.mode = (unsigned int)strtoul(argv[6], NULL, 0);
		if (argc > 7 && strcmp(argv[7], "-") && parse_uuid(argv[7], c.uuid)) {
			fprintf(stderr, "bad uuid\n");
			return 2;
		}
		if (argc > 8)
			c.access = (unsigned int)strtoul(argv[8], NULL, 0);
		rc = do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c);
		if (!rc) {
			printf("id %u offset %llu", c.id, (unsigned long long)c.offset);
			print_cost(&c.cost);
			/* only ondemand has one: other lines stay as they were */
			if (c.ram_per_gib)
				printf(" ram_per_gib %llu", (unsigned long long)c.ram_per_gib);
			printf("\n");
			return 0;
		}
	} else if (!strcmp(argv[1], "reconfigure") && argc > 4) {
		struct pmemctl_ns_reconfigure r;

		fresh_reconf(&r, region, (unsigned int)strtoul(argv[3], NULL, 0),
			     (unsigned int)strtoul(argv[4], NULL, 0));
		if (argc > 5)
			r.flags = (unsigned int)strtoul(argv[5], NULL, 0);
		if (argc > 6)
			r.access = (unsigned int)strtoul(argv[6], NULL, 0);
		rc = do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &r);
		if (!rc) {
			printf("ok");
			print_cost(&r.cost);
			printf("\n");
			return 0;
		}
	} else if (argc > 3 && (!strcmp(argv[1], "destroy") || !strcmp(argv[1], "enable") ||
				!strcmp(argv[1], "disable"))) {
		struct pmemctl_ns_ref r;
		unsigned long cmd = !strcmp(argv[1], "destroy") ? PMEMCTL_IOC_NS_DESTROY :
				    !strcmp(argv[1], "enable") ? PMEMCTL_IOC_NS_ENABLE :
				    PMEMCTL_IOC_NS_DISABLE;

		fresh_ref(&r, region, (unsigned int)strtoul(argv[3], NULL, 0));
		rc = do_ioctl(fd, cmd, &r);
	} else if (!strcmp(argv[1], "batch")) {
		return batch(fd, region, argc, argv);
	} else if (!strcmp(argv[1], "badreq")) {
		badreq(fd, region);
		badreq_batch(fd, region);
		printf("%d check(s) failed\n", failures);
		return failures ? 1 : 0;
	} else {
		fprintf(stderr, "ns-ioctl: bad arguments\n");
		return 2;
	}
	if (rc) {
		printf("errno %s\n", errname(rc));
		return 1;
	}
	printf("ok\n");
	return 0;
}
