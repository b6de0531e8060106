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
 */
#include <errno.h>
#include <fcntl.h>
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

static int usage(void)
{
	fprintf(stderr,
		"usage: fail-nth N init REGION [force]\n"
		"       fail-nth N create REGION SIZE MODE [NAME]\n"
		"       fail-nth N destroy|enable|disable REGION ID\n"
		"       fail-nth N reconfigure REGION ID MODE [force]\n"
		"       fail-nth N insmod MODULE.ko [PARAMS]\n");
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

int main(int argc, char **argv)
{
	union {
		struct pmemctl_init_labels init;
		struct pmemctl_ns_create create;
		struct pmemctl_ns_ref ref;
		struct pmemctl_ns_reconfigure reconf;
	} req;
	unsigned long cmd = 0;
	void *image = NULL;
	size_t image_len = 0;
	unsigned int n, left = 0;
	const char *op;
	int fd, e, mode;
	long rc;

	if (argc < 3)
		return usage();
	n = (unsigned int)strtoul(argv[1], NULL, 10);
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

	if (e)
		printf("result: errno %s\n", errname(e));
	else if (cmd == PMEMCTL_IOC_NS_CREATE)
		printf("result: ok id %u\n", req.create.id);
	else
		printf("result: ok\n");
	printf("nth: %s\n", !n ? "off" : left ? "unreached" : "injected");
	free(image);
	return e ? 1 : 0;
}
