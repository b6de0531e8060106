// SPDX-License-Identifier: GPL-2.0-only
/*
 * The label store on the media: load at probe, initialise, and the commit
 * protocol. Every change writes only slots that are free in the current
 * index, then the other index copy with the next sequence number; that one
 * index write is the commit point. The copy it replaces is the previous
 * state, so a torn commit falls back to it on the next load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * Non-temporal copy, then a store fence: the bytes are out of the CPU
 * before anything written after them, which is what makes the index write
 * a commit point for the label written before it.
 */
static void pmemctl_persist(void *dst, const void *src, size_t len)
{
	memcpy_flushcache(dst, src, len);
	/* order these stores before any later one: the commit protocol */
	wmb();
}

static void *pmemctl_index_addr(struct pmemctl_region *region, int copy)
{
	return region->virt + (size_t)copy * PMEMCTL_INDEX_SIZE;
}

static void *pmemctl_slot_addr(struct pmemctl_region *region, u32 slot)
{
	return region->virt + 2 * PMEMCTL_INDEX_SIZE +
	       (size_t)slot * PMEMCTL_LABEL_SIZE;
}

/*
 * Parse a private snapshot, not the live mapping, so that what was
 * checksummed is what gets used. A poisoned line in the store reads as a
 * label error instead of a machine check.
 */
int pmemctl_labels_load(struct pmemctl_region *region)
{
	struct lf_store st = { };
	struct pmemctl_ns *ns;
	enum lf_error err;
	u32 *scratch;
	void *snap;
	int rc = -ENOMEM;
	u32 i;

	region->state = PMEMCTL_REGION_UNINITIALIZED;
	if (region->size < PMEMCTL_STORE_SIZE + PMEMCTL_REGION_ALIGN)
		return 0;

	snap = kvmalloc(PMEMCTL_STORE_SIZE, GFP_KERNEL);
	st.ns = kvmalloc_array(PMEMCTL_NSLOTS, sizeof(*st.ns), GFP_KERNEL);
	scratch = kvmalloc_array(PMEMCTL_NSLOTS, sizeof(*scratch), GFP_KERNEL);
	if (!snap || !st.ns || !scratch)
		goto out;

	if (copy_mc_to_kernel(snap, region->virt, PMEMCTL_STORE_SIZE)) {
		dev_warn(&region->dev, "media error in the label store; no namespace exposed\n");
		region->state = PMEMCTL_REGION_LABEL_ERROR;
		region->label_error = LF_BAD_CHECKSUM;
		rc = 0;
		goto out;
	}

	err = lf_store_read(snap, region->start, region->size, &st, scratch);
	rc = 0;
	if (err == LF_NO_STORE)
		goto out;
	if (err) {
		dev_warn(&region->dev, "label store rejected (%s); no namespace exposed\n",
			 lf_error_name(err));
		region->state = PMEMCTL_REGION_LABEL_ERROR;
		region->label_error = err;
		goto out;
	}

	region->state = PMEMCTL_REGION_ACTIVE;
	region->cur = st.cur;
	region->seq = st.seq;
	memcpy(region->used, st.used, sizeof(region->used));
	for (i = 0; i < st.count; i++) {
		int err;

		rc = pmemctl_ns_add(region, &st.ns[i], &ns);
		err = rc ? 0 : pmemctl_ns_enable(ns);
		if (err)
			dev_warn(&ns->dev, "cannot enable (%d); left disabled\n",
				 err);
		if (rc) {
			/* An extent we cannot track must not look free. */
			pmemctl_ns_remove_all(region);
			region->state = PMEMCTL_REGION_LABEL_ERROR;
			region->label_error = LF_OK;
			dev_err(&region->dev, "cannot add namespace %u: %d\n",
				st.ns[i].id, rc);
			goto out;
		}
	}
	if (st.count)
		dev_info(&region->dev, "%u namespace(s) from the label store (index %d, seq %llu)\n",
			 st.count, st.cur, st.seq);
out:
	kvfree(scratch);
	kvfree(st.ns);
	kvfree(snap);
	return rc;
}

int pmemctl_labels_init(struct pmemctl_region *region)
{
	void *buf = region->index_buf;

	if (region->size < PMEMCTL_STORE_SIZE + PMEMCTL_REGION_ALIGN)
		return -ENOSPC;

	memset(region->next_used, 0, sizeof(region->next_used));

	/*
	 * Over a valid store, emptying it is an ordinary commit (the old
	 * state survives a torn write), done twice so that neither copy
	 * still describes the old namespaces.
	 */
	if (region->state == PMEMCTL_REGION_ACTIVE) {
		pmemctl_labels_commit(region, region->next_used);
		pmemctl_labels_commit(region, region->next_used);
		return 0;
	}

	/*
	 * No valid copy to build on: copy 1 first with the lower sequence,
	 * so a torn copy 0 leaves the empty store of copy 1. Anything left
	 * of an old store in copy 0 either fails validation or references
	 * labels that do, and loses to copy 1 either way.
	 */
	lf_index_encode(buf, 1, 1, region->size, region->next_used);
	pmemctl_persist(pmemctl_index_addr(region, 1), buf, PMEMCTL_INDEX_SIZE);
	lf_index_encode(buf, 0, 2, region->size, region->next_used);
	pmemctl_persist(pmemctl_index_addr(region, 0), buf, PMEMCTL_INDEX_SIZE);

	memset(region->used, 0, sizeof(region->used));
	region->cur = 0;
	region->seq = 2;
	region->state = PMEMCTL_REGION_ACTIVE;
	region->label_error = LF_OK;
	return 0;
}

int pmemctl_labels_free_slot(struct pmemctl_region *region)
{
	u32 slot;

	for (slot = 0; slot < PMEMCTL_NSLOTS; slot++)
		if (!lf_slot_used(region->used, slot))
			return slot;
	return -ENOSPC;
}

/* Write a label into a slot that is free in the current index. */
void pmemctl_labels_write(struct pmemctl_region *region,
			  const struct lf_ns *label)
{
	u8 buf[PMEMCTL_LABEL_SIZE];

	lf_label_encode(buf, label);
	pmemctl_persist(pmemctl_slot_addr(region, label->slot), buf, sizeof(buf));
}

/* The commit point: the other index copy, next sequence number. */
void pmemctl_labels_commit(struct pmemctl_region *region, const u8 *used)
{
	int next = !region->cur;

	lf_index_encode(region->index_buf, next, region->seq + 1, region->size,
			used);
	pmemctl_persist(pmemctl_index_addr(region, next), region->index_buf,
			PMEMCTL_INDEX_SIZE);
	region->cur = next;
	region->seq++;
	memcpy(region->used, used, sizeof(region->used));
}
