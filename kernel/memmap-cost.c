// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memmap cost arithmetic; see memmap-cost.h for the rules it models.
 */
#include "memmap-cost.h"

static u64 mc_round_up(u64 x, u64 to)
{
	return (x + to - 1) / to * to;
}

void mc_cost(u64 phys, const struct lf_ns *ns, u32 page_struct_size,
	     struct mc_cost *cost)
{
	u64 end = phys + ns->size;
	u64 sec, from, to, memmap;

	memset(cost, 0, sizeof(*cost));
	cost->data_offset = ns->data_offset;
	cost->dev_bytes = ns->data_offset;
	cost->data_size = ns->size - ns->data_offset;
	if (ns->mode == PMEMCTL_MODE_RAW)
		return;

	for (sec = phys / MC_SECTION_SIZE * MC_SECTION_SIZE; sec < end;
	     sec += MC_SECTION_SIZE) {
		from = sec > phys ? sec : phys;
		to = sec + MC_SECTION_SIZE < end ? sec + MC_SECTION_SIZE : end;
		memmap = (to - from) / MC_PAGE_SIZE * page_struct_size;
		if (to - from < MC_SECTION_SIZE) {
			cost->ram_bytes += mc_round_up(memmap, MC_PAGE_SIZE) +
					   MC_PAGE_SIZE;
		} else if (ns->mode == PMEMCTL_MODE_PFN) {
			cost->dev_used += mc_round_up(memmap, MC_PMD_SIZE);
		} else {
			cost->ram_bytes += mc_round_up(memmap, MC_PMD_SIZE);
		}
	}
}
