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

/*
 * mc_cost() flags: what the running kernel does, which only it can tell
 * (the module asks vmemmap_can_optimize()).
 *
 * MC_COMPOUND_DEDUP: the memmap of compound device pages that lives in
 * RAM is deduplicated. Each compound page keeps two vmemmap pages of its
 * own (its head, and the first page of tails), and maps the rest of its
 * struct pages to that second page; a compound page larger than a section
 * (1 GiB) maps every section after its first to the previous section's
 * tail page. Such a memmap is always mapped with 4 KiB pages, so each
 * section it touches also takes one page-table page.
 */
#define MC_COMPOUND_DEDUP	0x1U
#define MC_VMEMMAP_RESERVE	2ULL	/* vmemmap pages kept per compound */

/*
 * The size of @ns's compound pages, 0 for none: a device-DAX namespace
 * aligned to more than 4 KiB gets struct pages of its fault size (2 MiB
 * or 1 GiB), as drivers/dax does, wherever its memmap lives.
 */
static inline u64 mc_compound_size(const struct lf_ns *ns)
{
	if (ns->access != PMEMCTL_ACCESS_DEVDAX || ns->mode == PMEMCTL_MODE_RAW ||
	    ns->align <= MC_PAGE_SIZE)
		return 0;
	return ns->align;
}

/*
 * An ondemand namespace makes struct pages one chunk at a time: 2 MiB (the
 * memory-hotplug subsection, the smallest range the kernel adds), or a
 * device-DAX align above that (1 GiB), so that one fault needs one chunk.
 */
#define MC_CHUNK_MIN		MC_PMD_SIZE

static inline u64 mc_chunk_size(const struct lf_ns *ns)
{
	u64 csize = mc_compound_size(ns);

	return csize > MC_CHUNK_MIN ? csize : MC_CHUNK_MIN;
}

struct mc_cost {
	u64 data_offset;	/* see struct pmemctl_cost */
	u64 data_size;
	u64 ram_bytes;		/* ondemand: with every chunk made */
	u64 dev_bytes;
	u64 dev_used;		/* of dev_bytes, what the memmap fills */
	u64 ram_per_gib;	/* ondemand: per GiB mapped, else 0 */
};

/*
 * RAM of the struct pages of one chunk of ondemand @ns, without the
 * page-table pages (one per section with any chunk made, MC_PAGE_SIZE).
 * A chunk smaller than a section has its memmap mapped with 4 KiB pages;
 * a 1 GiB chunk, whole sections, in 2 MiB blocks, unless deduplicated.
 */
u64 mc_chunk_ram(const struct lf_ns *ns, u32 page_struct_size, u32 flags);

/*
 * Cost of @ns (mode, size, pfn layout, access and align) placed at
 * physical address @phys with @page_struct_size-byte struct pages, on a
 * kernel that does what @flags say.
 *
 * The memmap of device memory is populated one 128 MiB section at a time.
 * A section the namespace covers whole gets its 2 MiB of struct pages as
 * PMD-mapped blocks, taken from the namespace's reserve in pfn mode and
 * from RAM in page mode. A section it covers only in part is mapped with
 * 4 KiB pages from RAM in every mode (plus one page-table page), because
 * the kernel never uses the device reserve for less than a section.
 *
 * A page-mode memmap of compound pages, where MC_COMPOUND_DEDUP says the
 * kernel deduplicates it, costs instead, per section: one page-table page,
 * plus MC_VMEMMAP_RESERVE pages for every compound page that starts in it
 * (a 1 GiB compound page starts in one section of its eight). Page tables
 * above the last level (one PMD page maps the memmap of 64 GiB) are not
 * counted, in any mode: they are usually there already.
 *
 * An ondemand namespace's ram_bytes is the worst case, every chunk made:
 * mc_chunk_ram() per chunk plus one page-table page per section (with 4
 * KiB-mapped chunks); ram_per_gib is the same for one GiB of chunks. The
 * kernel adds what it allocates itself to track chunks.
 */
void mc_cost(u64 phys, const struct lf_ns *ns, u32 page_struct_size,
	     u32 flags, struct mc_cost *cost);

#endif /* _PMEMCTL_MEMMAP_COST_H */
