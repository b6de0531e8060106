// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/pmemctl: the control device. Every state change will arrive here as
 * one ioctl; reads go through sysfs instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <pmemctl.h>

#include "internal.h"

static struct miscdevice pmemctl_control;

/*
 * Anything a caller sends can be wrong on purpose; say why only at debug
 * level, through this one call site so that a single rate limit covers
 * every kind of rejection and userspace cannot flood the log.
 */
static __printf(1, 2) void pmemctl_reject(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_dbg_ratelimited(pmemctl_control.this_device, "rejected: %pV", &vaf);
	va_end(args);
}

static long pmemctl_ioc_version(void __user *uarg)
{
	struct pmemctl_version ver;

	if (copy_from_user(&ver, uarg, sizeof(ver)))
		return -EFAULT;
	if (ver.size != sizeof(ver)) {
		pmemctl_reject("VERSION: size %u, expected %zu\n", ver.size,
			       sizeof(ver));
		return -EINVAL;
	}
	if (ver.flags) {
		pmemctl_reject("VERSION: unknown flags %#x\n", ver.flags);
		return -EINVAL;
	}
	if (memchr_inv(ver.reserved, 0, sizeof(ver.reserved))) {
		pmemctl_reject("VERSION: reserved fields not zero\n");
		return -EINVAL;
	}

	/* Every byte copied out is set here: no stack contents leak. */
	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.abi_major = PMEMCTL_ABI_MAJOR;
	ver.abi_minor = PMEMCTL_ABI_MINOR;
	strscpy_pad(ver.module_version, PMEMCTL_VERSION,
		    sizeof(ver.module_version));

	if (copy_to_user(uarg, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

/*
 * Copy in a request and apply the rules every command shares: the size
 * the caller was built with, only @known flags, reserved bytes all zero.
 */
static int pmemctl_copy_request(void *req, size_t len, const void __user *uarg,
				const char *what, u32 known, const void *reserved,
				size_t reserved_len)
{
	const u32 *hdr = req;	/* size, flags */

	if (copy_from_user(req, uarg, len))
		return -EFAULT;
	if (hdr[0] != len) {
		pmemctl_reject("%s: size %u, expected %zu\n", what, hdr[0], len);
		return -EINVAL;
	}
	if (hdr[1] & ~known) {
		pmemctl_reject("%s: unknown flags %#x\n", what, hdr[1] & ~known);
		return -EINVAL;
	}
	if (memchr_inv(reserved, 0, reserved_len)) {
		pmemctl_reject("%s: reserved fields not zero\n", what);
		return -EINVAL;
	}
	return 0;
}

static long pmemctl_ioc_init_labels(void __user *uarg)
{
	struct pmemctl_init_labels req;
	struct pmemctl_region *region;
	struct pmemctl_ns *ns;
	int rc;

	rc = pmemctl_copy_request(&req, sizeof(req), uarg, "INIT_LABELS",
				  PMEMCTL_INIT_FORCE, &req.reserved0,
				  sizeof(req) - offsetof(typeof(req), reserved0));
	if (rc)
		return rc;
	region = pmemctl_region_find(req.region);
	if (!region)
		return -ENODEV;

	mutex_lock(&region->lock);
	if (region->state != PMEMCTL_REGION_UNINITIALIZED &&
	    !(req.flags & PMEMCTL_INIT_FORCE)) {
		rc = -EEXIST;
		goto out;
	}
	list_for_each_entry(ns, &region->namespaces, node) {
		if (pmemctl_ns_enabled(ns)) {
			rc = -EBUSY;
			goto out;
		}
	}
	pmemctl_ns_remove_all(region);
	rc = pmemctl_labels_init(region);
	/* root can loop on this: the log line is rate-limited */
	if (!rc)
		dev_info_ratelimited(&region->dev, "label store initialised\n");
out:
	mutex_unlock(&region->lock);
	return rc;
}

void pmemctl_cost_out(struct pmemctl_ns_cost *out, const struct mc_cost *cost)
{
	out->data_offset = cost->data_offset;
	out->data_size = cost->data_size;
	out->ram_bytes = cost->ram_bytes;
	out->dev_bytes = cost->dev_bytes;
}

static long pmemctl_ioc_ns_create(void __user *uarg)
{
	struct pmemctl_ns_create req;
	struct pmemctl_region *region;
	struct lf_ns label = { };
	struct mc_cost cost = { };
	int rc;

	rc = pmemctl_copy_request(&req, sizeof(req), uarg, "NS_CREATE",
				  PMEMCTL_NS_CREATE_DRY_RUN, &req.offset,
				  sizeof(req) - offsetof(typeof(req), offset));
	if (rc)
		return rc;
	if (req.id) {
		pmemctl_reject("NS_CREATE: id (an out field) not zero\n");
		return -EINVAL;
	}
	region = pmemctl_region_find(req.region);
	if (!region)
		return -ENODEV;
	/* Fail on an unwritable result before anything changes, not after. */
	if (copy_to_user(uarg, &req, sizeof(req)))
		return -EFAULT;

	label.mode = req.mode;
	label.access = req.access;	/* checked with the shape */
	label.size = req.ns_size;
	label.align = req.align ? req.align : PMEMCTL_REGION_ALIGN;
	memcpy(label.uuid, req.uuid, sizeof(label.uuid));
	memcpy(label.name, req.name, sizeof(label.name));

	mutex_lock(&region->lock);
	if (req.flags & PMEMCTL_NS_CREATE_DRY_RUN)
		rc = pmemctl_ns_prepare(region, &label, &cost);
	else
		rc = pmemctl_ns_create(region, &label, &cost);
	mutex_unlock(&region->lock);
	/* ENOMEM tells the caller what the memmap would have taken. */
	if (rc == -ENOMEM) {
		pmemctl_cost_out(&req.cost, &cost);
		if (copy_to_user(uarg, &req, sizeof(req)))
			return -EFAULT;
	}
	if (rc)
		return rc;

	pmemctl_cost_out(&req.cost, &cost);
	req.ram_per_gib = cost.ram_per_gib;
	req.id = label.id;
	req.offset = label.offset;
	memcpy(req.uuid, label.uuid, sizeof(req.uuid));
	if (copy_to_user(uarg, &req, sizeof(req)))
		return -EFAULT;	/* unmapped since the probe; list shows it */
	return 0;
}

static long pmemctl_ioc_ns_change(void __user *uarg, unsigned int cmd)
{
	struct pmemctl_region *region;
	struct pmemctl_ns_ref req;
	struct pmemctl_ns *ns;
	int rc;

	rc = pmemctl_copy_request(&req, sizeof(req), uarg, "NS_REF", 0,
				  req.reserved, sizeof(req.reserved));
	if (rc)
		return rc;
	region = pmemctl_region_find(req.region);
	if (!region)
		return -ENODEV;

	mutex_lock(&region->lock);
	ns = pmemctl_ns_find(region, req.id);
	if (!ns)
		rc = -ENOENT;
	else if (cmd == PMEMCTL_IOC_NS_DESTROY)
		rc = pmemctl_ns_destroy(ns);
	else if (cmd == PMEMCTL_IOC_NS_ENABLE)
		rc = pmemctl_ns_enable(ns);
	else
		rc = pmemctl_ns_disable(ns);
	mutex_unlock(&region->lock);
	return rc;
}

static long pmemctl_ioc_ns_reconfigure(void __user *uarg)
{
	struct pmemctl_ns_reconfigure req;
	struct pmemctl_region *region;
	struct pmemctl_ns *ns;
	struct mc_cost cost = { };
	int rc;

	rc = pmemctl_copy_request(&req, sizeof(req), uarg, "NS_RECONFIGURE",
				  PMEMCTL_RECONFIGURE_FORCE |
				  PMEMCTL_RECONFIGURE_DRY_RUN |
				  PMEMCTL_RECONFIGURE_ACCESS, &req.cost,
				  sizeof(req) - offsetof(typeof(req), cost));
	if (rc)
		return rc;
	region = pmemctl_region_find(req.region);
	if (!region)
		return -ENODEV;
	if (copy_to_user(uarg, &req, sizeof(req)))
		return -EFAULT;

	mutex_lock(&region->lock);
	ns = pmemctl_ns_find(region, req.id);
	rc = ns ? pmemctl_ns_reconfigure(ns, req.mode, req.access, req.flags,
					 &cost) : -ENOENT;
	mutex_unlock(&region->lock);
	if (rc && rc != -ENOMEM)
		return rc;

	pmemctl_cost_out(&req.cost, &cost);
	if (copy_to_user(uarg, &req, sizeof(req)))
		return -EFAULT;
	return rc;
}

/* Shape of one op: known op and flags, only its own fields set. */
static int pmemctl_batch_op_check(const struct pmemctl_batch_op *op, u32 i)
{
	u32 known;
	bool create = op->op == PMEMCTL_BATCH_CREATE;

	switch (op->op) {
	case PMEMCTL_BATCH_CREATE:
		known = PMEMCTL_BATCH_OP_DISABLED;
		break;
	case PMEMCTL_BATCH_RECONFIGURE:
		known = PMEMCTL_BATCH_OP_FORCE | PMEMCTL_BATCH_OP_ACCESS;
		break;
	case PMEMCTL_BATCH_DESTROY:
		known = 0;
		break;
	default:
		pmemctl_reject("NS_BATCH: op %u: unknown op %u\n", i, op->op);
		return -EINVAL;
	}
	if (op->flags & ~known) {
		pmemctl_reject("NS_BATCH: op %u: unknown flags %#x\n", i,
			       op->flags & ~known);
		return -EINVAL;
	}
	if ((create && op->id) ||
	    (op->op == PMEMCTL_BATCH_DESTROY && (op->mode || op->access)) ||
	    (op->op == PMEMCTL_BATCH_RECONFIGURE && op->access &&
	     !(op->flags & PMEMCTL_BATCH_OP_ACCESS)) ||
	    (!create && (op->ns_size || op->align ||
			 memchr_inv(op->uuid, 0, sizeof(op->uuid)) ||
			 memchr_inv(op->name, 0, sizeof(op->name)))) ||
	    op->offset || memchr_inv(&op->cost, 0, sizeof(op->cost)) ||
	    op->result || op->ram_per_gib ||
	    memchr_inv(op->reserved, 0, sizeof(op->reserved))) {
		pmemctl_reject("NS_BATCH: op %u: a field it does not use is not zero\n",
			       i);
		return -EINVAL;
	}
	return 0;
}

static long pmemctl_ioc_ns_batch(void __user *uarg)
{
	struct pmemctl_batch_op *ops;
	struct pmemctl_region *region;
	struct pmemctl_ns_batch req;
	void __user *uops;
	size_t len;
	u32 i;
	int rc;

	rc = pmemctl_copy_request(&req, sizeof(req), uarg, "NS_BATCH",
				  PMEMCTL_BATCH_DRY_RUN, &req.failed,
				  sizeof(req) - offsetof(typeof(req), failed));
	if (rc)
		return rc;
	if (!req.nr_ops || req.nr_ops > PMEMCTL_BATCH_MAX_OPS ||
	    req.op_size != sizeof(*ops)) {
		pmemctl_reject("NS_BATCH: %u ops of %u bytes\n", req.nr_ops,
			       req.op_size);
		return -EINVAL;
	}
	region = pmemctl_region_find(req.region);
	if (!region)
		return -ENODEV;

	uops = u64_to_user_ptr(req.ops);
	len = (size_t)req.nr_ops * sizeof(*ops);
	ops = kvmalloc(len, GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	rc = -EFAULT;
	if (copy_from_user(ops, uops, len))
		goto out;
	/* Fail on an unwritable result before anything changes, not after. */
	req.failed = PMEMCTL_BATCH_NO_OP;
	if (copy_to_user(uops, ops, len) || copy_to_user(uarg, &req, sizeof(req)))
		goto out;
	for (i = 0; i < req.nr_ops; i++) {
		rc = pmemctl_batch_op_check(&ops[i], i);
		if (rc) {
			req.failed = i;
			if (copy_to_user(uarg, &req, sizeof(req)))
				rc = -EFAULT;
			goto out;
		}
	}

	mutex_lock(&region->lock);
	rc = pmemctl_batch_run(region, ops, req.nr_ops,
			       req.flags & PMEMCTL_BATCH_DRY_RUN, &req.failed);
	mutex_unlock(&region->lock);
	if (copy_to_user(uops, ops, len) || copy_to_user(uarg, &req, sizeof(req)))
		rc = rc ?: -EFAULT;	/* done; list shows what it made */
out:
	kvfree(ops);
	return rc;
}

static long pmemctl_control_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case PMEMCTL_IOC_VERSION:
		return pmemctl_ioc_version(uarg);
	case PMEMCTL_IOC_INIT_LABELS:
	case PMEMCTL_IOC_NS_CREATE:
	case PMEMCTL_IOC_NS_DESTROY:
	case PMEMCTL_IOC_NS_ENABLE:
	case PMEMCTL_IOC_NS_DISABLE:
	case PMEMCTL_IOC_NS_RECONFIGURE:
	case PMEMCTL_IOC_NS_BATCH:
		/* Privilege first: unprivileged callers learn nothing more. */
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		break;
	default:
		pmemctl_reject("unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}

	switch (cmd) {
	case PMEMCTL_IOC_INIT_LABELS:
		return pmemctl_ioc_init_labels(uarg);
	case PMEMCTL_IOC_NS_CREATE:
		return pmemctl_ioc_ns_create(uarg);
	case PMEMCTL_IOC_NS_RECONFIGURE:
		return pmemctl_ioc_ns_reconfigure(uarg);
	case PMEMCTL_IOC_NS_BATCH:
		return pmemctl_ioc_ns_batch(uarg);
	default:
		return pmemctl_ioc_ns_change(uarg, cmd);
	}
}

static const struct file_operations pmemctl_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = pmemctl_control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * World-readable so that unprivileged tools can ask for the version; each
 * command that changes state checks CAP_SYS_ADMIN itself.
 */
static struct miscdevice pmemctl_control = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pmemctl",
	.fops = &pmemctl_control_fops,
	.mode = 0644,
};

int pmemctl_control_register(void)
{
	return misc_register(&pmemctl_control);
}

void pmemctl_control_unregister(void)
{
	misc_deregister(&pmemctl_control);
}
