// SPDX-License-Identifier: GPL-2.0-only
/*
 * DAX operations for page and pfn namespaces: filesystems mounted with
 * -o dax map the namespace's data directly. Offsets are relative to the
 * data, which starts after the memmap reserve in pfn mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dax.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>

#include "internal.h"

static void *pmemctl_dax_addr(struct pmemctl_ns *ns, pgoff_t pgoff)
{
	return ns->region->virt + ns->label.offset + ns->label.data_offset +
	       PFN_PHYS(pgoff);
}

static u64 pmemctl_dax_pages(struct pmemctl_ns *ns)
{
	return PHYS_PFN(ns->label.size - ns->label.data_offset);
}

static long pmemctl_dax_direct_access(struct dax_device *dax_dev,
				      pgoff_t pgoff, long nr_pages,
				      enum dax_access_mode mode, void **kaddr,
				      pfn_t *pfn)
{
	struct pmemctl_ns *ns = dax_get_private(dax_dev);
	u64 pages = pmemctl_dax_pages(ns);
	phys_addr_t phys;

	if (pgoff >= pages)
		return -ERANGE;
	phys = ns->region->start + ns->label.offset + ns->label.data_offset +
	       PFN_PHYS(pgoff);
	if (kaddr)
		*kaddr = pmemctl_dax_addr(ns, pgoff);
	if (pfn)
		*pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	return pages - pgoff;
}

/* Zeroes reach the media like block writes: non-temporal stores. */
static int pmemctl_dax_zero_page_range(struct dax_device *dax_dev,
				       pgoff_t pgoff, size_t nr_pages)
{
	struct pmemctl_ns *ns = dax_get_private(dax_dev);
	size_t i;

	if (pgoff >= pmemctl_dax_pages(ns) ||
	    nr_pages > pmemctl_dax_pages(ns) - pgoff)
		return -ERANGE;
	for (i = 0; i < nr_pages; i++)
		memcpy_flushcache(pmemctl_dax_addr(ns, pgoff + i),
				  page_address(ZERO_PAGE(0)), PAGE_SIZE);
	return 0;
}

static const struct dax_operations pmemctl_dax_ops = {
	.direct_access = pmemctl_dax_direct_access,
	.zero_page_range = pmemctl_dax_zero_page_range,
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
	ns->dax = dax;
	return 0;
}

/* After this no new DAX access starts; mappings must already be gone. */
void pmemctl_dax_del(struct pmemctl_ns *ns, struct gendisk *disk)
{
	if (!ns->dax)
		return;
	dax_remove_host(disk);
	kill_dax(ns->dax);
	put_dax(ns->dax);
	ns->dax = NULL;
}
