// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Errors of the namespace commands, each with what to do about it; see
 * cli/namespace.h.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"


/* MemAvailable from /proc/meminfo, in bytes; ULLONG_MAX if unknown. */
static unsigned long long mem_available(void)
{
	unsigned long long kib = ULLONG_MAX;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return ULLONG_MAX;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib == ULLONG_MAX ? kib : kib * 1024;
}

int cli_report_backing_error(const char *cmd, struct pmemctl_region *region,
			     const char *what, const char *mode,
			     const struct pmemctl_cost *cost,
			     struct pmemctl_namespace *ns, int err)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX], kernel[32];
	const char *cur = ns ? pmemctl_namespace_get_mode(ns) : NULL;
	unsigned long long avail;
	unsigned int have, need;

	if (err == -ENOMEM && ns_mode_is(mode, NS_MODE_PAGE)) {
		avail = mem_available();
		/* a cost of 0: the kernel failed before it computed one */
		if (!cost || !cost->ram_bytes || avail == ULLONG_MAX)
			return cli_error(cmd,
				"page mode for %s needs more RAM for its memmap than pmemctl allows (half of what is available); use pfn mode to keep the memmap on the device",
				what);
		return cli_error(cmd,
			"page mode for %s needs %s of RAM for its memmap, but only %s is available and pmemctl uses at most half; use pfn mode to keep the memmap on the device%s",
			what, size_to_human(cost->ram_bytes, a, sizeof(a)),
			size_to_human(avail, b, sizeof(b)),
			ns ? "" : ", or a smaller size");
	}
	if (err == -EOVERFLOW) {
		need = pmemctl_region_get_struct_page_size(region);
		/* 0: struct_page_size unreadable, not a 0-byte struct page */
		if (need)
			snprintf(kernel, sizeof(kernel), "takes %u", need);
		else
			snprintf(kernel, sizeof(kernel), "is larger");
		if (ns_mode_is(cur, NS_MODE_PFN) && (!mode || ns_mode_is(mode, NS_MODE_PFN))) {
			have = pmemctl_namespace_get_page_struct_size(ns);
			return cli_error(cmd,
				"%s reserves %u bytes per struct page on the device, but this kernel's struct page %s: it cannot be enabled in pfn mode on this kernel; reconfigure it to page or raw mode (with --force: its data is lost)",
				what, have, kernel);
		}
		return cli_error(cmd,
			"pfn mode reserves 64 bytes per struct page on the device, but this kernel's struct page %s: use page mode on this kernel",
			kernel);
	}
	return 0;
}

int ns_report_error(const char *cmd, struct pmemctl_region *region,
		    struct pmemctl_namespace *ns, const char *what, int err)
{
	const char *rname = region ? pmemctl_region_get_devname(region) : "region";
	const char *state = region ? pmemctl_region_get_state(region) : NULL;
	const char *obj = ns ? pmemctl_namespace_get_devname(ns) : rname;
	const char *bdev = ns ? pmemctl_namespace_get_blockdev(ns) : NULL;
	const char *cdev = ns ? pmemctl_namespace_get_chardev(ns) : NULL;
	unsigned long long held;

	switch (-err) {
	case EBUSY:
		if (ns && !pmemctl_namespace_get_held_pages(ns, &held) && held)
			return cli_error(cmd,
				"%s: a process still holds %llu page(s) of its memory (a pipe filled with vmsplice, direct I/O in flight or another pin); nothing was changed: end that process or let its I/O finish, then retry",
				obj, held);
		if (cdev)
			return cli_error(cmd, "%s (%s) is in use (open or mapped by a process); close and unmap it first",
					 obj, cdev);
		if (bdev)
			return cli_error(cmd, "%s (%s) is in use (open or mounted); unmount it first",
					 obj, bdev);
		return cli_error(cmd, "%s is in use (open or mounted); unmount it first", obj);
	case ENOENT:
		if (ns)
			return cli_error(cmd, "%s no longer exists", obj);
		return cli_error(cmd, "cannot %s: /dev/pmemctl not found; is the pmemctl module loaded?",
				 what);
	case ENODEV:
		return cli_error(cmd, "%s no longer exists", rname);
	case ENXIO:
		if (state && strcmp(state, "label-error") == 0)
			return cli_error(cmd,
				"%s has a damaged label store; run 'pmemctl init-labels --force %s' (this erases every namespace of %s)",
				rname, rname, rname);
		return cli_error(cmd, "%s has no valid label store; run 'pmemctl init-labels %s' first",
				 rname, rname);
	case EIO:
		if (state && strcmp(state, "degraded") == 0) {
			const char *why = pmemctl_region_get_label_error(region);

			return cli_error(cmd,
				"cannot %s %s: the label store of %s is degraded (%s): a namespace it cannot show may lie in any space that looks free, so no new namespace is placed there; its other namespaces keep working",
				what, obj, rname, why ? why : "a namespace is missing");
		}
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	case EEXIST:
		return cli_error(cmd, "%s: the name or UUID is already used in %s", obj, rname);
	case ENOSPC:
		return cli_error(cmd, "%s has no room for another namespace", rname);
	case EPERM:
	case EACCES:
		return cli_error(cmd, "cannot %s %s: permission denied; changing namespaces needs root (CAP_SYS_ADMIN)",
				 what, obj);
	case EINVAL:
		return cli_error(cmd, "cannot %s %s: the kernel rejected the request as invalid",
				 what, obj);
	case EOPNOTSUPP:
		/* a newer module's access kind: the kernel log names it */
		if (ns && !pmemctl_namespace_get_access(ns))
			return cli_error(cmd,
				"cannot %s %s: its label asks for a kind of access this pmemctl module does not know (written by a newer pmemctl?); nothing was changed: load a module that knows it, or destroy the namespace",
				what, obj);
		return cli_error(cmd, "cannot %s %s: not supported by this pmemctl module",
				 what, obj);
	case ENOMEM:
	case EOVERFLOW:
		if (ns) {
			struct pmemctl_cost c;
			bool known = pmemctl_namespace_get_cost(ns, &c) == 0;
			int status;

			status = cli_report_backing_error(cmd, region, obj,
					pmemctl_namespace_get_mode(ns),
					known ? &c : NULL, ns, err);
			if (status)
				return status;
		}
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	case ETIMEDOUT:
		return cli_error(cmd, "%s: /dev/%s did not appear within 5 seconds; check udev (udevadm settle)",
				 obj, bdev ? bdev : "pmem*");
	default:
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	}
}
