// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A bounded, seeded, structure-aware fuzzer of /dev/pmemctl for the VM
 * test test/vm/tests/ioctl-fuzz.sh:
 *
 *   ioctl-fuzz [--seed N] [--count N] [--unpriv N] [--verbose]
 *
 * It prints "seed: N" first; the same seed and counts replay the same
 * requests. --count is the total number of requests (default 200000),
 * --unpriv how many of them a child sends after dropping to nobody
 * (default a tenth). Every request has an oracle:
 *
 *  - As nobody (setresgid/setresuid to 65534, no capabilities left, the
 *    descriptor opened as root before the drop): every state-changing
 *    command fails with EPERM whatever its argument (even a bad pointer:
 *    the privilege is checked first); VERSION and unknown commands behave
 *    as for root. The number of EPERMs must equal the number of change
 *    requests, and the sysfs state (every region's and namespace's
 *    attributes) must be the same before and after the child.
 *
 *  - As root, request by request, following the documented order of
 *    checks (Documentation/abi/ioctl.adoc): an unknown command value is
 *    ENOTTY; a bad pointer EFAULT; a wrong size, an unknown flag or a
 *    non-zero reserved or output field EINVAL; a region that does not
 *    exist ENODEV; a create or reconfigure whose buffer is read-only
 *    EFAULT with nothing changed. Past those checks the errno must be one
 *    the command documents. VERSION's answer is checked field by field.
 *
 *  - NS_BATCH (ABI 1.4) with its own generator: an op array of 1-32
 *    well-formed ops for one region, now and then a wrong header field,
 *    one malformed op or an array it cannot read or write back; EPERM,
 *    then EINVAL (header, nr_ops, op_size), ENODEV, EFAULT, EINVAL for a
 *    malformed op with @failed naming it, in that order; past those a
 *    documented errno, and for a quarter of them a sysfs snapshot before
 *    and after: an error or a dry run changes nothing.
 *
 *  - Sequences of well-formed create, destroy, enable, disable,
 *    reconfigure (with and without force and dry run) and init-labels
 *    over both regions, with a sysfs snapshot before and after each:
 *    a failure or dry run changes nothing; a success has exactly its
 *    effect (the namespace appears with the mode, size and name asked
 *    for, disappears, changes state or mode; init leaves an empty active
 *    region), and no two namespaces of a region overlap.
 *
 * Exit status 0 when every oracle held, 1 at the first one that did not
 * (the request is dumped with its number), 2 on a usage or setup error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pmemctl.h>

#include "errname.h"

#define SYSDIR	"/sys/bus/pmemctl/devices"
#define MiB	(1ull << 20)
#define GiB	(1ull << 30)
#define NOBODY	65534

/* Well-formed change sequences per 1000 root requests. */
#define SEQ_PER_MILLE	3

/* ------------------------------------------------------------------ */
/* The generator: splitmix64, so that a seed replays exactly. */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0 <= rnd_below(n) < n */
static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* true with probability pct percent */
static bool chance(unsigned int pct)
{
	return rnd_below(100) < pct;
}

/* ------------------------------------------------------------------ */
/* Reporting. */

static unsigned long req_no;	/* number of the current request */
static uint64_t seed;
static bool verbose;

static void dump(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x%s", b[i], (i + 1) % 32 == 0 || i + 1 == len ? "\n" : "");
}

static __attribute__((noreturn, format(printf, 1, 2)))
void failf(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: request #%lu (seed %" PRIu64 "): ", req_no, seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

/* ------------------------------------------------------------------ */
/* The commands of the ABI, and where their fields are. */

enum { C_VERSION, C_INIT, C_CREATE, C_DESTROY, C_ENABLE, C_DISABLE,
       C_RECONF, NCMDS };

/* NS_BATCH has its own generator and oracle (fuzz_batch()); its counts
 * go after the unknown commands' */
#define C_BATCH		(NCMDS + 1)

struct cmd {
	const char *name;
	unsigned long nr;
	size_t size;
	uint32_t known_flags;
	size_t zero_from;	/* reserved (and checked output) from here */
	size_t zero_to;		/* to here */
	bool change;		/* needs CAP_SYS_ADMIN */
	bool writes_back;	/* _IOWR and copies out before changing */
};

#define RESV(type, from) offsetof(type, from), sizeof(type)

static const struct cmd cmds[NCMDS] = {
	[C_VERSION] = { "VERSION", PMEMCTL_IOC_VERSION,
			sizeof(struct pmemctl_version), 0,
			RESV(struct pmemctl_version, reserved), false, false },
	[C_INIT] = { "INIT_LABELS", PMEMCTL_IOC_INIT_LABELS,
		     sizeof(struct pmemctl_init_labels), PMEMCTL_INIT_FORCE,
		     RESV(struct pmemctl_init_labels, reserved0), true, false },
	[C_CREATE] = { "NS_CREATE", PMEMCTL_IOC_NS_CREATE,
		       sizeof(struct pmemctl_ns_create),
		       PMEMCTL_NS_CREATE_DRY_RUN,
		       RESV(struct pmemctl_ns_create, offset), true, true },
	[C_DESTROY] = { "NS_DESTROY", PMEMCTL_IOC_NS_DESTROY,
			sizeof(struct pmemctl_ns_ref), 0,
			RESV(struct pmemctl_ns_ref, reserved), true, false },
	[C_ENABLE] = { "NS_ENABLE", PMEMCTL_IOC_NS_ENABLE,
		       sizeof(struct pmemctl_ns_ref), 0,
		       RESV(struct pmemctl_ns_ref, reserved), true, false },
	[C_DISABLE] = { "NS_DISABLE", PMEMCTL_IOC_NS_DISABLE,
			sizeof(struct pmemctl_ns_ref), 0,
			RESV(struct pmemctl_ns_ref, reserved), true, false },
	[C_RECONF] = { "NS_RECONFIGURE", PMEMCTL_IOC_NS_RECONFIGURE,
		       sizeof(struct pmemctl_ns_reconfigure),
		       PMEMCTL_RECONFIGURE_FORCE | PMEMCTL_RECONFIGURE_DRY_RUN |
		       PMEMCTL_RECONFIGURE_ACCESS,
		       RESV(struct pmemctl_ns_reconfigure, cost), true, true },
};

/*
 * The errnos a well-formed request (past the generic checks) may get
 * from each command: the command's own refusals, ENOMEM from the kernel,
 * EINVAL for values out of range (create, reconfigure).
 */
static bool deep_errno_ok(int cmd, int e)
{
	switch (cmd) {
	case C_VERSION:
		return e == 0;
	case C_INIT:
		return e == 0 || e == EEXIST || e == EBUSY || e == ENOMEM ||
		       e == ENOSPC;
	case C_CREATE:
		return e == 0 || e == EINVAL || e == ENXIO || e == EEXIST ||
		       e == ENOSPC || e == ENOMEM || e == EOVERFLOW;
	case C_DESTROY:
	case C_ENABLE:
	case C_DISABLE:
		return e == 0 || e == ENOENT || e == EBUSY || e == ENOMEM ||
		       e == EOVERFLOW;
	case C_RECONF:
		return e == 0 || e == EINVAL || e == ENOENT || e == EBUSY ||
		       e == ENOMEM || e == ENOTEMPTY || e == ENOSPC ||
		       e == EOVERFLOW;
	}
	return false;
}

struct counts {
	unsigned long requests;
	unsigned long by_errno[NCMDS + 2][8];	/* ..., unknown, NS_BATCH */
	unsigned long eperm, change_requests;
	unsigned long ops, ops_ok;
	double change_secs, other_secs, snap_secs;	/* where the time goes */
};

static struct counts cnt;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* What sysfs says: the regions and namespaces, as one comparable text. */

struct nsinfo {
	unsigned int region, id;
	char mode[16], state[16], name[PMEMCTL_NAME_LEN + 1];
	char uuid[48];
	uint64_t size, resource;
};

#define MAXNS 512
#define MAXREGIONS 16

struct snap {
	char *text;		/* every attribute below, in name order */
	unsigned int nregions;
	uint64_t region_size[MAXREGIONS];
	uint64_t region_start[MAXREGIONS];
	char region_state[MAXREGIONS][32];
	unsigned int nns;
	struct nsinfo ns[MAXNS];
};

static bool read_attr(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSDIR "/%s/%s", dev, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return true;
}

static void append(char **text, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*text = realloc(*text, *cap);
		if (!*text) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(*text + *len, s, n + 1);
	*len += n;
}

/* What can change; each read costs a syscall or three under TCG. */
static const char *const region_attrs[] = {
	"state", "size", "resource", "available_size",
};
static const char *const ns_attrs[] = {
	"name", "uuid", "mode", "size", "state", "resource", "blockdev",
};

static void take_snap(struct snap *s)
{
	struct dirent **ents;
	size_t len = 0, cap = 0;
	char line[512], val[256];
	int n, i;
	size_t a;

	double t0 = now();

	free(s->text);
	s->text = NULL;
	s->nregions = 0;
	s->nns = 0;
	n = scandir(SYSDIR, &ents, NULL, versionsort);
	if (n < 0) {
		perror(SYSDIR);
		exit(2);
	}
	append(&s->text, &len, &cap, "");
	for (i = 0; i < n; i++) {
		const char *d = ents[i]->d_name;
		unsigned int r, id;

		if (sscanf(d, "namespace%u.%u", &r, &id) == 2 && s->nns < MAXNS) {
			struct nsinfo *ns = &s->ns[s->nns++];

			memset(ns, 0, sizeof(*ns));
			ns->region = r;
			ns->id = id;
			for (a = 0; a < sizeof(ns_attrs) / sizeof(ns_attrs[0]); a++) {
				if (!read_attr(d, ns_attrs[a], val, sizeof(val)))
					strcpy(val, "?");
				snprintf(line, sizeof(line), "%s/%s=%s\n", d,
					 ns_attrs[a], val);
				append(&s->text, &len, &cap, line);
				if (!strcmp(ns_attrs[a], "name"))
					snprintf(ns->name, sizeof(ns->name), "%s", val);
				else if (!strcmp(ns_attrs[a], "uuid"))
					snprintf(ns->uuid, sizeof(ns->uuid), "%s", val);
				else if (!strcmp(ns_attrs[a], "mode"))
					snprintf(ns->mode, sizeof(ns->mode), "%s", val);
				else if (!strcmp(ns_attrs[a], "state"))
					snprintf(ns->state, sizeof(ns->state), "%s", val);
				else if (!strcmp(ns_attrs[a], "size"))
					ns->size = strtoull(val, NULL, 0);
				else if (!strcmp(ns_attrs[a], "resource"))
					ns->resource = strtoull(val, NULL, 0);
			}
		} else if (sscanf(d, "region%u", &r) == 1 && r < MAXREGIONS) {
			if (r + 1 > s->nregions)
				s->nregions = r + 1;
			for (a = 0; a < sizeof(region_attrs) / sizeof(region_attrs[0]); a++) {
				if (!read_attr(d, region_attrs[a], val, sizeof(val)))
					strcpy(val, "?");
				snprintf(line, sizeof(line), "%s/%s=%s\n", d,
					 region_attrs[a], val);
				append(&s->text, &len, &cap, line);
				if (!strcmp(region_attrs[a], "size"))
					s->region_size[r] = strtoull(val, NULL, 0);
				else if (!strcmp(region_attrs[a], "resource"))
					s->region_start[r] = strtoull(val, NULL, 0);
				else if (!strcmp(region_attrs[a], "state"))
					snprintf(s->region_state[r],
						 sizeof(s->region_state[r]), "%s", val);
			}
		}
		free(ents[i]);
	}
	free(ents);
	cnt.snap_secs += now() - t0;
}

static const struct nsinfo *snap_find(const struct snap *s, unsigned int r,
				      unsigned int id)
{
	unsigned int i;

	for (i = 0; i < s->nns; i++)
		if (s->ns[i].region == r && s->ns[i].id == id)
			return &s->ns[i];
	return NULL;
}

static unsigned int snap_count(const struct snap *s, unsigned int r)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->nns; i++)
		n += s->ns[i].region == r;
	return n;
}

/* Print the lines that differ, for a failure report. */
static void snap_diff(const struct snap *a, const struct snap *b)
{
	printf("---- sysfs before ----\n%s---- sysfs after ----\n%s", a->text,
	       b->text);
}

/* No two namespaces of a region overlap, and each lies inside it. */
static void check_overlap(const struct snap *s)
{
	unsigned int i, j;

	for (i = 0; i < s->nns; i++) {
		const struct nsinfo *a = &s->ns[i];
		uint64_t rs = s->region_start[a->region];

		if (a->resource < rs + PMEMCTL_STORE_SIZE ||
		    a->resource + a->size > rs + s->region_size[a->region])
			failf("namespace%u.%u [%#" PRIx64 ", +%#" PRIx64
			      ") outside its region", a->region, a->id,
			      a->resource, a->size);
		for (j = i + 1; j < s->nns; j++) {
			const struct nsinfo *b = &s->ns[j];

			if (a->resource < b->resource + b->size &&
			    b->resource < a->resource + a->size)
				failf("namespace%u.%u and namespace%u.%u overlap",
				      a->region, a->id, b->region, b->id);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Memory for the arguments: a normal page, a read-only page, and a page
 * followed by an inaccessible one (for arguments that straddle it). */

static unsigned char *rw_page, *ro_page, *edge_page;
static long page_size;

static void setup_pages(void)
{
	unsigned char *p;

	page_size = sysconf(_SC_PAGESIZE);
	p = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	rw_page = p;
	ro_page = p + page_size;
	edge_page = p + 2 * page_size;
	if (mprotect(p + 3 * page_size, page_size, PROT_NONE)) {
		perror("mprotect");
		exit(2);
	}
}

static void set_ro(bool ro)
{
	if (mprotect(ro_page, page_size, ro ? PROT_READ : PROT_READ | PROT_WRITE)) {
		perror("mprotect");
		exit(2);
	}
}

/* ------------------------------------------------------------------ */
/* Requests. */

static struct snap cur;		/* the last snapshot taken */

static int count_slot(int e)
{
	switch (e) {
	case 0: return 0;
	case EINVAL: return 1;
	case ENOTTY: return 2;
	case EPERM: return 3;
	case EFAULT: return 4;
	case ENODEV: return 5;
	case ENOENT: return 6;
	default: return 7;
	}
}

static int do_ioctl(int fd, unsigned long nr, void *arg, int cmd)
{
	double t0 = now();
	int e = ioctl(fd, nr, arg) ? errno : 0;

	if (cmd > C_VERSION && cmd != NCMDS && !e)
		cnt.change_secs += now() - t0;
	else
		cnt.other_secs += now() - t0;
	cnt.requests++;
	cnt.by_errno[cmd < 0 ? NCMDS : cmd][count_slot(e)]++;
	return e;
}

static const uint64_t u64_edges[] = {
	0, 1, 2, 4095, 4096, 4097, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1,
	4 * MiB, 6 * MiB, 64 * MiB, 128 * MiB, 512 * MiB - 2 * MiB,
	512 * MiB, 1 * GiB - 2 * MiB, 1 * GiB, 1 * GiB + 2 * MiB, 4 * GiB,
	1ull << 40, 1ull << 62, 1ull << 63, ~0ull, ~0ull - 2 * MiB + 1,
	~0ull - 4095, 0x8000000000200000ull,
};

static uint64_t edge_u64(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd();
	case 1:		/* a multiple of 2 MiB, small */
		return rnd_below(600) * 2 * MiB;
	default:
		return u64_edges[rnd_below(sizeof(u64_edges) / sizeof(u64_edges[0]))];
	}
}

static uint32_t edge_u32(void)
{
	static const uint32_t e[] = { 0, 1, 2, 3, 4, 7, 0x7fffffff, 0x80000000,
				      0xfffffffe, 0xffffffff, 1u << 20,
				      (1u << 20) - 1 };

	switch (rnd_below(3)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return (uint32_t)rnd_below(16);
	default:
		return e[rnd_below(sizeof(e) / sizeof(e[0]))];
	}
}

static const char name_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

static void fill_name(char *name)
{
	unsigned int i, n;

	memset(name, 0, PMEMCTL_NAME_LEN);
	switch (rnd_below(8)) {
	case 0:		/* empty */
		break;
	case 1:		/* garbage, no NUL */
		for (i = 0; i < PMEMCTL_NAME_LEN; i++)
			name[i] = (char)(1 + rnd_below(255));
		break;
	case 2:		/* 64 valid characters, no room for the NUL */
		for (i = 0; i < PMEMCTL_NAME_LEN; i++)
			name[i] = name_chars[rnd_below(sizeof(name_chars) - 1)];
		break;
	case 3:		/* 63 valid characters: the longest valid name */
		for (i = 0; i < PMEMCTL_NAME_LEN - 1; i++)
			name[i] = name_chars[rnd_below(sizeof(name_chars) - 1)];
		break;
	case 4:		/* valid, then one invalid byte somewhere */
		n = 1 + rnd_below(PMEMCTL_NAME_LEN - 1);
		for (i = 0; i < n; i++)
			name[i] = name_chars[rnd_below(sizeof(name_chars) - 1)];
		name[rnd_below(n)] = "/ \n\x7f\x80\xff*:"[rnd_below(8)];
		break;
	case 5:		/* valid, with bytes after the NUL */
		snprintf(name, PMEMCTL_NAME_LEN, "fz%u", (unsigned int)rnd_below(8));
		for (i = 8; i < PMEMCTL_NAME_LEN; i++)
			name[i] = (char)rnd();
		break;
	default:	/* a small pool, so that names collide (EEXIST) */
		snprintf(name, PMEMCTL_NAME_LEN, "fz%u", (unsigned int)rnd_below(12));
		break;
	}
}

static void fill_uuid(uint8_t *uuid)
{
	unsigned int i;

	switch (rnd_below(4)) {
	case 0:
		for (i = 0; i < PMEMCTL_UUID_LEN; i++)
			uuid[i] = (uint8_t)rnd();
		break;
	case 1:
		memset(uuid, 0xff, PMEMCTL_UUID_LEN);
		break;
	default:
		memset(uuid, 0, PMEMCTL_UUID_LEN);
		break;
	}
}

static const struct nsinfo *pick_ns(void)
{
	return cur.nns ? &cur.ns[rnd_below(cur.nns)] : NULL;
}

static uint32_t pick_region(void)
{
	if (chance(90))
		return (uint32_t)rnd_below(cur.nregions ? cur.nregions : 1);
	return edge_u32();
}

static uint64_t pick_size(void)
{
	static const uint64_t sizes[] = { 2 * MiB, 4 * MiB, 6 * MiB, 8 * MiB,
					  16 * MiB, 32 * MiB, 64 * MiB };

	if (chance(85))
		return sizes[rnd_below(sizeof(sizes) / sizeof(sizes[0]))];
	return edge_u64();
}

static uint64_t pick_align(void)
{
	static const uint64_t al[] = { 0, 0, 0, 2 * MiB, 4 * MiB, 16 * MiB };

	if (chance(90))
		return al[rnd_below(sizeof(al) / sizeof(al[0]))];
	return edge_u64();
}

/* A well-formed request for @cmd, with plausible values. */
static void base_request(int cmd, void *buf)
{
	const struct nsinfo *ns = pick_ns();

	memset(buf, 0, cmds[cmd].size);
	*(uint32_t *)buf = (uint32_t)cmds[cmd].size;
	switch (cmd) {
	case C_INIT: {
		struct pmemctl_init_labels *r = buf;

		r->region = pick_region();
		r->flags = chance(50) ? PMEMCTL_INIT_FORCE : 0;
		break;
	}
	case C_CREATE: {
		struct pmemctl_ns_create *r = buf;

		r->region = pick_region();
		r->mode = chance(95) ? (uint32_t)rnd_below(3) : edge_u32();
		r->ns_size = pick_size();
		r->align = pick_align();
		fill_name(r->name);
		fill_uuid(r->uuid);
		if (ns && chance(5)) {
			/* an existing name: EEXIST */
			r->region = ns->region;
			memcpy(r->name, ns->name, strnlen(ns->name, sizeof(r->name) - 1));
		}
		r->flags = chance(20) ? PMEMCTL_NS_CREATE_DRY_RUN : 0;
		break;
	}
	case C_DESTROY:
	case C_ENABLE:
	case C_DISABLE: {
		struct pmemctl_ns_ref *r = buf;

		if (ns && chance(40)) {
			r->region = ns->region;
			r->id = ns->id;
		} else {
			r->region = pick_region();
			r->id = edge_u32();
		}
		break;
	}
	case C_RECONF: {
		struct pmemctl_ns_reconfigure *r = buf;

		if (ns && chance(40)) {
			r->region = ns->region;
			r->id = ns->id;
		} else {
			r->region = pick_region();
			r->id = edge_u32();
		}
		r->mode = chance(95) ? (uint32_t)rnd_below(3) : edge_u32();
		r->flags = (uint32_t)rnd_below(4);
		break;
	}
	}
}

/* Change one field (or byte) of a request, with a bias to the limits. */
static void mutate(int cmd, unsigned char *buf)
{
	const struct cmd *c = &cmds[cmd];
	uint32_t *hdr = (uint32_t *)buf;
	unsigned int k = (unsigned int)rnd_below(100);
	size_t off;

	if (k < 8) {			/* size */
		static const uint32_t sz[] = { 0, 1, 8, 0xffffffff, 0x80000000 };

		switch (rnd_below(4)) {
		case 0: hdr[0] = (uint32_t)c->size - 1; break;
		case 1: hdr[0] = (uint32_t)c->size + 1 + (uint32_t)rnd_below(64); break;
		case 2: hdr[0] = sz[rnd_below(5)]; break;
		default: hdr[0] = (uint32_t)c->size - 8 * (1 + (uint32_t)rnd_below(4)); break;
		}
	} else if (k < 18) {		/* flags */
		switch (rnd_below(8)) {
		case 0: hdr[1] = c->known_flags; break;	/* all known */
		case 1: case 2: case 3: hdr[1] = (uint32_t)rnd(); break;
		default: hdr[1] = 1u << rnd_below(32); break;
		}
	} else if (k < 24) {		/* reserved or output bytes */
		off = c->zero_from + rnd_below(c->zero_to - c->zero_from);
		buf[off] = (unsigned char)(1 + rnd_below(255));
	} else if (k < 30) {		/* any byte past the header */
		off = 8 + rnd_below(c->size - 8);
		buf[off] = (unsigned char)rnd();
	} else {			/* a field, at the limits */
		switch (cmd) {
		case C_VERSION: {
			struct pmemctl_version *r = (void *)buf;

			/* output fields are ignored on input */
			r->abi_major = edge_u32();
			r->module_version[rnd_below(PMEMCTL_VERSION_LEN)] = (char)rnd();
			break;
		}
		case C_INIT:
			((struct pmemctl_init_labels *)buf)->region = edge_u32();
			break;
		case C_CREATE: {
			struct pmemctl_ns_create *r = (void *)buf;

			switch (rnd_below(6)) {
			case 0: r->region = edge_u32(); break;
			case 1: r->mode = edge_u32(); break;
			case 2: r->ns_size = edge_u64(); break;
			case 3: r->align = edge_u64(); break;
			case 4: fill_name(r->name); break;
			default: fill_uuid(r->uuid); break;
			}
			break;
		}
		case C_DESTROY:
		case C_ENABLE:
		case C_DISABLE: {
			struct pmemctl_ns_ref *r = (void *)buf;

			if (chance(50))
				r->region = edge_u32();
			else
				r->id = edge_u32();
			break;
		}
		case C_RECONF: {
			struct pmemctl_ns_reconfigure *r = (void *)buf;

			switch (rnd_below(3)) {
			case 0: r->region = edge_u32(); break;
			case 1: r->id = edge_u32(); break;
			default: r->mode = edge_u32(); break;
			}
			break;
		}
		}
	}
}

/*
 * What the generic checks say about @buf, in the documented order, for a
 * privileged caller with a readable buffer: the errno they fail with, or
 * -1 when the request gets past them (to the region and beyond).
 */
static int generic_verdict(int cmd, const unsigned char *buf)
{
	const struct cmd *c = &cmds[cmd];
	const uint32_t *hdr = (const uint32_t *)buf;
	size_t i;

	if (hdr[0] != c->size)
		return EINVAL;
	if (hdr[1] & ~c->known_flags)
		return EINVAL;
	for (i = c->zero_from; i < c->zero_to; i++)
		if (buf[i])
			return EINVAL;
	/* NS_CREATE's id is an out field before its access (1.5) */
	if (cmd == C_CREATE && ((const struct pmemctl_ns_create *)buf)->id)
		return EINVAL;
	return -1;
}

static uint32_t request_region(int cmd, const unsigned char *buf)
{
	switch (cmd) {
	case C_INIT: return ((const struct pmemctl_init_labels *)buf)->region;
	case C_CREATE: return ((const struct pmemctl_ns_create *)buf)->region;
	case C_RECONF: return ((const struct pmemctl_ns_reconfigure *)buf)->region;
	default: return ((const struct pmemctl_ns_ref *)buf)->region;
	}
}

static void check_version_reply(const struct pmemctl_version *v)
{
	static const uint64_t zero[4];

	if (v->size != sizeof(*v) || v->flags ||
	    v->abi_major != PMEMCTL_ABI_MAJOR || v->abi_minor < 1)
		failf("VERSION answered size %u flags %#x abi %u.%u", v->size,
		      v->flags, v->abi_major, v->abi_minor);
	if (!memchr(v->module_version, 0, sizeof(v->module_version)))
		failf("VERSION: module_version not NUL-terminated");
	if (memcmp(v->reserved, zero, sizeof(zero)))
		failf("VERSION: reserved bytes not zero in the answer");
}

static void report_request(int cmd, const void *buf)
{
	printf("request: %s (%#lx), %zu bytes:\n", cmds[cmd].name,
	       cmds[cmd].nr, cmds[cmd].size);
	dump(buf, cmds[cmd].size);
}

/*
 * One request of a known command with a mutated argument (or random
 * bytes, or a bad pointer), checked against the generic oracle. @priv:
 * the caller has CAP_SYS_ADMIN. Changes the kernel's state when a mutated
 * request happens to be valid, which is fine: sequences re-read sysfs.
 */
static void fuzz_known(int fd, bool priv)
{
	int cmd = (int)rnd_below(NCMDS);
	const struct cmd *c = &cmds[cmd];
	unsigned char *buf = rw_page;
	unsigned int k = (unsigned int)rnd_below(100);
	int want = -1, e, i, n;
	uint32_t region;

	if (k < 5) {
		/* a bad pointer: NULL, a kernel address, unmapped, straddling */
		static void *const bad[] = {
			NULL, (void *)0xffff888000000000ull, (void *)8,
			(void *)0xffffffffffffff00ull,
		};
		void *p;

		if (rnd_below(3)) {
			p = edge_page + page_size - rnd_below(c->size);
			base_request(cmd, rw_page);
			memcpy(p, rw_page, edge_page + page_size - (unsigned char *)p);
		} else {
			p = bad[rnd_below(4)];
		}
		e = do_ioctl(fd, c->nr, p, cmd);
		want = priv || !c->change ? EFAULT : EPERM;
		if (e != want)
			failf("%s with the bad pointer %p: %s, want %s", c->name,
			      p, errname(e), errname(want));
		goto count;
	}

	if (k < 12) {
		for (i = 0; i < (int)c->size; i++)
			buf[i] = (unsigned char)rnd();
		if (chance(50))
			*(uint32_t *)buf = (uint32_t)c->size;
	} else {
		/*
		 * Mostly one to three mutations: a well-formed request
		 * usually changes state, which is slow; the sequences
		 * below do that with a full oracle.
		 */
		base_request(cmd, buf);
		n = chance(2) ? 0 : 1 + (int)rnd_below(cmd == C_CREATE ? 5 : 3);
		for (i = 0; i < n; i++)
			mutate(cmd, buf);
		/*
		 * A dry run goes through every check of the real thing
		 * at none of its cost: most creates and reconfigures are.
		 */
		if (cmd == C_CREATE && chance(70))
			((uint32_t *)buf)[1] |= PMEMCTL_NS_CREATE_DRY_RUN;
		if (cmd == C_RECONF && chance(70))
			((uint32_t *)buf)[1] |= PMEMCTL_RECONFIGURE_DRY_RUN;
	}

	if (!priv && c->change) {
		want = EPERM;
	} else {
		want = generic_verdict(cmd, buf);
		if (want < 0 && cmd != C_VERSION) {
			region = request_region(cmd, buf);
			if (region >= cur.nregions)
				want = ENODEV;
		}
	}

	{
		unsigned char copy[256];

		memcpy(copy, buf, c->size);
		e = do_ioctl(fd, c->nr, buf, cmd);
		if (want >= 0 ? e != want : !deep_errno_ok(cmd, e)) {
			report_request(cmd, copy);
			failf("%s: %s, want %s", c->name, errname(e),
			      want >= 0 ? errname(want) : "a documented errno");
		}
		if (verbose)
			printf("#%lu %s %s\n", req_no, c->name, errname(e));
	}
	if (cmd == C_VERSION && !e)
		check_version_reply((void *)buf);
count:
	if (c->change) {
		cnt.change_requests++;
		cnt.eperm += e == EPERM;
	}
}

/* A command value the module does not know: ENOTTY for everybody. */
static void fuzz_unknown(int fd)
{
	const struct cmd *c = &cmds[rnd_below(NCMDS)];
	unsigned long nr;
	unsigned int i;
	int e;

	switch (rnd_below(5)) {
	case 0:		/* a sequence number past the last */
		nr = _IOC(_IOC_DIR(c->nr), PMEMCTL_IOC_MAGIC,
			  8 + rnd_below(248), _IOC_SIZE(c->nr));
		break;
	case 1:		/* a known number with another size */
		do {
			nr = _IOC(_IOC_DIR(c->nr), PMEMCTL_IOC_MAGIC,
				  _IOC_NR(c->nr), rnd_below(page_size));
		} while (nr == c->nr);
		break;
	case 2:		/* a known number with other direction bits */
		do {
			nr = _IOC(rnd_below(4), PMEMCTL_IOC_MAGIC,
				  _IOC_NR(c->nr), _IOC_SIZE(c->nr));
		} while (nr == c->nr);
		break;
	case 3:		/* another magic */
		nr = _IOC(_IOC_DIR(c->nr), rnd_below(256), _IOC_NR(c->nr),
			  _IOC_SIZE(c->nr));
		if (_IOC_TYPE(nr) == PMEMCTL_IOC_MAGIC)
			nr ^= 1ul << _IOC_TYPESHIFT;
		break;
	default:	/* anything */
		do {
			nr = (uint32_t)rnd();
		} while (nr == PMEMCTL_IOC_VERSION ||
			 nr == PMEMCTL_IOC_INIT_LABELS ||
			 nr == PMEMCTL_IOC_NS_CREATE ||
			 nr == PMEMCTL_IOC_NS_DESTROY ||
			 nr == PMEMCTL_IOC_NS_ENABLE ||
			 nr == PMEMCTL_IOC_NS_DISABLE ||
			 nr == PMEMCTL_IOC_NS_RECONFIGURE ||
			 nr == PMEMCTL_IOC_NS_BATCH);
		break;
	}
	/*
	 * A few generic fs ioctls (FIONBIO, FIOCLEX, FIGETBSZ ...) are
	 * answered by the VFS before the driver: skip the 'T' and 0
	 * magics where they live.
	 */
	if (_IOC_TYPE(nr) == 'T' || _IOC_TYPE(nr) == 0 || _IOC_TYPE(nr) == 'f' ||
	    _IOC_TYPE(nr) == 'X' || _IOC_TYPE(nr) == 0x94)
		nr = _IOC(_IOC_DIR(nr), PMEMCTL_IOC_MAGIC, 0x80 | _IOC_NR(nr),
			  _IOC_SIZE(nr));
	nr = (uint32_t)nr;
	for (i = 0; i < 256; i++)
		rw_page[i] = (unsigned char)rnd();
	e = do_ioctl(fd, nr, rw_page, -1);
	if (e != ENOTTY)
		failf("unknown command %#lx: %s, want ENOTTY", nr, errname(e));
}

/* ------------------------------------------------------------------ */
/* Sequences: well-formed changes with an exact oracle on sysfs. */

static const char *mode_name(uint32_t m)
{
	return m == PMEMCTL_MODE_RAW ? "raw" : m == PMEMCTL_MODE_PAGE ? "page" :
	       m == PMEMCTL_MODE_PFN ? "pfn" : "?";
}

static void expect_same(const struct snap *before, const char *what, int e)
{
	struct snap *after = calloc(1, sizeof(*after));

	if (!after)
		exit(2);
	take_snap(after);
	if (strcmp(before->text, after->text)) {
		snap_diff(before, after);
		failf("%s (%s) changed sysfs", what, errname(e));
	}
	free(after->text);
	free(after);
}

/*
 * One well-formed change, chosen to keep a handful of namespaces per
 * region. The snapshot @cur is taken before; after it, the oracle.
 */
static void sequence_op(int fd)
{
	static struct snap before;
	unsigned char buf[256];
	unsigned int nr = cur.nregions ? cur.nregions : 1;
	uint32_t region = (uint32_t)rnd_below(nr);
	unsigned int count = snap_count(&cur, region);
	const struct nsinfo *ns = NULL;
	unsigned int i, k;
	int cmd, e;
	bool ro = false;

	/* a namespace of that region, if any */
	if (count) {
		k = (unsigned int)rnd_below(count);
		for (i = 0; i < cur.nns; i++)
			if (cur.ns[i].region == region && !k--) {
				ns = &cur.ns[i];
				break;
			}
	}

	k = (unsigned int)rnd_below(100);
	if (strcmp(cur.region_state[region], "active") && k < 60)
		cmd = C_INIT;
	else if (!ns || (count < 3 && k < 45) || (count < 6 && k < 25))
		cmd = C_CREATE;
	else if (count > 6 && k < 40)
		cmd = C_DESTROY;
	else if (k < 3)
		cmd = C_INIT;
	else
		cmd = (int)(C_DESTROY + rnd_below(4));	/* destroy..reconf */

	memset(buf, 0, sizeof(buf));
	*(uint32_t *)buf = (uint32_t)cmds[cmd].size;
	switch (cmd) {
	case C_INIT: {
		struct pmemctl_init_labels *r = (void *)buf;

		r->region = region;
		r->flags = chance(80) ? PMEMCTL_INIT_FORCE : 0;
		break;
	}
	case C_CREATE: {
		struct pmemctl_ns_create *r = (void *)buf;

		r->region = region;
		r->mode = (uint32_t)rnd_below(3);
		r->ns_size = pick_size();
		if (r->ns_size > GiB * 2)
			r->ns_size = 8 * MiB;
		r->align = chance(80) ? 0 : 4 * MiB;
		if (r->align && r->ns_size % r->align)
			r->ns_size = (r->ns_size + r->align) & ~(r->align - 1);
		if (chance(70))
			snprintf(r->name, sizeof(r->name), "fz%u",
				 (unsigned int)rnd_below(12));
		r->flags = chance(15) ? PMEMCTL_NS_CREATE_DRY_RUN : 0;
		ro = chance(5);
		break;
	}
	case C_DESTROY:
	case C_ENABLE:
	case C_DISABLE: {
		struct pmemctl_ns_ref *r = (void *)buf;

		r->region = region;
		r->id = ns ? ns->id : (uint32_t)rnd_below(8);
		break;
	}
	case C_RECONF: {
		struct pmemctl_ns_reconfigure *r = (void *)buf;

		r->region = region;
		r->id = ns ? ns->id : (uint32_t)rnd_below(8);
		r->mode = (uint32_t)rnd_below(3);
		r->flags = (uint32_t)rnd_below(4);
		ro = chance(5);
		break;
	}
	}

	before = cur;
	before.text = strdup(cur.text);
	if (!before.text)
		exit(2);

	if (ro) {
		memcpy(ro_page, buf, cmds[cmd].size);
		set_ro(true);
		e = do_ioctl(fd, cmds[cmd].nr, ro_page, cmd);
		set_ro(false);
	} else {
		memcpy(rw_page, buf, cmds[cmd].size);
		e = do_ioctl(fd, cmds[cmd].nr, rw_page, cmd);
	}
	cnt.ops++;
	cnt.change_requests++;
	if (verbose)
		printf("#%lu op %s region %u%s: %s\n", req_no, cmds[cmd].name,
		       region, ro ? " (read-only buffer)" : "", errname(e));
	if (ro && e != EFAULT) {
		report_request(cmd, buf);
		failf("%s with a read-only buffer: %s, want EFAULT",
		      cmds[cmd].name, errname(e));
	}
	if (!deep_errno_ok(cmd, e) && !(ro && e == EFAULT)) {
		report_request(cmd, buf);
		failf("%s: %s, not a documented errno", cmds[cmd].name, errname(e));
	}

	if (e || (cmd == C_CREATE && (buf[4] & PMEMCTL_NS_CREATE_DRY_RUN)) ||
	    (cmd == C_RECONF && (buf[4] & PMEMCTL_RECONFIGURE_DRY_RUN))) {
		/* nothing changed (the cost copied out changes no sysfs) */
		expect_same(&before, cmds[cmd].name, e);
		free(before.text);
		return;
	}
	cnt.ops_ok++;
	take_snap(&cur);
	check_overlap(&cur);

	switch (cmd) {
	case C_INIT:
		if (snap_count(&cur, region) ||
		    strcmp(cur.region_state[region], "active"))
			failf("region%u after INIT_LABELS: state %s, %u namespaces",
			      region, cur.region_state[region],
			      snap_count(&cur, region));
		break;
	case C_CREATE: {
		const struct pmemctl_ns_create *r = (void *)rw_page;
		const struct nsinfo *n = snap_find(&cur, region, r->id);

		if (!n)
			failf("created namespace%u.%u is not in sysfs", region, r->id);
		if (snap_find(&before, region, r->id))
			failf("create returned the existing id %u", r->id);
		if (cur.nns != before.nns + 1)
			failf("create: %u namespaces before, %u after",
			      before.nns, cur.nns);
		if (strcmp(n->mode, mode_name(r->mode)) || n->size != r->ns_size ||
		    strcmp(n->name, r->name) || strcmp(n->state, "enabled"))
			failf("created namespace%u.%u: mode %s size %" PRIu64
			      " name '%s' state %s; asked mode %s size %" PRIu64
			      " name '%s'", region, r->id, n->mode, n->size,
			      n->name, n->state, mode_name(r->mode), (uint64_t)r->ns_size,
			      r->name);
		if (n->resource - cur.region_start[region] != r->offset ||
		    r->offset % (r->align ? r->align : 2 * MiB))
			failf("create: offset %#" PRIx64 " returned, resource %#"
			      PRIx64, (uint64_t)r->offset, n->resource);
		break;
	}
	case C_DESTROY:
		if (snap_find(&cur, region, ((struct pmemctl_ns_ref *)buf)->id) ||
		    cur.nns + 1 != before.nns)
			failf("destroyed namespace%u.%u still there", region,
			      ((struct pmemctl_ns_ref *)buf)->id);
		break;
	case C_ENABLE:
	case C_DISABLE: {
		const struct pmemctl_ns_ref *r = (void *)buf;
		const struct nsinfo *n = snap_find(&cur, region, r->id);
		const char *want = cmd == C_ENABLE ? "enabled" : "disabled";

		if (!n || strcmp(n->state, want) || cur.nns != before.nns)
			failf("namespace%u.%u after %s: %s", region, r->id,
			      cmds[cmd].name, n ? n->state : "gone");
		break;
	}
	case C_RECONF: {
		const struct pmemctl_ns_reconfigure *r = (void *)buf;
		const struct nsinfo *n = snap_find(&cur, region, r->id);
		const struct nsinfo *o = snap_find(&before, region, r->id);

		if (!n || !o || strcmp(n->mode, mode_name(r->mode)) ||
		    strcmp(n->state, o->state) || strcmp(n->uuid, o->uuid) ||
		    strcmp(n->name, o->name) || n->size != o->size ||
		    n->resource != o->resource)
			failf("namespace%u.%u after reconfigure to %s: mode %s state %s",
			      region, r->id, mode_name(r->mode),
			      n ? n->mode : "-", n ? n->state : "gone");
		break;
	}
	}
	free(before.text);
}


/* ------------------------------------------------------------------ */
/* NS_BATCH: a header and an op array, each mutated on its own. */

/* NS_BATCH requests per 1000 root (and unprivileged) requests. */
#define BATCH_PER_MILLE	30

/* Enough for PMEMCTL_BATCH_MAX_OPS ops, then an unmapped page. */
static unsigned char *ops_area;
static size_t ops_area_len;

static void setup_ops_area(void)
{
	size_t len = PMEMCTL_BATCH_MAX_OPS * sizeof(struct pmemctl_batch_op);
	unsigned char *p;

	len = (len + page_size - 1) / page_size * page_size;
	p = mmap(NULL, len + page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + len, page_size, PROT_NONE)) {
		perror("mmap ops");
		exit(2);
	}
	ops_area = p;
	ops_area_len = len;
}

/* A well-formed op for @region: a create, or a destroy or mode change of
 * one of its namespaces (or of a number it does not have). */
static void batch_op(struct pmemctl_batch_op *op, uint32_t region)
{
	unsigned int count = snap_count(&cur, region), k, i, n = 0;
	const struct nsinfo *ns = NULL;

	memset(op, 0, sizeof(*op));
	if (count && chance(60)) {
		k = (unsigned int)rnd_below(count);
		for (i = 0; i < cur.nns; i++)
			if (cur.ns[i].region == region && n++ == k)
				ns = &cur.ns[i];
	}
	if (!ns || chance(30)) {
		op->op = PMEMCTL_BATCH_CREATE;
		op->mode = chance(95) ? (uint32_t)rnd_below(3) : edge_u32();
		op->ns_size = pick_size();
		op->align = pick_align();
		fill_name(op->name);
		fill_uuid(op->uuid);
		op->flags = chance(30) ? PMEMCTL_BATCH_OP_DISABLED : 0;
		return;
	}
	op->id = chance(90) ? ns->id : edge_u32();
	if (chance(50)) {
		op->op = PMEMCTL_BATCH_DESTROY;
	} else {
		op->op = PMEMCTL_BATCH_RECONFIGURE;
		op->mode = (uint32_t)rnd_below(3);
		op->flags = chance(50) ? PMEMCTL_BATCH_OP_FORCE : 0;
	}
}

/* One field of an op made wrong, or at its limits. */
static void batch_op_mutate(struct pmemctl_batch_op *op)
{
	unsigned char *b = (unsigned char *)op;

	switch (rnd_below(10)) {
	case 0: op->op = chance(50) ? (uint32_t)rnd_below(5) : edge_u32(); break;
	case 1: op->flags = chance(50) ? 1u << rnd_below(32) : (uint32_t)rnd(); break;
	case 2: op->id = edge_u32(); break;
	case 3: op->mode = edge_u32(); break;
	case 4: op->ns_size = edge_u64(); break;
	case 5: op->align = edge_u64(); break;
	case 6: fill_name(op->name); break;
	case 7: fill_uuid(op->uuid); break;
	case 8:	/* an out or reserved field */
		b[offsetof(struct pmemctl_batch_op, offset) +
		  rnd_below(sizeof(*op) - offsetof(struct pmemctl_batch_op, offset))] =
			(unsigned char)(1 + rnd_below(255));
		break;
	default: b[rnd_below(sizeof(*op))] = (unsigned char)rnd(); break;
	}
}

static bool reserved_zero(const struct pmemctl_ns_batch *h)
{
	static const uint64_t zero[4];

	return !memcmp(h->reserved, zero, sizeof(zero));
}

/* The kernel's shape check of one op (ioctl.adoc, NS_BATCH, Processing). */
static bool batch_op_shape_ok(const struct pmemctl_batch_op *op)
{
	static const unsigned char zero[sizeof(*op)];
	bool create = op->op == PMEMCTL_BATCH_CREATE;
	uint32_t known;

	switch (op->op) {
	case PMEMCTL_BATCH_CREATE: known = PMEMCTL_BATCH_OP_DISABLED; break;
	case PMEMCTL_BATCH_RECONFIGURE:
		known = PMEMCTL_BATCH_OP_FORCE | PMEMCTL_BATCH_OP_ACCESS;
		break;
	case PMEMCTL_BATCH_DESTROY: known = 0; break;
	default: return false;
	}
	if (op->flags & ~known)
		return false;
	if (create && op->id)
		return false;
	if (op->op == PMEMCTL_BATCH_DESTROY && (op->mode || op->access))
		return false;
	if (op->op == PMEMCTL_BATCH_RECONFIGURE && op->access &&
	    !(op->flags & PMEMCTL_BATCH_OP_ACCESS))
		return false;
	if (!create && (op->ns_size || op->align ||
			memcmp(op->uuid, zero, sizeof(op->uuid)) ||
			memcmp(op->name, zero, sizeof(op->name))))
		return false;
	/* offset, cost and result are out fields; access is checked above */
	return !memcmp(&op->offset, zero,
		       offsetof(struct pmemctl_batch_op, access) -
		       offsetof(struct pmemctl_batch_op, offset)) &&
	       !memcmp(op->reserved, zero, sizeof(op->reserved));
}

static bool batch_errno_ok(int e)
{
	return e == 0 || e == EINVAL || e == ENXIO || e == EEXIST ||
	       e == ENOSPC || e == ENOMEM || e == EOVERFLOW || e == ENOENT ||
	       e == EBUSY || e == ENOTEMPTY || e == EIO;
}

/*
 * One NS_BATCH request: mostly well-formed ops (most of them dry runs),
 * with the header or one op made wrong now and then; its verdict follows
 * the documented order of checks. A batch that passes them is judged on
 * its effect: an error or a dry run changes nothing in sysfs (a snapshot
 * before and after), and @failed names an op or is PMEMCTL_BATCH_NO_OP; a
 * commit leaves no two namespaces overlapping.
 */
static void fuzz_batch(int fd, bool priv)
{
	struct pmemctl_ns_batch *h = (void *)rw_page;
	struct pmemctl_batch_op *ops;
	unsigned int nr = 1 + (unsigned int)rnd_below(chance(90) ? 4 : 32);
	unsigned int k = (unsigned int)rnd_below(100), i, bad_op = ~0u;
	struct pmemctl_ns_batch copy;
	static struct snap before;
	bool fault = false, ro = false, judged, dry;
	size_t room;
	int want = -1, e;

	ops = (void *)ops_area;
	memset(h, 0, sizeof(*h));
	h->size = sizeof(*h);
	h->region = pick_region();
	for (i = 0; i < nr; i++)
		batch_op(&ops[i], h->region < cur.nregions ? h->region : 0);
	if (k < 3) {
		/* the same ops, but the array runs into the unmapped page */
		size_t cut = 1 + rnd_below(nr * sizeof(*ops) - 1);
		unsigned char *to = ops_area + ops_area_len - cut;

		memmove(to, ops, cut);
		ops = (void *)to;
		fault = true;
	}
	h->nr_ops = nr;
	h->ops = (uintptr_t)ops;
	h->op_size = sizeof(*ops);
	h->flags = chance(85) ? PMEMCTL_BATCH_DRY_RUN : 0;

	if (k >= 3 && k < 13) {			/* the header */
		switch (rnd_below(7)) {
		case 0: h->size = edge_u32(); break;
		case 1: h->flags = (uint32_t)rnd(); break;
		case 2: h->failed = edge_u32() | 1; break;
		case 3: ((unsigned char *)h->reserved)[rnd_below(sizeof(h->reserved))] = 1; break;
		case 4: h->op_size = sizeof(*ops) + (chance(50) ? 1 : -1) * (1 + (uint32_t)rnd_below(8)); break;
		case 5: h->nr_ops = chance(50) ? 0 : PMEMCTL_BATCH_MAX_OPS + 1 + (uint32_t)rnd_below(8); break;
		default: h->region = edge_u32(); break;
		}
	} else if (k >= 13 && k < 28) {		/* one op */
		i = (unsigned int)rnd_below(nr);
		batch_op_mutate(&ops[i]);
	} else if (k >= 28 && k < 30 &&
		   nr * sizeof(*ops) <= (size_t)page_size) {
		/* an op array it may read but not write back */
		memcpy(ro_page, ops, nr * sizeof(*ops));
		h->ops = (uintptr_t)ro_page;
		set_ro(true);
		ro = true;
	}

	/* the verdict of the checks before the region's lock */
	if (!priv) {
		want = EPERM;
	} else if (h->size != sizeof(*h) || (h->flags & ~PMEMCTL_BATCH_DRY_RUN) ||
		   h->failed || !reserved_zero(h) ||
		   h->nr_ops == 0 || h->nr_ops > PMEMCTL_BATCH_MAX_OPS ||
		   h->op_size != sizeof(*ops)) {
		want = EINVAL;
	} else if (h->region >= cur.nregions) {
		want = ENODEV;
	} else {
		const struct pmemctl_batch_op *in = (void *)(uintptr_t)h->ops;

		room = ro ? (size_t)page_size :
		       (size_t)(ops_area + ops_area_len - (const unsigned char *)in);
		if (fault || ro || room < h->nr_ops * sizeof(*ops)) {
			want = EFAULT;
		} else {
			for (i = 0; i < h->nr_ops; i++) {
				if (!batch_op_shape_ok(&in[i])) {
					want = EINVAL;
					bad_op = i;
					break;
				}
			}
		}
	}
	judged = priv && want < 0 && chance(25);
	dry = h->flags & PMEMCTL_BATCH_DRY_RUN;
	if (judged)
		take_snap(&before);
	memcpy(&copy, h, sizeof(copy));
	e = do_ioctl(fd, PMEMCTL_IOC_NS_BATCH, h, C_BATCH);
	if (ro)
		set_ro(false);
	if (want >= 0 ? e != want : !batch_errno_ok(e)) {
		printf("request: NS_BATCH, header:\n");
		dump(&copy, sizeof(copy));
		printf("ops (%u):\n", copy.nr_ops < 64 ? copy.nr_ops : 64);
		if (!fault && !ro && copy.nr_ops < 64)
			dump((void *)(uintptr_t)copy.ops, copy.nr_ops * sizeof(*ops));
		failf("NS_BATCH: %s, want %s", errname(e),
		      want >= 0 ? errname(want) : "a documented errno");
	}
	if (want == EINVAL && bad_op != ~0u && h->failed != bad_op)
		failf("NS_BATCH: op %u is malformed, but failed = %u", bad_op,
		      h->failed);
	if (want < 0 && e && h->failed >= copy.nr_ops &&
	    h->failed != PMEMCTL_BATCH_NO_OP)
		failf("NS_BATCH: %s with failed = %u of %u ops", errname(e),
		      h->failed, copy.nr_ops);
	if (judged) {
		if (e || dry) {
			expect_same(&before, dry ? "NS_BATCH dry run" : "failed NS_BATCH", e);
		} else {
			take_snap(&cur);
			check_overlap(&cur);
		}
	} else if (want < 0 && !e && !dry) {
		/* what the next requests pick from (take_snap frees the old) */
		take_snap(&cur);
	}
	if (verbose)
		printf("#%lu NS_BATCH %s\n", req_no, errname(e));
	cnt.change_requests++;
	cnt.eperm += e == EPERM;
}

/*
 * Leave namespaces of every mode in every region, one of them disabled,
 * so that the module reload that follows has a store worth checking.
 */
static void top_up(int fd)
{
	struct pmemctl_ns_create c;
	struct pmemctl_ns_ref d;
	unsigned int r, m;
	int e;

	take_snap(&cur);
	for (r = 0; r < cur.nregions; r++) {
		if (strcmp(cur.region_state[r], "active")) {
			struct pmemctl_init_labels in = { .size = sizeof(in), .region = r };

			e = do_ioctl(fd, PMEMCTL_IOC_INIT_LABELS, &in, C_INIT);
			if (e)
				failf("top-up: INIT_LABELS region%u: %s", r, errname(e));
		}
		for (m = 0; m < 3; m++) {
			memset(&c, 0, sizeof(c));
			c.size = sizeof(c);
			c.region = r;
			c.mode = m;
			c.ns_size = 8 * MiB;
			e = do_ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c, C_CREATE);
			if (e && e != ENOSPC)
				failf("top-up: create %s in region%u: %s",
				      mode_name(m), r, errname(e));
			if (!e && m == PMEMCTL_MODE_RAW) {
				memset(&d, 0, sizeof(d));
				d.size = sizeof(d);
				d.region = r;
				d.id = c.id;
				e = do_ioctl(fd, PMEMCTL_IOC_NS_DISABLE, &d, C_DISABLE);
				if (e)
					failf("top-up: disable namespace%u.%u: %s",
					      r, c.id, errname(e));
			}
		}
	}
}

/* ------------------------------------------------------------------ */

static void drop_privileges(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY)) {
		perror("dropping privileges");
		exit(2);
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_capget, &h, d)) {
		perror("capget");
		exit(2);
	}
	if (d[0].effective || d[1].effective || d[0].permitted || d[1].permitted) {
		printf("FAIL: capabilities left after the drop: %#x %#x\n",
		       d[0].effective, d[1].effective);
		exit(2);
	}
}

static void print_counts(const char *who)
{
	static const char *const slot[] = { "ok", "EINVAL", "ENOTTY", "EPERM",
					    "EFAULT", "ENODEV", "ENOENT", "other" };
	int c, s;

	printf("%s: %lu requests, %lu change requests, %lu EPERM; %lu sequence ops, %lu changed state\n",
	       who, cnt.requests, cnt.change_requests, cnt.eperm, cnt.ops,
	       cnt.ops_ok);
	printf("  time: %.1f s in successful changes, %.1f s in other requests, %.1f s reading sysfs\n",
	       cnt.change_secs, cnt.other_secs, cnt.snap_secs);
	for (c = 0; c <= NCMDS + 1; c++) {
		printf("  %-15s", c < NCMDS ? cmds[c].name :
		       c == NCMDS ? "unknown" : "NS_BATCH");
		for (s = 0; s < 8; s++)
			printf(" %s %lu", slot[s], cnt.by_errno[c][s]);
		printf("\n");
	}
}

static void unprivileged(int fd, unsigned long n)
{
	unsigned long i;

	drop_privileges();
	for (i = 0; i < n; i++) {
		req_no = i;
		if (rnd_below(1000) < BATCH_PER_MILLE)
			fuzz_batch(fd, false);
		else if (chance(10))
			fuzz_unknown(fd);
		else
			fuzz_known(fd, false);
	}
	print_counts("unprivileged");
	if (cnt.eperm != cnt.change_requests) {
		printf("FAIL: %lu change requests but %lu EPERM\n",
		       cnt.change_requests, cnt.eperm);
		fflush(stdout);
		_exit(1);
	}
	/* the parent's snapshots are the parent's to free */
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long count = 200000, unpriv = (unsigned long)-1, i, root_n;
	static struct snap pre;
	struct timespec t0, t1;
	int fd, status, a;
	pid_t pid;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			count = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--unpriv") && a + 1 < argc)
			unpriv = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: ioctl-fuzz [--seed N] [--count N] [--unpriv N] [--verbose]\n");
			return 2;
		}
	}
	if (unpriv == (unsigned long)-1)
		unpriv = count / 10;
	if (unpriv > count)
		unpriv = count;
	printf("seed: %" PRIu64 "\n", seed);
	printf("requests: %lu (%lu unprivileged)\n", count, unpriv);
	fflush(stdout);
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (geteuid()) {
		fprintf(stderr, "ioctl-fuzz: must start as root\n");
		return 2;
	}
	setup_pages();
	setup_ops_area();
	fd = open(PMEMCTL_CONTROL_DEVICE, O_RDONLY);
	if (fd < 0) {
		perror(PMEMCTL_CONTROL_DEVICE);
		return 2;
	}
	take_snap(&cur);
	if (!cur.nregions) {
		fprintf(stderr, "ioctl-fuzz: no region in " SYSDIR "\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Unprivileged first, against the state the test set up. */
	take_snap(&pre);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (!pid)
		unprivileged(fd, unpriv);
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 2;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL: the unprivileged child ended with status %#x\n", status);
		return 1;
	}
	expect_same(&pre, "the unprivileged requests", 0);
	free(pre.text);
	/* the generator goes on from where the child's stream began */
	rng_state = seed ^ 0x5eed5eed5eed5eedull;

	root_n = count - unpriv;
	for (i = 0; i < root_n; i++) {
		unsigned int k = (unsigned int)rnd_below(1000);

		req_no = unpriv + i;
		if (k < SEQ_PER_MILLE) {
			take_snap(&cur);
			sequence_op(fd);
		} else if (k < SEQ_PER_MILLE + BATCH_PER_MILLE) {
			fuzz_batch(fd, true);
		} else if (k < 100) {
			fuzz_unknown(fd);
		} else {
			fuzz_known(fd, true);
		}
		if (i && i % 20000 == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("progress: %lu root requests, %.1f s\n", i,
			       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	top_up(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	take_snap(&cur);
	check_overlap(&cur);
	print_counts("root");
	printf("done: %lu requests in %.1f s\n", count,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(cur.text);
	close(fd);
	return 0;
}
