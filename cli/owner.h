/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who owns the legacy persistent memory ranges at boot: pmemctl or
 * libnvdimm's nd_e820 (pmemctl-set-owner(1)).
 *
 * The kernel describes every legacy range with one "e820_pmem" platform
 * device; udev loads the modules whose alias matches "platform:e820_pmem".
 * pmemctl.ko declares no such alias, nd_e820 does. Choosing pmemctl writes
 * one modprobe.d file: an "alias platform:e820_pmem pmemctl" line, which
 * kmod gives precedence over every alias of modules.alias, so udev loads
 * pmemctl and only pmemctl for that device, in the initramfs and after it;
 * and "blacklist nd_e820" for any other alias lookup. Choosing libnvdimm
 * removes the file: the state of a machine that never chose. Nothing here
 * depends on which module loads first, hence no race.
 */
#ifndef PMEMCTL_CLI_OWNER_H
#define PMEMCTL_CLI_OWNER_H

#include <stdbool.h>
#include <stddef.h>

enum owner {
	OWNER_LIBNVDIMM,
	OWNER_PMEMCTL,
};

/* The file "pmemctl set-owner" writes, and the place its tests use. */
#define OWNER_CONF "/etc/modprobe.d/pmemctl-owner.conf"
/* The platform device of the legacy ranges, when the kernel found any. */
#define OWNER_E820_DEVICE "/sys/bus/platform/devices/e820_pmem"

/* "pmemctl" or "libnvdimm". */
const char *owner_name(enum owner owner);

/* @s as an owner: 0, or -EINVAL when it names neither. */
int owner_parse(const char *s, enum owner *owner);

/*
 * What @conf chooses: libnvdimm when it does not exist, pmemctl when it
 * holds what owner_write_conf() writes for pmemctl. -EUCLEAN when it holds
 * anything else (edited by hand); another -errno when it cannot be read.
 */
int owner_read_conf(const char *conf, enum owner *owner);

/*
 * Make @conf choose @owner: write it (a temporary file in the same
 * directory, fsync, rename, fsync of the directory, so a crash leaves the
 * old file or the new one) or, for libnvdimm, remove it. 0 or -errno.
 */
int owner_write_conf(const char *conf, enum owner owner);

/*
 * The driver bound now to the e820_pmem device at @device: "pmemctl",
 * "libnvdimm", "none" (no driver), the driver's own name for any other,
 * copied into @buf. Returns 0, or -ENOENT when there is no such device (the
 * kernel found no legacy range), or another -errno.
 */
int owner_bound(const char *device, char *buf, size_t len);

/*
 * Lines of other modprobe configuration that decide the owner too: in
 * every *.conf file of @dirs (NULL-terminated) but @conf, each line that
 * blacklists, aliases, installs or removes nd_e820, pmemctl or the
 * e820_pmem device. @fn gets each; a non-zero return stops the scan and is
 * returned. 0 when done, or -errno (unreadable files are skipped).
 */
typedef int (*owner_line_fn)(const char *file, unsigned int line,
			     const char *text, void *arg);
int owner_other_config(const char *const dirs[], const char *conf,
		       owner_line_fn fn, void *arg);

/* The directories modprobe reads configuration from, in its order. */
extern const char *const owner_modprobe_dirs[];

#endif
