// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block device of an enabled namespace: bio-based, synchronous copies
 * to and from the mapped range. Writes use non-temporal stores; the queue
 * advertises a write-back cache with FUA, so a REQ_PREFLUSH or REQ_FUA is
 * where the store fence makes acknowledged data durable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

/*
 * One segment at data sector @sector. The namespace's bad-sector list
 * decides: a known bad sector fails a read without touching the media, a
 * read that hits poison records what it hit, a write rewrites whole bad
 * sectors and clears those that then read back (badblocks.c).
 */
static blk_status_t pmemctl_do_bvec(struct pmemctl_ns *ns, struct bio_vec *bv,
				    sector_t sector, bool write)
{
	void *buf = bvec_kmap_local(bv);
	int rc;

	if (write)
		rc = pmemctl_bb_write(ns, buf, sector, bv->bv_len);
	else
		rc = pmemctl_bb_read(ns, buf, sector, bv->bv_len);
	kunmap_local(buf);
	return rc ? BLK_STS_IOERR : BLK_STS_OK;
}

static void pmemctl_submit_bio(struct bio *bio)
{
	struct pmemctl_ns *ns = bio->bi_bdev->bd_disk->private_data;
	blk_status_t status = BLK_STS_OK;
	bool write = op_is_write(bio_op(bio));
	struct bvec_iter iter;
	struct bio_vec bv;

	if (bio_op(bio) != REQ_OP_READ && bio_op(bio) != REQ_OP_WRITE) {
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}

	/*
	 * Earlier writes were acknowledged from the write-back "cache": the
	 * fence drains their non-temporal stores to the media.
	 */
	if (bio->bi_opf & REQ_PREFLUSH)
		wmb();	/* drain earlier non-temporal stores */

	bio_for_each_segment(bv, bio, iter) {
		status = pmemctl_do_bvec(ns, &bv, iter.bi_sector, write);
		if (status)
			break;
	}

	/* FUA: this bio's own stores reach the media before completion. */
	if (bio->bi_opf & REQ_FUA)
		wmb();	/* drain this bio's stores before completing it */
	bio->bi_status = status;
	bio_endio(bio);
}

/* Runs under disk->open_mutex, as does pmemctl_blk_quiesce(). */
static int pmemctl_blk_open(PMEMCTL_BDEV_OPEN_ARGS)
{
	struct pmemctl_ns *ns = PMEMCTL_BDEV_OPEN_DISK->private_data;

	return ns->dying ? -ENXIO : 0;
}

/* Called from disk_release() for a disk that device_add_disk() added. */
static void pmemctl_blk_free_disk(struct gendisk *disk)
{
	pmemctl_live_put();
}

static const struct block_device_operations pmemctl_blk_fops = {
	.owner = THIS_MODULE,
	.submit_bio = pmemctl_submit_bio,
	.open = pmemctl_blk_open,
	.free_disk = pmemctl_blk_free_disk,
};

/* The disk of a page or pfn namespace (struct pages present) does DAX. */
int pmemctl_blk_add(struct pmemctl_ns *ns)
{
	bool dax = ns->label.mode != PMEMCTL_MODE_RAW;
	struct gendisk *disk;
	int rc;

	disk = pmemctl_alloc_disk(dev_to_node(&ns->dev), dax);
	if (IS_ERR(disk))
		return PTR_ERR(disk);

	disk->fops = &pmemctl_blk_fops;
	disk->private_data = ns;
	snprintf(disk->disk_name, DISK_NAME_LEN, "pmem%dn%u", ns->region->id,
		 ns->label.id);
	set_capacity(disk, (ns->label.size - ns->label.data_offset) >>
		     SECTOR_SHIFT);
	ns->dying = false;
	disk->bb = &ns->bb;	/* /sys/block/<disk>/badblocks */

	if (dax) {
		rc = pmemctl_dax_add(ns, disk);
		if (rc)
			goto out_put_disk;
	}
	rc = device_add_disk(&ns->dev, disk, NULL);
	if (rc)
		goto out_del_dax;
	pmemctl_live_get();	/* free_disk runs from here on */
	WRITE_ONCE(ns->disk, disk);
	return 0;

out_del_dax:
	pmemctl_dax_del(ns, disk);
out_put_disk:
	put_disk(disk);
	return rc;
}

/*
 * Close the block device to new users: refuse (-EBUSY) if somebody has it
 * open (a mount holds it open), else mark it dying under open_mutex, the
 * lock its open path takes, so a late open fails with -ENXIO instead of
 * racing the teardown. With no opener no filesystem can map the DAX range
 * either: after this the namespace's pages gain no new reference.
 */
int pmemctl_blk_quiesce(struct pmemctl_ns *ns)
{
	struct gendisk *disk = ns->disk;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk)) {
		mutex_unlock(&disk->open_mutex);
		return -EBUSY;
	}
	ns->dying = true;
	mutex_unlock(&disk->open_mutex);
	return 0;
}

/* A teardown refused after pmemctl_blk_quiesce(): open for business again. */
void pmemctl_blk_resume(struct pmemctl_ns *ns)
{
	mutex_lock(&ns->disk->open_mutex);
	ns->dying = false;
	mutex_unlock(&ns->disk->open_mutex);
}

/* Remove a quiesced block device and its dax_device. */
void pmemctl_blk_del(struct pmemctl_ns *ns)
{
	struct gendisk *disk = ns->disk;

	pmemctl_dax_del(ns, disk);
	del_gendisk(disk);
	WRITE_ONCE(ns->disk, NULL);
	put_disk(disk);
}
