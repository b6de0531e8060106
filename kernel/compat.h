/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place where pmemctl.ko follows kernel API changes between its
 * targets, Debian's 6.1 and 6.12. Everything else calls these wrappers.
 * Kernels between the two are not targets; the version cut-offs below are
 * where each interface changed upstream.
 */
#ifndef _PMEMCTL_COMPAT_H
#define _PMEMCTL_COMPAT_H

#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

/*
 * Since 6.4 class_create() takes only the name. A class it makes lives on
 * the heap and the driver core frees it in its own release, which
 * CONFIG_DEBUG_KOBJECT_RELEASE delays by 1-4 s, past module unload: a
 * static class's release would read the unloaded module's memory.
 */
#ifdef PMEMCTL_HAVE_CLASS_CREATE_NAME
#define pmemctl_class_create(name)	class_create(name)
#else
#define pmemctl_class_create(name)	class_create(THIS_MODULE, name)
#endif

/*
 * Before 6.3 the driver core's release of a bus writes NULL to its
 * bus_type's p, in the module's own memory, and CONFIG_DEBUG_KOBJECT_RELEASE
 * runs it 1-4 s after bus_unregister(): wait for that write before the
 * module may go. Since 6.3 the release leaves the bus_type alone.
 */
static inline void pmemctl_bus_wait_released(struct bus_type *bus)
{
#ifdef PMEMCTL_HAVE_BUS_TYPE_P
	while (READ_ONCE(bus->p))
		msleep(20);
#endif
}

/* Since 6.3 uevent callbacks take a const device. */
#ifdef PMEMCTL_HAVE_CONST_UEVENT
#define PMEMCTL_UEVENT_DEV	const struct device
#else
#define PMEMCTL_UEVENT_DEV	struct device
#endif

/* Since 6.5 block_device_operations.open takes the gendisk, blk_mode_t. */
#ifdef PMEMCTL_HAVE_OPEN_GENDISK
#define PMEMCTL_BDEV_OPEN_ARGS	struct gendisk *disk, blk_mode_t mode
#define PMEMCTL_BDEV_OPEN_DISK	disk
#else
#define PMEMCTL_BDEV_OPEN_ARGS	struct block_device *bdev, fmode_t mode
#define PMEMCTL_BDEV_OPEN_DISK	(bdev->bd_disk)
#endif

/*
 * A synchronous, non-rotational disk with a volatile write cache and FUA,
 * 512-byte logical and 4 KiB physical blocks. Since 6.11 all of this is in
 * the queue_limits given to blk_alloc_disk(), which returns an ERR_PTR.
 * Older kernels have no "synchronous" queue flag. @dax: the disk has a
 * dax_device (BLK_FEAT_DAX, or QUEUE_FLAG_DAX before 6.11).
 */
static inline struct gendisk *pmemctl_alloc_disk(int node, bool dax)
{
#ifdef PMEMCTL_HAVE_BLK_FEATURES
	struct queue_limits lim = {
		.logical_block_size = 512,
		.physical_block_size = 4096,
		.max_hw_sectors = UINT_MAX,
		.features = BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |
			    BLK_FEAT_SYNCHRONOUS,
	};

	if (dax)
		lim.features |= BLK_FEAT_DAX;
	return blk_alloc_disk(&lim, node);
#else
	struct gendisk *disk = blk_alloc_disk(node);

	if (!disk)
		return ERR_PTR(-ENOMEM);
	blk_queue_logical_block_size(disk->queue, 512);
	blk_queue_physical_block_size(disk->queue, 4096);
	blk_queue_max_hw_sectors(disk->queue, UINT_MAX);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	blk_queue_write_cache(disk->queue, true, true);
	if (dax)
		blk_queue_flag_set(QUEUE_FLAG_DAX, disk->queue);
	return disk;
#endif
}

/*
 * badblocks_set() on 6.1 and 6.12 returns 0 on success and 1 when the
 * list is full; later kernels (6.18) return true on success. True here
 * means the range is now recorded. Acknowledged: nothing downstream (md)
 * has to rewrite these sectors, the namespace itself refuses them.
 */
static inline bool pmemctl_badblocks_set(struct badblocks *bb, sector_t s,
					 int sectors)
{
#ifdef PMEMCTL_HAVE_BB_BOOL
	return badblocks_set(bb, s, sectors, 1);
#else
	return !badblocks_set(bb, s, sectors, 1);
#endif
}

/*
 * What direct_access returns for a range with a known bad sector. Since
 * 6.4 fs/dax.c expects -EHWPOISON (it retries a write as a recovery write
 * on that, turns it into EIO for read(2) and into VM_FAULT_HWPOISON for a
 * fault, and dax_mem2blk_err() exists); before, the same meaning was -EIO.
 */
#ifdef PMEMCTL_HAVE_DAX_MEM2BLK_ERR
#define PMEMCTL_DAX_POISON_ERR	(-EHWPOISON)
#else
#define PMEMCTL_DAX_POISON_ERR	(-EIO)
#endif

/*
 * vm_operations_struct.huge_fault: since 6.6 it takes the order of the
 * fault (0, PMD_ORDER, PUD_ORDER), before an enum page_entry_size. Either
 * way pmemctl_fault_size() turns it into bytes.
 */
#ifdef PMEMCTL_HAVE_PE_SIZE
#define PMEMCTL_FAULT_ORDER_T	enum page_entry_size
static inline unsigned long pmemctl_fault_size(enum page_entry_size pe)
{
	switch (pe) {
	case PE_SIZE_PTE:
		return PAGE_SIZE;
	case PE_SIZE_PMD:
		return PMD_SIZE;
	case PE_SIZE_PUD:
		return PUD_SIZE;
	}
	return 0;
}
#else
#define PMEMCTL_FAULT_ORDER_T	unsigned int
static inline unsigned long pmemctl_fault_size(unsigned int order)
{
	return PAGE_SIZE << order;
}
#endif

/* Since 6.3 vm_flags is written through vm_flags_set() only. */
static inline void pmemctl_vm_flags_set(struct vm_area_struct *vma,
					unsigned long flags)
{
#ifdef PMEMCTL_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* Since 6.10 the mm's get_unmapped_area hook is mm_get_unmapped_area(). */
static inline unsigned long
pmemctl_mm_get_unmapped_area(struct file *filp, unsigned long addr,
			     unsigned long len, unsigned long pgoff,
			     unsigned long flags)
{
#ifdef PMEMCTL_HAVE_MM_GET_UNMAPPED_AREA
	return mm_get_unmapped_area(current->mm, filp, addr, len, pgoff, flags);
#else
	return current->mm->get_unmapped_area(filp, addr, len, pgoff, flags);
#endif
}

/* MAP_SYNC is accepted: since 6.11 a fop_flags bit, before a field. */
#ifdef PMEMCTL_HAVE_FOP_FLAGS
#define PMEMCTL_FOPS_MAP_SYNC	.fop_flags = FOP_MMAP_SYNC
#else
#define PMEMCTL_FOPS_MAP_SYNC	.mmap_supported_flags = MAP_SYNC
#endif

/*
 * Whether the kernel deduplicates the memmap of @pgmap's compound pages.
 * Debian 6.1 kernels older than the stable backport of the upstream 6.4
 * fix that added vmemmap_can_optimize() (6.1.0-50 is one; 6.1.0-57 has
 * it) decide it inline in __populate_section_memmap() and
 * memmap_init_zone_device() by this rule: 64-byte struct pages, compound
 * pages, a memmap in RAM (no altmap, which the caller never passes).
 */
static inline bool pmemctl_vmemmap_can_optimize(struct dev_pagemap *pgmap)
{
#ifdef PMEMCTL_HAVE_VMEMMAP_CAN_OPTIMIZE
	return vmemmap_can_optimize(NULL, pgmap);
#else
	return is_power_of_2(sizeof(struct page)) && pgmap_vmemmap_nr(pgmap) > 1;
#endif
}

#endif /* _PMEMCTL_COMPAT_H */
