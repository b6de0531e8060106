// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Drive /dev/pmemctl with well-formed and malformed ioctls and check each
 * answer. Run in the test guest by tests/ioctl-abi.sh; prints one line per
 * check and exits non-zero if any check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <pmemctl.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "NOT OK", what);
	if (!ok)
		failures++;
}

/* ioctl() returning -1 with errno @want, or 0 when @want is 0. */
static int answers(int fd, unsigned long cmd, void *arg, int want)
{
	int rc = ioctl(fd, cmd, arg);

	if (want == 0)
		return rc == 0;
	return rc == -1 && errno == want;
}

static void fresh(struct pmemctl_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
}

/* A struct one word larger, so the size encoded in the command differs. */
struct version_plus {
	struct pmemctl_version v;
	uint64_t extra;
};

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : PMEMCTL_CONTROL_DEVICE;
	struct pmemctl_version v;
	struct version_plus big;
	unsigned char *bytes;
	size_t i;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return 2;
	}

	/* Poison the struct: every byte the kernel hands back must be its own. */
	memset(&v, 0xa5, sizeof(v));
	v.size = sizeof(v);
	v.flags = 0;
	memset(v.reserved, 0, sizeof(v.reserved));
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, 0), "VERSION succeeds");
	check(v.abi_major == PMEMCTL_ABI_MAJOR && v.abi_minor == PMEMCTL_ABI_MINOR,
	      "VERSION reports the header's ABI");
	check(v.size == sizeof(v) && v.flags == 0, "VERSION returns size, zero flags");
	check(memchr(v.module_version, '\0', sizeof(v.module_version)) != NULL &&
	      v.module_version[0] != '\0', "module_version is a terminated string");
	bytes = (unsigned char *)v.module_version;
	for (i = strlen(v.module_version); i < sizeof(v.module_version); i++)
		if (bytes[i])
			break;
	check(i == sizeof(v.module_version), "module_version is NUL-padded");
	bytes = (unsigned char *)v.reserved;
	for (i = 0; i < sizeof(v.reserved); i++)
		if (bytes[i])
			break;
	check(i == sizeof(v.reserved), "reserved fields come back zero");
	printf("module %s, ABI %u.%u\n", v.module_version, v.abi_major, v.abi_minor);

	fresh(&v);
	v.size = sizeof(v) - 8;
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), "size field too small: EINVAL");
	fresh(&v);
	v.size = sizeof(v) + 8;
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), "size field too large: EINVAL");
	fresh(&v);
	v.size = 0;
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), "size field zero: EINVAL");

	fresh(&v);
	v.flags = 1;
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), "unknown flag: EINVAL");
	fresh(&v);
	v.flags = 0x80000000u;
	check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), "high unknown flag: EINVAL");
	for (i = 0; i < sizeof(v.reserved) / sizeof(v.reserved[0]); i++) {
		char what[64];

		fresh(&v);
		v.reserved[i] = 1;
		snprintf(what, sizeof(what), "reserved[%zu] non-zero: EINVAL", i);
		check(answers(fd, PMEMCTL_IOC_VERSION, &v, EINVAL), what);
	}

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	check(answers(fd, _IOWR(PMEMCTL_IOC_MAGIC, 0x00, struct version_plus), &big, ENOTTY),
	      "struct size in command differs: ENOTTY");
	check(answers(fd, _IOR(PMEMCTL_IOC_MAGIC, 0x00, struct pmemctl_version), &v, ENOTTY),
	      "direction bits differ: ENOTTY");
	fresh(&v);
	check(answers(fd, _IOWR(PMEMCTL_IOC_MAGIC, 0x7f, struct pmemctl_version), &v, ENOTTY),
	      "unknown command number: ENOTTY");
	check(answers(fd, _IOWR('x', 0x00, struct pmemctl_version), &v, ENOTTY),
	      "foreign ioctl magic: ENOTTY");
	check(answers(fd, PMEMCTL_IOC_VERSION, (void *)16, EFAULT), "bad pointer: EFAULT");

	close(fd);
	printf("%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
