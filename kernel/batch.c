// SPDX-License-Identifier: GPL-2.0-only
/*
 * Batches: many label changes to one region behind one index commit.
 *
 * A batch runs in four steps, all under the region lock:
 *  1. plan: every op is checked against the region as the earlier ops
 *     leave it (a simulated extent list, slot map and name set); nothing
 *     changes, and a dry run ends here;
 *  2. stop: the namespaces that are destroyed or change mode are disabled;
 *     a refusal enables the stopped ones again and the batch fails;
 *  3. commit: the new labels go to slots that neither index copy
 *     references, one index write makes them current, and the new
 *     namespaces are published (disabled). A failure to publish commits
 *     the old slot map again, so the media never holds a label without
 *     its device;
 *  4. finish: reconfigured namespaces take their new labels, destroyed
 *     ones go, and what should be enabled is started. These can no longer
 *     undo the commit: an enable that fails leaves its namespace disabled
 *     and says so in the op's result.
 * A power cut before the commit point leaves exactly the old layout,
 * after it exactly the new one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include <pmemctl.h>

#include "internal.h"

/* One op with what the plan decided for it. */
struct pmemctl_batch_item {
	struct pmemctl_batch_op *op;
	struct pmemctl_ns *ns;	/* destroy, reconfigure: target; create: new */
	struct lf_ns label;	/* create, reconfigure: the new label */
	struct mc_cost cost;
	bool change;		/* reconfigure to another mode */
	bool was_enabled;	/* destroy, reconfigure: enabled before */
	bool stopped;		/* ... and disabled by this batch */
	bool id_held;		/* create: the plan holds label.id */
};

struct pmemctl_batch_extent {
	u64 offset, size;
};

/* The region as the ops planned so far leave it. */
struct pmemctl_batch_ctx {
	struct pmemctl_region *region;
	struct pmemctl_batch_item *items;
	u32 nr;
	struct pmemctl_batch_extent *ext;	/* sorted by offset */
	u32 nr_ext;
	u8 taken[PMEMCTL_NSLOTS / 8];	/* slots of either copy or the batch */
	u8 old_used[PMEMCTL_NSLOTS / 8];	/* the slot map before the commit */
	u32 failed;
};

/* First fit in address order, as pmemctl_ns_prepare() places a create. */
static int pmemctl_batch_place(struct pmemctl_batch_ctx *b, u64 size,
			       u64 align, u64 *offset)
{
	struct pmemctl_region *region = b->region;
	u64 pos = lf_data_start(region->start), cand, end;
	u32 i;

	for (i = 0; i <= b->nr_ext; i++) {
		end = i < b->nr_ext ? b->ext[i].offset : region->size;
		if (end > pos) {
			cand = pmemctl_align_up(region, pos, align);
			if (cand < end && size <= end - cand)
				break;
		}
		if (i < b->nr_ext)
			pos = max(pos, b->ext[i].offset + b->ext[i].size);
	}
	if (i > b->nr_ext)
		return -ENOSPC;
	memmove(&b->ext[i + 1], &b->ext[i], (b->nr_ext - i) * sizeof(*b->ext));
	b->ext[i].offset = cand;
	b->ext[i].size = size;
	b->nr_ext++;
	*offset = cand;
	return 0;
}

static int pmemctl_batch_slot(struct pmemctl_batch_ctx *b, u32 *slot)
{
	int s = lf_free_slot(b->taken, b->taken);

	if (s < 0)
		return -ENOSPC;
	lf_slot_set(b->taken, s, true);
	*slot = s;
	return 0;
}

/*
 * Whether @label's name or UUID is taken in the planned region: by a
 * namespace the batch keeps, or by a create planned before item @upto.
 */
static bool pmemctl_batch_clash(struct pmemctl_batch_ctx *b,
				const struct lf_ns *label, u32 upto)
{
	struct pmemctl_batch_item *it;
	struct pmemctl_ns *ns;
	u32 i;

	list_for_each_entry(ns, &b->region->namespaces, node) {
		if (ns->batch_op && b->items[ns->batch_op - 1].op->op ==
		    PMEMCTL_BATCH_DESTROY)
			continue;
		if (label->name[0] &&
		    !strncmp(ns->label.name, label->name, PMEMCTL_NAME_LEN))
			return true;
		if (!memcmp(ns->label.uuid, label->uuid, PMEMCTL_UUID_LEN))
			return true;
	}
	for (i = 0; i < upto; i++) {
		it = &b->items[i];
		if (it->op->op != PMEMCTL_BATCH_CREATE)
			continue;
		if (label->name[0] &&
		    !strncmp(it->label.name, label->name, PMEMCTL_NAME_LEN))
			return true;
		if (!memcmp(it->label.uuid, label->uuid, PMEMCTL_UUID_LEN))
			return true;
	}
	return false;
}

static int pmemctl_batch_plan_create(struct pmemctl_batch_ctx *b, u32 i)
{
	struct pmemctl_batch_item *it = &b->items[i];
	struct pmemctl_region *region = b->region;
	struct pmemctl_batch_op *op = it->op;
	struct lf_ns *label = &it->label;
	int id, rc;

	rc = pmemctl_region_check_alloc(region);
	if (rc)
		return rc;

	memset(label, 0, sizeof(*label));
	label->mode = op->mode;
	label->access = op->access;
	label->size = op->ns_size;
	label->align = op->align ? op->align : PMEMCTL_REGION_ALIGN;
	memcpy(label->uuid, op->uuid, sizeof(label->uuid));
	memcpy(label->name, op->name, sizeof(label->name));
	if (!memchr_inv(label->uuid, 0, PMEMCTL_UUID_LEN))
		uuid_gen((uuid_t *)label->uuid);

	rc = pmemctl_ns_check_shape(region, label);
	if (rc)
		return rc;
	if (pmemctl_batch_clash(b, label, i))
		return -EEXIST;
	rc = pmemctl_ns_layout(label);
	if (rc)
		return rc;

	rc = pmemctl_batch_slot(b, &label->slot);
	if (rc)
		return rc;
	/* held until the plan ends, so that each create gets its own */
	id = ida_alloc_max(&region->ids, (1u << 20) - 1, GFP_KERNEL);
	if (id < 0)
		return id;
	label->id = id;
	it->id_held = true;
	rc = pmemctl_batch_place(b, label->size, lf_extent_align(label),
				 &label->offset);
	if (rc)
		return rc;
	pmemctl_label_cost(region, label, &it->cost);
	return pmemctl_pages_check(region, label, &region->dev);
}

static int pmemctl_batch_target(struct pmemctl_batch_ctx *b, u32 i)
{
	struct pmemctl_batch_item *it = &b->items[i];

	it->ns = pmemctl_ns_find(b->region, it->op->id);
	if (!it->ns)
		return -ENOENT;
	if (it->ns->batch_op)
		return -EINVAL;	/* two ops on one namespace */
	it->ns->batch_op = i + 1;
	it->was_enabled = pmemctl_ns_enabled(it->ns);
	return 0;
}

static int pmemctl_batch_plan_reconfigure(struct pmemctl_batch_ctx *b, u32 i)
{
	struct pmemctl_batch_item *it = &b->items[i];
	struct pmemctl_batch_op *op = it->op;
	const struct lf_ns *old;
	int rc;

	rc = pmemctl_batch_target(b, i);
	if (rc)
		return rc;
	old = &it->ns->label;
	rc = pmemctl_ns_reshape(old, op->mode, op->access,
				op->flags & PMEMCTL_BATCH_OP_ACCESS, &it->label);
	if (rc)
		return rc;
	pmemctl_label_cost(b->region, &it->label, &it->cost);
	if (op->mode == old->mode && it->label.access == old->access)
		return 0;
	if (it->label.data_offset != old->data_offset &&
	    !(op->flags & PMEMCTL_BATCH_OP_FORCE))
		return -ENOTEMPTY;
	it->change = true;
	rc = pmemctl_pages_check(b->region, &it->label, &it->ns->dev);
	if (rc)
		return rc;
	return pmemctl_batch_slot(b, &it->label.slot);
}

/* The extents the batch keeps, with those it destroys left out. */
static void pmemctl_batch_extents(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_ns *ns;

	b->nr_ext = 0;
	list_for_each_entry(ns, &b->region->namespaces, node) {
		if (ns->batch_op && b->items[ns->batch_op - 1].op->op ==
		    PMEMCTL_BATCH_DESTROY)
			continue;
		b->ext[b->nr_ext].offset = ns->label.offset;
		b->ext[b->nr_ext].size = ns->label.size;
		b->nr_ext++;
	}
}

/* All page memmaps the batch adds, against the same limit as one. */
static int pmemctl_batch_check_ram(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	u64 need = 0, avail;
	u32 i;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (it->label.mode != PMEMCTL_MODE_PAGE ||
		    (it->op->op == PMEMCTL_BATCH_RECONFIGURE && !it->change))
			continue;
		need += it->cost.ram_bytes;
	}
	avail = (u64)si_mem_available() << PAGE_SHIFT;
	if (need > avail / 2) {
		dev_info_ratelimited(&b->region->dev,
				     "batch: page memmaps need %llu KiB of RAM together, %llu KiB available (at most half may be used)\n",
				     need >> 10, avail >> 10);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Step 1. Destroys and reconfigures name their targets first, so that a
 * create anywhere in the batch sees every extent, name and UUID the batch
 * frees; creates then take slots, numbers and extents in op order.
 */
static int pmemctl_batch_plan(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	u32 i;
	int rc;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (it->op->op == PMEMCTL_BATCH_DESTROY)
			rc = pmemctl_batch_target(b, i);
		else if (it->op->op == PMEMCTL_BATCH_RECONFIGURE)
			rc = pmemctl_batch_plan_reconfigure(b, i);
		else
			continue;
		if (rc) {
			b->failed = i;
			return rc;
		}
	}
	pmemctl_batch_extents(b);
	for (i = 0; i < b->nr; i++) {
		if (b->items[i].op->op != PMEMCTL_BATCH_CREATE)
			continue;
		rc = pmemctl_batch_plan_create(b, i);
		if (rc) {
			b->failed = i;
			return rc;
		}
	}
	return pmemctl_batch_check_ram(b);
}

/* Step 2, and its undo. */
static void pmemctl_batch_restart(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	u32 i;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (!it->stopped)
			continue;
		it->stopped = false;
		if (pmemctl_ns_start(it->ns))
			dev_warn(&it->ns->dev, "cannot enable again after a failed batch; left disabled\n");
		kobject_uevent(&it->ns->dev.kobj, KOBJ_CHANGE);
	}
}

static int pmemctl_batch_stop(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	u32 i;
	int rc;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (!it->was_enabled || (it->op->op == PMEMCTL_BATCH_RECONFIGURE &&
					 !it->change))
			continue;
		rc = pmemctl_ns_stop(it->ns);
		if (rc) {
			b->failed = i;
			pmemctl_batch_restart(b);
			return rc;
		}
		it->stopped = true;
	}
	return 0;
}

/* Step 3: the commit point, then the new namespaces' devices. */
static int pmemctl_batch_commit(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_region *region = b->region;
	struct pmemctl_batch_item *it;
	u32 i, done;
	int rc = 0;

	memcpy(b->old_used, region->used, sizeof(b->old_used));
	memcpy(region->next_used, region->used, sizeof(region->used));
	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (it->op->op == PMEMCTL_BATCH_DESTROY) {
			lf_slot_set(region->next_used, it->ns->label.slot, false);
			continue;
		}
		if (it->op->op == PMEMCTL_BATCH_RECONFIGURE) {
			if (!it->change)
				continue;
			lf_slot_set(region->next_used, it->ns->label.slot, false);
		}
		pmemctl_labels_write(region, &it->label);
		lf_slot_set(region->next_used, it->label.slot, true);
	}
	pmemctl_labels_commit(region, region->next_used);

	for (done = 0; done < b->nr; done++) {
		it = &b->items[done];
		if (it->op->op != PMEMCTL_BATCH_CREATE)
			continue;
		rc = pmemctl_ns_add(region, &it->label, &it->ns);
		if (rc)
			break;
	}
	if (!rc)
		return 0;

	b->failed = done;
	for (i = 0; i < done; i++) {
		it = &b->items[i];
		if (it->op->op == PMEMCTL_BATCH_CREATE) {
			pmemctl_ns_remove(it->ns);
			it->ns = NULL;
		}
	}
	pmemctl_labels_commit(region, b->old_used);
	pmemctl_batch_restart(b);
	return rc;
}

/* Step 4: nothing here can undo the commit. */
static void pmemctl_batch_finish(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	bool start;
	u32 i;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		start = false;
		switch (it->op->op) {
		case PMEMCTL_BATCH_DESTROY:
			it->ns->batch_op = 0;
			pmemctl_ns_remove(it->ns);
			it->ns = NULL;
			continue;
		case PMEMCTL_BATCH_RECONFIGURE:
			if (!it->change)
				continue;
			pmemctl_ns_set_label(it->ns, &it->label);
			start = it->stopped;
			it->stopped = false;
			break;
		case PMEMCTL_BATCH_CREATE:
			start = !(it->op->flags & PMEMCTL_BATCH_OP_DISABLED);
			break;
		}
		if (start)
			it->op->result = pmemctl_ns_start(it->ns);
		kobject_uevent(&it->ns->dev.kobj, KOBJ_CHANGE);
	}
}

/* What every op reports, whatever the outcome. */
static void pmemctl_batch_report(struct pmemctl_batch_ctx *b)
{
	struct pmemctl_batch_item *it;
	struct pmemctl_batch_op *op;
	u32 i;

	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		op = it->op;
		if (op->op == PMEMCTL_BATCH_DESTROY)
			continue;
		if (op->op == PMEMCTL_BATCH_CREATE)
			op->id = it->label.id;
		memcpy(op->uuid, it->label.uuid, sizeof(op->uuid));
		op->offset = it->label.offset;
		pmemctl_cost_out(&op->cost, &it->cost);
		op->ram_per_gib = it->cost.ram_per_gib;
	}
}

/*
 * Run @nr checked ops on @region; the caller holds region->lock. Fills
 * every op's out fields and *@failed (PMEMCTL_BATCH_NO_OP unless an op
 * failed).
 */
int pmemctl_batch_run(struct pmemctl_region *region,
		      struct pmemctl_batch_op *ops, u32 nr, bool dry_run,
		      u32 *failed)
{
	struct pmemctl_batch_ctx *b;
	u32 i, creates = 0;
	int rc;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->region = region;
	b->nr = nr;
	b->failed = PMEMCTL_BATCH_NO_OP;
	for (i = 0; i < nr; i++)
		creates += ops[i].op == PMEMCTL_BATCH_CREATE;
	b->items = kvcalloc(nr, sizeof(*b->items), GFP_KERNEL);
	b->ext = kvcalloc(region->ns_count + creates, sizeof(*b->ext),
			  GFP_KERNEL);
	rc = -ENOMEM;
	if (!b->items || !b->ext)
		goto out;
	for (i = 0; i < nr; i++)
		b->items[i].op = &ops[i];
	for (i = 0; i < sizeof(b->taken); i++)
		b->taken[i] = region->used[i] | region->other_used[i];

	rc = pmemctl_batch_plan(b);
	pmemctl_batch_report(b);
	/* each create takes its number for good in pmemctl_ns_add() */
	for (i = 0; i < nr; i++) {
		if (b->items[i].id_held)
			ida_free(&region->ids, b->items[i].label.id);
	}
	if (rc || dry_run)
		goto out_release;

	rc = pmemctl_batch_stop(b);
	if (!rc)
		rc = pmemctl_batch_commit(b);
	if (!rc)
		pmemctl_batch_finish(b);
out_release:
	for (i = 0; i < nr; i++)
		if (ops[i].op != PMEMCTL_BATCH_CREATE && b->items[i].ns)
			b->items[i].ns->batch_op = 0;
	if (rc && b->failed != PMEMCTL_BATCH_NO_OP)
		ops[b->failed].result = rc;
out:
	*failed = b->failed;
	kvfree(b->ext);
	kvfree(b->items);
	kfree(b);
	return rc;
}
