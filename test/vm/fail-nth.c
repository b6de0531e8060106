// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One pmemctl operation with the N-th fault-injection point of this task
 * failing, for test/vm/tests/fail-inject.sh:
 *
 *   fail-nth N init REGION [force]
 *   fail-nth N create REGION SIZE MODE [NAME]     (MODE: raw, page, pfn)
 *   fail-nth N destroy|enable|disable REGION ID
 *   fail-nth N reconfigure REGION ID MODE [force]
 *   fail-nth N insmod MODULE.ko [PARAMS]
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
 * file) is opened first; N is written right before the one syscall
 * (ioctl or finit_module) and read back right after it:
 *   0         the N-th point was reached and failed (injected);
 *   positive  the syscall made fewer than N calls (unreached): the
 *             operation ran without any injected failure, and every
 *             larger N would give the same.
 * N = 0 runs the operation with no injection.
 *
 * Prints one line, "result: ok [id ID]" or "result: errno NAME", then
 * "nth: injected" or "nth: unreached" (or "nth: off"); exit status 0 on
 * success, 1 when the operation failed with an errno, 2 on a usage or
 * setup error.
 *
 * With N written as "N+" it runs the operation for N, N+1, ... in this
 * one process (a fork and exec per allocation point is what made the
 * shell loop too slow on the debug kernel) until the operation succeeds,
 * and checks each failure itself: an injected failure must leave the
 * pmemctl devices in sysfs exactly as they were (and a failed module load
 * no module behind); a failure with nothing injected is a defect. It stops
 * at the first success, printing the lines above, then "at: N" and
 * "failed: COUNT" (the failures checked on the way); exit status 0, or 3
 * with a message when a failure broke the rules. "N+S" steps by S once
 * past allocation FULL_PREFIX (sampling, when every N would take too long).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pmemctl.h>

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case EEXIST: return "EEXIST";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EOVERFLOW: return "EOVERFLOW";
	case EIO: return "EIO";
	case EAGAIN: return "EAGAIN";
	default:
		snprintf(buf, sizeof(buf), "errno%d", e);
		return buf;
	}
}

/* "N+S" tries every allocation up to this one, then every S-th. */
#define FULL_PREFIX 32

static int usage(void)
{
	fprintf(stderr,
		"usage: fail-nth N init REGION [force]\n"
		"       fail-nth N create REGION SIZE MODE [NAME]\n"
		"       fail-nth N destroy|enable|disable REGION ID\n"
		"       fail-nth N reconfigure REGION ID MODE [force]\n"
		"       fail-nth N insmod MODULE.ko [PARAMS]\n"
		"N+ instead of N: N, N+1, ... up to the first success;\n"
		"N+S: the same, every S-th allocation past the first %d\n", FULL_PREFIX);
	return 2;
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

static int nth_fd = -1;

/* Arm (n > 0) or disarm (0) this thread's fail-nth. */
static void nth_write(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len) {
		perror("write fail-nth");
		exit(2);
	}
}

static unsigned int nth_read(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0) {
		perror("read fail-nth");
		exit(2);
	}
	return (unsigned int)strtoul(buf, NULL, 10);
}

/* One line per region and namespace attribute a failure must not change. */
#define SYSBUS "/sys/bus/pmemctl/devices"

static const char *const region_attrs[] = { "state", "available_size", NULL };
static const char *const ns_attrs[] = {
	"name", "uuid", "mode", "size", "state", NULL
};

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The devices' state as sorted text, in a buffer the caller frees. */
static char *snapshot(void)
{
	char *lines[4096], path[512], val[256], *out;
	size_t nlines = 0, len = 0, i;
	struct dirent *de;
	DIR *d;

	d = opendir(SYSBUS);
	while (d && (de = readdir(d)) && nlines < 4096) {
		const char *const *attr;
		char line[2048];
		int off;

		if (!strncmp(de->d_name, "region", 6))
			attr = region_attrs;
		else if (!strncmp(de->d_name, "namespace", 9))
			attr = ns_attrs;
		else
			continue;
		off = snprintf(line, sizeof(line), "%s", de->d_name);
		for (; *attr; attr++) {
			ssize_t r = -1;
			int afd;

			snprintf(path, sizeof(path), SYSBUS "/%s/%s", de->d_name, *attr);
			afd = open(path, O_RDONLY | O_CLOEXEC);
			if (afd >= 0) {
				r = read(afd, val, sizeof(val) - 1);
				close(afd);
			}
			val[r > 0 ? r : 0] = 0;
			val[strcspn(val, "\n")] = 0;
			off += snprintf(line + off, sizeof(line) - off, " %s",
					r >= 0 ? val : "?");
			if (off >= (int)sizeof(line))
				off = sizeof(line) - 1;
		}
		lines[nlines] = strdup(line);
		if (!lines[nlines]) {
			perror("strdup");
			exit(2);
		}
		len += strlen(line) + 1;
		nlines++;
	}
	if (d)
		closedir(d);
	qsort(lines, nlines, sizeof(lines[0]), line_cmp);
	out = malloc(len + 1);
	if (!out) {
		perror("malloc");
		exit(2);
	}
	out[0] = 0;
	for (i = 0, len = 0; i < nlines; i++) {
		len += sprintf(out + len, "%s\n", lines[i]);
		free(lines[i]);
	}
	return out;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

int main(int argc, char **argv)
{
	union {
		struct pmemctl_init_labels init;
		struct pmemctl_ns_create create;
		struct pmemctl_ns_ref ref;
		struct pmemctl_ns_reconfigure reconf;
	} req, req0;
	unsigned long cmd = 0;
	void *image = NULL;
	size_t image_len = 0;
	unsigned int n, left = 0, failed = 0, step = 1;
	char *before = NULL, *after, *end;
	bool loop;
	const char *op;
	int fd, e, mode;
	long rc;

	if (argc < 3)
		return usage();
	n = (unsigned int)strtoul(argv[1], &end, 10);
	loop = *end == '+';
	if (loop && end[1])
		step = (unsigned int)strtoul(end + 1, NULL, 10);
	if (loop && (!n || !step))
		return usage();
	op = argv[2];
	argv += 3;
	argc -= 3;
	memset(&req, 0, sizeof(req));

	if (!strcmp(op, "insmod")) {
		if (argc < 1)
			return usage();
		struct stat st;

		fd = open(argv[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			perror(argv[0]);
			return 2;
		}
		image_len = (size_t)st.st_size;
		image = malloc(image_len);
		if (!image || read(fd, image, image_len) != (ssize_t)image_len) {
			perror(argv[0]);
			return 2;
		}
		close(fd);
	} else {
		fd = open(PMEMCTL_CONTROL_DEVICE, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(PMEMCTL_CONTROL_DEVICE);
			return 2;
		}
		if (argc < 1)
			return usage();
	}

	if (!strcmp(op, "init")) {
		req.init.size = sizeof(req.init);
		req.init.region = (unsigned int)strtoul(argv[0], NULL, 0);
		if (argc > 1 && !strcmp(argv[1], "force"))
			req.init.flags = PMEMCTL_INIT_FORCE;
		cmd = PMEMCTL_IOC_INIT_LABELS;
	} else if (!strcmp(op, "create")) {
		if (argc < 3 || (mode = parse_mode(argv[2])) < 0)
			return usage();
		req.create.size = sizeof(req.create);
		req.create.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req.create.ns_size = strtoull(argv[1], NULL, 0);
		req.create.mode = (unsigned int)mode;
		if (argc > 3)
			snprintf(req.create.name, sizeof(req.create.name), "%s", argv[3]);
		cmd = PMEMCTL_IOC_NS_CREATE;
	} else if (!strcmp(op, "destroy") || !strcmp(op, "enable") ||
		   !strcmp(op, "disable")) {
		if (argc < 2)
			return usage();
		req.ref.size = sizeof(req.ref);
		req.ref.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req.ref.id = (unsigned int)strtoul(argv[1], NULL, 0);
		cmd = op[1] == 'e' ? PMEMCTL_IOC_NS_DESTROY :
		      op[0] == 'e' ? PMEMCTL_IOC_NS_ENABLE : PMEMCTL_IOC_NS_DISABLE;
	} else if (!strcmp(op, "reconfigure")) {
		if (argc < 3 || (mode = parse_mode(argv[2])) < 0)
			return usage();
		req.reconf.size = sizeof(req.reconf);
		req.reconf.region = (unsigned int)strtoul(argv[0], NULL, 0);
		req.reconf.id = (unsigned int)strtoul(argv[1], NULL, 0);
		req.reconf.mode = (unsigned int)mode;
		if (argc > 3 && !strcmp(argv[3], "force"))
			req.reconf.flags = PMEMCTL_RECONFIGURE_FORCE;
		cmd = PMEMCTL_IOC_NS_RECONFIGURE;
	} else if (strcmp(op, "insmod")) {
		return usage();
	}

	if (n) {
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (nth_fd < 0) {
			perror("/proc/thread-self/fail-nth");
			return 2;
		}
	}

	req0 = req;	/* the kernel writes results back into req */
again:
	req = req0;
	if (loop)
		before = snapshot();
	/* Nothing but the syscall between arming and reading back. */
	if (n)
		nth_write(n);
	if (cmd)
		rc = ioctl(fd, cmd, &req);
	else
		rc = syscall(SYS_init_module, image, image_len,
			     argc > 1 ? argv[1] : "");
	e = rc ? errno : 0;
	if (n) {
		left = nth_read();
		nth_write(0);
	}
	if (loop && e) {
		after = snapshot();
		if (left)
			printf("allocation %u: failed (%s) with nothing injected\n",
			       n, errname(e));
		else if (!cmd && (exists("/sys/module/pmemctl") ||
				  exists(PMEMCTL_CONTROL_DEVICE)))
			printf("allocation %u: the module load failed (%s) but left the module or %s behind\n",
			       n, errname(e), PMEMCTL_CONTROL_DEVICE);
		else if (strcmp(before, after))
			printf("allocation %u: failed (%s) but changed the devices\nbefore:\n%safter:\n%s",
			       n, errname(e), before, after);
		else
			left = UINT_MAX;	/* a clean failure */
		free(before);
		free(after);
		if (left != UINT_MAX) {
			free(image);
			return 3;
		}
		failed++;
		if (!(failed % 100))
			fprintf(stderr, "fail-nth: %s: allocation %u failed cleanly\n", op, n);
		n += n < FULL_PREFIX ? 1 : step;
		goto again;
	}
	free(before);

	if (e)
		printf("result: errno %s\n", errname(e));
	else if (cmd == PMEMCTL_IOC_NS_CREATE)
		printf("result: ok id %u\n", req.create.id);
	else
		printf("result: ok\n");
	printf("nth: %s\n", !n ? "off" : left ? "unreached" : "injected");
	if (loop)
		printf("at: %u\nfailed: %u\n", n, failed);
	free(image);
	return e ? 1 : 0;
}
