// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Namespace modes and how users spell them. One table, so that the
 * library's attribute reader and ioctl builder and every CLI option that
 * takes a mode (create-namespace, reconfigure-namespace, list -m) agree.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "common/util.h"
#include "uapi/pmemctl.h"

static const char *const mode_names[NS_MODE_COUNT] = {
	[NS_MODE_RAW] = "raw",
	[NS_MODE_PAGE] = "page",
	[NS_MODE_PFN] = "pfn",
	[NS_MODE_ONDEMAND] = "ondemand",
};

const char *ns_mode_name(enum ns_mode mode)
{
	return (unsigned int)mode < NS_MODE_COUNT ? mode_names[mode] : NULL;
}

int ns_mode_from_name(const char *name, enum ns_mode *mode)
{
	unsigned int i;

	for (i = 0; name && i < NS_MODE_COUNT; i++) {
		if (strcmp(name, mode_names[i]) == 0) {
			*mode = (enum ns_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool ns_mode_is(const char *name, enum ns_mode mode)
{
	enum ns_mode m;

	return ns_mode_from_name(name, &m) == 0 && m == mode;
}

static const char *const access_names[NS_ACCESS_COUNT] = {
	[NS_ACCESS_BLOCK] = "block",
	[NS_ACCESS_DEVDAX] = "devdax",
};

const char *ns_access_name(enum ns_access access)
{
	return (unsigned int)access < NS_ACCESS_COUNT ? access_names[access] : NULL;
}

int ns_access_from_name(const char *name, enum ns_access *access)
{
	unsigned int i;

	for (i = 0; name && i < NS_ACCESS_COUNT; i++) {
		if (strcmp(name, access_names[i]) == 0) {
			*access = (enum ns_access)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* ndctl's --map: where the memmap lives. */
static int map_mode(const char *map, enum ns_mode *mode)
{
	if (strcmp(map, "mem") == 0)
		*mode = NS_MODE_PAGE;
	else if (strcmp(map, "dev") == 0)
		*mode = NS_MODE_PFN;
	else
		return -EDOM;
	return 0;
}

int ns_mode_parse(const char *mode, const char *map, enum ns_mode *out)
{
	enum ns_mode m, by_map;

	if (!mode)
		mode = map ? "fsdax" : "raw";
	if (strcmp(mode, "fsdax") == 0) {
		/* ndctl's default map is dev: the memmap on the namespace */
		if (!map) {
			*out = NS_MODE_PFN;
			return 0;
		}
		return map_mode(map, out);
	}
	if (ns_mode_from_name(mode, &m) < 0)
		return -EINVAL;
	/* --map only restates page (mem) or pfn (dev) */
	if (map && (map_mode(map, &by_map) < 0 || by_map != m))
		return -EDOM;
	*out = m;
	return 0;
}

int ns_shape_parse(const char *mode, const char *map, const char *access,
		   enum ns_mode *mode_out, enum ns_access *access_out)
{
	enum ns_access a = NS_ACCESS_BLOCK;
	bool ndctl_devdax = mode && strcmp(mode, "devdax") == 0;
	enum ns_mode m;
	int err;

	if (access && ns_access_from_name(access, &a) < 0)
		return -EINVAL;
	if (ndctl_devdax) {
		if (access && a != NS_ACCESS_DEVDAX)
			return -EXDEV;
		a = NS_ACCESS_DEVDAX;
		/* ndctl: devdax is fsdax's placement with a character device */
		mode = "fsdax";
	} else if (access && a == NS_ACCESS_DEVDAX && mode &&
		   strcmp(mode, "fsdax") == 0) {
		return -EXDEV;
	}
	/* like ndctl's devdax, the memmap goes on the device by default */
	if (a == NS_ACCESS_DEVDAX && !mode && !map)
		mode = "pfn";
	err = ns_mode_parse(mode, map, &m);
	if (err < 0)
		return err;
	if (a == NS_ACCESS_DEVDAX && m == NS_MODE_RAW)
		return -ENXIO;
	*mode_out = m;
	*access_out = a;
	return 0;
}

bool ns_align_valid(enum ns_access access, unsigned long long align)
{
	if (access == NS_ACCESS_DEVDAX)
		return align == 4096 || align == 2ULL << 20 || align == 1ULL << 30;
	return align >= 2ULL << 20 && !(align & (align - 1));
}

unsigned long long ns_pfn_reserve(unsigned long long size)
{
	unsigned long long memmap;

	memmap = size / PMEMCTL_PFN_PAGE_SIZE * PMEMCTL_PAGE_STRUCT_SIZE;
	return (memmap + PMEMCTL_PFN_ALIGN - 1) &
	       ~(unsigned long long)(PMEMCTL_PFN_ALIGN - 1);
}
