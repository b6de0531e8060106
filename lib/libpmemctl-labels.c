// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl: the raw bytes of a region's label store, from the root-only
 * binary sysfs attribute regionN/labels.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpmemctl-private.h"

/* How many times a read that a commit overlapped is tried again. */
#define READ_LABELS_TRIES	3

/* One pass over the file: 0 with *@len set, or a negative errno. */
static int read_store(struct pmemctl_region *region, const char *path,
		      char *p, size_t *len)
{
	size_t got = 0;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		dbg(region->ctx, "cannot open %s: %s\n", path, strerror(-err));
		return err;
	}
	/* The file ends at min(store size, region size). */
	while (got < PMEMCTL_STORE_SIZE) {
		n = pread(fd, p + got, PMEMCTL_STORE_SIZE - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			dbg(region->ctx, "%s: read at %zu failed: %s\n", path,
			    got, strerror(-err));
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return 0;
}

/* label_seq, or ULLONG_MAX when it cannot be read (an older module). */
static unsigned long long label_seq(struct pmemctl_region *region)
{
	char path[PATH_MAX];
	unsigned long long seq;

	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s/label_seq",
		 region->devname);
	if (sysfs_read_ull(path, &seq) < 0)
		return ULLONG_MAX;
	return seq;
}

PMEMCTL_EXPORT int pmemctl_region_read_labels(struct pmemctl_region *region,
					      void **buf, size_t *len)
{
	unsigned long long before, after;
	char path[PATH_MAX];
	int tries, err;
	char *p;

	*buf = NULL;
	*len = 0;
	snprintf(path, sizeof(path), PMEMCTL_SYSFS_DEVICES "/%s/labels",
		 region->devname);
	p = malloc(PMEMCTL_STORE_SIZE);
	if (!p)
		return -ENOMEM;
	/*
	 * The kernel hands out the store 4096 bytes at a time: a commit
	 * between two pieces shows as a change of label_seq.
	 */
	for (tries = 0; tries < READ_LABELS_TRIES; tries++) {
		before = label_seq(region);
		err = read_store(region, path, p, len);
		if (err < 0)
			break;
		after = label_seq(region);
		if (before == after)
			break;
		info(region->ctx, "%s: label store changed while read (seq %llu, then %llu)\n",
		     region->devname, before, after);
		err = -EAGAIN;
	}
	if (err < 0) {
		free(p);
		*len = 0;
		return err;
	}
	*buf = p;
	return 0;
}
