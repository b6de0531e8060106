// SPDX-License-Identifier: GPL-2.0-only
/*
 * The label store on the media: load at probe, initialise, and the commit
 * protocol. Every change writes only slots that neither index copy
 * references, then the other index copy with the next sequence number;
 * that one index write is the commit point. The copy it replaces is the
 * previous state, intact, so a torn commit or a damaged newest copy falls
 * back to it on the next load.
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
 * lf_media reader over the live mapping: every structure is copied into
 * the private buffer with a machine-check-safe read, so what was
 * checksummed is what gets used, and a poisoned line makes only the
 * structure it lies in unreadable.
 */
static const void *pmemctl_labels_read(void *ctx, u64 off, size_t len,
				       void *buf)
{
	struct pmemctl_region *region = ctx;

	if (pmemctl_media_read(buf, region->virt + off, region->start + off,
			       len))
		return NULL;
	return buf;
}

/*
 * One line when the newest state could not be used (see lf_store): which
 * copy is damaged and why, with its sequence number if its header can
 * still be read (unverified, unless only its labels are bad).
 */
static void pmemctl_labels_report_fallback(struct pmemctl_region *region,
					   const struct lf_store *st)
{
	int other = !st->cur;

	if (st->other_seq_known)
		dev_warn(&region->dev,
			 "index copy %d (seq %llu%s) is damaged (%s); fell back to copy %d (seq %llu)\n",
			 other, st->other_seq,
			 st->other_index_ok ? "" : ", unverified",
			 lf_error_name(st->other_err), st->cur, st->seq);
	else
		dev_warn(&region->dev,
			 "index copy %d is unreadable (%s); fell back to copy %d (seq %llu)\n",
			 other, lf_error_name(st->other_err), st->cur, st->seq);
}

/*
 * A store that loads but cannot account for all its extents: an unreadable
 * label (LF_MEDIA_ERROR) or a namespace that could not be registered
 * (LF_OK, reported as such by label_error). The namespaces that are up
 * stay up; creates are refused (pmemctl_ns_prepare()).
 */
static void pmemctl_labels_degrade(struct pmemctl_region *region,
				   enum lf_error why)
{
	if (region->state != PMEMCTL_REGION_DEGRADED ||
	    why == LF_MEDIA_ERROR)
		region->label_error = why;
	region->state = PMEMCTL_REGION_DEGRADED;
}

int pmemctl_labels_load(struct pmemctl_region *region)
{
	struct lf_store *st;
	struct lf_media m = {
		.read = pmemctl_labels_read,
		.ctx = region,
	};
	struct pmemctl_ns *ns;
	enum lf_error err;
	u32 *scratch;
	int rc = -ENOMEM;
	u32 i, added = 0;

	region->state = PMEMCTL_REGION_UNINITIALIZED;
	region->label_error = LF_OK;
	if (region->size < PMEMCTL_STORE_SIZE + PMEMCTL_REGION_ALIGN)
		return 0;

	/* about 3 KiB of bitmaps: not for the stack */
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	m.buf = kvmalloc(LF_IOBUF_SIZE, GFP_KERNEL);
	st->ns = kvmalloc_array(PMEMCTL_NSLOTS, sizeof(*st->ns), GFP_KERNEL);
	scratch = kvmalloc_array(PMEMCTL_NSLOTS, sizeof(*scratch), GFP_KERNEL);
	if (!m.buf || !st->ns || !scratch)
		goto out;

	err = lf_store_load(&m, region->start, region->size, st, scratch);
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
	if (st->fell_back)
		pmemctl_labels_report_fallback(region, st);

	region->state = PMEMCTL_REGION_ACTIVE;
	region->cur = st->cur;
	region->seq = st->seq;
	memcpy(region->used, st->used, sizeof(region->used));
	memcpy(region->other_used, st->other_used, sizeof(region->other_used));
	for (i = 0; i < PMEMCTL_NSLOTS && st->nunreadable; i++) {
		if (!lf_slot_used(st->unreadable, i))
			continue;
		dev_err(&region->dev,
			"label slot %u is unreadable (media error): its namespace is not exposed, and no namespace can be created in this region\n",
			i);
		pmemctl_labels_degrade(region, LF_MEDIA_ERROR);
	}

	/*
	 * A namespace that cannot be registered is left out, not allowed to
	 * take the others down: tearing them down here could pull a disk
	 * from under someone who opened it already. Its slot stays used and
	 * its extent is unknown to the allocator, hence the degraded state.
	 */
	for (i = 0; i < st->count; i++) {
		int erc;

		rc = pmemctl_ns_add(region, &st->ns[i], &ns);
		if (rc) {
			dev_err(&region->dev,
				"cannot add namespace %u (label slot %u): %d; it is not exposed, and no namespace can be created in this region\n",
				st->ns[i].id, st->ns[i].slot, rc);
			pmemctl_labels_degrade(region, LF_OK);
			continue;
		}
		added++;
		erc = pmemctl_ns_enable(ns);
		if (erc)
			dev_warn(&ns->dev, "cannot enable (%d); left disabled\n",
				 erc);
	}
	rc = 0;
	if (st->count || st->nunreadable)
		dev_info(&region->dev, "%u namespace(s) from the label store (index %d, seq %llu)%s\n",
			 added, st->cur, st->seq,
			 region->state == PMEMCTL_REGION_DEGRADED ?
			 ", degraded" : "");
out:
	kvfree(scratch);
	kvfree(st->ns);
	kvfree(m.buf);
	kfree(st);
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
	if (region->state == PMEMCTL_REGION_ACTIVE ||
	    region->state == PMEMCTL_REGION_DEGRADED) {
		pmemctl_labels_commit(region, region->next_used);
		pmemctl_labels_commit(region, region->next_used);
		region->state = PMEMCTL_REGION_ACTIVE;
		region->label_error = LF_OK;
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
	memset(region->other_used, 0, sizeof(region->other_used));
	region->cur = 0;
	region->seq = 2;
	region->state = PMEMCTL_REGION_ACTIVE;
	region->label_error = LF_OK;
	return 0;
}

/*
 * A slot neither index copy references (lf_free_slot()): a label written
 * there cannot change what either copy describes, so a torn commit, or a
 * fallback to the older copy, shows exactly a state that was committed. A
 * slot freed by a commit thus becomes reusable after the next commit.
 */
int pmemctl_labels_free_slot(struct pmemctl_region *region)
{
	int slot = lf_free_slot(region->used, region->other_used);

	return slot < 0 ? -ENOSPC : slot;
}

/* Write a label into a slot that neither index copy references. */
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
	/* the copy just replaced is now the fallback: its slots stay taken */
	memcpy(region->other_used, region->used, sizeof(region->other_used));
	memcpy(region->used, used, sizeof(region->used));
}
