// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memmap cost arithmetic; see memmap-cost.h for the rules it models.
 */
#include "memmap-cost.h"

static u64 mc_round_up(u64 x, u64 to)
{
	return (x + to - 1) / to * to;
}

/*
 * The deduplicated memmap of [@from, @to), one section's part of a page
 * namespace starting at @phys, in compound pages of @csize bytes: the
 * section is populated in one go, and the kernel either maps all of it to
 * the previous section's tail page (a compound page that started in an
 * earlier section) or gives every compound page it walks its reserve.
 */
static u64 mc_dedup_section(u64 phys, u64 from, u64 to, u64 csize)
{
	u64 pages = MC_PAGE_SIZE;	/* the page-table page */

	if (csize > MC_PMD_SIZE && (from - phys) % csize)
		return pages;
	return pages + (to - from + csize - 1) / csize * MC_VMEMMAP_RESERVE *
		       MC_PAGE_SIZE;
}

u64 mc_chunk_ram(const struct lf_ns *ns, u32 page_struct_size, u32 flags)
{
	u64 chunk = mc_chunk_size(ns);
	u64 memmap = chunk / MC_PAGE_SIZE * page_struct_size;

	if (mc_compound_size(ns) && (flags & MC_COMPOUND_DEDUP))
		return MC_VMEMMAP_RESERVE * MC_PAGE_SIZE;
	if (chunk < MC_SECTION_SIZE)
		return mc_round_up(memmap, MC_PAGE_SIZE);
	return mc_round_up(memmap, MC_PMD_SIZE);
}

/* Worst case of ondemand @ns at @phys: every chunk made. */
static void mc_cost_ondemand(u64 phys, const struct lf_ns *ns,
			     u32 page_struct_size, u32 flags,
			     struct mc_cost *cost)
{
	u64 chunk = mc_chunk_size(ns), per = mc_chunk_ram(ns, page_struct_size,
							    flags);
	bool ptes = chunk < MC_SECTION_SIZE ||
		    (mc_compound_size(ns) && (flags & MC_COMPOUND_DEDUP));
	u64 first = phys / MC_SECTION_SIZE;
	u64 last = (phys + ns->size - 1) / MC_SECTION_SIZE;

	cost->ram_bytes = ns->size / chunk * per;
	cost->ram_per_gib = (1ULL << 30) / chunk * per;
	if (ptes) {
		cost->ram_bytes += (last - first + 1) * MC_PAGE_SIZE;
		cost->ram_per_gib += (1ULL << 30) / MC_SECTION_SIZE *
				     MC_PAGE_SIZE;
	}
}

void mc_cost(u64 phys, const struct lf_ns *ns, u32 page_struct_size,
	     u32 flags, struct mc_cost *cost)
{
	u64 end = phys + ns->size;
	u64 csize = mc_compound_size(ns);
	bool dedup = csize && ns->mode == PMEMCTL_MODE_PAGE &&
		     (flags & MC_COMPOUND_DEDUP);
	u64 sec, from, to, memmap;

	memset(cost, 0, sizeof(*cost));
	cost->data_offset = ns->data_offset;
	cost->dev_bytes = ns->data_offset;
	cost->data_size = ns->size - ns->data_offset;
	if (ns->mode == PMEMCTL_MODE_RAW)
		return;
	if (ns->mode == PMEMCTL_MODE_ONDEMAND) {
		mc_cost_ondemand(phys, ns, page_struct_size, flags, cost);
		return;
	}

	for (sec = phys / MC_SECTION_SIZE * MC_SECTION_SIZE; sec < end;
	     sec += MC_SECTION_SIZE) {
		from = sec > phys ? sec : phys;
		to = sec + MC_SECTION_SIZE < end ? sec + MC_SECTION_SIZE : end;
		memmap = (to - from) / MC_PAGE_SIZE * page_struct_size;
		if (dedup) {
			cost->ram_bytes += mc_dedup_section(phys, from, to,
							    csize);
		} else if (to - from < MC_SECTION_SIZE) {
			cost->ram_bytes += mc_round_up(memmap, MC_PAGE_SIZE) +
					   MC_PAGE_SIZE;
		} else if (ns->mode == PMEMCTL_MODE_PFN) {
			cost->dev_used += mc_round_up(memmap, MC_PMD_SIZE);
		} else {
			cost->ram_bytes += mc_round_up(memmap, MC_PMD_SIZE);
		}
	}
}
