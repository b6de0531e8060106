/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a namespace's memmap costs, by the rules x86-64 follows when it
 * maps the struct pages of hot-added device memory: plain C with no kernel
 * dependency, built into pmemctl.ko (which passes its real struct page
 * size) and into userspace tests and bench/metadata (which pass 64).
 */
#ifndef _PMEMCTL_MEMMAP_COST_H
#define _PMEMCTL_MEMMAP_COST_H

#include "label-format.h"

#define MC_PAGE_SIZE		4096ULL
#define MC_PMD_SIZE		(2ULL << 20)
#define MC_SECTION_SIZE		(128ULL << 20)

struct mc_cost {
	u64 data_offset;	/* see struct pmemctl_cost */
	u64 data_size;
	u64 ram_bytes;
	u64 dev_bytes;
	u64 dev_used;		/* of dev_bytes, what the memmap fills */
};

/*
 * Cost of @ns (mode, size, pfn layout) placed at physical address @phys
 * with @page_struct_size-byte struct pages.
 *
 * The memmap of device memory is populated one 128 MiB section at a time.
 * A section the namespace covers whole gets its 2 MiB of struct pages as
 * PMD-mapped blocks, taken from the namespace's reserve in pfn mode and
 * from RAM in page mode. A section it covers only in part is mapped with
 * 4 KiB pages from RAM in every mode (plus one page-table page), because
 * the kernel never uses the device reserve for less than a section.
 */
void mc_cost(u64 phys, const struct lf_ns *ns, u32 page_struct_size,
	     struct mc_cost *cost);

#endif /* _PMEMCTL_MEMMAP_COST_H */
