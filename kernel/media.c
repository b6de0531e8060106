// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads of persistent memory that survive media errors, and test-only
 * poison injection.
 *
 * Every read of region media that must not take the machine down goes
 * through pmemctl_media_read(): a machine-check-safe copy that turns a
 * poisoned line into -EIO for the caller. QEMU TCG cannot make a load
 * machine-check, so the same function first consults a list of injected
 * bad physical ranges and fails exactly as real poison would. The list is
 * filled at load time by the "poison" module parameter and at run time
 * through debugfs (pmemctl/poison, root only); it is empty unless a test
 * put something there.
 *
 * Locking: the list is an immutable array published with RCU. Readers
 * (the label store, the block and DAX paths) only take rcu_read_lock(),
 * so pmemctl_media_read() never sleeps and may run in any context that
 * can read memory. Writers build a new array under pmemctl_poison_mutex,
 * publish it and free the old one after a grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Enough for any test; a bound keeps a debugfs writer from eating RAM. */
#define PMEMCTL_POISON_MAX	64

struct pmemctl_poison_range {
	u64 start;
	u64 len;
};

struct pmemctl_poison_set {
	struct rcu_head rcu;
	unsigned int count;
	struct pmemctl_poison_range r[];
};

static struct pmemctl_poison_set __rcu *pmemctl_poison;
static DEFINE_MUTEX(pmemctl_poison_mutex);
static struct dentry *pmemctl_debugfs;

static char *poison;
module_param(poison, charp, 0400);
MODULE_PARM_DESC(poison,
		 "test only: PHYS:LEN[,PHYS:LEN...] ranges that read as media errors");

bool pmemctl_media_injected(phys_addr_t phys, size_t len)
{
	const struct pmemctl_poison_set *set;
	bool hit = false;
	unsigned int i;

	if (!len)
		return false;
	rcu_read_lock();
	set = rcu_dereference(pmemctl_poison);
	for (i = 0; set && i < set->count && !hit; i++)
		hit = phys < set->r[i].start + set->r[i].len &&
		      set->r[i].start < (u64)phys + len;
	rcu_read_unlock();
	return hit;
}

int pmemctl_media_read(void *dst, const void *src, phys_addr_t phys,
		       size_t len)
{
	if (pmemctl_media_injected(phys, len))
		return -EIO;
	return copy_mc_to_kernel(dst, src, len) ? -EIO : 0;
}

/*
 * Replace the published set by @set (NULL = empty); called with
 * pmemctl_poison_mutex held. The old set may still be walked by a reader.
 */
static void pmemctl_poison_publish(struct pmemctl_poison_set *set)
{
	struct pmemctl_poison_set *old;

	old = rcu_replace_pointer(pmemctl_poison, set,
				  lockdep_is_held(&pmemctl_poison_mutex));
	if (old)
		kfree_rcu(old, rcu);
}

static int pmemctl_poison_add(u64 start, u64 len)
{
	struct pmemctl_poison_set *old, *set;
	unsigned int n;

	if (!len || start + len < start)
		return -EINVAL;

	mutex_lock(&pmemctl_poison_mutex);
	old = rcu_dereference_protected(pmemctl_poison,
					lockdep_is_held(&pmemctl_poison_mutex));
	n = old ? old->count : 0;
	if (n >= PMEMCTL_POISON_MAX) {
		mutex_unlock(&pmemctl_poison_mutex);
		return -ENOSPC;
	}
	set = kmalloc(struct_size(set, r, n + 1), GFP_KERNEL);
	if (!set) {
		mutex_unlock(&pmemctl_poison_mutex);
		return -ENOMEM;
	}
	if (n)
		memcpy(set->r, old->r, n * sizeof(set->r[0]));
	set->r[n].start = start;
	set->r[n].len = len;
	set->count = n + 1;
	pmemctl_poison_publish(set);
	mutex_unlock(&pmemctl_poison_mutex);
	pr_info("test poison injected at %#llx, %llu bytes\n", start, len);
	return 0;
}

static void pmemctl_poison_clear(void)
{
	mutex_lock(&pmemctl_poison_mutex);
	pmemctl_poison_publish(NULL);
	mutex_unlock(&pmemctl_poison_mutex);
}

static int pmemctl_poison_show(struct seq_file *m, void *v)
{
	const struct pmemctl_poison_set *set;
	unsigned int i;

	rcu_read_lock();
	set = rcu_dereference(pmemctl_poison);
	for (i = 0; set && i < set->count; i++)
		seq_printf(m, "%#llx %llu\n", set->r[i].start, set->r[i].len);
	rcu_read_unlock();
	return 0;
}

static int pmemctl_poison_open(struct inode *inode, struct file *file)
{
	return single_open(file, pmemctl_poison_show, NULL);
}

/* "PHYS LEN" adds a range (numbers in C notation), "clear" empties. */
static ssize_t pmemctl_poison_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[64], *p, *len;
	u64 start, n;
	int rc;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);

	if (!strcmp(p, "clear")) {
		pmemctl_poison_clear();
		return count;
	}
	len = strpbrk(p, " \t");
	if (!len)
		return -EINVAL;
	*len++ = '\0';
	len = skip_spaces(len);
	if (kstrtou64(p, 0, &start) || kstrtou64(len, 0, &n))
		return -EINVAL;
	rc = pmemctl_poison_add(start, n);
	return rc ? rc : count;
}

static const struct file_operations pmemctl_poison_fops = {
	.owner = THIS_MODULE,
	.open = pmemctl_poison_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = pmemctl_poison_write,
};

/* The module parameter: PHYS:LEN[,PHYS:LEN...]. */
static int pmemctl_poison_parse(char *spec)
{
	char *item, *len;
	u64 start, n;
	int rc;

	while ((item = strsep(&spec, ",")) != NULL) {
		if (!*item)
			continue;
		len = strchr(item, ':');
		if (!len)
			return -EINVAL;
		*len++ = '\0';
		if (kstrtou64(item, 0, &start) || kstrtou64(len, 0, &n))
			return -EINVAL;
		rc = pmemctl_poison_add(start, n);
		if (rc)
			return rc;
	}
	return 0;
}

int pmemctl_media_init(void)
{
	char *spec;
	int rc;

	if (poison && *poison) {
		spec = kstrdup(poison, GFP_KERNEL);
		if (!spec)
			return -ENOMEM;
		rc = pmemctl_poison_parse(spec);
		kfree(spec);
		if (rc) {
			pr_err("bad poison= parameter \"%s\" (want PHYS:LEN[,PHYS:LEN...])\n",
			       poison);
			pmemctl_media_exit();
			return rc;
		}
	}

	/* Debugfs is optional: failure leaves only the parameter. */
	pmemctl_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("poison", 0600, pmemctl_debugfs, NULL,
			    &pmemctl_poison_fops);
	return 0;
}

/*
 * Module exit (or a failed init): no region is left to read, and the
 * debugfs file is gone, so the set can be freed once the last reader that
 * might still walk it has finished. Sets replaced earlier went to
 * kfree_rcu(), which the core kernel completes without this module.
 */
void pmemctl_media_exit(void)
{
	struct pmemctl_poison_set *set;

	debugfs_remove_recursive(pmemctl_debugfs);
	pmemctl_debugfs = NULL;
	mutex_lock(&pmemctl_poison_mutex);
	set = rcu_replace_pointer(pmemctl_poison, NULL,
				  lockdep_is_held(&pmemctl_poison_mutex));
	mutex_unlock(&pmemctl_poison_mutex);
	synchronize_rcu();
	kfree(set);
}
