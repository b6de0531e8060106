// SPDX-License-Identifier: GPL-2.0-only
/*
 * On-demand memmaps (mode ondemand): struct pages only for the parts of a
 * namespace that are mapped. The data is cut into chunks of
 * mc_chunk_size() (2 MiB, the memory-hotplug subsection, or a device-DAX
 * align above that); a chunk's struct pages are made by memremap_pages()
 * the first time a page of it must be mapped, each chunk its own pagemap
 * (compound pages for a 2M or 1G device-DAX align, as in page mode).
 * Until then the data is reached only through the region's own mapping,
 * as a raw namespace's is.
 *
 * When a chunk's struct pages may go:
 *  - Device DAX: when no mapping covers the chunk and none of its pages
 *    is referenced. @maps[i] counts the VMAs whose range covers chunk i,
 *    each counted for the range it had when counted (mmap, and the open
 *    of a VMA copied by fork, split or mremap) and uncounted for that
 *    same range at its close, which the core calls after the VMA's page
 *    table entries are gone. A split leaves the original VMA counted for
 *    its old range until it closes, so a chunk may outlive its last
 *    mapping until then, never the other way round. A page table entry
 *    of a chunk's page exists only inside a VMA that covers the chunk, a
 *    fault runs on a live VMA, and a VMA's count is taken before it can
 *    fault and dropped after its entries are zapped: so while @maps[i]
 *    is zero no entry maps the chunk and no fault can be mapping it.
 *    References without a mapping (a pipe filled by vmsplice, direct I/O
 *    in flight) keep the chunk until they are dropped: the reclaimer
 *    checks every page is idle, and looks again every second while such
 *    a chunk is left. GUP-fast holds the chunk's pagemap while it takes
 *    a reference, and memunmap_pages() waits for it.
 *  - Filesystem DAX: fs/dax.c keeps pfns of the pages it mapped in the
 *    file's mapping, and names the file in those pages after the mapping
 *    is gone; the filesystem does not tell the driver when it stops. So a
 *    chunk made for fs-DAX (direct_access() asked for a pfn) is kept
 *    until the namespace is disabled, which needs it unmounted and every
 *    page idle (pmemctl_pages_check_idle()).
 *
 * Locking: @lock (a mutex: memremap_pages() sleeps) guards @chunk, @maps
 * and the counters; the fault path takes it under the mmap lock, the
 * reclaimer under nothing. Order: mmap lock, then @lock, then the memory
 * hotplug lock inside memremap_pages() and memunmap_pages(). @ram and
 * @ram_peak are also read without it (sysfs).
 *
 * Lifetime: struct pmemctl_od lives from pmemctl_od_add() (enable) to
 * pmemctl_od_del() (disable), which runs only once no file is open on
 * the namespace and every page is idle; it stops the reclaimer first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "internal.h"

struct pmemctl_od_chunk {
	struct dev_pagemap pgmap;
	struct pmemctl_ns *ns;
};

struct pmemctl_od {
	struct pmemctl_ns *ns;
	struct mutex lock;		/* see the header comment */
	phys_addr_t phys;		/* data start */
	u64 chunk_size;
	unsigned long nr;		/* chunks */
	unsigned int shift;		/* compound order, or 0 */
	struct pmemctl_od_chunk **chunk;
	unsigned int *maps;
	unsigned int *section_live;	/* chunks made, per section */
	unsigned long live;		/* chunks made */
	u64 chunk_ram;			/* memmap of one chunk */
	u64 fixed_ram;			/* the arrays above */
	u64 ram, ram_peak;
	struct delayed_work reclaim;
};

/* A VMA's counted range, in chunks [first, last]. */
struct pmemctl_od_vma {
	unsigned long first, last;
};

static unsigned long pmemctl_od_section(struct pmemctl_od *od,
					unsigned long i)
{
	return (od->phys + i * od->chunk_size) / MC_SECTION_SIZE -
	       od->phys / MC_SECTION_SIZE;
}

static unsigned long pmemctl_od_sections(struct pmemctl_od *od)
{
	return pmemctl_od_section(od, od->nr - 1) + 1;
}

/* Under @lock. What the namespace's memmap takes now, and its peak. */
static void pmemctl_od_account(struct pmemctl_od *od)
{
	unsigned long s, ptes = 0;
	u64 ram;

	for (s = 0; s < pmemctl_od_sections(od); s++)
		if (od->section_live[s])
			ptes++;
	ram = od->fixed_ram + od->live * od->chunk_ram + ptes * PAGE_SIZE;
	WRITE_ONCE(od->ram, ram);
	if (ram > od->ram_peak)
		WRITE_ONCE(od->ram_peak, ram);
}

static int pmemctl_od_memory_failure(struct dev_pagemap *pgmap,
				     unsigned long pfn,
				     unsigned long nr_pages, int mf_flags)
{
	struct pmemctl_od_chunk *c = container_of(pgmap, struct pmemctl_od_chunk,
						  pgmap);

	return pmemctl_bb_memory_failure(c->ns, pfn, nr_pages, mf_flags);
}

static const struct dev_pagemap_ops pmemctl_od_pagemap_ops = {
	.memory_failure = pmemctl_od_memory_failure,
};

/* Under @lock: make chunk @i's struct pages. */
static int pmemctl_od_make(struct pmemctl_od *od, unsigned long i)
{
	struct pmemctl_ns *ns = od->ns;
	struct pmemctl_od_chunk *c;
	void *addr;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->ns = ns;
	c->pgmap.type = ns->label.access == PMEMCTL_ACCESS_DEVDAX ?
			MEMORY_DEVICE_GENERIC : MEMORY_DEVICE_FS_DAX;
	c->pgmap.range.start = od->phys + i * od->chunk_size;
	c->pgmap.range.end = c->pgmap.range.start + od->chunk_size - 1;
	c->pgmap.nr_range = 1;
	c->pgmap.vmemmap_shift = od->shift;
	c->pgmap.ops = &pmemctl_od_pagemap_ops;
	addr = memremap_pages(&c->pgmap, dev_to_node(&ns->dev));
	if (IS_ERR(addr)) {
		dev_info_ratelimited(&ns->dev, "memremap_pages of chunk %lu: %ld\n",
				     i, PTR_ERR(addr));
		kfree(c);
		return PTR_ERR(addr);
	}
	od->chunk[i] = c;
	od->live++;
	od->section_live[pmemctl_od_section(od, i)]++;
	pmemctl_od_account(od);
	return 0;
}

/* Under @lock: remove chunk @i's struct pages, known to be idle. */
static void pmemctl_od_unmake(struct pmemctl_od *od, unsigned long i)
{
	struct pmemctl_od_chunk *c = od->chunk[i];

	memunmap_pages(&c->pgmap);
	kfree(c);
	od->chunk[i] = NULL;
	od->live--;
	od->section_live[pmemctl_od_section(od, i)]--;
	pmemctl_od_account(od);
}

/*
 * Pages of chunk @i with a reference beyond the idle one, a held compound
 * page counting as all of its pages; the offset of the first from the
 * data start goes to @first.
 */
static unsigned long pmemctl_od_chunk_held(struct pmemctl_od *od,
					   unsigned long i, u64 *first)
{
	unsigned long step = 1UL << od->shift, held = 0;
	unsigned long pfn = PHYS_PFN(od->chunk[i]->pgmap.range.start);
	unsigned long end = pfn + PHYS_PFN(od->chunk_size);

	for (; pfn < end; pfn += step) {
		if (page_ref_count(pfn_to_page(pfn)) == 1)
			continue;
		if (!held)
			*first = PFN_PHYS(pfn) - od->phys;
		held += step;
	}
	return held;
}

static void pmemctl_od_reclaim(struct work_struct *work)
{
	struct pmemctl_od *od = container_of(to_delayed_work(work),
					     struct pmemctl_od, reclaim);
	unsigned long i, left = 0;
	u64 first;

	if (od->ns->label.access != PMEMCTL_ACCESS_DEVDAX)
		return;
	mutex_lock(&od->lock);
	for (i = 0; i < od->nr; i++) {
		if (!od->chunk[i] || od->maps[i])
			continue;
		if (pmemctl_od_chunk_held(od, i, &first))
			left++;
		else
			pmemctl_od_unmake(od, i);
		cond_resched();
	}
	mutex_unlock(&od->lock);
	if (left)
		schedule_delayed_work(&od->reclaim, HZ);
}

/*
 * Make sure the chunks under data bytes [@off, @off + @len) have struct
 * pages. May sleep; -ENOMEM and the like from memremap_pages().
 */
int pmemctl_od_get(struct pmemctl_ns *ns, u64 off, u64 len)
{
	struct pmemctl_od *od = ns->od;
	unsigned long i, last;
	int rc = 0;

	if (!len)
		return 0;
	i = div64_u64(off, od->chunk_size);
	last = div64_u64(off + len - 1, od->chunk_size);
	mutex_lock(&od->lock);
	for (; i <= last && !rc; i++)
		if (!od->chunk[i])
			rc = pmemctl_od_make(od, i);
	mutex_unlock(&od->lock);
	return rc;
}

/* The chunks [first, last] a VMA over data pages [@pgoff, + @pages) covers. */
static void pmemctl_od_span(struct pmemctl_od *od, pgoff_t pgoff,
			    unsigned long pages, struct pmemctl_od_vma *span)
{
	u64 off = (u64)pgoff << PAGE_SHIFT;

	span->first = div64_u64(off, od->chunk_size);
	span->last = div64_u64(off + ((u64)pages << PAGE_SHIFT) - 1,
			       od->chunk_size);
}

static void pmemctl_od_count(struct pmemctl_od *od,
			     const struct pmemctl_od_vma *span, int delta)
{
	unsigned long i;

	mutex_lock(&od->lock);
	for (i = span->first; i <= span->last; i++)
		od->maps[i] += delta;
	mutex_unlock(&od->lock);
}

/*
 * Count @vma, whose checked range lies inside the data. From mmap
 * (@may_fail: -ENOMEM counts nothing, and the mmap fails) and from the
 * open of a VMA copied by fork, split or mremap, which cannot fail: with
 * no memory for its record that VMA is counted and never uncounted, so
 * its chunks stay until the namespace is disabled.
 */
int pmemctl_od_vma_open(struct pmemctl_ns *ns, struct vm_area_struct *vma,
			bool may_fail)
{
	struct pmemctl_od *od = ns->od;
	struct pmemctl_od_vma *span, whole;

	span = kmalloc(sizeof(*span), GFP_KERNEL);
	if (!span && may_fail)
		return -ENOMEM;
	pmemctl_od_span(od, vma->vm_pgoff, vma_pages(vma), &whole);
	pmemctl_od_count(od, &whole, 1);
	if (span)
		*span = whole;
	else
		dev_info_ratelimited(&ns->dev, "no memory to track a mapping: its struct pages stay until the namespace is disabled\n");
	vma->vm_private_data = span;
	return 0;
}

/* After the core zapped @vma's page table entries. */
void pmemctl_od_vma_close(struct pmemctl_ns *ns, struct vm_area_struct *vma)
{
	struct pmemctl_od_vma *span = vma->vm_private_data;
	struct pmemctl_od *od = ns->od;

	if (!span)
		return;
	vma->vm_private_data = NULL;
	pmemctl_od_count(od, span, -1);
	kfree(span);
	mod_delayed_work(system_wq, &od->reclaim, 0);
}

/* @pages_lock keeps @ns->od from being freed meanwhile; may sleep. */
u64 pmemctl_od_ram(struct pmemctl_ns *ns, bool peak)
{
	u64 ram = 0;

	mutex_lock(&ns->pages_lock);
	if (ns->od)
		ram = peak ? READ_ONCE(ns->od->ram_peak) :
			     READ_ONCE(ns->od->ram);
	mutex_unlock(&ns->pages_lock);
	return ram;
}

/* Held pages over every chunk made: the teardown check and sysfs. */
unsigned long pmemctl_od_held(struct pmemctl_ns *ns, u64 *first)
{
	struct pmemctl_od *od = ns->od;
	unsigned long i, n, held = 0;
	u64 f = 0;

	mutex_lock(&od->lock);
	for (i = 0; i < od->nr; i++) {
		if (!od->chunk[i])
			continue;
		n = pmemctl_od_chunk_held(od, i, &f);
		if (n && !held)
			*first = f;
		held += n;
		cond_resched();
	}
	mutex_unlock(&od->lock);
	return held;
}

static u64 pmemctl_od_fixed_ram(unsigned long nr, unsigned long sections)
{
	return kmalloc_size_roundup(sizeof(struct pmemctl_od)) +
	       PAGE_ALIGN(nr * sizeof(struct pmemctl_od_chunk *)) +
	       PAGE_ALIGN(nr * sizeof(unsigned int)) +
	       PAGE_ALIGN(sections * sizeof(unsigned int));
}

static u64 pmemctl_od_chunk_struct(void)
{
	return kmalloc_size_roundup(sizeof(struct pmemctl_od_chunk));
}

/*
 * Add what the module allocates itself to mc_cost()'s figures for an
 * ondemand @label: the tables, and a pagemap per chunk made. (kvcalloc()
 * tables are counted in whole pages; a small one takes less.)
 */
void pmemctl_od_cost(const struct lf_ns *label, struct mc_cost *cost)
{
	u64 chunk = mc_chunk_size(label);
	unsigned long nr = div64_u64(label->size, chunk);

	cost->ram_bytes += pmemctl_od_fixed_ram(nr, div64_u64(label->size,
						       MC_SECTION_SIZE) + 2) +
			   nr * pmemctl_od_chunk_struct();
	cost->ram_per_gib += div64_u64(SZ_1G, chunk) *
			     pmemctl_od_chunk_struct();
}

/* Enable: no struct page yet, only the tables to track them. */
int pmemctl_od_add(struct pmemctl_ns *ns, u32 cost_flags)
{
	const struct lf_ns *label = &ns->label;
	struct pmemctl_od *od;
	size_t sections;
	u64 csize;

	od = kzalloc(sizeof(*od), GFP_KERNEL);
	if (!od)
		return -ENOMEM;
	od->ns = ns;
	mutex_init(&od->lock);
	INIT_DELAYED_WORK(&od->reclaim, pmemctl_od_reclaim);
	od->phys = ns->region->start + label->offset;
	od->chunk_size = mc_chunk_size(label);
	od->nr = div64_u64(label->size, od->chunk_size);
	csize = mc_compound_size(label);
	od->shift = csize ? ilog2(csize >> PAGE_SHIFT) : 0;
	sections = pmemctl_od_sections(od);
	od->chunk = kvcalloc(od->nr, sizeof(*od->chunk), GFP_KERNEL);
	od->maps = kvcalloc(od->nr, sizeof(*od->maps), GFP_KERNEL);
	od->section_live = kvcalloc(sections, sizeof(*od->section_live),
				    GFP_KERNEL);
	if (!od->chunk || !od->maps || !od->section_live) {
		kvfree(od->chunk);
		kvfree(od->maps);
		kvfree(od->section_live);
		kfree(od);
		return -ENOMEM;
	}
	od->chunk_ram = mc_chunk_ram(label, sizeof(struct page), cost_flags) +
			pmemctl_od_chunk_struct();
	od->fixed_ram = pmemctl_od_fixed_ram(od->nr, sections);
	mutex_lock(&od->lock);
	pmemctl_od_account(od);
	mutex_unlock(&od->lock);
	WRITE_ONCE(ns->od, od);
	return 0;
}

/*
 * Disable, once nothing can reach a page any more and every page is
 * idle: no file is open (so no VMA is left), pmemctl_od_held() is 0.
 */
void pmemctl_od_del(struct pmemctl_ns *ns)
{
	struct pmemctl_od *od = ns->od;
	unsigned long i;

	cancel_delayed_work_sync(&od->reclaim);
	WRITE_ONCE(ns->od, NULL);
	mutex_lock(&od->lock);
	/*
	 * @maps may still count a VMA whose record could not be allocated,
	 * or one that an mmap failing after ours never closed: no VMA is
	 * left now (no file is open), so that is only a count.
	 */
	for (i = 0; i < od->nr; i++) {
		if (od->chunk[i])
			pmemctl_od_unmake(od, i);
		cond_resched();
	}
	mutex_unlock(&od->lock);
	kvfree(od->chunk);
	kvfree(od->maps);
	kvfree(od->section_live);
	kfree(od);
}
