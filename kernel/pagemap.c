// SPDX-License-Identifier: GPL-2.0-only
/*
 * struct page backing for page and pfn namespaces. Both hand the namespace
 * to memremap_pages() as ZONE_DEVICE fs-dax memory; they differ in where
 * the memmap goes: system RAM (page) or, through a vmem_altmap, the reserve
 * at the start of the namespace that its label records (pfn).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "compat.h"
#include "internal.h"

/* The order of @label's compound pages (mc_compound_size()), 0 for none. */
static unsigned int pmemctl_compound_shift(const struct lf_ns *label)
{
	u64 csize = mc_compound_size(label);

	return csize ? ilog2(csize >> PAGE_SHIFT) : 0;
}

/*
 * Whether this kernel deduplicates the memmap of @label's compound pages
 * in RAM is the kernel's own rule (its configuration, the size of struct
 * page, the compound size), so ask it, for a pagemap shaped as
 * pmemctl_pages_add() will make it. A memmap on the device (an altmap)
 * is never deduplicated; mc_cost() knows that from the mode.
 */
static u32 pmemctl_cost_flags(const struct lf_ns *label)
{
	struct dev_pagemap pgmap = { }, *shape = &pgmap;

	pgmap.vmemmap_shift = pmemctl_compound_shift(label);
	if (!pgmap.vmemmap_shift)
		return 0;
	return pmemctl_vmemmap_can_optimize(shape) ? MC_COMPOUND_DEDUP : 0;
}

void pmemctl_label_cost(struct pmemctl_region *region,
			const struct lf_ns *label, struct mc_cost *cost)
{
	mc_cost(region->start + label->offset, label, sizeof(struct page),
		pmemctl_cost_flags(label), cost);
	if (label->mode == PMEMCTL_MODE_ONDEMAND)
		pmemctl_od_cost(label, cost);
}

/*
 * Can @label's mode be enabled on this kernel and this machine? A pfn
 * reserve sized for smaller struct pages than ours would overflow into the
 * data; a page memmap must leave at least half of the available memory
 * alone, so that enabling never drives the machine into the OOM killer.
 */
int pmemctl_pages_check(struct pmemctl_region *region,
			const struct lf_ns *label, struct device *dev)
{
	struct mc_cost cost;
	u64 avail;

	if (label->mode == PMEMCTL_MODE_PFN &&
	    label->page_struct_size < sizeof(struct page)) {
		dev_info_ratelimited(dev, "pfn reserve holds %u-byte struct pages, this kernel's are %zu bytes\n",
				     label->page_struct_size,
				     sizeof(struct page));
		return -EOVERFLOW;
	}
	if (label->mode != PMEMCTL_MODE_PAGE)
		return 0;

	pmemctl_label_cost(region, label, &cost);
	avail = (u64)si_mem_available() << PAGE_SHIFT;
	if (cost.ram_bytes > avail / 2) {
		dev_info_ratelimited(dev, "page mode needs %llu KiB of RAM for its memmap, %llu KiB available (at most half may be used)\n",
				     cost.ram_bytes >> 10, avail >> 10);
		return -ENOMEM;
	}
	return 0;
}

int pmemctl_pages_add(struct pmemctl_ns *ns)
{
	const struct lf_ns *label = &ns->label;
	phys_addr_t start = ns->region->start + label->offset;
	void *addr;
	int rc;

	ns->dev_used = 0;
	/*
	 * A raw namespace has no struct pages, so its range is not in the
	 * kernel's linear map (only System RAM and memory added by
	 * memremap_pages() are): its data is reached through the region's
	 * own mapping. memory_failure() cannot find a page there, so poison
	 * in a raw namespace is only ever learnt from the reads that hit it
	 * (copy_mc, badblocks.c).
	 */
	if (label->mode == PMEMCTL_MODE_RAW) {
		ns->virt = ns->region->virt + label->offset;
		return 0;
	}
	/*
	 * ondemand: no struct page yet. The data is reached through the
	 * region's mapping, as raw, and ondemand.c makes struct pages for
	 * a chunk when one of its pages is first mapped.
	 */
	if (label->mode == PMEMCTL_MODE_ONDEMAND) {
		mutex_lock(&ns->pages_lock);
		rc = pmemctl_od_add(ns, pmemctl_cost_flags(label));
		if (!rc) {
			ns->virt = ns->region->virt + label->offset;
			__module_get(THIS_MODULE);
			ns->pages_live = true;
		}
		mutex_unlock(&ns->pages_lock);
		return rc;
	}
	rc = pmemctl_pages_check(ns->region, label, &ns->dev);
	if (rc)
		return rc;

	memset(&ns->pgmap, 0, sizeof(ns->pgmap));
	/*
	 * Device-DAX pages are MEMORY_DEVICE_GENERIC, as drivers/dax makes
	 * them: long-term pins (RDMA, VFIO) are allowed on them, and no
	 * filesystem manages their references. Both types start every page
	 * at a reference count of one on 6.1 and 6.12 and a mapping takes
	 * none, so the held-page check below serves both.
	 */
	ns->pgmap.type = ns->label.access == PMEMCTL_ACCESS_DEVDAX ?
			 MEMORY_DEVICE_GENERIC : MEMORY_DEVICE_FS_DAX;
	ns->pgmap.range.start = start;
	ns->pgmap.range.end = start + label->size - 1;
	ns->pgmap.nr_range = 1;
	ns->pgmap.ops = &pmemctl_pagemap_ops;
	/*
	 * Device DAX faults whole compound pages (2 MiB, 1 GiB): a reference
	 * taken on any of their pages is counted on the head, and with the
	 * memmap in RAM the kernel shares most of their struct pages.
	 */
	ns->pgmap.vmemmap_shift = pmemctl_compound_shift(label);
	if (label->mode == PMEMCTL_MODE_PFN) {
		/*
		 * end_pfn is const: build the altmap whole and copy it in.
		 * The reserve starts at the namespace start with nothing
		 * held back, so the first 2 MiB memmap block lands at +0.
		 */
		struct vmem_altmap altmap = {
			.base_pfn = PHYS_PFN(start),
			.end_pfn = PHYS_PFN(start + label->size) - 1,
			.free = PHYS_PFN(label->data_offset),
		};

		memcpy(&ns->pgmap.altmap, &altmap, sizeof(altmap));
		ns->pgmap.flags = PGMAP_ALTMAP_VALID;
	}

	mutex_lock(&ns->pages_lock);
	addr = memremap_pages(&ns->pgmap, dev_to_node(&ns->dev));
	if (IS_ERR(addr)) {
		mutex_unlock(&ns->pages_lock);
		dev_info_ratelimited(&ns->dev, "memremap_pages: %ld\n",
				     PTR_ERR(addr));
		return PTR_ERR(addr);
	}
	/*
	 * memremap_pages() returns the range's address in the linear map
	 * (it added the range there): the data is accessed through it, as
	 * libnvdimm's pmem does, and not through region->virt. That alias
	 * is what the kernel's poison handling acts on: after a machine
	 * check, set_mce_nospec() makes the page not-present in the linear
	 * map, so no speculative load touches it again, while an alias in
	 * the vmalloc area would keep it mapped.
	 */
	ns->virt = addr;
	if (label->mode == PMEMCTL_MODE_PFN)
		ns->dev_used = PFN_PHYS(ns->pgmap.altmap.alloc +
					ns->pgmap.altmap.align);
	/*
	 * Module exit cannot be refused, and a page a pipe still holds
	 * would outlive the memmap it frees: while struct pages exist the
	 * module stays loaded, so rmmod is refused ("in use") until every
	 * page or pfn namespace has been disabled, which checks the pages.
	 */
	__module_get(THIS_MODULE);
	ns->pages_live = true;
	mutex_unlock(&ns->pages_lock);
	return 0;
}

/*
 * fs-dax pages are idle at a reference count of one on 6.1 and 6.12 (a
 * put that brings a page back to one wakes dax_layout_busy_page()); a
 * mapping by itself takes no reference. So once no filesystem can map the
 * namespace any more, a page above one is held by somebody the filesystem
 * no longer knows about: a pipe (vmsplice, splice from a DAX file), direct
 * I/O still in flight, a long-term pin. The pages the altmap reserves for
 * the memmap itself were never initialised as pages and are skipped.
 * References on a compound page are all counted on its head (its tails
 * stay at zero), so a held compound page counts as all of its pages: none
 * of them can go while it is held.
 */
static unsigned long pmemctl_pages_count_held(struct pmemctl_ns *ns,
					      u64 *first)
{
	unsigned long pfn = PHYS_PFN(ns->pgmap.range.start +
				     ns->label.data_offset);
	unsigned long end = PHYS_PFN(ns->pgmap.range.end + 1);
	unsigned long step = pgmap_vmemmap_nr(&ns->pgmap);
	unsigned long held = 0;

	if (ns->od)
		return pmemctl_od_held(ns, first);
	for (; pfn < end; pfn += step) {
		if (page_ref_count(pfn_to_page(pfn)) != 1) {
			if (!held)
				*first = PFN_PHYS(pfn) - ns->pgmap.range.start -
					 ns->label.data_offset;
			held += step;
		}
		if (!(pfn & 4095))
			cond_resched();
	}
	return held;
}

/* sysfs held_pages: may sleep; 0 while the namespace has no struct pages. */
unsigned long pmemctl_pages_held(struct pmemctl_ns *ns)
{
	unsigned long held = 0;
	u64 first;

	mutex_lock(&ns->pages_lock);
	if (ns->pages_live)
		held = pmemctl_pages_count_held(ns, &first);
	mutex_unlock(&ns->pages_lock);
	return held;
}

/*
 * The check every teardown makes once new access is impossible (no
 * opener, the disk refuses opens): -EBUSY while any page is still held,
 * with the first one's data offset in the log.
 */
int pmemctl_pages_check_idle(struct pmemctl_ns *ns)
{
	unsigned long held = 0;
	u64 first = 0;

	mutex_lock(&ns->pages_lock);
	if (ns->pages_live)
		held = pmemctl_pages_count_held(ns, &first);
	mutex_unlock(&ns->pages_lock);
	if (!held)
		return 0;
	dev_info_ratelimited(&ns->dev, "%lu page(s) still held outside the filesystem (first at data offset %#llx): refusing to remove the struct pages\n",
			     held, first);
	return -EBUSY;
}

/*
 * memunmap_pages() waits only for get_dev_pagemap() holders: callers
 * must have made sure with pmemctl_pages_check_idle() that no page is
 * held, after the last way to take a new reference was closed.
 */
void pmemctl_pages_del(struct pmemctl_ns *ns)
{
	mutex_lock(&ns->pages_lock);
	if (ns->pages_live && ns->od) {
		pmemctl_od_del(ns);
		ns->pages_live = false;
		module_put(THIS_MODULE);
	} else if (ns->pages_live) {
		memunmap_pages(&ns->pgmap);
		ns->pages_live = false;
		module_put(THIS_MODULE);
	}
	mutex_unlock(&ns->pages_lock);
}
