// SPDX-License-Identifier: GPL-2.0-only
/*
 * Media errors in namespace data: every namespace keeps a list of bad
 * 512-byte sectors (the block layer's struct badblocks), counted from the
 * start of its data (the sectors of its block device). The list is fed by
 * reads that hit poison, by DAX access to injected test poison and by the
 * kernel's memory_failure() reports for page and pfn namespaces (the
 * pagemap operation below). Known bad sectors are never read: block reads
 * fail with EIO and DAX refuses to map them, so an error costs at most the
 * sectors it touched.
 *
 * Clearing: a legacy e820 range has no firmware interface to clear poison
 * (libnvdimm's pmem driver there fails every write to a bad block). A
 * store that covers every cache line of a sector replaces the line and its
 * ECC on the DRAM-like media behind such ranges, so pmemctl rewrites a bad
 * sector that a write covers whole, reads it back with a machine-check
 * safe copy, and forgets the sector only if it now reads cleanly. A write
 * that covers part of a bad range clears the sectors it covers; the rest
 * stays bad. A sector that still does not read back keeps its entry and
 * the write fails with EIO.
 *
 * Lifetime: the list lives as long as the namespace device (it survives
 * disable and enable, not a module reload: nothing on a legacy range
 * records poison across boots). The badblocks structure has its own
 * seqlock, so every function here may run in the I/O path; none sleeps
 * except the memory_failure operation, which runs in process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "internal.h"

#define PMEMCTL_SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)

int pmemctl_bb_init(struct pmemctl_ns *ns)
{
	mutex_init(&ns->dax_lock);
	return badblocks_init(&ns->bb, 1);
}

void pmemctl_bb_exit(struct pmemctl_ns *ns)
{
	badblocks_exit(&ns->bb);
}

static phys_addr_t pmemctl_bb_phys(struct pmemctl_ns *ns, sector_t s)
{
	return ns->region->start + ns->label.offset + ns->label.data_offset +
	       ((u64)s << SECTOR_SHIFT);
}

static void *pmemctl_bb_addr(struct pmemctl_ns *ns, sector_t s)
{
	return ns->virt + ns->label.data_offset + ((u64)s << SECTOR_SHIFT);
}

/*
 * Is any of [@s, @s + @nr) known bad? The unlocked count test is the
 * cheap common case; badblocks_check() retries under its seqlock.
 */
static bool pmemctl_bb_known(struct pmemctl_ns *ns, sector_t s, u32 nr,
			     sector_t *first_bad)
{
	sector_t first;
	int len;

	if (!READ_ONCE(ns->bb.count) || !nr)
		return false;
	if (!badblocks_check(&ns->bb, s, nr, &first, &len))
		return false;
	if (first_bad)
		*first_bad = first;
	return true;
}

void pmemctl_bb_record(struct pmemctl_ns *ns, sector_t s, u32 nr)
{
	if (!pmemctl_badblocks_set(&ns->bb, s, nr))
		dev_warn_ratelimited(&ns->dev, "bad-block list full: media error at sectors %llu+%u not recorded\n",
				     (unsigned long long)s, nr);
	else
		dev_warn_ratelimited(&ns->dev, "media error at sectors %llu+%u\n",
				     (unsigned long long)s, nr);
}

/*
 * Record the sectors of the @len bytes at @s that do not read: one sector
 * at a time into @buf (@len bytes). Real poison makes each such read
 * machine-check again; copy_mc survives that, and it is the price of
 * recording only what is bad instead of the whole request.
 */
static void pmemctl_bb_probe(struct pmemctl_ns *ns, void *buf, sector_t s,
			     unsigned int len)
{
	unsigned int off, n;

	for (off = 0; off < len; off += n) {
		n = min_t(unsigned int, len - off, SECTOR_SIZE);
		if (pmemctl_media_read(buf + off, pmemctl_bb_addr(ns, s) + off,
				       pmemctl_bb_phys(ns, s) + off, n))
			pmemctl_bb_record(ns, s + (off >> SECTOR_SHIFT), 1);
	}
}

/*
 * Read @len bytes at sector @s into @dst: 0 or -EIO. A known bad sector
 * fails the read without touching the media; a read that hits poison
 * records the unreadable sectors. @dst may be partly written on failure.
 * Block I/O segments are whole 512-byte sectors (the logical block size).
 */
int pmemctl_bb_read(struct pmemctl_ns *ns, void *dst, sector_t s,
		    unsigned int len)
{
	if (pmemctl_bb_known(ns, s, DIV_ROUND_UP(len, SECTOR_SIZE), NULL))
		return -EIO;
	if (!pmemctl_media_read(dst, pmemctl_bb_addr(ns, s),
				pmemctl_bb_phys(ns, s), len))
		return 0;
	pmemctl_bb_probe(ns, dst, s, len);
	return -EIO;
}

/*
 * Pages with struct pages and a linear-map alias: page and pfn mode. An
 * ondemand namespace is written through the region's mapping, as raw, and
 * its struct pages come and go with its chunks (ondemand.c), so it is not
 * one: a chunk made again starts with clean page flags.
 */
static bool pmemctl_bb_has_pages(struct pmemctl_ns *ns)
{
	return ns->label.mode == PMEMCTL_MODE_PAGE ||
	       ns->label.mode == PMEMCTL_MODE_PFN;
}

/*
 * Before rewriting a bad sector, make its page present in the direct map
 * again: a machine check that the kernel handled marked it not-present
 * (set_mce_nospec()), and a store to it would fault. Only page and pfn
 * namespaces write through the direct map. Harmless on a present page.
 */
static void pmemctl_bb_map_present(struct pmemctl_ns *ns, sector_t s, u32 nr)
{
	unsigned long pfn, last;

	if (!pmemctl_bb_has_pages(ns) || !nr)
		return;
	pfn = PHYS_PFN(pmemctl_bb_phys(ns, s));
	last = PHYS_PFN(pmemctl_bb_phys(ns, s + nr - 1));
	for (; pfn <= last; pfn++)
		clear_mce_nospec(pfn);
}

/*
 * Once no sector of a page is bad any more, drop the HWPoison flag that
 * the kernel's generic memory_failure() handler set on it. The caller's
 * I/O or DAX access holds the pagemap, so the struct page is live.
 */
static void pmemctl_bb_unpoison(struct pmemctl_ns *ns, sector_t s, u32 nr)
{
	sector_t first = round_down(s, PMEMCTL_SECTORS_PER_PAGE);
	sector_t end = s + nr;

	if (!pmemctl_bb_has_pages(ns))
		return;
	for (; first < end; first += PMEMCTL_SECTORS_PER_PAGE) {
		if (pmemctl_bb_known(ns, first, PMEMCTL_SECTORS_PER_PAGE, NULL))
			continue;
		ClearPageHWPoison(pfn_to_page(PHYS_PFN(pmemctl_bb_phys(ns,
								       first))));
	}
}

/*
 * After [@s, @s + @nr) was rewritten whole: forget each bad sector in it
 * that reads back cleanly. 0, or -EIO if one still does not read.
 */
static int pmemctl_bb_recheck(struct pmemctl_ns *ns, sector_t s, u32 nr)
{
	u8 buf[SECTOR_SIZE];
	int rc = 0;
	u32 i;

	for (i = 0; i < nr; i++) {
		if (!pmemctl_bb_known(ns, s + i, 1, NULL))
			continue;
		if (pmemctl_media_read(buf, pmemctl_bb_addr(ns, s + i),
				       pmemctl_bb_phys(ns, s + i),
				       SECTOR_SIZE)) {
			rc = -EIO;
			continue;
		}
		badblocks_clear(&ns->bb, s + i, 1);
		dev_info_ratelimited(&ns->dev, "media error at sector %llu cleared by a write\n",
				     (unsigned long long)(s + i));
	}
	pmemctl_bb_unpoison(ns, s, nr);
	return rc;
}

/*
 * Write @len bytes from @src at sector @s with non-temporal stores: 0, or
 * -EIO if a bad sector it covers whole still does not read back
 * afterwards (the data is written either way). A bad sector it covers
 * only in part stays bad.
 */
int pmemctl_bb_write(struct pmemctl_ns *ns, const void *src, sector_t s,
		     unsigned int len)
{
	u32 nr = DIV_ROUND_UP(len, SECTOR_SIZE);
	bool bad = pmemctl_bb_known(ns, s, nr, NULL);

	if (bad)
		pmemctl_bb_map_present(ns, s, nr);
	memcpy_flushcache(pmemctl_bb_addr(ns, s), src, len);
	return bad ? pmemctl_bb_recheck(ns, s, len >> SECTOR_SHIFT) : 0;
}

/*
 * Injected test poison in [@s, @s + @nr) becomes known bad sectors, as
 * the machine check of a real load would make it: QEMU cannot raise one.
 * Only the sectors that overlap an injected range are recorded.
 */
static void pmemctl_bb_discover(struct pmemctl_ns *ns, sector_t s, u64 nr)
{
	u64 i, j, step;

	if (!nr || !pmemctl_media_injected(pmemctl_bb_phys(ns, s),
					   nr << SECTOR_SHIFT))
		return;
	for (i = 0; i < nr; i += step) {
		step = min_t(u64, nr - i, PMEMCTL_SECTORS_PER_PAGE);
		if (!pmemctl_media_injected(pmemctl_bb_phys(ns, s + i),
					    step << SECTOR_SHIFT))
			continue;
		for (j = i; j < i + step; j++) {
			if (pmemctl_media_injected(pmemctl_bb_phys(ns, s + j),
						   SECTOR_SIZE) &&
			    !pmemctl_bb_known(ns, s + j, 1, NULL))
				pmemctl_bb_record(ns, s + j, 1);
		}
	}
}

/*
 * How many of the @nr_pages pages at @pgoff DAX may map, with pmem.c's
 * contract: a range with a known bad sector is refused with
 * PMEMCTL_DAX_POISON_ERR (-EHWPOISON, or -EIO before 6.4: compat.h),
 * except for a recovery write, which gets the pages before the first bad
 * one (at least one: the bad page itself, which
 * pmemctl_bb_recovery_write() rewrites).
 * With bad sectors elsewhere only the pages asked for are promised good.
 * Returns 0 when the namespace has no bad sectors at all: no limit.
 */
long pmemctl_bb_dax_avail(struct pmemctl_ns *ns, pgoff_t pgoff,
			  long nr_pages, enum dax_access_mode mode)
{
	sector_t s = (sector_t)pgoff * PMEMCTL_SECTORS_PER_PAGE;
	u64 nr = (u64)nr_pages * PMEMCTL_SECTORS_PER_PAGE;
	sector_t first_bad;

	pmemctl_bb_discover(ns, s, nr);
	if (!READ_ONCE(ns->bb.count))
		return 0;
	if (pmemctl_bb_known(ns, s, min_t(u64, nr, INT_MAX), &first_bad)) {
		if (mode != DAX_RECOVERY_WRITE)
			return PMEMCTL_DAX_POISON_ERR;
		if (first_bad <= s)
			return 1;
		return max_t(long, 1, PHYS_PFN(PAGE_ALIGN((u64)(first_bad - s) <<
							   SECTOR_SHIFT)));
	}
	return nr_pages;
}

/*
 * DAX recovery write: a filesystem write that direct_access refused for
 * poison retries through here. Only whole pages can be recovered: the page is
 * rewritten and its bad sectors are rechecked as for a block write. On
 * failure nothing is reported written and @iter is rewound.
 */
size_t pmemctl_bb_recovery_write(struct pmemctl_ns *ns, pgoff_t pgoff,
				 void *addr, size_t bytes,
				 struct iov_iter *iter)
{
	sector_t s = (sector_t)pgoff * PMEMCTL_SECTORS_PER_PAGE;
	u32 nr = PFN_UP(offset_in_page(addr) + bytes) *
		 PMEMCTL_SECTORS_PER_PAGE;
	size_t done;

	if (!pmemctl_bb_known(ns, s, nr, NULL))
		return _copy_from_iter_flushcache(addr, bytes, iter);
	if (offset_in_page(addr) || !PAGE_ALIGNED(bytes))
		return 0;

	pmemctl_bb_map_present(ns, s, nr);
	done = _copy_from_iter_flushcache(addr, bytes, iter);
	if (done != bytes || pmemctl_bb_recheck(ns, s, nr)) {
		iov_iter_revert(iter, done);
		return 0;
	}
	return done;
}

/*
 * memory_failure() found poison in a page of this namespace (a machine
 * check, MADV_HWPOISON or hwpoison_inject): record its sectors, then tell
 * the filesystem that holds the dax_device. -EOPNOTSUPP from a filesystem
 * without a failure handler (ext4), or with no dax_device, makes the
 * kernel fall back to its generic handler, which unmaps the page from
 * every process and sends them SIGBUS. The caller holds the pagemap;
 * @ns->dax_lock keeps the dax_device from being released meanwhile.
 * memory_failure() never passes the pfn-mode memmap reserve here.
 */
int pmemctl_bb_memory_failure(struct pmemctl_ns *ns, unsigned long pfn,
			      unsigned long nr_pages, int mf_flags)
{
	phys_addr_t data = pmemctl_bb_phys(ns, 0);
	u64 off, len = (u64)nr_pages << PAGE_SHIFT;
	int rc = -EOPNOTSUPP;

	if (PFN_PHYS(pfn) < data)
		return -ENXIO;
	off = PFN_PHYS(pfn) - data;
	pmemctl_bb_record(ns, off >> SECTOR_SHIFT, len >> SECTOR_SHIFT);

	mutex_lock(&ns->dax_lock);
	if (ns->dax)
		rc = dax_holder_notify_failure(ns->dax, off, len, mf_flags);
	mutex_unlock(&ns->dax_lock);
	return rc;
}

static int pmemctl_pagemap_memory_failure(struct dev_pagemap *pgmap,
					  unsigned long pfn,
					  unsigned long nr_pages, int mf_flags)
{
	return pmemctl_bb_memory_failure(container_of(pgmap, struct pmemctl_ns,
						      pgmap),
					 pfn, nr_pages, mf_flags);
}

/*
 * Only memory_failure: fs-DAX pages are never "freed" to the driver on
 * 6.1 and 6.12 (their refcount idles at 1), so no page_free.
 */
const struct dev_pagemap_ops pmemctl_pagemap_ops = {
	.memory_failure = pmemctl_pagemap_memory_failure,
};

/*
 * A reconfigure moved the data start from @old_off to @new_off bytes into
 * the namespace (pfn reserve added or dropped): the same bad bytes now
 * have other sector numbers. Entries are rewritten in place; what falls
 * into a new memmap reserve is no longer data and is dropped (the memmap
 * written there on enable rewrites it). Runs while the namespace is
 * disabled, under the region lock; may sleep.
 */
void pmemctl_bb_relayout(struct pmemctl_ns *ns, u64 old_off, u64 new_off)
{
	struct badblocks *bb = &ns->bb;
	unsigned int seq;
	u64 *copy, start, end;
	int n, i;

	if (old_off == new_off || !READ_ONCE(bb->count))
		return;
	copy = kmalloc_array(MAX_BADBLOCKS, sizeof(*copy), GFP_KERNEL);
	if (!copy) {
		dev_warn(&ns->dev, "no memory to move the bad-block list to the new layout: forgetting it\n");
		badblocks_clear(bb, 0, INT_MAX);
		return;
	}
	do {
		seq = read_seqbegin(&bb->lock);
		n = min_t(int, READ_ONCE(bb->count), MAX_BADBLOCKS);
		memcpy(copy, bb->page, n * sizeof(*copy));
	} while (read_seqretry(&bb->lock, seq));

	for (i = 0; i < n; i++)
		badblocks_clear(bb, BB_OFFSET(copy[i]), BB_LEN(copy[i]));
	for (i = 0; i < n; i++) {
		start = (BB_OFFSET(copy[i]) << SECTOR_SHIFT) + old_off;
		end = start + ((u64)BB_LEN(copy[i]) << SECTOR_SHIFT);
		if (end <= new_off)
			continue;
		start = max(start, new_off);
		pmemctl_bb_record(ns, (start - new_off) >> SECTOR_SHIFT,
				  (end - start) >> SECTOR_SHIFT);
	}
	kfree(copy);
}

/* "SECTOR LENGTH" per line, as /sys/block/<disk>/badblocks. */
static ssize_t pmemctl_ns_badblocks_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	return badblocks_show(&to_pmemctl_ns(dev)->bb, buf, 0);
}

struct device_attribute pmemctl_dev_attr_badblocks =
	__ATTR(badblocks, 0444, pmemctl_ns_badblocks_show, NULL);
