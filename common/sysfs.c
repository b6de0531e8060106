// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Small readers for one-value-per-file sysfs attributes.
 *
 * They use open(2)/read(2) rather than stdio so that the hermetic tests'
 * LD_PRELOAD shim sees every path the library touches.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"

int sysfs_read_str_at(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t total = 0;
	int fd, err = 0;

	if (len < 2)
		return -EINVAL;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	for (;;) {
		size_t want = len - total;

		n = read(fd, buf + total, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total == len) {
			err = -EFBIG;
			break;
		}
		/*
		 * sysfs formats an attribute in one go and hands all of it to
		 * the first read with room for it, so a short read is the end:
		 * asking again for the 0 that says so would cost a system call
		 * per attribute.
		 */
		if ((size_t)n < want)
			break;
	}
	close(fd);
	if (err < 0)
		return err;

	buf[total] = '\0';
	while (total > 0 && buf[total - 1] == '\n')
		buf[--total] = '\0';
	return 0;
}

int sysfs_read_ull_at(int dirfd, const char *path, unsigned long long *val)
{
	char buf[64], *end;
	const char *digits = buf;
	unsigned long long v;
	int base = 10, err;

	err = sysfs_read_str_at(dirfd, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		digits = buf + 2;
	}
	/* strtoull would accept blanks and a sign: sysfs never writes them. */
	if (base == 16 ? !isxdigit((unsigned char)*digits) :
			 !isdigit((unsigned char)*digits))
		return -EINVAL;

	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno)
		return -errno;
	if (*end != '\0')
		return -EINVAL;
	*val = v;
	return 0;
}

int sysfs_read_ull(const char *path, unsigned long long *val)
{
	return sysfs_read_ull_at(AT_FDCWD, path, val);
}

int sysfs_read_int_at(int dirfd, const char *path, int *val)
{
	char buf[32], *end;
	long v;
	int err;

	err = sysfs_read_str_at(dirfd, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	if (buf[0] == '\0')
		return -EINVAL;

	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno)
		return -errno;
	if (*end != '\0' || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

int sysfs_exists(const char *path)
{
	if (access(path, F_OK) < 0)
		return -errno;
	return 0;
}
