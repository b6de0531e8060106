// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Raw namespace ioctls for the VM tests, bypassing libpmemctl so that the
 * kernel's answers are tested on their own:
 *
 *   ns-ioctl init REGION [force]
 *   ns-ioctl create REGION SIZE [ALIGN [NAME [MODE [UUIDHEX]]]]
 *   ns-ioctl dryrun REGION SIZE [ALIGN [NAME [MODE]]]   (create, dry run)
 *   ns-ioctl destroy|enable|disable REGION ID
 *   ns-ioctl reconfigure REGION ID MODE [FLAGS]   (1 force, 2 dry run)
 *   ns-ioctl badreq REGION      every malformed form of every change command
 *
 * Prints "ok ..." or "errno NAME"; exit status 0 on success, else 1.
 * create, dryrun and reconfigure print the cost the kernel returned:
 * "... data_offset N data_size N ram_bytes N dev_bytes N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
	c.reserved[1] = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c), EINVAL, "create: reserved non-zero");
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
	rc.flags = 0x4;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: unknown flag");
	fresh_reconf(&rc, region, 0, PMEMCTL_MODE_PAGE);
	rc.reserved0 = 1;
	expect(do_ioctl(fd, PMEMCTL_IOC_NS_RECONFIGURE, &rc), EINVAL, "reconfigure: reserved0 non-zero");
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
		if (argc > 7 && parse_uuid(argv[7], c.uuid)) {
			fprintf(stderr, "bad uuid\n");
			return 2;
		}
		rc = do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c);
		if (!rc) {
			printf("id %u offset %llu", c.id, (unsigned long long)c.offset);
			print_cost(&c.cost);
			printf("\n");
			return 0;
		}
	} else if (!strcmp(argv[1], "reconfigure") && argc > 4) {
		struct pmemctl_ns_reconfigure r;

		fresh_reconf(&r, region, (unsigned int)strtoul(argv[3], NULL, 0),
			     (unsigned int)strtoul(argv[4], NULL, 0));
		if (argc > 5)
			r.flags = (unsigned int)strtoul(argv[5], NULL, 0);
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
	} else if (!strcmp(argv[1], "badreq")) {
		badreq(fd, region);
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
