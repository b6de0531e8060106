/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pmemctl.ko internal interfaces shared between its source files.
 */
#ifndef _PMEMCTL_KERNEL_INTERNAL_H
#define _PMEMCTL_KERNEL_INTERNAL_H

#include <linux/badblocks.h>
#include <linux/dax.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/memremap.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/sizes.h>

#include "label-format.h"
#include "memmap-cost.h"

struct dax_device;
struct gendisk;
struct pmemctl_ddax;
struct pmemctl_batch_op;

/* Namespaces start on this boundary: memremap_pages() subsection size. */
#define PMEMCTL_REGION_ALIGN	SZ_2M

extern struct bus_type pmemctl_bus_type;

enum pmemctl_region_state {
	PMEMCTL_REGION_UNINITIALIZED,	/* no store: never written to */
	PMEMCTL_REGION_ACTIVE,
	PMEMCTL_REGION_LABEL_ERROR,	/* a store, but nothing valid in it */
	PMEMCTL_REGION_DEGRADED,	/* valid, but a label is unaccounted */
};

/*
 * One legacy persistent memory range claimed by pmemctl.
 *
 * Lifetime: embedded struct device; freed by its release callback once the
 * last reference is dropped, which may be after pmemctl_regions_remove()
 * returns if userspace still holds a sysfs file open. Module exit waits for
 * that release (pmemctl_live_get/put, main.c), as it does for namespaces
 * and their disks.
 *
 * @lock serialises every change to the store and the namespace list, and
 * the region attributes that read them take it (they may sleep on it).
 * Namespace attributes never take it: namespace devices are deleted with
 * it held, and device_del() waits for their readers. The region device
 * itself is deleted only after it is dropped.
 */
struct pmemctl_region {
	struct device dev;
	struct list_head node;
	int id;
	phys_addr_t start;
	resource_size_t size;
	void *virt;			/* whole range, write-back mapping */
	void *index_buf;		/* PMEMCTL_INDEX_SIZE, for commits */

	struct mutex lock;		/* store, namespaces: see above */
	enum pmemctl_region_state state;
	enum lf_error label_error;
	int cur;			/* current index copy */
	u64 seq;
	u8 used[PMEMCTL_NSLOTS / 8];	/* slot bitmap of the current copy */
	/* of the other copy (zero if not a valid index): also not free */
	u8 other_used[PMEMCTL_NSLOTS / 8];
	u8 next_used[PMEMCTL_NSLOTS / 8];	/* the one being committed */
	struct list_head namespaces;	/* sorted by offset */
	u32 ns_count;
	struct ida ids;
};

/*
 * One namespace: a labelled extent of a region. Its label changes only by
 * reconfigure, under the region lock while the namespace is disabled;
 * sysfs attributes read it without the lock and may see either label.
 *
 * While enabled, a page or pfn namespace also has @pgmap (its struct
 * pages) and @dax. Teardown (pmemctl_ns_stop()) goes: no opener, the disk
 * refuses new opens (@dying), no page held by anyone (else -EBUSY and the
 * namespace stays as it was), then the dax_device, the disk and last the
 * struct pages. @pages_lock serialises @pages_live, and so the memmap's
 * existence, between enable/disable (under the region lock) and the
 * held_pages attribute (which must not take the region lock); it may be
 * held while sleeping and is taken inside the region lock.
 */
struct pmemctl_od;

struct pmemctl_ns {
	struct device dev;
	struct pmemctl_region *region;
	struct list_head node;
	struct lf_ns label;
	seqcount_mutex_t label_seq;	/* label writes, under region->lock */
	struct gendisk *disk;		/* block, while enabled */
	struct pmemctl_ddax *ddax;	/* devdax, while enabled: devdax.c */
	bool dying;			/* set under disk->open_mutex */
	struct mutex pages_lock;	/* @pages_live, @pgmap: see above */
	bool pages_live;		/* @pgmap is mapped: a module ref */
	struct dev_pagemap pgmap;	/* page, pfn: while enabled */
	struct pmemctl_od *od;		/* ondemand, while enabled: ondemand.c */
	struct dax_device *dax;		/* page, pfn: while enabled */
	u64 dev_used;			/* pfn: reserve bytes the memmap took */
	void *virt;			/* namespace start, while enabled */
	struct badblocks bb;		/* bad data sectors: badblocks.c */
	struct mutex dax_lock;		/* @dax against memory_failure */
	u32 batch_op;			/* batch.c: 1 + op on it, or 0 */
};

/*
 * Enabled: a block device or a device-DAX character device exists. Both
 * pointers change under the region lock; lockless readers (sysfs) see the
 * state before or after a change.
 */
static inline bool pmemctl_ns_enabled(const struct pmemctl_ns *ns)
{
	return READ_ONCE(ns->disk) || READ_ONCE(ns->ddax);
}

static inline struct pmemctl_region *to_pmemctl_region(struct device *dev)
{
	return container_of(dev, struct pmemctl_region, dev);
}

static inline struct pmemctl_ns *to_pmemctl_ns(struct device *dev)
{
	return container_of(dev, struct pmemctl_ns, dev);
}

/* Region offset of the first @align-aligned physical address >= @off. */
static inline u64 pmemctl_align_up(struct pmemctl_region *region, u64 off,
				   u64 align)
{
	return ALIGN(region->start + off, align) - region->start;
}

/* Region offset of the last @align-aligned physical address <= @off. */
static inline u64 pmemctl_align_down(struct pmemctl_region *region, u64 off,
				     u64 align)
{
	return ALIGN_DOWN(region->start + off, align) - region->start;
}

/*
 * main.c: one count per live object whose release runs module code, taken
 * when it is initialised, dropped last thing in its release; module exit
 * sleeps until it is zero.
 */
void pmemctl_live_get(void);
void pmemctl_live_put(void);

/* region.c: the region device's sysfs groups, built once at module init. */
void pmemctl_region_groups_init(void);

/* region.c: discovery and region devices under @parent (may sleep). */
int pmemctl_regions_probe(struct device *parent, struct list_head *regions);
void pmemctl_regions_remove(struct list_head *regions);
struct pmemctl_region *pmemctl_region_find(u32 id);

/*
 * labels.c: the on-media store; callers hold region->lock. A DEGRADED
 * region (label_error: LF_MEDIA_ERROR for an unreadable label, LF_OK for a
 * namespace that could not be registered) serves the namespaces it has
 * but has an extent it cannot place, so nothing new is allocated in it.
 */
int pmemctl_labels_load(struct pmemctl_region *region);
int pmemctl_labels_init(struct pmemctl_region *region);
int pmemctl_labels_free_slot(struct pmemctl_region *region);
void pmemctl_labels_write(struct pmemctl_region *region,
			  const struct lf_ns *label);
void pmemctl_labels_commit(struct pmemctl_region *region, const u8 *used);

/* namespace.c: namespace devices; callers hold region->lock. */
int pmemctl_ns_add(struct pmemctl_region *region, const struct lf_ns *label,
		   struct pmemctl_ns **out);
void pmemctl_ns_remove(struct pmemctl_ns *ns);
void pmemctl_ns_remove_all(struct pmemctl_region *region);
struct pmemctl_ns *pmemctl_ns_find(struct pmemctl_region *region, u32 id);
int pmemctl_ns_create(struct pmemctl_region *region, struct lf_ns *label,
		      struct mc_cost *cost);
int pmemctl_ns_destroy(struct pmemctl_ns *ns);
int pmemctl_ns_enable(struct pmemctl_ns *ns);
int pmemctl_ns_disable(struct pmemctl_ns *ns);
int pmemctl_ns_reconfigure(struct pmemctl_ns *ns, u32 mode, u32 access,
			   u32 flags, struct mc_cost *cost);
int pmemctl_ns_reshape(const struct lf_ns *old, u32 mode, u32 access,
		       bool set_access, struct lf_ns *new);
int pmemctl_ns_prepare(struct pmemctl_region *region, struct lf_ns *label,
		       struct mc_cost *cost);
void pmemctl_region_free_space(struct pmemctl_region *region, u64 *total,
			       u64 *largest, u64 *largest_at);
int pmemctl_ns_layout(struct lf_ns *label);
int pmemctl_ns_check_shape(struct pmemctl_region *region,
			   const struct lf_ns *label);
int pmemctl_region_check_alloc(struct pmemctl_region *region);
int pmemctl_ns_start(struct pmemctl_ns *ns);
int pmemctl_ns_stop(struct pmemctl_ns *ns);
void pmemctl_ns_set_label(struct pmemctl_ns *ns, const struct lf_ns *label);

/*
 * batch.c: PMEMCTL_IOC_NS_BATCH on ops that control.c has checked for
 * shape; the caller holds region->lock. @batch_op above marks, for the
 * length of one batch, the namespaces its ops name.
 */
int pmemctl_batch_run(struct pmemctl_region *region,
		      struct pmemctl_batch_op *ops, u32 nr, bool dry_run,
		      u32 *failed);

/* pagemap.c: struct pages of page and pfn namespaces. */
void pmemctl_label_cost(struct pmemctl_region *region,
			const struct lf_ns *label, struct mc_cost *cost);
int pmemctl_pages_check(struct pmemctl_region *region,
			const struct lf_ns *label, struct device *dev);
int pmemctl_pages_add(struct pmemctl_ns *ns);
int pmemctl_pages_check_idle(struct pmemctl_ns *ns);
unsigned long pmemctl_pages_held(struct pmemctl_ns *ns);
void pmemctl_pages_del(struct pmemctl_ns *ns);

/* dax.c: the dax_device of an enabled page or pfn namespace. */
int pmemctl_dax_add(struct pmemctl_ns *ns, struct gendisk *disk);
void pmemctl_dax_del(struct pmemctl_ns *ns, struct gendisk *disk);

/* blk.c: the block device of an enabled namespace. */
int pmemctl_blk_add(struct pmemctl_ns *ns);
int pmemctl_blk_quiesce(struct pmemctl_ns *ns);
void pmemctl_blk_resume(struct pmemctl_ns *ns);
void pmemctl_blk_del(struct pmemctl_ns *ns);

/*
 * devdax.c: the device-DAX character device of an enabled devdax
 * namespace, /dev/pmemctl-daxR.N (class pmemctl-dax). add: after
 * pmemctl_pages_add(); quiesce: -EBUSY while any file is open on it (a
 * mapping holds its file), else new opens fail; resume: undo a quiesce;
 * del: after a quiesce and pmemctl_pages_check_idle(), removes the device
 * and the struct pages (pmemctl_pages_del()). All under the region lock.
 * init/exit: module init and exit.
 */
#define PMEMCTL_DDAX_NAME_FMT	"pmemctl-dax%d.%u"
int pmemctl_ddax_add(struct pmemctl_ns *ns);
int pmemctl_ddax_quiesce(struct pmemctl_ns *ns);
void pmemctl_ddax_resume(struct pmemctl_ns *ns);
void pmemctl_ddax_del(struct pmemctl_ns *ns);
int pmemctl_ddax_init(void);
void pmemctl_ddax_exit(void);

/*
 * media.c: reads of region media that a media error cannot turn into a
 * machine check, with test-only injected poison (module parameter
 * poison=PHYS:LEN[,...], debugfs pmemctl/poison).
 *
 * pmemctl_media_read() copies @len bytes from @src, the kernel mapping of
 * physical address @phys, into @dst: 0, or -EIO if an injected bad range
 * overlaps [@phys, @phys + @len) or the copy hit poison (@dst is then
 * partly written). pmemctl_media_injected() says whether an injected range
 * overlaps, for paths that hand out a mapping instead of copying (DAX).
 * Both never sleep (RCU readers): any context that may read memory.
 * pmemctl_media_init()/exit(): module init and exit only.
 */
int pmemctl_media_read(void *dst, const void *src, phys_addr_t phys,
		       size_t len);
bool pmemctl_media_injected(phys_addr_t phys, size_t len);
int pmemctl_media_init(void);
void pmemctl_media_exit(void);

/*
 * badblocks.c: the namespace's bad-sector list and the data accesses that
 * honour it. Sectors count from the start of the data (block device
 * sectors). init/exit: with the namespace device (ns_add, release). The
 * read, write and DAX helpers run in the I/O path of an enabled
 * namespace and never sleep; @ns->virt maps its data.
 */
int pmemctl_bb_init(struct pmemctl_ns *ns);
void pmemctl_bb_exit(struct pmemctl_ns *ns);
void pmemctl_bb_record(struct pmemctl_ns *ns, sector_t s, u32 nr);
void pmemctl_bb_relayout(struct pmemctl_ns *ns, u64 old_off, u64 new_off);
int pmemctl_bb_read(struct pmemctl_ns *ns, void *dst, sector_t s,
		    unsigned int len);
int pmemctl_bb_write(struct pmemctl_ns *ns, const void *src, sector_t s,
		     unsigned int len);
long pmemctl_bb_dax_avail(struct pmemctl_ns *ns, pgoff_t pgoff,
			  long nr_pages, enum dax_access_mode mode);
size_t pmemctl_bb_recovery_write(struct pmemctl_ns *ns, pgoff_t pgoff,
				 void *addr, size_t bytes,
				 struct iov_iter *iter);
int pmemctl_bb_memory_failure(struct pmemctl_ns *ns, unsigned long pfn,
			      unsigned long nr_pages, int mf_flags);
extern const struct dev_pagemap_ops pmemctl_pagemap_ops;

/*
 * ondemand.c: struct pages made one chunk at a time (see its header for
 * when a chunk may go). add/del: at enable and at a disable that found
 * every page idle, under the region lock and @pages_lock. get: make the
 * chunks under data bytes [off, off + len), may sleep. vma_open/close:
 * count a device-DAX mapping's chunks. ram: bytes taken now, or the peak
 * since enable (0 while disabled). held: as pmemctl_pages_held().
 */
int pmemctl_od_add(struct pmemctl_ns *ns, u32 cost_flags);
void pmemctl_od_del(struct pmemctl_ns *ns);
int pmemctl_od_get(struct pmemctl_ns *ns, u64 off, u64 len);
int pmemctl_od_vma_open(struct pmemctl_ns *ns, struct vm_area_struct *vma,
			bool may_fail);
void pmemctl_od_vma_close(struct pmemctl_ns *ns, struct vm_area_struct *vma);
u64 pmemctl_od_ram(struct pmemctl_ns *ns, bool peak);
void pmemctl_od_cost(const struct lf_ns *label, struct mc_cost *cost);
unsigned long pmemctl_od_held(struct pmemctl_ns *ns, u64 *first);
extern struct device_attribute pmemctl_dev_attr_badblocks;

/* control.c: the /dev/pmemctl misc device. */
struct pmemctl_ns_cost;
void pmemctl_cost_out(struct pmemctl_ns_cost *out, const struct mc_cost *cost);
int pmemctl_control_register(void);
void pmemctl_control_unregister(void);

#endif /* _PMEMCTL_KERNEL_INTERNAL_H */
