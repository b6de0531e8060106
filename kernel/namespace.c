// SPDX-License-Identifier: GPL-2.0-only
/*
 * Namespaces: labelled extents of a region, each a device on the pmemctl
 * bus with a block device while enabled. Every change here runs under the
 * region lock and is one transaction on the label store: it either commits
 * or leaves the store and the device tree as they were.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "compat.h"
#include "internal.h"

static const char *const pmemctl_mode_names[] = {
	[PMEMCTL_MODE_RAW] = "raw",
	[PMEMCTL_MODE_PAGE] = "page",
	[PMEMCTL_MODE_PFN] = "pfn",
	[PMEMCTL_MODE_ONDEMAND] = "ondemand",
};

static const char *pmemctl_mode_name(u32 mode)
{
	if (mode >= ARRAY_SIZE(pmemctl_mode_names))
		return "unknown";
	return pmemctl_mode_names[mode];
}

static const char *const pmemctl_access_names[] = {
	[PMEMCTL_ACCESS_BLOCK] = "block",
	[PMEMCTL_ACCESS_DEVDAX] = "devdax",
};

static const char *pmemctl_access_name(u32 access)
{
	if (access >= ARRAY_SIZE(pmemctl_access_names))
		return "unknown";
	return pmemctl_access_names[access];
}

static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_pmemctl_ns(dev)->label.name);
}
static DEVICE_ATTR_RO(name);

static ssize_t uuid_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%pUb\n", to_pmemctl_ns(dev)->label.uuid);
}
static DEVICE_ATTR_RO(uuid);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  pmemctl_mode_name(to_pmemctl_ns(dev)->label.mode));
}
static DEVICE_ATTR_RO(mode);

static ssize_t access_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  pmemctl_access_name(to_pmemctl_ns(dev)->label.access));
}
static DEVICE_ATTR_RO(access);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_pmemctl_ns(dev)->label.size);
}
static DEVICE_ATTR_RO(size);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_pmemctl_ns(dev)->label.align);
}
static DEVICE_ATTR_RO(align);

/* ns->disk, ns->ddax change under the region lock; a read sees either. */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", pmemctl_ns_enabled(to_pmemctl_ns(dev)) ?
			  "enabled" : "disabled");
}
static DEVICE_ATTR_RO(state);

static ssize_t blockdev_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct pmemctl_ns *ns = to_pmemctl_ns(dev);

	if (!READ_ONCE(ns->disk))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "pmem%dn%u\n", ns->region->id, ns->label.id);
}
static DEVICE_ATTR_RO(blockdev);

/* The device-DAX character device's name while enabled, else empty. */
static ssize_t chardev_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pmemctl_ns *ns = to_pmemctl_ns(dev);

	if (!READ_ONCE(ns->ddax))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, PMEMCTL_DDAX_NAME_FMT "\n", ns->region->id,
			  ns->label.id);
}
static DEVICE_ATTR_RO(chardev);

static ssize_t numa_node_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_to_node(dev));
}
static DEVICE_ATTR_RO(numa_node);

/* A consistent copy of the label: reconfigure may replace it meanwhile. */
static void pmemctl_ns_label(struct pmemctl_ns *ns, struct lf_ns *label)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&ns->label_seq);
		*label = ns->label;
	} while (read_seqcount_retry(&ns->label_seq, seq));
}

/*
 * The cost of the namespace in its current mode. While a pfn namespace is
 * enabled, what its reserve really holds is known: any memmap block the
 * arithmetic expected there but the kernel did not take from it came from
 * RAM, and the other way round. An enabled ondemand namespace takes what
 * its chunks made so far take; disabled, its worst case is reported.
 */
static void pmemctl_ns_cost_now(struct pmemctl_ns *ns, struct mc_cost *cost)
{
	struct lf_ns label;
	u64 used;

	pmemctl_ns_label(ns, &label);
	pmemctl_label_cost(ns->region, &label, cost);
	if (label.mode == PMEMCTL_MODE_ONDEMAND && pmemctl_ns_enabled(ns)) {
		cost->ram_bytes = pmemctl_od_ram(ns, false);
		return;
	}
	used = READ_ONCE(ns->dev_used);
	if (label.mode != PMEMCTL_MODE_PFN || !pmemctl_ns_enabled(ns) || !used)
		return;
	if (used < cost->dev_used)
		cost->ram_bytes += cost->dev_used - used;
	else
		cost->ram_bytes -= min(cost->ram_bytes, used - cost->dev_used);
	cost->dev_used = used;
}

static ssize_t pmemctl_ns_cost_emit(struct device *dev, char *buf,
				    size_t field)
{
	struct mc_cost cost;

	pmemctl_ns_cost_now(to_pmemctl_ns(dev), &cost);
	return sysfs_emit(buf, "%llu\n", *(u64 *)((char *)&cost + field));
}

static ssize_t data_offset_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return pmemctl_ns_cost_emit(dev, buf,
				    offsetof(struct mc_cost, data_offset));
}
static DEVICE_ATTR_RO(data_offset);

static ssize_t data_size_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return pmemctl_ns_cost_emit(dev, buf,
				    offsetof(struct mc_cost, data_size));
}
static DEVICE_ATTR_RO(data_size);

static ssize_t ram_bytes_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return pmemctl_ns_cost_emit(dev, buf,
				    offsetof(struct mc_cost, ram_bytes));
}
static DEVICE_ATTR_RO(ram_bytes);

static ssize_t dev_bytes_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return pmemctl_ns_cost_emit(dev, buf,
				    offsetof(struct mc_cost, dev_bytes));
}
static DEVICE_ATTR_RO(dev_bytes);

/* ondemand: the most RAM its memmap took since enable (0 while disabled). */
static ssize_t ram_bytes_peak_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pmemctl_od_ram(to_pmemctl_ns(dev), true));
}
static DEVICE_ATTR_RO(ram_bytes_peak);

/* ondemand: RAM per GiB of the namespace mapped; 0 in other modes. */
static ssize_t ram_per_gib_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return pmemctl_ns_cost_emit(dev, buf,
				    offsetof(struct mc_cost, ram_per_gib));
}
static DEVICE_ATTR_RO(ram_per_gib);

/* pfn layout as the label records it; 0 in other modes. */
static ssize_t npfns_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct lf_ns label;

	pmemctl_ns_label(to_pmemctl_ns(dev), &label);
	return sysfs_emit(buf, "%llu\n", label.npfns);
}
static DEVICE_ATTR_RO(npfns);

static ssize_t page_struct_size_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct lf_ns label;

	pmemctl_ns_label(to_pmemctl_ns(dev), &label);
	return sysfs_emit(buf, "%u\n", label.page_struct_size);
}
static DEVICE_ATTR_RO(page_struct_size);

/* Pages held outside the filesystem: what a refused teardown waits for. */
static ssize_t held_pages_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", pmemctl_pages_held(to_pmemctl_ns(dev)));
}
static DEVICE_ATTR_RO(held_pages);

static ssize_t resource_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct pmemctl_ns *ns = to_pmemctl_ns(dev);

	return sysfs_emit(buf, "%#llx\n",
			  (unsigned long long)ns->region->start + ns->label.offset);
}
static DEVICE_ATTR_ADMIN_RO(resource);

static struct attribute *pmemctl_ns_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_uuid.attr,
	&dev_attr_mode.attr,
	&dev_attr_access.attr,
	&dev_attr_size.attr,
	&dev_attr_align.attr,
	&dev_attr_state.attr,
	&dev_attr_blockdev.attr,
	&dev_attr_chardev.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_resource.attr,
	&dev_attr_data_offset.attr,
	&dev_attr_data_size.attr,
	&dev_attr_ram_bytes.attr,
	&dev_attr_ram_bytes_peak.attr,
	&dev_attr_ram_per_gib.attr,
	&dev_attr_dev_bytes.attr,
	&dev_attr_npfns.attr,
	&dev_attr_page_struct_size.attr,
	&dev_attr_held_pages.attr,
	&pmemctl_dev_attr_badblocks.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pmemctl_ns);

/* What udev rules key on: every add, change and remove carries these. */
static int pmemctl_ns_uevent(PMEMCTL_UEVENT_DEV *dev,
			     struct kobj_uevent_env *env)
{
	const struct pmemctl_ns *ns = container_of(dev, struct pmemctl_ns, dev);
	int rc;

	rc = add_uevent_var(env, "PMEMCTL_REGION=%d", ns->region->id);
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_NAMESPACE=%u", ns->label.id);
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_NAME=%s", ns->label.name);
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_UUID=%pUb", ns->label.uuid);
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_MODE=%s",
				    pmemctl_mode_name(ns->label.mode));
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_ACCESS=%s",
				    pmemctl_access_name(ns->label.access));
	if (!rc)
		rc = add_uevent_var(env, "PMEMCTL_STATE=%s",
				    pmemctl_ns_enabled(ns) ? "enabled" :
				    "disabled");
	return rc;
}

static void pmemctl_ns_release(struct device *dev)
{
	pmemctl_bb_exit(to_pmemctl_ns(dev));
	kfree(to_pmemctl_ns(dev));
	pmemctl_live_put();
}

static const struct device_type pmemctl_ns_type = {
	.name = "pmemctl_namespace",
	.groups = pmemctl_ns_groups,
	.uevent = pmemctl_ns_uevent,
	.release = pmemctl_ns_release,
};

static void pmemctl_ns_insert_sorted(struct pmemctl_region *region,
				     struct pmemctl_ns *ns)
{
	struct pmemctl_ns *pos;

	list_for_each_entry(pos, &region->namespaces, node) {
		if (pos->label.offset > ns->label.offset) {
			list_add_tail(&ns->node, &pos->node);
			goto out;
		}
	}
	list_add_tail(&ns->node, &region->namespaces);
out:
	region->ns_count++;
}

/*
 * Enabled state: struct pages first (a page or pfn disk's DAX and every
 * device-DAX mapping need them), then the disk or the character device;
 * torn down the other way round, and only when nothing can still reach
 * the pages: the disk or character device is closed to new users first
 * (a device-DAX mapping holds its file open, so no mapping is left
 * either), then every page is checked to be idle, and only then does
 * anything go away. A refusal (-EBUSY) leaves the namespace enabled, its
 * data untouched.
 *
 * A label whose access kind this module does not know (a newer module
 * wrote it) is never enabled: its namespace is listed, can be destroyed,
 * and says why it stays disabled.
 */
int pmemctl_ns_start(struct pmemctl_ns *ns)
{
	bool devdax = ns->label.access == PMEMCTL_ACCESS_DEVDAX;
	int rc;

	if (!lf_access_known(ns->label.access)) {
		dev_err_ratelimited(&ns->dev, "label asks for access kind %u, which this module does not know: not enabled\n",
				    ns->label.access);
		return -EOPNOTSUPP;
	}
	rc = pmemctl_pages_add(ns);
	if (rc)
		return rc;
	rc = devdax ? pmemctl_ddax_add(ns) : pmemctl_blk_add(ns);
	if (rc)
		pmemctl_pages_del(ns);
	return rc;
}

int pmemctl_ns_stop(struct pmemctl_ns *ns)
{
	bool devdax = ns->ddax;
	int rc;

	rc = devdax ? pmemctl_ddax_quiesce(ns) : pmemctl_blk_quiesce(ns);
	if (rc)
		return rc;
	rc = pmemctl_pages_check_idle(ns);
	if (rc) {
		if (devdax)
			pmemctl_ddax_resume(ns);
		else
			pmemctl_blk_resume(ns);
		return rc;
	}
	if (devdax)
		pmemctl_ddax_del(ns);	/* frees the pages before its inode */
	else
		pmemctl_blk_del(ns);
	pmemctl_pages_del(ns);
	return 0;
}

/* Publish a namespace device (disabled) for a label already on the media. */
int pmemctl_ns_add(struct pmemctl_region *region, const struct lf_ns *label,
		   struct pmemctl_ns **out)
{
	struct pmemctl_ns *ns;
	int rc;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	rc = pmemctl_bb_init(ns);
	if (rc) {
		kfree(ns);
		return rc;
	}

	rc = ida_alloc_range(&region->ids, label->id, label->id, GFP_KERNEL);
	if (rc < 0) {
		pmemctl_bb_exit(ns);
		kfree(ns);
		return rc == -ENOSPC ? -EEXIST : rc;
	}

	ns->region = region;
	ns->label = *label;
	seqcount_mutex_init(&ns->label_seq, &region->lock);
	mutex_init(&ns->pages_lock);
	device_initialize(&ns->dev);
	pmemctl_live_get();
	ns->dev.parent = &region->dev;
	ns->dev.bus = &pmemctl_bus_type;
	ns->dev.type = &pmemctl_ns_type;
	set_dev_node(&ns->dev, dev_to_node(&region->dev));
	rc = dev_set_name(&ns->dev, "namespace%d.%u", region->id, label->id);
	if (!rc)
		rc = device_add(&ns->dev);
	if (rc) {
		ida_free(&region->ids, label->id);
		put_device(&ns->dev);
		return rc;
	}
	pmemctl_ns_insert_sorted(region, ns);
	*out = ns;
	return 0;
}

/*
 * Tear down a namespace device. An enabled one is stopped by the same
 * rules as a disable; its callers make a refusal impossible: module exit
 * runs only when no disk is open and no page or pfn namespace is enabled
 * (each holds a module reference), a forced init-labels refuses enabled
 * namespaces, and a probe never unwinds a namespace it has enabled. Should
 * that ever fail, the namespace is left in place rather than its struct
 * pages freed under a holder.
 */
void pmemctl_ns_remove(struct pmemctl_ns *ns)
{
	struct pmemctl_region *region = ns->region;

	if (pmemctl_ns_enabled(ns) && pmemctl_ns_stop(ns)) {
		dev_err(&ns->dev, "still in use; left in place\n");
		return;
	}
	list_del(&ns->node);
	region->ns_count--;
	device_del(&ns->dev);
	ida_free(&region->ids, ns->label.id);
	put_device(&ns->dev);
}

void pmemctl_ns_remove_all(struct pmemctl_region *region)
{
	struct pmemctl_ns *ns, *next;

	list_for_each_entry_safe_reverse(ns, next, &region->namespaces, node)
		pmemctl_ns_remove(ns);
}

struct pmemctl_ns *pmemctl_ns_find(struct pmemctl_region *region, u32 id)
{
	struct pmemctl_ns *ns;

	list_for_each_entry(ns, &region->namespaces, node)
		if (ns->label.id == id)
			return ns;
	return NULL;
}

/*
 * A walk over the free gaps [start, end) between namespaces, in address
 * order; @fn returns non-zero to stop, which the walk returns.
 */
struct pmemctl_space {
	struct pmemctl_region *region;
	int (*fn)(struct pmemctl_space *sp, u64 start, u64 end);
	u64 size, align;	/* for a search */
	u64 found;
	u64 total, largest, largest_at;	/* for a report */
};

static int pmemctl_walk_gaps(struct pmemctl_space *sp)
{
	struct pmemctl_region *region = sp->region;
	u64 pos = lf_data_start(region->start);
	struct pmemctl_ns *ns;
	int rc;

	list_for_each_entry(ns, &region->namespaces, node) {
		if (ns->label.offset > pos) {
			rc = sp->fn(sp, pos, ns->label.offset);
			if (rc)
				return rc;
		}
		pos = max(pos, ns->label.offset + ns->label.size);
	}
	if (region->size > pos)
		return sp->fn(sp, pos, region->size);
	return 0;
}

static int pmemctl_gap_fits(struct pmemctl_space *sp, u64 start, u64 end)
{
	u64 pos = pmemctl_align_up(sp->region, start, sp->align);

	if (pos >= end || sp->size > end - pos)
		return 0;
	sp->found = pos;
	return 1;
}

static int pmemctl_gap_measure(struct pmemctl_space *sp, u64 start, u64 end)
{
	u64 a = pmemctl_align_up(sp->region, start, PMEMCTL_REGION_ALIGN);
	u64 b = pmemctl_align_down(sp->region, end, PMEMCTL_REGION_ALIGN);

	if (b > a) {
		sp->total += b - a;
		if (b - a > sp->largest) {
			sp->largest = b - a;
			sp->largest_at = a;
		}
	}
	return 0;
}

void pmemctl_region_free_space(struct pmemctl_region *region, u64 *total,
			       u64 *largest, u64 *largest_at)
{
	struct pmemctl_space sp = {
		.region = region,
		.fn = pmemctl_gap_measure,
	};

	if (region->state == PMEMCTL_REGION_ACTIVE)
		pmemctl_walk_gaps(&sp);
	*total = sp.total;
	*largest = sp.largest;
	*largest_at = sp.largest_at;
}

/*
 * A create's mode, access kind, name, alignment and size on their own:
 * -EINVAL. devdax needs struct pages (not raw) and an align that is a
 * fault size (lf_align_valid()).
 */
int pmemctl_ns_check_shape(struct pmemctl_region *region,
			   const struct lf_ns *label)
{
	if (!lf_mode_valid(label->mode) || !lf_access_known(label->access))
		return -EINVAL;
	if (!lf_name_valid(label->name, sizeof(label->name)))
		return -EINVAL;
	if (!lf_align_valid(label->access, label->mode, label->align) ||
	    label->align > region->size || !label->size ||
	    label->size % lf_extent_align(label))
		return -EINVAL;
	return 0;
}

static int pmemctl_ns_check_request(struct pmemctl_region *region,
				    const struct lf_ns *label)
{
	struct pmemctl_ns *ns;
	int rc;

	rc = pmemctl_ns_check_shape(region, label);
	if (rc)
		return rc;

	list_for_each_entry(ns, &region->namespaces, node) {
		if (label->name[0] &&
		    !strncmp(ns->label.name, label->name, PMEMCTL_NAME_LEN))
			return -EEXIST;
		if (!memcmp(ns->label.uuid, label->uuid, PMEMCTL_UUID_LEN))
			return -EEXIST;
	}
	return 0;
}

/*
 * A pfn namespace needs room for data behind its memmap reserve: at least
 * 4 MiB. Fills in the layout for @label's mode. A devdax namespace's data
 * must start and end on its fault size; its extent starts on its align
 * (lf_extent_align() >= align), so the reserve decides: a pfn reserve is
 * a multiple of 2 MiB, so 1 GiB devdax wants page mode.
 */
int pmemctl_ns_layout(struct lf_ns *label)
{
	lf_set_layout(label);
	if (label->data_offset >= label->size)
		return -EINVAL;
	if (label->access == PMEMCTL_ACCESS_DEVDAX &&
	    ((label->data_offset | (label->size - label->data_offset)) %
	     label->align))
		return -EINVAL;
	return 0;
}

/*
 * Whether @region may allocate: -EIO when degraded (an extent the store
 * cannot place might be anywhere, labels.c), -ENXIO without a store.
 */
int pmemctl_region_check_alloc(struct pmemctl_region *region)
{
	if (region->state == PMEMCTL_REGION_DEGRADED) {
		dev_warn_ratelimited(&region->dev,
				     "create refused: the label store is degraded (%s), so free space cannot be proven\n",
				     region->label_error ?
				     lf_error_name(region->label_error) :
				     "a namespace could not be added");
		return -EIO;
	}
	if (region->state != PMEMCTL_REGION_ACTIVE)
		return -ENXIO;
	return 0;
}

/*
 * Everything a create decides before it writes anything: the request is
 * valid, a slot, a number and an extent are free, the mode can be enabled
 * there. Fills @label (slot, id, offset, layout) and @cost. A dry run
 * stops here.
 */
int pmemctl_ns_prepare(struct pmemctl_region *region, struct lf_ns *label,
		       struct mc_cost *cost)
{
	struct pmemctl_space sp = {
		.region = region,
		.fn = pmemctl_gap_fits,
	};
	int slot, id, rc;

	rc = pmemctl_region_check_alloc(region);
	if (rc)
		return rc;
	if (!memchr_inv(label->uuid, 0, PMEMCTL_UUID_LEN))
		uuid_gen((uuid_t *)label->uuid);
	rc = pmemctl_ns_check_request(region, label);
	if (!rc)
		rc = pmemctl_ns_layout(label);
	if (rc)
		return rc;

	slot = pmemctl_labels_free_slot(region);
	if (slot < 0)
		return slot;
	id = ida_alloc_max(&region->ids, (1u << 20) - 1, GFP_KERNEL);
	if (id < 0)
		return id;
	ida_free(&region->ids, id);	/* pmemctl_ns_add() takes it for good */

	sp.size = label->size;
	sp.align = lf_extent_align(label);
	if (!pmemctl_walk_gaps(&sp))
		return -ENOSPC;

	label->slot = slot;
	label->id = id;
	label->offset = sp.found;
	pmemctl_label_cost(region, label, cost);
	return pmemctl_pages_check(region, label, &region->dev);
}

/*
 * Create: label into a free slot, commit, then publish and enable. A
 * failure after the commit commits the previous slot map again, so the
 * namespace never exists on the media without its device.
 */
int pmemctl_ns_create(struct pmemctl_region *region, struct lf_ns *label,
		      struct mc_cost *cost)
{
	struct pmemctl_ns *ns;
	int rc;

	rc = pmemctl_ns_prepare(region, label, cost);
	if (rc)
		return rc;

	pmemctl_labels_write(region, label);
	memcpy(region->next_used, region->used, sizeof(region->used));
	lf_slot_set(region->next_used, label->slot, true);
	pmemctl_labels_commit(region, region->next_used);

	rc = pmemctl_ns_add(region, label, &ns);
	if (rc)
		goto out_uncommit;
	rc = pmemctl_ns_start(ns);
	if (rc) {
		pmemctl_ns_remove(ns);
		goto out_uncommit;
	}
	kobject_uevent(&ns->dev.kobj, KOBJ_CHANGE);
	return 0;

out_uncommit:
	memcpy(region->next_used, region->used, sizeof(region->used));
	lf_slot_set(region->next_used, label->slot, false);
	pmemctl_labels_commit(region, region->next_used);
	return rc;
}

/* Destroy: refuse while open or mounted; the commit drops the label. */
int pmemctl_ns_destroy(struct pmemctl_ns *ns)
{
	struct pmemctl_region *region = ns->region;
	int rc;

	if (pmemctl_ns_enabled(ns)) {
		rc = pmemctl_ns_stop(ns);
		if (rc)
			return rc;
	}
	memcpy(region->next_used, region->used, sizeof(region->used));
	lf_slot_set(region->next_used, ns->label.slot, false);
	pmemctl_labels_commit(region, region->next_used);
	pmemctl_ns_remove(ns);
	return 0;
}

int pmemctl_ns_enable(struct pmemctl_ns *ns)
{
	int rc;

	if (pmemctl_ns_enabled(ns))
		return 0;
	rc = pmemctl_ns_start(ns);
	if (!rc)
		kobject_uevent(&ns->dev.kobj, KOBJ_CHANGE);
	return rc;
}

int pmemctl_ns_disable(struct pmemctl_ns *ns)
{
	int rc;

	if (!pmemctl_ns_enabled(ns))
		return 0;
	rc = pmemctl_ns_stop(ns);
	if (!rc)
		kobject_uevent(&ns->dev.kobj, KOBJ_CHANGE);
	return rc;
}

void pmemctl_ns_set_label(struct pmemctl_ns *ns, const struct lf_ns *label)
{
	pmemctl_bb_relayout(ns, ns->label.data_offset, label->data_offset);
	write_seqcount_begin(&ns->label_seq);
	ns->label = *label;
	write_seqcount_end(&ns->label_seq);
}

/*
 * Whether @label may take @mode and @access (PMEMCTL_RECONFIGURE_ACCESS
 * in @flags, else the access kind is kept): the same rules as a create,
 * with the extent (and so its align) kept. Fills @new's layout.
 */
int pmemctl_ns_reshape(const struct lf_ns *old, u32 mode, u32 access,
		       bool set_access, struct lf_ns *new)
{
	if (!set_access && access)
		return -EINVAL;
	*new = *old;
	new->mode = mode;
	if (set_access)
		new->access = access;
	if (!lf_mode_valid(mode) || !lf_access_known(new->access) ||
	    !lf_align_valid(new->access, mode, new->align))
		return -EINVAL;
	return pmemctl_ns_layout(new);
}

/*
 * Reconfigure: the new label goes to a free slot and one commit swaps it
 * for the old one. An enabled namespace is stopped and started in the new
 * mode first; if that fails it goes back to the old mode and nothing is
 * committed. A power cut before the commit leaves the old label. A change
 * of access kind alone (block <-> devdax) keeps the data.
 */
int pmemctl_ns_reconfigure(struct pmemctl_ns *ns, u32 mode, u32 access,
			   u32 flags, struct mc_cost *cost)
{
	struct pmemctl_region *region = ns->region;
	struct lf_ns old = ns->label, new;
	bool enabled = pmemctl_ns_enabled(ns);
	int slot, rc;

	rc = pmemctl_ns_reshape(&old, mode, access,
				flags & PMEMCTL_RECONFIGURE_ACCESS, &new);
	if (rc)
		return rc;
	pmemctl_label_cost(region, &new, cost);
	if (mode == old.mode && new.access == old.access)
		return 0;
	if (new.data_offset != old.data_offset &&
	    !(flags & PMEMCTL_RECONFIGURE_FORCE))
		return -ENOTEMPTY;
	rc = pmemctl_pages_check(region, &new, &ns->dev);
	if (rc || (flags & PMEMCTL_RECONFIGURE_DRY_RUN))
		return rc;

	slot = pmemctl_labels_free_slot(region);
	if (slot < 0)
		return slot;
	new.slot = slot;

	if (enabled) {
		rc = pmemctl_ns_stop(ns);
		if (rc)
			return rc;
	}
	pmemctl_ns_set_label(ns, &new);
	if (enabled) {
		rc = pmemctl_ns_start(ns);
		if (rc) {
			pmemctl_ns_set_label(ns, &old);
			if (pmemctl_ns_start(ns))
				dev_warn(&ns->dev, "cannot re-enable in the old mode; left disabled\n");
			kobject_uevent(&ns->dev.kobj, KOBJ_CHANGE);
			return rc;
		}
	}

	pmemctl_labels_write(region, &new);
	memcpy(region->next_used, region->used, sizeof(region->used));
	lf_slot_set(region->next_used, old.slot, false);
	lf_slot_set(region->next_used, new.slot, true);
	pmemctl_labels_commit(region, region->next_used);
	kobject_uevent(&ns->dev.kobj, KOBJ_CHANGE);
	return 0;
}
