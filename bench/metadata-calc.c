// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pfn device reserve by arithmetic, for bench/run metadata:
 *
 *   metadata-calc SIZE...
 *
 * prints, per namespace size in bytes, "SIZE OURS REF MEMMAP2M" where OURS
 * is pmemctl's reserve (lf_set_layout(), the code the module runs),
 * REF is libnvdimm's fsdax --map=dev data offset for a 2 MiB-aligned start
 * and the default 2 MiB alignment, and MEMMAP2M is the memmap of the
 * whole namespace at 64 bytes per 4 KiB page rounded up to 2 MiB.
 *
 * libnvdimm's rule, as nd_pfn_init() in drivers/nvdimm/pfn_devs.c applies
 * it: an 8 KiB info block area, then 64 bytes for each 4 KiB page after
 * it, and the data starts at the next alignment boundary.
 */
#include <stdio.h>
#include <stdlib.h>

#include "label-format.h"

#define SZ_8K		8192ULL
#define SZ_2M		(2ULL << 20)

static unsigned long long round_up(unsigned long long x, unsigned long long to)
{
	return (x + to - 1) / to * to;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		unsigned long long size = strtoull(argv[i], NULL, 0);
		unsigned long long ref, memmap;
		struct lf_ns ns = { .mode = PMEMCTL_MODE_PFN, .size = size };

		if (size < 2 * SZ_2M || size % SZ_2M) {
			fprintf(stderr, "metadata-calc: %s: not a multiple of 2 MiB of at least 4 MiB\n",
				argv[i]);
			return 2;
		}
		lf_set_layout(&ns);
		ref = round_up(SZ_8K + 64 * ((size - SZ_8K) / 4096), SZ_2M);
		memmap = round_up(size / 4096 * 64, SZ_2M);
		printf("%llu %llu %llu %llu\n", size, (unsigned long long)ns.data_offset,
		       ref, memmap);
	}
	return 0;
}
