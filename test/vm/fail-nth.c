// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One pmemctl operation with the N-th fault-injection point of this task
 * failing, for test/vm/tests/fail-inject.sh:
 *
 *   fail-nth N [--expect STATE] OP ARGS...
 *   fail-nth snapshot
 * where OP ARGS is one of
 *   init REGION [force]
 *   create REGION SIZE MODE [NAME]     (MODE: raw, page, pfn)
 *   destroy|enable|disable REGION ID
 *   reconfigure REGION ID MODE [force]
 *   insmod MODULE.ko [PARAMS]
 *
 * insmod uses init_module(2) on the image read into memory first, not
 * finit_module(2): the kernel then reads no file (whose vmalloc'd buffer
 * would print an allocation-failure warning with a call trace when it is
 * the one that fails) and every fault point counted is module loading.
 *
 * The kernel's fail-nth (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION)
 * counts the calls of this task into fault-injection points (slab and page
 * allocations, with failslab and fail_page_alloc set not to ignore
 * sleeping allocations) and makes the N-th one fail. Everything the
 * operation needs that is not under test (the control device, the module
 * image) is ready first; N is written right before the one syscall (ioctl
 * or init_module) and read back right after it:
 *   0         the N-th point was reached and failed (injected);
 *   positive  the syscall made fewer than N calls (unreached): the
 *             operation ran without any injected failure, and every
 *             larger N would give the same.
 * N = 0 runs the operation once with no injection. It prints
 * "result: ok [id ID]" or "result: errno NAME", then "nth: injected",
 * "nth: unreached" or "nth: off"; exit status 0 on success, 1 when the
 * operation failed with an errno, 2 on a usage or setup error.
 *
 * "snapshot" prints the state an operation may change, one sorted line per
 * region (state, available_size) and namespace (name, uuid, mode, size,
 * state): what fail-inject.sh compares.
 *
 * With N written as "N+S+O" (S defaults to 1, O to 0) it runs the
 * operation for every N below FULL_PREFIX, then for FULL_PREFIX + O and
 * every S-th after that (O < S: a caller varying O covers every N over
 * several runs), in this one process
 * (a fork per try is what made a shell loop too slow on the debug kernel),
 * until N is past the operation's last fault point, and judges each try:
 * - an injected failure must leave the snapshot exactly as it was (and a
 *   failed module load no module and no control device);
 * - a failure with nothing injected is a defect;
 * - a success (the injected failure was absorbed, or N unreached) must
 *   give STATE, the snapshot after an uninjected run that the caller
 *   checked, UUIDs aside (a re-created namespace has a new one). For
 *   insmod two documented ways of absorbing a failure are accepted as
 *   well: a namespace left disabled, and a namespace left out of a region
 *   that then says "degraded";
 * - every success is undone here (the new namespace destroyed, the old
 *   mode or state put back, destroyed namespaces re-created, the module
 *   unloaded), and the snapshot must then be the starting one, UUIDs
 *   aside.
 * It prints the lines above for the last run, then "at: N", "failed: C"
 * (failures judged clean), "absorbed: C" (successes with a failure
 * injected); exit status 0, or 3 with a message when a try broke a rule.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <pmemctl.h>

#include "errname.h"

/* "N+S+O" tries every fault point below this one, then every S-th. */
#define FULL_PREFIX 8
#define SYSBUS "/sys/bus/pmemctl/devices"
#define MAX_SAVED 64
/* No operation of the module comes near this many fault points. */
#define MAX_N 100000

union request {
	struct pmemctl_init_labels init;
	struct pmemctl_ns_create create;
	struct pmemctl_ns_ref ref;
	struct pmemctl_ns_reconfigure reconf;
};

/* A namespace as sysfs shows it: what re-creating it needs. */
struct saved_ns {
	unsigned int id, mode;
	unsigned long long size;
	char name[PMEMCTL_NAME_LEN];
	bool enabled;
};

struct op {
	const char *name;
	unsigned long cmd;		/* 0: init_module */
	union request req0;		/* the kernel writes results into a copy */
	int fd;				/* the control device (not for insmod) */
	void *image;			/* insmod */
	size_t image_len;
	const char *params;
	unsigned int orig_mode;		/* reconfigure: what undo puts back */
	struct saved_ns saved[MAX_SAVED];	/* destroy, init: what undo re-creates */
	unsigned int nsaved;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: fail-nth N[+[S[+O]]] [--expect STATE] init REGION [force]\n"
		"       fail-nth N[+[S[+O]]] [--expect STATE] create REGION SIZE MODE [NAME]\n"
		"       fail-nth N[+[S[+O]]] [--expect STATE] destroy|enable|disable REGION ID\n"
		"       fail-nth N[+[S[+O]]] [--expect STATE] reconfigure REGION ID MODE [force]\n"
		"       fail-nth N[+[S[+O]]] [--expect STATE] insmod MODULE.ko [PARAMS]\n"
		"       fail-nth snapshot\n"
		"N+S+O: every N from N to the end, every S-th from %d+O;\n"
		"--expect is required with N+S\n", FULL_PREFIX);
	return 2;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int parse_mode(const char *s)
{
	if (!strcmp(s, "raw"))
		return PMEMCTL_MODE_RAW;
	if (!strcmp(s, "page"))
		return PMEMCTL_MODE_PAGE;
	if (!strcmp(s, "pfn"))
		return PMEMCTL_MODE_PFN;
	return -1;
}

/* --- sysfs ---------------------------------------------------------------- */

/* DEV's attribute ATTR without its newline; false when unreadable. */
static bool read_attr(const char *dev, const char *attr, char *val, size_t len)
{
	char path[512];
	ssize_t r = -1;
	int fd;

	snprintf(path, sizeof(path), SYSBUS "/%s/%s", dev, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r = read(fd, val, len - 1);
		close(fd);
	}
	val[r > 0 ? r : 0] = 0;
	val[strcspn(val, "\n")] = 0;
	return r >= 0;
}

static const char *const region_attrs[] = { "state", "available_size", NULL };
static const char *const ns_attrs[] = {
	"name", "uuid", "mode", "size", "state", NULL
};
#define NS_ATTR_UUID 1

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The devices' state as sorted text, in a buffer the caller frees; with
 * @mask_uuid every namespace UUID reads "-".
 */
static char *snapshot(bool mask_uuid)
{
	char *lines[4096], val[256], *out;
	size_t nlines = 0, len = 0, i;
	struct dirent *de;
	DIR *d;

	d = opendir(SYSBUS);
	while (d && (de = readdir(d)) && nlines < 4096) {
		const char *const *attr, *const *first;
		char line[2048];
		int off;

		if (!strncmp(de->d_name, "region", 6))
			first = region_attrs;
		else if (!strncmp(de->d_name, "namespace", 9))
			first = ns_attrs;
		else
			continue;
		off = snprintf(line, sizeof(line), "%s", de->d_name);
		for (attr = first; *attr; attr++) {
			bool ok = read_attr(de->d_name, *attr, val, sizeof(val));

			if (mask_uuid && first == ns_attrs &&
			    attr - first == NS_ATTR_UUID)
				strcpy(val, "-");
			off += snprintf(line + off, sizeof(line) - off, " %s",
					ok ? val : "?");
			if (off >= (int)sizeof(line))
				off = sizeof(line) - 1;
		}
		lines[nlines] = strdup(line);
		if (!lines[nlines])
			die("strdup");
		len += strlen(line) + 1;
		nlines++;
	}
	if (d)
		closedir(d);
	qsort(lines, nlines, sizeof(lines[0]), line_cmp);
	out = malloc(len + 1);
	if (!out)
		die("malloc");
	out[0] = 0;
	for (i = 0, len = 0; i < nlines; i++) {
		len += sprintf(out + len, "%s\n", lines[i]);
		free(lines[i]);
	}
	return out;
}

/* STATE with every namespace UUID masked, as snapshot(true) gives it. */
static char *mask_uuids(const char *state)
{
	char *out = malloc(strlen(state) + 2), *o = out;
	const char *l = state;

	if (!out)
		die("malloc");
	while (*l) {
		const char *eol = strchrnul(l, '\n');
		const char *sp1 = memchr(l, ' ', eol - l);
		const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', eol - sp1 - 1) : NULL;
		const char *sp3 = sp2 ? memchr(sp2 + 1, ' ', eol - sp2 - 1) : NULL;

		if (!strncmp(l, "namespace", 9) && sp3) {
			o = mempcpy(o, l, sp2 + 1 - l);
			*o++ = '-';
			o = mempcpy(o, sp3, eol - sp3);
		} else {
			o = mempcpy(o, l, eol - l);
		}
		*o++ = '\n';
		l = *eol ? eol + 1 : eol;
	}
	*o = 0;
	return out;
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static bool read_ns(unsigned int region, unsigned int id, struct saved_ns *s)
{
	char dev[64], val[256];
	int mode;

	snprintf(dev, sizeof(dev), "namespace%u.%u", region, id);
	s->id = id;
	if (!read_attr(dev, "name", s->name, sizeof(s->name)) ||
	    !read_attr(dev, "mode", val, sizeof(val)) ||
	    (mode = parse_mode(val)) < 0)
		return false;
	s->mode = (unsigned int)mode;
	if (!read_attr(dev, "size", val, sizeof(val)))
		return false;
	s->size = strtoull(val, NULL, 0);
	if (!read_attr(dev, "state", val, sizeof(val)))
		return false;
	s->enabled = !strcmp(val, "enabled");
	return true;
}

static int saved_cmp(const void *a, const void *b)
{
	const struct saved_ns *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every namespace of REGION, by id, into op->saved. */
static void save_region(struct op *op, unsigned int region)
{
	char prefix[32];
	struct dirent *de;
	size_t plen;
	DIR *d;

	plen = (size_t)snprintf(prefix, sizeof(prefix), "namespace%u.", region);
	d = opendir(SYSBUS);
	if (!d)
		die(SYSBUS);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, plen))
			continue;
		if (op->nsaved == MAX_SAVED ||
		    !read_ns(region, (unsigned int)strtoul(de->d_name + plen, NULL, 10),
			     &op->saved[op->nsaved])) {
			fprintf(stderr, "fail-nth: cannot save %s\n", de->d_name);
			exit(2);
		}
		op->nsaved++;
	}
	closedir(d);
	qsort(op->saved, op->nsaved, sizeof(op->saved[0]), saved_cmp);
}

/* --- the operation and its undo ------------------------------------------ */

static int nth_fd = -1;

/* Arm (n > 0) or disarm (0) this thread's fail-nth. */
static void nth_write(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		die("write fail-nth");
}

static unsigned int nth_read(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		die("read fail-nth");
	return (unsigned int)strtoul(buf, NULL, 10);
}

/*
 * Runs the operation once with the N-th fault point failing (N = 0: none).
 * Returns the errno (0: success); *unreached says that N was not reached.
 */
static int run(const struct op *op, union request *req, unsigned int n,
	       bool *unreached)
{
	unsigned int left = 0;
	long rc;
	int e;

	*req = op->req0;
	/* Nothing but the syscall between arming and reading back. */
	if (n)
		nth_write(n);
	if (op->cmd)
		rc = ioctl(op->fd, op->cmd, req);
	else
		rc = syscall(SYS_init_module, op->image, op->image_len, op->params);
	e = rc ? errno : 0;
	if (n) {
		left = nth_read();
		nth_write(0);
	}
	*unreached = n && left;
	return e;
}

/* An uninjected ioctl of the undo; false (with a message) when it fails. */
static bool ctl(int fd, unsigned long cmd, void *arg, const char *what)
{
	if (!ioctl(fd, cmd, arg))
		return true;
	printf("undo: %s: %s\n", what, errname(errno));
	return false;
}

static bool ns_ref(int fd, unsigned long cmd, unsigned int region,
		   unsigned int id, const char *what)
{
	struct pmemctl_ns_ref r = {
		.size = sizeof(r), .region = region, .id = id,
	};

	return ctl(fd, cmd, &r, what);
}

static bool recreate(int fd, unsigned int region,
		     const struct saved_ns *s)
{
	struct pmemctl_ns_create c = {
		.size = sizeof(c), .region = region, .mode = s->mode,
		.ns_size = s->size,
	};

	memcpy(c.name, s->name, sizeof(c.name));
	if (!ctl(fd, PMEMCTL_IOC_NS_CREATE, &c, "re-create"))
		return false;
	if (c.id != s->id) {
		printf("undo: %s came back as id %u, not %u\n", s->name, c.id, s->id);
		return false;
	}
	return s->enabled ||
	       ns_ref(fd, PMEMCTL_IOC_NS_DISABLE, region, c.id, "disable the re-created");
}

/* rmmod pmemctl, with its page and pfn namespaces disabled first. */
static bool unload(void)
{
	struct dirent *de;
	char val[64];
	int fd, tries;
	DIR *d;

	fd = open(PMEMCTL_CONTROL_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("undo: %s: %s\n", PMEMCTL_CONTROL_DEVICE, errname(errno));
		return false;
	}
	d = opendir(SYSBUS);
	while (d && (de = readdir(d))) {
		unsigned int region, id;

		if (sscanf(de->d_name, "namespace%u.%u", &region, &id) != 2 ||
		    !read_attr(de->d_name, "mode", val, sizeof(val)) ||
		    !strcmp(val, "raw") ||
		    !read_attr(de->d_name, "state", val, sizeof(val)) ||
		    strcmp(val, "enabled"))
			continue;
		if (!ns_ref(fd, PMEMCTL_IOC_NS_DISABLE, region, id,
			    "disable before rmmod")) {
			closedir(d);
			close(fd);
			return false;
		}
	}
	if (d)
		closedir(d);
	close(fd);
	/* udev may still have a block device open for a moment */
	for (tries = 0; syscall(SYS_delete_module, "pmemctl", O_NONBLOCK); tries++) {
		if ((errno != EAGAIN && errno != EBUSY) || tries == 100) {
			printf("undo: rmmod pmemctl: %s\n", errname(errno));
			return false;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	}
	return true;
}

/* Undoes the successful run that left its results in REQ. */
static bool undo(const struct op *op, const union request *req)
{
	unsigned int i, region;

	switch (op->cmd) {
	case 0:
		return unload();
	case PMEMCTL_IOC_NS_CREATE:
		region = req->create.region;
		return ns_ref(op->fd, PMEMCTL_IOC_NS_DISABLE, region, req->create.id,
			      "disable the created") &&
		       ns_ref(op->fd, PMEMCTL_IOC_NS_DESTROY, region, req->create.id,
			      "destroy the created");
	case PMEMCTL_IOC_NS_ENABLE:
		return ns_ref(op->fd, PMEMCTL_IOC_NS_DISABLE, req->ref.region,
			      req->ref.id, "disable");
	case PMEMCTL_IOC_NS_DISABLE:
		return ns_ref(op->fd, PMEMCTL_IOC_NS_ENABLE, req->ref.region,
			      req->ref.id, "enable");
	case PMEMCTL_IOC_NS_RECONFIGURE: {
		struct pmemctl_ns_reconfigure r = req->reconf;

		memset(&r.cost, 0, sizeof(r.cost));
		r.mode = op->orig_mode;
		r.flags = PMEMCTL_RECONFIGURE_FORCE;
		return ctl(op->fd, PMEMCTL_IOC_NS_RECONFIGURE, &r, "reconfigure back");
	}
	case PMEMCTL_IOC_NS_DESTROY:
	case PMEMCTL_IOC_INIT_LABELS:
		region = op->cmd == PMEMCTL_IOC_NS_DESTROY ? req->ref.region :
			 req->init.region;
		for (i = 0; i < op->nsaved; i++)
			if (!recreate(op->fd, region, &op->saved[i]))
				return false;
		return true;
	}
	return false;
}

/* --- judging a success ------------------------------------------------------ */

static size_t line_len(const char *l)
{
	return (size_t)(strchrnul(l, '\n') - l);
}

static const char *next_line(const char *l)
{
	l += line_len(l);
	return *l ? l + 1 : l;
}

/* The line of STATE that starts with "DEV ", or NULL. */
static const char *find_line(const char *state, const char *dev, size_t len)
{
	const char *l;

	for (l = state; *l; l = next_line(l))
		if (!strncmp(l, dev, len) && l[len] == ' ')
			return l;
	return NULL;
}

/*
 * A module load that absorbed a failure may differ from WANT (both masked)
 * only in the documented ways: a namespace left disabled; a namespace left
 * out of a region whose state is then "degraded" (with whatever it reports
 * free); a region that could not be added left out, with its namespaces
 * (pmemctl_regions_probe() skips it and keeps the others).
 */
static bool load_absorbed_ok(const char *want, const char *got)
{
	const char *l;

	for (l = want; *l; l = next_line(l)) {
		size_t len = line_len(l), dlen = strcspn(l, " ");
		const char *g = find_line(got, l, dlen);
		unsigned int region;
		char rdev[32];
		const char *r;

		if (g && line_len(g) == len && !strncmp(g, l, len))
			continue;
		if (!strncmp(l, "region", 6)) {
			if (!g || !strncmp(g + dlen, " degraded ", 10))
				continue;
			return false;
		}
		/* a namespace: disabled instead of enabled */
		if (g && len > 8 && !strncmp(l + len - 8, " enabled", 8) &&
		    line_len(g) == len + 1 && !strncmp(g, l, len - 8) &&
		    !strncmp(g + len - 8, " disabled", 9))
			continue;
		/* missing from a degraded region, or with its region */
		if (g || sscanf(l, "namespace%u.", &region) != 1)
			return false;
		snprintf(rdev, sizeof(rdev), "region%u", region);
		r = find_line(got, rdev, strlen(rdev));
		if (r && strncmp(r + strlen(rdev), " degraded ", 10))
			return false;
	}
	/* nothing that WANT does not have */
	for (l = got; *l; l = next_line(l))
		if (!find_line(want, l, strcspn(l, " ")))
			return false;
	return true;
}

/* --- main ----------------------------------------------------------------------- */

static int setup(struct op *op, const char *name, int argc, char **argv)
{
	union request *req = &op->req0;
	int mode;

	op->name = name;
	op->fd = -1;
	if (!strcmp(name, "insmod")) {
		struct stat st;
		int fd;

		if (argc < 1)
			return usage();
		fd = open(argv[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st))
			die(argv[0]);
		op->image_len = (size_t)st.st_size;
		op->image = malloc(op->image_len);
		if (!op->image || read(fd, op->image, op->image_len) != (ssize_t)op->image_len)
			die(argv[0]);
		close(fd);
		op->params = argc > 1 ? argv[1] : "";
		return 0;
	}
	if (argc < 1)
		return usage();
	op->fd = open(PMEMCTL_CONTROL_DEVICE, O_RDONLY | O_CLOEXEC);
	if (op->fd < 0)
		die(PMEMCTL_CONTROL_DEVICE);

	if (!strcmp(name, "init")) {
		req->init.size = sizeof(req->init);
		req->init.region = (unsigned int)strtoul(argv[0], NULL, 0);
		if (argc > 1 && !strcmp(argv[1], "force"))
			req->init.flags = PMEMCTL_INIT_FORCE;
		op->cmd = PMEMCTL_IOC_INIT_LABELS;
		save_region(op, req->init.region);
	} else if (!strcmp(name, "create")) {
		if (argc < 3 || (mode = parse_mode(argv[2])) < 0)
			return usage();
		req->create.size = sizeof(req->create);
		req->create.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req->create.ns_size = strtoull(argv[1], NULL, 0);
		req->create.mode = (unsigned int)mode;
		if (argc > 3)
			snprintf(req->create.name, sizeof(req->create.name), "%s", argv[3]);
		op->cmd = PMEMCTL_IOC_NS_CREATE;
	} else if (!strcmp(name, "destroy") || !strcmp(name, "enable") ||
		   !strcmp(name, "disable")) {
		if (argc < 2)
			return usage();
		req->ref.size = sizeof(req->ref);
		req->ref.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req->ref.id = (unsigned int)strtoul(argv[1], NULL, 0);
		op->cmd = name[1] == 'e' ? PMEMCTL_IOC_NS_DESTROY :
			  name[0] == 'e' ? PMEMCTL_IOC_NS_ENABLE : PMEMCTL_IOC_NS_DISABLE;
		/* a missing namespace is the kernel's answer to judge, not ours */
		if (op->cmd == PMEMCTL_IOC_NS_DESTROY &&
		    read_ns(req->ref.region, req->ref.id, &op->saved[0]))
			op->nsaved = 1;
	} else if (!strcmp(name, "reconfigure")) {
		struct saved_ns s;

		if (argc < 3 || (mode = parse_mode(argv[2])) < 0)
			return usage();
		req->reconf.size = sizeof(req->reconf);
		req->reconf.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req->reconf.id = (unsigned int)strtoul(argv[1], NULL, 0);
		req->reconf.mode = (unsigned int)mode;
		if (argc > 3 && !strcmp(argv[3], "force"))
			req->reconf.flags = PMEMCTL_RECONFIGURE_FORCE;
		op->cmd = PMEMCTL_IOC_NS_RECONFIGURE;
		if (read_ns(req->reconf.region, req->reconf.id, &s))
			op->orig_mode = s.mode;
	} else {
		return usage();
	}
	return 0;
}

static void print_result(const struct op *op, const union request *req, int e,
			 unsigned int n, bool unreached)
{
	if (e)
		printf("result: errno %s\n", errname(e));
	else if (op->cmd == PMEMCTL_IOC_NS_CREATE)
		printf("result: ok id %u\n", req->create.id);
	else
		printf("result: ok\n");
	printf("nth: %s\n", !n ? "off" : unreached ? "unreached" : "injected");
}

/* The N tried after N. */
static unsigned int next_n(unsigned int n, unsigned int step, unsigned int offset)
{
	if (n + 1 < FULL_PREFIX)
		return n + 1;
	if (n + 1 == FULL_PREFIX)
		return FULL_PREFIX + offset;
	return n + step;
}

/*
 * The N+S+O loop; returns the exit status. WANT (masked) is the state a
 * success must give.
 */
static int loop(const struct op *op, unsigned int n, unsigned int step,
		unsigned int offset, const char *want)
{
	unsigned int failed = 0, absorbed = 0;
	char *start = snapshot(false), *start_masked = mask_uuids(start);
	char *before = strdup(start), *after = NULL, *got = NULL;
	union request req;
	bool unreached;
	int e, rc = 3;	/* until the loop ends well */

	for (;; n = next_n(n, step, offset)) {
		if (n > MAX_N) {
			printf("allocation %u: still reached (is the operation looping?)\n", n);
			goto out;
		}
		e = run(op, &req, n, &unreached);
		free(after);
		after = snapshot(false);
		if (e) {
			if (unreached) {
				printf("allocation %u: failed (%s) with nothing injected\n",
				       n, errname(e));
				goto out;
			}
			if (!op->cmd && (exists("/sys/module/pmemctl") ||
					 exists(PMEMCTL_CONTROL_DEVICE))) {
				printf("allocation %u: the module load failed (%s) but left the module or %s behind\n",
				       n, errname(e), PMEMCTL_CONTROL_DEVICE);
				goto out;
			}
			if (strcmp(before, after)) {
				printf("allocation %u: failed (%s) but changed the devices\nbefore:\n%safter:\n%s",
				       n, errname(e), before, after);
				goto out;
			}
			failed++;
			if (!(failed % 100))
				fprintf(stderr, "fail-nth: %s: allocation %u failed cleanly\n",
					op->name, n);
			continue;
		}

		/* a success: the effect WANT, then back to the start */
		free(got);
		got = mask_uuids(after);
		if (strcmp(got, want) &&
		    (op->cmd || unreached || !load_absorbed_ok(want, got))) {
			printf("allocation %u: succeeded (%s) with the wrong effect\nwant:\n%sgot:\n%s",
			       n, unreached ? "nothing injected" : "failure absorbed",
			       want, got);
			goto out;
		}
		if (!undo(op, &req)) {
			printf("allocation %u: cannot undo the success\n", n);
			goto out;
		}
		free(before);
		before = snapshot(false);
		free(got);
		got = mask_uuids(before);
		if (strcmp(got, start_masked)) {
			printf("allocation %u: the undo did not restore the start\nstart:\n%snow:\n%s",
			       n, start, before);
			goto out;
		}
		if (unreached)
			break;
		absorbed++;
	}
	print_result(op, &req, 0, n, true);
	printf("at: %u\nfailed: %u\nabsorbed: %u\n", n, failed, absorbed);
	rc = 0;
out:
	free(got);
	free(after);
	free(before);
	free(start);
	free(start_masked);
	return rc;
}

int main(int argc, char **argv)
{
	struct op op = { 0 };
	const char *want = NULL;
	unsigned int n, step = 1, offset = 0;
	union request req;
	bool is_loop, unreached;
	char *end;
	int rc, e;

	if (argc == 2 && !strcmp(argv[1], "snapshot")) {
		char *s = snapshot(false);

		fputs(s, stdout);
		free(s);
		return 0;
	}
	if (argc < 3)
		return usage();
	n = (unsigned int)strtoul(argv[1], &end, 10);
	is_loop = *end == '+';
	if (is_loop && end[1])
		step = (unsigned int)strtoul(end + 1, &end, 10);
	if (is_loop && *end == '+')
		offset = (unsigned int)strtoul(end + 1, NULL, 10);
	argv += 2;
	argc -= 2;
	if (argc >= 2 && !strcmp(argv[0], "--expect")) {
		want = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc < 1 || (is_loop && (!n || !step || offset >= step || !want)))
		return usage();
	rc = setup(&op, argv[0], argc - 1, argv + 1);
	if (rc)
		return rc;

	if (n) {
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (nth_fd < 0)
			die("/proc/thread-self/fail-nth");
	}
	if (is_loop) {
		char *masked = mask_uuids(want);

		rc = loop(&op, n, step, offset, masked);
		free(masked);
	} else {
		e = run(&op, &req, n, &unreached);
		print_result(&op, &req, e, n, unreached);
		rc = e ? 1 : 0;
	}
	free(op.image);
	return rc;
}
