// SPDX-License-Identifier: LGPL-2.1-or-later
/* common/mode.c and common/loglevel.c: the spellings users may write. */
#include <errno.h>
#include <syslog.h>

#include "common/util.h"
#include "test/unit/tap.h"

/* parse MODE MAP: the mode, or the negative errno as -1 - errno. */
static int parse(const char *mode, const char *map)
{
	enum ns_mode m;
	int err = ns_mode_parse(mode, map, &m);

	return err < 0 ? -1 - -err : (int)m;
}

/* parse MODE MAP ACCESS: mode * 16 + access, or -1 - errno. */
#define SHAPE(m, a)	((int)(m) * 16 + (int)(a))
static int shape(const char *mode, const char *map, const char *access)
{
	enum ns_access a;
	enum ns_mode m;
	int err = ns_shape_parse(mode, map, access, &m, &a);

	return err < 0 ? -1 - -err : SHAPE(m, a);
}

static int level(const char *s)
{
	int prio = 99;

	return log_level_parse(s, &prio) < 0 ? -99 : prio;
}

int main(void)
{
	enum ns_mode m;

	check(parse(NULL, NULL) == NS_MODE_RAW, "no mode: raw");
	check(parse("raw", NULL) == NS_MODE_RAW, "raw");
	check(parse("page", NULL) == NS_MODE_PAGE, "page");
	check(parse("pfn", NULL) == NS_MODE_PFN, "pfn");
	check(parse("fsdax", NULL) == NS_MODE_PFN, "fsdax alone: pfn, as ndctl");
	check(parse("fsdax", "mem") == NS_MODE_PAGE, "fsdax --map=mem: page");
	check(parse("fsdax", "dev") == NS_MODE_PFN, "fsdax --map=dev: pfn");
	check(parse(NULL, "mem") == NS_MODE_PAGE, "--map=mem alone: page");
	check(parse(NULL, "dev") == NS_MODE_PFN, "--map=dev alone: pfn");
	check(parse("page", "mem") == NS_MODE_PAGE, "page --map=mem agrees");
	check(parse("pfn", "dev") == NS_MODE_PFN, "pfn --map=dev agrees");
	check(parse("page", "dev") == -1 - EDOM, "page --map=dev: EDOM");
	check(parse("raw", "dev") == -1 - EDOM, "raw --map=dev: EDOM");
	check(parse("fsdax", "disk") == -1 - EDOM, "fsdax --map=disk: EDOM");
	check(parse("devdax", NULL) == -1 - EINVAL, "devdax: EINVAL");
	check(parse("PFN", NULL) == -1 - EINVAL, "names are lower case");
	check(parse("", NULL) == -1 - EINVAL, "empty: EINVAL");

	check(shape("devdax", NULL, NULL) == SHAPE(NS_MODE_PFN, NS_ACCESS_DEVDAX),
	      "-m devdax: pfn, as ndctl's default map=dev");
	check(shape("devdax", "mem", NULL) == SHAPE(NS_MODE_PAGE, NS_ACCESS_DEVDAX),
	      "-m devdax --map=mem: page");
	check(shape("devdax", "dev", "devdax") == SHAPE(NS_MODE_PFN, NS_ACCESS_DEVDAX),
	      "-m devdax --access=devdax agrees");
	check(shape("devdax", NULL, "block") == -1 - EXDEV, "-m devdax --access=block: EXDEV");
	check(shape("fsdax", NULL, "devdax") == -1 - EXDEV, "-m fsdax --access=devdax: EXDEV");
	check(shape("page", NULL, "devdax") == SHAPE(NS_MODE_PAGE, NS_ACCESS_DEVDAX),
	      "-m page --access=devdax");
	check(shape("pfn", NULL, NULL) == SHAPE(NS_MODE_PFN, NS_ACCESS_BLOCK),
	      "no access: block");
	check(shape(NULL, NULL, "devdax") == SHAPE(NS_MODE_PFN, NS_ACCESS_DEVDAX),
	      "--access=devdax alone: pfn");
	check(shape(NULL, "mem", "devdax") == SHAPE(NS_MODE_PAGE, NS_ACCESS_DEVDAX),
	      "--map=mem --access=devdax: page");
	check(shape("raw", NULL, "devdax") == -1 - ENXIO, "raw --access=devdax: ENXIO");
	check(shape(NULL, NULL, "dax") == -1 - EINVAL, "--access=dax: EINVAL");
	check(shape("devdax", "disk", NULL) == -1 - EDOM, "-m devdax --map=disk: EDOM");
	check(shape(NULL, NULL, NULL) == SHAPE(NS_MODE_RAW, NS_ACCESS_BLOCK), "nothing: raw block");
	check_str(ns_access_name(NS_ACCESS_DEVDAX), "devdax", "name of devdax");
	check(ns_access_name(NS_ACCESS_COUNT) == NULL, "no access name out of range");

	check(ns_mode_from_name("fsdax", &m) == -EINVAL,
	      "canonical names only: no fsdax from sysfs or the library API");
	check(ns_mode_from_name(NULL, &m) == -EINVAL, "NULL name: EINVAL");
	check(ns_mode_is("page", NS_MODE_PAGE) && !ns_mode_is("page", NS_MODE_PFN) &&
	      !ns_mode_is(NULL, NS_MODE_RAW), "ns_mode_is");
	check_str(ns_mode_name(NS_MODE_PFN), "pfn", "name of pfn");
	check(ns_mode_name(NS_MODE_COUNT) == NULL, "no name out of range");

	check(ns_align_valid(NS_ACCESS_DEVDAX, 4096) &&
	      ns_align_valid(NS_ACCESS_DEVDAX, 2ULL << 20) &&
	      ns_align_valid(NS_ACCESS_DEVDAX, 1ULL << 30),
	      "devdax takes 4K, 2M and 1G");
	check(!ns_align_valid(NS_ACCESS_DEVDAX, 4ULL << 20) &&
	      !ns_align_valid(NS_ACCESS_DEVDAX, 64ULL << 10) &&
	      !ns_align_valid(NS_ACCESS_DEVDAX, 0),
	      "devdax: no other fault size");
	check(ns_align_valid(NS_ACCESS_BLOCK, 2ULL << 20) &&
	      ns_align_valid(NS_ACCESS_BLOCK, 1ULL << 30) &&
	      ns_align_valid(NS_ACCESS_BLOCK, 16ULL << 30),
	      "block: powers of two from 2M");
	check(!ns_align_valid(NS_ACCESS_BLOCK, 4096) &&
	      !ns_align_valid(NS_ACCESS_BLOCK, 3ULL << 20) &&
	      !ns_align_valid(NS_ACCESS_BLOCK, 0),
	      "block: not 4K, not 3M, not 0");
	/* 64 bytes per 4 KiB page, rounded up to 2M */
	check(ns_pfn_reserve(0) == 0, "no pages, no reserve");
	check(ns_pfn_reserve(4096) == 2ULL << 20, "one page: 2M");
	check(ns_pfn_reserve(128ULL << 20) == 2ULL << 20, "128M: 2M exactly");
	check(ns_pfn_reserve((128ULL << 20) + 4096) == 4ULL << 20,
	      "128M and a page: 4M");
	check(ns_pfn_reserve(64ULL << 30) == 1ULL << 30,
	      "64G: 1G, a 1G devdax namespace's data stays on 1G");
	check(ns_pfn_reserve(1ULL << 40) == 16ULL << 30, "1T: 16G");

	check(level("off") == LOG_LEVEL_OFF, "off");
	check(level("err") == LOG_ERR, "err");
	check(level("info") == LOG_INFO, "info");
	check(level("debug") == LOG_DEBUG, "debug");
	check(level("0") == 0 && level("7") == 7, "0 and 7");
	check(level("8") == -99, "8: EINVAL");
	check(level("07") == -99, "07: EINVAL (no leading zeros)");
	check(level("-1") == -99, "-1: EINVAL (say off)");
	check(level("INFO") == -99, "names are lower case");
	check(level(NULL) == -99, "NULL: EINVAL");
	return tap_done();
}
