// SPDX-License-Identifier: GPL-2.0-only
/*
 * DAX operations for page, pfn and ondemand namespaces: filesystems
 * mounted with -o dax map the namespace's data directly. Offsets are
 * relative to the data, which starts after the memmap reserve in pfn mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>

#include "internal.h"

/*
 * Page and pfn namespaces map their data through the kernel's linear map
 * (@ns->virt, from memremap_pages()), so what the kernel does to a
 * poisoned page there applies to every DAX access too. An ondemand one
 * through the region's mapping (its chunks come and go).
 */
static void *pmemctl_dax_addr(struct pmemctl_ns *ns, pgoff_t pgoff)
{
	return ns->virt + ns->label.data_offset + PFN_PHYS(pgoff);
}

static u64 pmemctl_dax_pages(struct pmemctl_ns *ns)
{
	return PHYS_PFN(ns->label.size - ns->label.data_offset);
}

/*
 * pmem.c's contract for bad sectors: -EHWPOISON (-EIO before 6.4) for a
 * range that holds one (DAX then fails the read with EIO and the fault
 * with SIGBUS), except that a recovery write gets the good pages before
 * it, or the bad page itself.
 */
static long pmemctl_dax_direct_access(struct dax_device *dax_dev,
				      pgoff_t pgoff, long nr_pages,
				      enum dax_access_mode mode, void **kaddr,
				      pfn_t *pfn)
{
	struct pmemctl_ns *ns = dax_get_private(dax_dev);
	u64 pages = pmemctl_dax_pages(ns);
	phys_addr_t phys;
	long avail;

	if (pgoff >= pages)
		return -ERANGE;
	/*
	 * ondemand: a pfn will be mapped, so its chunks need struct pages
	 * first; only the pages asked for are promised. A read or write
	 * (no pfn) goes through the region's mapping and makes none.
	 */
	if (pfn && ns->od) {
		int rc;

		pages = min_t(u64, pages, pgoff + max(nr_pages, 1L));
		rc = pmemctl_od_get(ns, PFN_PHYS(pgoff),
				    PFN_PHYS(pages - pgoff));
		if (rc)
			return rc;
	}
	phys = ns->region->start + ns->label.offset + ns->label.data_offset +
	       PFN_PHYS(pgoff);
	if (kaddr)
		*kaddr = pmemctl_dax_addr(ns, pgoff);
	if (pfn)
		*pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	avail = pmemctl_bb_dax_avail(ns, pgoff,
				     min_t(u64, nr_pages, pages - pgoff), mode);
	return avail ? avail : pages - pgoff;
}

/*
 * Zeroes reach the media like block writes: non-temporal stores, and a
 * whole zeroed page clears its bad sectors (filesystems zero blocks they
 * allocate, so a file can reuse repaired space).
 */
static int pmemctl_dax_zero_page_range(struct dax_device *dax_dev,
				       pgoff_t pgoff, size_t nr_pages)
{
	struct pmemctl_ns *ns = dax_get_private(dax_dev);
	int rc = 0;
	size_t i;

	if (pgoff >= pmemctl_dax_pages(ns) ||
	    nr_pages > pmemctl_dax_pages(ns) - pgoff)
		return -ERANGE;
	for (i = 0; i < nr_pages; i++) {
		if (pmemctl_bb_write(ns, page_address(ZERO_PAGE(0)),
				     (sector_t)(pgoff + i) <<
				     (PAGE_SHIFT - SECTOR_SHIFT), PAGE_SIZE))
			rc = -EIO;
	}
	return rc;
}

static size_t pmemctl_dax_recovery_write(struct dax_device *dax_dev,
					 pgoff_t pgoff, void *addr,
					 size_t bytes, struct iov_iter *iter)
{
	return pmemctl_bb_recovery_write(dax_get_private(dax_dev), pgoff,
					 addr, bytes, iter);
}

static const struct dax_operations pmemctl_dax_ops = {
	.direct_access = pmemctl_dax_direct_access,
	.zero_page_range = pmemctl_dax_zero_page_range,
	.recovery_write = pmemctl_dax_recovery_write,
};

/*
 * A dax_device for @disk. Synchronous: a legacy range has no flush hints
 * and no asynchronous flush, so once stores leave the CPU caches nothing
 * more can be done to make them durable, and MAP_SYNC (which only makes
 * the filesystem commit metadata at fault time) is as safe as fsync. The
 * caches themselves may be volatile (the platform does not say, hence the
 * region's persistence_domain "unknown"), so the write cache is on and
 * filesystems flush them on fsync and msync.
 */
int pmemctl_dax_add(struct pmemctl_ns *ns, struct gendisk *disk)
{
	struct dax_device *dax;
	int rc;

	dax = alloc_dax(ns, &pmemctl_dax_ops);
	if (IS_ERR_OR_NULL(dax))
		return dax ? PTR_ERR(dax) : -EOPNOTSUPP;
	set_dax_nocache(dax);
	set_dax_nomc(dax);
	set_dax_synchronous(dax);
	rc = dax_add_host(dax, disk);
	if (rc) {
		kill_dax(dax);
		put_dax(dax);
		return rc;
	}
	dax_write_cache(dax, true);
	mutex_lock(&ns->dax_lock);
	ns->dax = dax;
	mutex_unlock(&ns->dax_lock);
	return 0;
}

/*
 * After this no new DAX access starts; mappings must already be gone.
 * The pointer goes first, under @ns->dax_lock, so that a memory_failure
 * report racing with teardown never uses a released dax_device.
 */
void pmemctl_dax_del(struct pmemctl_ns *ns, struct gendisk *disk)
{
	struct dax_device *dax;

	mutex_lock(&ns->dax_lock);
	dax = ns->dax;
	ns->dax = NULL;
	mutex_unlock(&ns->dax_lock);
	if (!dax)
		return;
	dax_remove_host(disk);
	kill_dax(dax);
	put_dax(dax);
}
