// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LD_PRELOAD shim for the hermetic tests.
 *
 * Paths under /sys/bus/pmemctl and /dev/pmemctl are redirected into the
 * fixture tree named by PMEMCTL_TEST_ROOT (so /sys/bus/pmemctl/devices
 * becomes $PMEMCTL_TEST_ROOT/sys/bus/pmemctl/devices). Every other path is
 * left alone. PMEMCTL_IOC_VERSION on the redirected control device is
 * answered here, checking the rules the module enforces.
 *
 * Keep the list of wrapped calls in step with what libpmemctl uses:
 * open (directly or through the fortified __open_2), opendir, access and,
 * to be safe, their 64-bit, *at and stat variants.
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

#define SHIM_EXPORT __attribute__((visibility("default")))

static const char *const redirected[] = {
	"/sys/bus/" PMEMCTL_BUS_NAME,
	PMEMCTL_CONTROL_DEVICE,
};

/* The rewritten path in buf, or path itself when it is not ours. */
static const char *redirect(const char *path, char *buf, size_t len)
{
	const char *root = getenv("PMEMCTL_TEST_ROOT");
	size_t i, n;

	if (!root || !path)
		return path;
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

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	va_list ap;
	mode_t mode;

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

/*
 * The fake module: version from PMEMCTL_TEST_MODVER (default "0.0.0-shim"),
 * ABI from the header, EINVAL for a wrong size, flags or reserved field.
 */
static int fake_ioctl(unsigned long request, void *arg)
{
	struct pmemctl_version *ver = arg;
	const char *modver = getenv("PMEMCTL_TEST_MODVER");
	size_t i;

	if (request != PMEMCTL_IOC_VERSION) {
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
