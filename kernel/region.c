// SPDX-License-Identifier: GPL-2.0-only
/*
 * Region discovery: one pmemctl region per legacy persistent memory range
 * (e820 type 12, which memmap=nn!ss also creates), with its sysfs view.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "internal.h"

/*
 * The claimed regions, for lookup by number from the control device. The
 * list lives as long as the platform driver is bound, which outlasts any
 * ioctl: an open /dev/pmemctl pins the module.
 */
static DEFINE_MUTEX(pmemctl_regions_lock);
static struct list_head *pmemctl_regions;

struct pmemctl_region *pmemctl_region_find(u32 id)
{
	struct pmemctl_region *region, *found = NULL;

	mutex_lock(&pmemctl_regions_lock);
	if (pmemctl_regions) {
		list_for_each_entry(region, pmemctl_regions, node) {
			if (region->id == id) {
				found = region;
				break;
			}
		}
	}
	mutex_unlock(&pmemctl_regions_lock);
	return found;
}

struct pmemctl_range {
	phys_addr_t start;
	resource_size_t size;
};

struct pmemctl_range_walk {
	struct pmemctl_range *ranges;	/* NULL while only counting */
	int max;
	int count;
};

static int pmemctl_range_found(struct resource *res, void *arg)
{
	struct pmemctl_range_walk *walk = arg;

	if (walk->ranges && walk->count < walk->max) {
		walk->ranges[walk->count].start = res->start;
		walk->ranges[walk->count].size = resource_size(res);
	}
	walk->count++;
	return 0;
}

/*
 * The walk visits ranges in ascending address order, which is what region
 * numbering promises. Counting first keeps the allocation exact; the bound
 * check covers a range appearing between the two walks (memory hotplug).
 */
static int pmemctl_ranges_find(struct pmemctl_range **out)
{
	struct pmemctl_range_walk walk = { };

	walk_iomem_res_desc(IORES_DESC_PERSISTENT_MEMORY_LEGACY, IORESOURCE_MEM,
			    0, -1, &walk, pmemctl_range_found);
	if (!walk.count)
		return 0;

	walk.ranges = kcalloc(walk.count, sizeof(*walk.ranges), GFP_KERNEL);
	if (!walk.ranges)
		return -ENOMEM;
	walk.max = walk.count;
	walk.count = 0;
	walk_iomem_res_desc(IORES_DESC_PERSISTENT_MEMORY_LEGACY, IORESOURCE_MEM,
			    0, -1, &walk, pmemctl_range_found);
	*out = walk.ranges;
	return min(walk.count, walk.max);
}

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)to_pmemctl_region(dev)->size);
}
static DEVICE_ATTR_RO(size);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", PMEMCTL_REGION_ALIGN);
}
static DEVICE_ATTR_RO(align);

/*
 * Space a create could use now: 2 MiB-aligned gaps between namespaces.
 * Without a valid store nothing can be allocated, so both are zero.
 */
static ssize_t pmemctl_space_show(struct device *dev, char *buf, bool largest)
{
	struct pmemctl_region *region = to_pmemctl_region(dev);
	u64 total, max, at;

	mutex_lock(&region->lock);
	pmemctl_region_free_space(region, &total, &max, &at);
	mutex_unlock(&region->lock);
	return sysfs_emit(buf, "%llu\n", largest ? max : total);
}

static ssize_t available_size_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return pmemctl_space_show(dev, buf, false);
}
static DEVICE_ATTR_RO(available_size);

static ssize_t max_available_extent_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	return pmemctl_space_show(dev, buf, true);
}
static DEVICE_ATTR_RO(max_available_extent);

static ssize_t max_namespaces_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct pmemctl_region *region = to_pmemctl_region(dev);

	enum pmemctl_region_state state = READ_ONCE(region->state);

	return sysfs_emit(buf, "%u\n", state == PMEMCTL_REGION_ACTIVE ||
			  state == PMEMCTL_REGION_DEGRADED ? PMEMCTL_NSLOTS : 0);
}
static DEVICE_ATTR_RO(max_namespaces);

static ssize_t numa_node_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_to_node(dev));
}
static DEVICE_ATTR_RO(numa_node);

/*
 * A legacy e820 range comes with no platform statement of what survives
 * power loss (no NFIT flags), so claiming more than "unknown" would be a lie.
 */
static ssize_t persistence_domain_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "unknown\n");
}
static DEVICE_ATTR_RO(persistence_domain);

static const char *const pmemctl_region_states[] = {
	[PMEMCTL_REGION_UNINITIALIZED] = "uninitialized",
	[PMEMCTL_REGION_ACTIVE] = "active",
	[PMEMCTL_REGION_LABEL_ERROR] = "label-error",
	[PMEMCTL_REGION_DEGRADED] = "degraded",
};

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	enum pmemctl_region_state state = READ_ONCE(to_pmemctl_region(dev)->state);

	return sysfs_emit(buf, "%s\n", pmemctl_region_states[state]);
}
static DEVICE_ATTR_RO(state);

/*
 * Why the store was rejected (label-error) or is not whole (degraded);
 * empty in the other states.
 */
static ssize_t label_error_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct pmemctl_region *region = to_pmemctl_region(dev);
	const char *why = "";

	mutex_lock(&region->lock);
	if (region->state == PMEMCTL_REGION_LABEL_ERROR ||
	    region->state == PMEMCTL_REGION_DEGRADED)
		why = region->label_error ? lf_error_name(region->label_error) :
			"namespace could not be added";
	mutex_unlock(&region->lock);
	return sysfs_emit(buf, "%s\n", why);
}
static DEVICE_ATTR_RO(label_error);

/* Physical addresses are for root only (KASLR-style information leak). */
static ssize_t resource_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%#llx\n",
			  (unsigned long long)to_pmemctl_region(dev)->start);
}
static DEVICE_ATTR_ADMIN_RO(resource);

/*
 * What each mode would give and cost on the largest free extent, as a
 * namespace filling it: extent_<mode>/{data_size,ram_bytes,dev_bytes}
 * for a block (or 4K devdax) namespace, and since ABI 1.7
 * extent_<mode>_devdax{2m,1g}/ for a devdax namespace of that alignment,
 * whose compound memmap costs less (pagemap.c). A devdax namespace takes
 * the extent's part that starts and ends on its alignment. 0 everywhere
 * when nothing is free or that shape does not fit (a pfn extent smaller
 * than 4 MiB; a 1G pfn namespace whose reserve moves its data off 1G).
 */
struct pmemctl_extent;

/* One of an extent group's three files. */
struct pmemctl_ext_file {
	struct device_attribute attr;
	const struct pmemctl_extent *ext;
	int field;
};

enum { PMEMCTL_EXT_DATA, PMEMCTL_EXT_RAM, PMEMCTL_EXT_DEV, PMEMCTL_EXT_NR };

struct pmemctl_extent {
	const char *name;
	u32 mode;
	u32 access;
	u64 align;
	/* filled in by pmemctl_region_groups_init() */
	struct pmemctl_ext_file files[PMEMCTL_EXT_NR];
	struct attribute *attrs[PMEMCTL_EXT_NR + 1];
	struct attribute_group group;
};

static struct pmemctl_extent pmemctl_ext[] = {
	{ "extent_raw", PMEMCTL_MODE_RAW, PMEMCTL_ACCESS_BLOCK, 0 },
	{ "extent_page", PMEMCTL_MODE_PAGE, PMEMCTL_ACCESS_BLOCK, 0 },
	{ "extent_pfn", PMEMCTL_MODE_PFN, PMEMCTL_ACCESS_BLOCK, 0 },
	/* ondemand's worst case: struct pages for every chunk (ondemand.c) */
	{ "extent_ondemand", PMEMCTL_MODE_ONDEMAND, PMEMCTL_ACCESS_BLOCK, 0 },
	{ "extent_page_devdax2m", PMEMCTL_MODE_PAGE, PMEMCTL_ACCESS_DEVDAX, SZ_2M },
	{ "extent_page_devdax1g", PMEMCTL_MODE_PAGE, PMEMCTL_ACCESS_DEVDAX, SZ_1G },
	{ "extent_pfn_devdax2m", PMEMCTL_MODE_PFN, PMEMCTL_ACCESS_DEVDAX, SZ_2M },
	{ "extent_pfn_devdax1g", PMEMCTL_MODE_PFN, PMEMCTL_ACCESS_DEVDAX, SZ_1G },
	{ "extent_ondemand_devdax2m", PMEMCTL_MODE_ONDEMAND,
	  PMEMCTL_ACCESS_DEVDAX, SZ_2M },
	{ "extent_ondemand_devdax1g", PMEMCTL_MODE_ONDEMAND,
	  PMEMCTL_ACCESS_DEVDAX, SZ_1G },
};

#define PMEMCTL_NR_EXT	ARRAY_SIZE(pmemctl_ext)

static ssize_t pmemctl_extent_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	const struct pmemctl_ext_file *file =
		container_of(attr, struct pmemctl_ext_file, attr);
	const struct pmemctl_extent *ext = file->ext;
	struct pmemctl_region *region = to_pmemctl_region(dev);
	struct lf_ns label = {
		.mode = ext->mode,
		.access = ext->access,
		.align = ext->align,
	};
	struct mc_cost cost = { };
	u64 total, largest, at, end;

	mutex_lock(&region->lock);
	pmemctl_region_free_space(region, &total, &largest, &at);
	mutex_unlock(&region->lock);

	end = pmemctl_align_down(region, at + largest, lf_extent_align(&label));
	label.offset = pmemctl_align_up(region, at, lf_extent_align(&label));
	label.size = largest && end > label.offset ? end - label.offset : 0;
	if (label.size && !pmemctl_ns_layout(&label))
		pmemctl_label_cost(region, &label, &cost);
	if (file->field == PMEMCTL_EXT_DATA)
		return sysfs_emit(buf, "%llu\n", cost.data_size);
	if (file->field == PMEMCTL_EXT_RAM)
		return sysfs_emit(buf, "%llu\n", cost.ram_bytes);
	return sysfs_emit(buf, "%llu\n", cost.dev_bytes);
}

static ssize_t struct_page_size_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", sizeof(struct page));
}
static DEVICE_ATTR_RO(struct_page_size);

/*
 * The current index sequence number; 0 when the region has no valid store
 * (uninitialized or label-error), so a script can see a commit happen.
 */
static ssize_t label_seq_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct pmemctl_region *region = to_pmemctl_region(dev);
	u64 seq = 0;

	mutex_lock(&region->lock);
	if (region->state == PMEMCTL_REGION_ACTIVE ||
	    region->state == PMEMCTL_REGION_DEGRADED)
		seq = region->seq;
	mutex_unlock(&region->lock);
	return sysfs_emit(buf, "%llu\n", (unsigned long long)seq);
}
static DEVICE_ATTR_RO(label_seq);

/*
 * The raw label store, for root, whatever its state: each read is one
 * machine-check-safe copy, so a poisoned line fails it with EIO. Taken
 * under the region lock so that a read never sees half a commit.
 */
static ssize_t labels_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf,
			   loff_t off, size_t count)
{
	struct pmemctl_region *region = to_pmemctl_region(kobj_to_dev(kobj));
	loff_t end = min_t(u64, PMEMCTL_STORE_SIZE, region->size);
	int rc;

	if (off >= end)
		return 0;
	count = min_t(loff_t, count, end - off);
	mutex_lock(&region->lock);
	rc = pmemctl_media_read(buf, region->virt + off, region->start + off,
				count);
	mutex_unlock(&region->lock);
	return rc ? rc : count;
}
static BIN_ATTR_ADMIN_RO(labels, PMEMCTL_STORE_SIZE);

static struct bin_attribute *pmemctl_region_bin_attrs[] = {
	&bin_attr_labels,
	NULL,
};

static struct attribute *pmemctl_region_attrs[] = {
	&dev_attr_struct_page_size.attr,
	&dev_attr_size.attr,
	&dev_attr_align.attr,
	&dev_attr_available_size.attr,
	&dev_attr_max_available_extent.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_persistence_domain.attr,
	&dev_attr_state.attr,
	&dev_attr_label_error.attr,
	&dev_attr_label_seq.attr,
	&dev_attr_max_namespaces.attr,
	&dev_attr_resource.attr,
	NULL,
};

static const struct attribute_group pmemctl_region_group = {
	.attrs = pmemctl_region_attrs,
	.bin_attrs = pmemctl_region_bin_attrs,
};

/* pmemctl_region_group, then the extent groups; filled in at init */
static const struct attribute_group
	*pmemctl_region_groups[1 + PMEMCTL_NR_EXT + 1];

/*
 * Once, at module init, before any region exists: the extent groups are
 * built from the table above rather than spelt out ten times.
 */
void pmemctl_region_groups_init(void)
{
	static const char *const names[PMEMCTL_EXT_NR] = {
		[PMEMCTL_EXT_DATA] = "data_size",
		[PMEMCTL_EXT_RAM] = "ram_bytes",
		[PMEMCTL_EXT_DEV] = "dev_bytes",
	};
	struct pmemctl_extent *ext;
	struct pmemctl_ext_file *file;
	unsigned int i, f;

	pmemctl_region_groups[0] = &pmemctl_region_group;
	for (i = 0; i < PMEMCTL_NR_EXT; i++) {
		ext = &pmemctl_ext[i];
		for (f = 0; f < PMEMCTL_EXT_NR; f++) {
			file = &ext->files[f];
			file->attr.attr.name = names[f];
			file->attr.attr.mode = 0444;
			file->attr.show = pmemctl_extent_show;
			file->ext = ext;
			file->field = f;
			ext->attrs[f] = &file->attr.attr;
		}
		ext->group.name = ext->name;
		ext->group.attrs = ext->attrs;
		pmemctl_region_groups[1 + i] = &ext->group;
	}
}

static void pmemctl_region_release(struct device *dev)
{
	struct pmemctl_region *region = to_pmemctl_region(dev);

	ida_destroy(&region->ids);
	kfree(region->index_buf);
	kfree(region);
	pmemctl_live_put();
}

static const struct device_type pmemctl_region_type = {
	.name = "pmemctl_region",
	.groups = pmemctl_region_groups,
	.release = pmemctl_region_release,
};

/*
 * Claim one range and publish its region device. The busy resource is what
 * keeps any other driver (nd_pmem, a second pmemctl) off the range; a range
 * somebody else already holds is skipped, not fought over.
 */
static int pmemctl_region_add(struct device *parent, struct list_head *regions,
			      int id, const struct pmemctl_range *range)
{
	struct pmemctl_region *region;
	struct resource *res;
	int nid;
	int rc;

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return -ENOMEM;

	region->id = id;
	region->start = range->start;
	region->size = range->size;
	mutex_init(&region->lock);
	INIT_LIST_HEAD(&region->namespaces);
	ida_init(&region->ids);
	device_initialize(&region->dev);
	pmemctl_live_get();
	region->dev.parent = parent;
	region->dev.bus = &pmemctl_bus_type;
	region->dev.type = &pmemctl_region_type;
	nid = phys_to_target_node(range->start);
	set_dev_node(&region->dev, numa_map_to_online_node(nid));
	rc = dev_set_name(&region->dev, "region%d", id);
	if (rc)
		goto out_put;

	res = request_mem_region(range->start, range->size,
				 dev_name(&region->dev));
	if (!res) {
		pr_info("range %pa+%pa is in use by another driver; not claiming it\n",
			&region->start, &region->size);
		rc = -EBUSY;
		goto out_put;
	}

	region->index_buf = kzalloc(PMEMCTL_INDEX_SIZE, GFP_KERNEL);
	if (!region->index_buf) {
		rc = -ENOMEM;
		goto out_release;
	}

	region->virt = memremap(range->start, range->size, MEMREMAP_WB);
	if (!region->virt) {
		rc = -ENOMEM;
		goto out_release;
	}

	rc = device_add(&region->dev);
	if (rc)
		goto out_unmap;

	mutex_lock(&region->lock);
	rc = pmemctl_labels_load(region);
	mutex_unlock(&region->lock);
	if (rc)
		goto out_del;

	list_add_tail(&region->node, regions);
	dev_info(&region->dev, "claimed %llu MiB of legacy persistent memory\n",
		 (unsigned long long)region->size >> 20);
	return 0;

out_del:
	device_del(&region->dev);
out_unmap:
	memunmap(region->virt);
out_release:
	release_mem_region(range->start, range->size);
out_put:
	put_device(&region->dev);
	return rc;
}

/*
 * Numbering is by position among all legacy ranges, claimed or not, so a
 * region keeps its number when a range below it belongs to someone else.
 * Returns the number of regions added, or a negative errno when none could
 * be added. A region that fails (even for lack of memory) is skipped: the
 * ones already added stay, because their namespace disks may already be
 * open, and unwinding them would pull the disks from under their users.
 */
int pmemctl_regions_probe(struct device *parent, struct list_head *regions)
{
	struct pmemctl_range *ranges = NULL;
	int added = 0;
	int count;
	int rc = 0;
	int i;

	count = pmemctl_ranges_find(&ranges);
	if (count <= 0)
		return count ? count : -ENODEV;

	for (i = 0; i < count; i++) {
		int err = pmemctl_region_add(parent, regions, i, &ranges[i]);

		if (!err)
			added++;
		else if (err != -EBUSY)	/* EBUSY: owned elsewhere, said so */
			pr_warn("range %pa+%pa not claimed: %d\n",
				&ranges[i].start, &ranges[i].size, err);
		if (err == -ENOMEM)
			rc = err;
	}
	kfree(ranges);

	if (!added)
		return rc ? rc : -ENODEV;

	mutex_lock(&pmemctl_regions_lock);
	pmemctl_regions = regions;
	mutex_unlock(&pmemctl_regions_lock);
	return added;
}

void pmemctl_regions_remove(struct list_head *regions)
{
	struct pmemctl_region *region, *next;

	mutex_lock(&pmemctl_regions_lock);
	if (pmemctl_regions == regions)
		pmemctl_regions = NULL;
	mutex_unlock(&pmemctl_regions_lock);

	list_for_each_entry_safe_reverse(region, next, regions, node) {
		list_del(&region->node);
		mutex_lock(&region->lock);
		pmemctl_ns_remove_all(region);
		mutex_unlock(&region->lock);
		device_del(&region->dev);
		memunmap(region->virt);
		release_mem_region(region->start, region->size);
		put_device(&region->dev);
	}
}
