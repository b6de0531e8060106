// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-DAX access: an enabled devdax namespace is a character device,
 * /dev/pmemctl-daxR.N (class pmemctl-dax, child of namespaceR.N), whose
 * MAP_SHARED mappings reach the namespace's data directly, one fault per
 * 4 KiB, 2 MiB or 1 GiB (the namespace's align). The names never collide
 * with libnvdimm's /dev/daxX.Y.
 *
 * Lifetimes:
 *  - struct pmemctl_ddax lives from pmemctl_ddax_add() until the release
 *    of its @dev, which the cdev holds through its parent reference: an
 *    open file (and so every mapping, which holds its file) keeps it. Its
 *    parent, the namespace device, outlives it.
 *  - The namespace's struct pages and its mapping of the data live while
 *    it is enabled. Teardown refuses while @opens is not zero, so no fault
 *    can run once they go: a fault runs on a VMA, a VMA holds its file,
 *    and a file counts in @opens from open() to release().
 *  - @inode, on a private pseudo filesystem, is there for its
 *    address_space: the one every file of this device maps
 *    (filp->f_mapping), so that all mappings are found in one place,
 *    vma_is_dax() is true (S_DAX: PMD and PUD faults), and
 *    memory_failure() finds the processes to signal through page->mapping
 *    (a character-device host, S_IFCHR, is what fs/dax.c's
 *    dax_lock_page() expects of device DAX). It is put only after the
 *    struct pages are gone, so no page->mapping ever names a freed inode.
 *
 * Locking: @lock guards @opens and @dying; open() and release() take it,
 * as does the teardown under the region lock. Nothing else is taken
 * inside it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/dax.h>
#include <linux/fs_context.h>
#include <linux/fs.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>

#include "compat.h"
#include "internal.h"

#define PMEMCTL_DDAX_MINORS	(MINORMASK + 1)
#define PMEMCTL_DDAX_MAGIC	0x706d6478	/* "pmdx" */

struct pmemctl_ddax {
	struct device dev;
	struct cdev cdev;
	struct pmemctl_ns *ns;
	struct inode *inode;
	struct mutex lock;		/* @opens, @dying */
	unsigned int opens;
	bool dying;
	phys_addr_t phys;		/* data start */
	u64 size;			/* data bytes */
	unsigned long align;		/* fault size */
};

static dev_t pmemctl_ddax_devt;
static DEFINE_IDA(pmemctl_ddax_minors);
static struct vfsmount *pmemctl_ddax_mnt;

static int pmemctl_ddax_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, PMEMCTL_DDAX_MAGIC) ? 0 : -ENOMEM;
}

/* Never registered: only kern_mount()ed, for the inodes of mappings. */
static struct file_system_type pmemctl_ddax_fs_type = {
	.name = "pmemctl-dax",
	.init_fs_context = pmemctl_ddax_init_fs_context,
	.kill_sb = kill_anon_super,
};

static struct pmemctl_ddax *to_pmemctl_ddax(struct device *dev)
{
	return container_of(dev, struct pmemctl_ddax, dev);
}

/* QEMU and others size a device-DAX mem-path from these. */
static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_pmemctl_ddax(dev)->size);
}
static DEVICE_ATTR_RO(size);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lu\n", to_pmemctl_ddax(dev)->align);
}
static DEVICE_ATTR_RO(align);

static struct attribute *pmemctl_ddax_attrs[] = {
	&dev_attr_size.attr,
	&dev_attr_align.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pmemctl_ddax);

static void pmemctl_ddax_release(struct device *dev)
{
	struct pmemctl_ddax *dd = to_pmemctl_ddax(dev);

	if (dd->dev.devt)
		ida_free(&pmemctl_ddax_minors, MINOR(dd->dev.devt));
	kfree(dd);
	pmemctl_live_put();
}

static const struct device_type pmemctl_ddax_type = {
	.name = "pmemctl_dax",
	.groups = pmemctl_ddax_groups,
	.release = pmemctl_ddax_release,
};

/* made at init, on the heap (see pmemctl_class_create()) */
static struct class *pmemctl_ddax_class;

/* What may be mapped: shared, aligned to the fault size, inside the data. */
static int pmemctl_ddax_check_vma(struct pmemctl_ddax *dd,
				  struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long mask = dd->align - 1;
	u64 pages = dd->size >> PAGE_SHIFT;

	if (!(vma->vm_flags & VM_MAYSHARE)) {
		dev_info_ratelimited(&dd->dev, "%s: private mappings are refused\n",
				     current->comm);
		return -EINVAL;
	}
	if ((vma->vm_start | vma->vm_end) & mask ||
	    vma->vm_pgoff & (mask >> PAGE_SHIFT)) {
		dev_info_ratelimited(&dd->dev, "%s: mapping %#lx-%#lx at page %#lx is not aligned to %#lx\n",
				     current->comm, vma->vm_start, vma->vm_end,
				     vma->vm_pgoff, dd->align);
		return -EINVAL;
	}
	if (vma->vm_pgoff > pages || (len >> PAGE_SHIFT) > pages - vma->vm_pgoff)
		return -EINVAL;
	return 0;
}

/*
 * Struct pages of mapped data name the file mapping and offset, as page
 * cache pages do, so that memory_failure() can find and signal the
 * processes that map a poisoned page (mm/memory-failure.c, through the
 * pgmap's memory_failure op, which has no filesystem to ask here). A
 * compound page (align above 4 KiB) carries them on its head only, where
 * the kernel looks (page_folio()): its tail struct pages are shared with
 * other compound pages when the memmap is deduplicated, and must not be
 * written. A fault is always of the align, so @pfn is the head.
 */
static void pmemctl_ddax_set_mapping(struct vm_fault *vmf, unsigned long pfn,
				     pgoff_t pgoff, unsigned long nr)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct pmemctl_ddax *dd = vmf->vma->vm_file->private_data;
	unsigned long i;

	if (mc_compound_size(&dd->ns->label))
		nr = 1;
	for (i = 0; i < nr; i++) {
		struct page *page = pfn_to_page(pfn + i);

		if (READ_ONCE(page->mapping))
			continue;
		page->index = pgoff + i;
		WRITE_ONCE(page->mapping, mapping);
	}
}

/*
 * One fault of @size bytes: the mapping's align is the only size served;
 * the core retries a larger fault at PTE size after VM_FAULT_FALLBACK, and
 * a smaller one than the align cannot be mapped (SIGBUS, as device-dax).
 * A page with a known bad sector is not mapped (SIGBUS with
 * BUS_MCEERR_AR through VM_FAULT_HWPOISON).
 */
static vm_fault_t pmemctl_ddax_fault_size(struct vm_fault *vmf,
					  unsigned long size)
{
	struct vm_area_struct *vma = vmf->vma;
	struct pmemctl_ddax *dd = vma->vm_file->private_data;
	unsigned long addr = ALIGN_DOWN(vmf->address, size);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pgoff_t pgoff;
	pfn_t pfn;
	u64 off;

	if (size < dd->align)
		return VM_FAULT_SIGBUS;
	if (size > dd->align)
		return VM_FAULT_FALLBACK;
	if (addr < vma->vm_start || size > vma->vm_end - addr)
		return VM_FAULT_SIGBUS;
	pgoff = linear_page_index(vma, addr);
	off = (u64)pgoff << PAGE_SHIFT;
	if (off >= dd->size || size > dd->size - off)
		return VM_FAULT_SIGBUS;
	if (pmemctl_bb_dax_avail(dd->ns, pgoff, size >> PAGE_SHIFT,
				 DAX_ACCESS) < 0)
		return VM_FAULT_HWPOISON;
	if (dd->ns->od) {
		int rc = pmemctl_od_get(dd->ns, off, size);

		if (rc)
			return vmf_error(rc);
	}

	pfn = phys_to_pfn_t(dd->phys + off, PFN_DEV | PFN_MAP);
	pmemctl_ddax_set_mapping(vmf, pfn_t_to_pfn(pfn), pgoff,
				 size >> PAGE_SHIFT);
	if (size == PAGE_SIZE)
		return vmf_insert_mixed(vma, addr, pfn);
	if (size == PMD_SIZE)
		return vmf_insert_pfn_pmd(vmf, pfn, write);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	if (size == PUD_SIZE)
		return vmf_insert_pfn_pud(vmf, pfn, write);
#endif
	return VM_FAULT_SIGBUS;
}

static vm_fault_t pmemctl_ddax_huge_fault(struct vm_fault *vmf,
					  PMEMCTL_FAULT_ORDER_T order)
{
	return pmemctl_ddax_fault_size(vmf, pmemctl_fault_size(order));
}

static vm_fault_t pmemctl_ddax_fault(struct vm_fault *vmf)
{
	return pmemctl_ddax_fault_size(vmf, PAGE_SIZE);
}

/* mprotect, munmap and mremap may only cut the mapping at fault size. */
static int pmemctl_ddax_may_split(struct vm_area_struct *vma,
				  unsigned long addr)
{
	struct pmemctl_ddax *dd = vma->vm_file->private_data;

	return IS_ALIGNED(addr, dd->align) ? 0 : -EINVAL;
}

static unsigned long pmemctl_ddax_pagesize(struct vm_area_struct *vma)
{
	struct pmemctl_ddax *dd = vma->vm_file->private_data;

	return dd->align;
}

static const struct vm_operations_struct pmemctl_ddax_vm_ops = {
	.fault = pmemctl_ddax_fault,
	.huge_fault = pmemctl_ddax_huge_fault,
	.may_split = pmemctl_ddax_may_split,
	.pagesize = pmemctl_ddax_pagesize,
};

/*
 * An ondemand namespace counts the chunks each mapping covers, so that a
 * chunk's struct pages go when its last mapping does (ondemand.c). open
 * is the core copying a VMA (fork, split, mremap); close comes after its
 * page table entries are gone. The file, and so the namespace's chunk
 * table, outlives every VMA.
 */
static void pmemctl_ddax_vm_open(struct vm_area_struct *vma)
{
	struct pmemctl_ddax *dd = vma->vm_file->private_data;

	pmemctl_od_vma_open(dd->ns, vma, false);
}

static void pmemctl_ddax_vm_close(struct vm_area_struct *vma)
{
	struct pmemctl_ddax *dd = vma->vm_file->private_data;

	pmemctl_od_vma_close(dd->ns, vma);
}

static const struct vm_operations_struct pmemctl_ddax_od_vm_ops = {
	.open = pmemctl_ddax_vm_open,
	.close = pmemctl_ddax_vm_close,
	.fault = pmemctl_ddax_fault,
	.huge_fault = pmemctl_ddax_huge_fault,
	.may_split = pmemctl_ddax_may_split,
	.pagesize = pmemctl_ddax_pagesize,
};

static int pmemctl_ddax_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct pmemctl_ddax *dd = filp->private_data;
	int rc;

	rc = pmemctl_ddax_check_vma(dd, vma);
	if (rc)
		return rc;
	if (dd->ns->od) {
		rc = pmemctl_od_vma_open(dd->ns, vma, true);
		if (rc)
			return rc;
		vma->vm_ops = &pmemctl_ddax_od_vm_ops;
	} else {
		vma->vm_ops = &pmemctl_ddax_vm_ops;
	}
	pmemctl_vm_flags_set(vma, VM_HUGEPAGE | VM_DONTEXPAND);
	return 0;
}

/*
 * Without an address hint, place the mapping so that file offsets and
 * addresses agree modulo the align: then every fault can be a whole
 * PMD or PUD. Ask for align bytes more and slide into them.
 */
static unsigned long pmemctl_ddax_get_unmapped_area(struct file *filp,
						    unsigned long addr,
						    unsigned long len,
						    unsigned long pgoff,
						    unsigned long flags)
{
	struct pmemctl_ddax *dd = filp ? filp->private_data : NULL;
	unsigned long off = pgoff << PAGE_SHIFT, align, got;

	if (!dd || addr || dd->align == PAGE_SIZE)
		goto plain;
	align = dd->align;
	if (len + align < len)
		goto plain;
	got = pmemctl_mm_get_unmapped_area(filp, 0, len + align, pgoff, flags);
	if (IS_ERR_VALUE(got))
		goto plain;
	return got + ((off - got) & (align - 1));
plain:
	return pmemctl_mm_get_unmapped_area(filp, addr, len, pgoff, flags);
}

/*
 * Dirtying a mapped page (direct I/O into a mapping marks its pages
 * dirty when it completes) has nothing to write back.
 */
static const struct address_space_operations pmemctl_ddax_aops = {
	.dirty_folio = noop_dirty_folio,
};

/* chrdev_open() holds the cdev, and so @dd, for the file's lifetime. */
static int pmemctl_ddax_open(struct inode *inode, struct file *filp)
{
	struct pmemctl_ddax *dd = container_of(inode->i_cdev,
					       struct pmemctl_ddax, cdev);

	mutex_lock(&dd->lock);
	if (dd->dying) {
		mutex_unlock(&dd->lock);
		return -ENXIO;
	}
	dd->opens++;
	mutex_unlock(&dd->lock);

	filp->private_data = dd;
	filp->f_mapping = dd->inode->i_mapping;
	filp->f_wb_err = filemap_sample_wb_err(filp->f_mapping);
	return 0;
}

static int pmemctl_ddax_file_release(struct inode *inode, struct file *filp)
{
	struct pmemctl_ddax *dd = filp->private_data;

	mutex_lock(&dd->lock);
	dd->opens--;
	mutex_unlock(&dd->lock);
	return 0;
}

/* SEEK_END gives the size, for tools that size a file that way (QEMU). */
static loff_t pmemctl_ddax_llseek(struct file *filp, loff_t off, int whence)
{
	struct pmemctl_ddax *dd = filp->private_data;

	return fixed_size_llseek(filp, off, whence, dd->size);
}

static const struct file_operations pmemctl_ddax_fops = {
	.owner = THIS_MODULE,
	.open = pmemctl_ddax_open,
	.release = pmemctl_ddax_file_release,
	.llseek = pmemctl_ddax_llseek,
	.mmap = pmemctl_ddax_mmap,
	.get_unmapped_area = pmemctl_ddax_get_unmapped_area,
	PMEMCTL_FOPS_MAP_SYNC,
};

/*
 * Publish the character device of an enabled devdax namespace whose
 * struct pages pmemctl_pages_add() has just made. Synchronous as
 * libnvdimm's device DAX: MAP_SYNC is accepted, since a legacy range has
 * no flush hint, so data is durable once it leaves the CPU caches.
 */
int pmemctl_ddax_add(struct pmemctl_ns *ns)
{
	const struct lf_ns *label = &ns->label;
	struct pmemctl_ddax *dd;
	struct inode *inode;
	int minor, rc;

	dd = kzalloc(sizeof(*dd), GFP_KERNEL);
	if (!dd)
		return -ENOMEM;
	mutex_init(&dd->lock);
	dd->ns = ns;
	dd->phys = ns->region->start + label->offset + label->data_offset;
	dd->size = label->size - label->data_offset;
	dd->align = label->align;

	device_initialize(&dd->dev);
	pmemctl_live_get();	/* the release runs from here on */
	dd->dev.parent = &ns->dev;
	dd->dev.class = pmemctl_ddax_class;
	dd->dev.type = &pmemctl_ddax_type;
	set_dev_node(&dd->dev, dev_to_node(&ns->dev));
	minor = ida_alloc_max(&pmemctl_ddax_minors, PMEMCTL_DDAX_MINORS - 1,
			      GFP_KERNEL);
	if (minor < 0) {
		rc = minor;
		goto out_put;
	}
	dd->dev.devt = MKDEV(MAJOR(pmemctl_ddax_devt), minor);
	rc = dev_set_name(&dd->dev, PMEMCTL_DDAX_NAME_FMT, ns->region->id,
			  label->id);
	if (rc)
		goto out_put;

	inode = alloc_anon_inode(pmemctl_ddax_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		rc = PTR_ERR(inode);
		goto out_put;
	}
	inode->i_mode = S_IFCHR;
	inode->i_flags |= S_DAX;
	inode->i_mapping->a_ops = &pmemctl_ddax_aops;
	dd->inode = inode;

	cdev_init(&dd->cdev, &pmemctl_ddax_fops);
	dd->cdev.owner = THIS_MODULE;
	rc = cdev_device_add(&dd->cdev, &dd->dev);
	if (rc)
		goto out_iput;
	WRITE_ONCE(ns->ddax, dd);
	return 0;

out_iput:
	iput(inode);
out_put:
	put_device(&dd->dev);
	return rc;
}

/*
 * Close the device to new users: -EBUSY while a file is open (every
 * mapping holds one), else later opens fail with -ENXIO. After this the
 * namespace's pages gain no new reference through this device.
 */
int pmemctl_ddax_quiesce(struct pmemctl_ns *ns)
{
	struct pmemctl_ddax *dd = ns->ddax;
	int rc = 0;

	mutex_lock(&dd->lock);
	if (dd->opens) {
		dev_info_ratelimited(&dd->dev, "open by %u file(s) or mapped: refusing to remove it\n",
				     dd->opens);
		rc = -EBUSY;
	} else {
		dd->dying = true;
	}
	mutex_unlock(&dd->lock);
	return rc;
}

void pmemctl_ddax_resume(struct pmemctl_ns *ns)
{
	struct pmemctl_ddax *dd = ns->ddax;

	mutex_lock(&dd->lock);
	dd->dying = false;
	mutex_unlock(&dd->lock);
}

/*
 * Remove a quiesced device whose pages pmemctl_pages_check_idle() found
 * idle. The inode outlives the struct pages that may name it:
 * memunmap_pages() waits for a memory_failure() that holds the pagemap.
 */
void pmemctl_ddax_del(struct pmemctl_ns *ns)
{
	struct pmemctl_ddax *dd = ns->ddax;

	WRITE_ONCE(ns->ddax, NULL);
	cdev_device_del(&dd->cdev, &dd->dev);
	pmemctl_pages_del(ns);
	iput(dd->inode);
	put_device(&dd->dev);
}

int pmemctl_ddax_init(void)
{
	int rc;

	pmemctl_ddax_mnt = kern_mount(&pmemctl_ddax_fs_type);
	if (IS_ERR(pmemctl_ddax_mnt))
		return PTR_ERR(pmemctl_ddax_mnt);
	rc = alloc_chrdev_region(&pmemctl_ddax_devt, 0, PMEMCTL_DDAX_MINORS,
				 "pmemctl-dax");
	if (rc)
		goto out_unmount;
	pmemctl_ddax_class = pmemctl_class_create("pmemctl-dax");
	if (IS_ERR(pmemctl_ddax_class)) {
		rc = PTR_ERR(pmemctl_ddax_class);
		goto out_chrdev;
	}
	return 0;

out_chrdev:
	unregister_chrdev_region(pmemctl_ddax_devt, PMEMCTL_DDAX_MINORS);
out_unmount:
	kern_unmount(pmemctl_ddax_mnt);
	return rc;
}

/* After every device is released (pmemctl_live_wait()). */
void pmemctl_ddax_exit(void)
{
	class_destroy(pmemctl_ddax_class);
	unregister_chrdev_region(pmemctl_ddax_devt, PMEMCTL_DDAX_MINORS);
	ida_destroy(&pmemctl_ddax_minors);
	kern_unmount(pmemctl_ddax_mnt);
}
