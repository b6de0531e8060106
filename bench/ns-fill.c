// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/ns-fill: create COUNT raw 2 MiB namespaces named PREFIX<i> in REGION
 * with one process and one ioctl each, so that the control-plane benchmark
 * reaches 1000 or 4096 namespaces quickly. Only the set-up uses it: every
 * timed operation goes through the pmemctl CLI.
 *
 *   ns-fill REGION COUNT PREFIX
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <pmemctl.h>

int main(int argc, char **argv)
{
	unsigned long i, count;
	unsigned int region;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: ns-fill REGION COUNT PREFIX\n");
		return 2;
	}
	region = (unsigned int)strtoul(argv[1], NULL, 0);
	count = strtoul(argv[2], NULL, 0);
	fd = open(PMEMCTL_CONTROL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(PMEMCTL_CONTROL_DEVICE);
		return 1;
	}
	for (i = 0; i < count; i++) {
		struct pmemctl_ns_create c;

		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.region = region;
		c.mode = PMEMCTL_MODE_RAW;
		c.ns_size = 2 << 20;
		c.align = 2 << 20;
		snprintf(c.name, sizeof(c.name), "%s%lu", argv[3], i);
		if (ioctl(fd, PMEMCTL_IOC_NS_CREATE, &c)) {
			fprintf(stderr, "ns-fill: create %s: %s\n", c.name, strerror(errno));
			return 1;
		}
	}
	close(fd);
	return 0;
}
