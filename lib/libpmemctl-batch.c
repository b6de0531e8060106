// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Batches: label changes to one region collected in memory and sent as
 * one PMEMCTL_IOC_NS_BATCH, which commits all of them or none.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libpmemctl-private.h"

/* The op array grows by doubling; the kernel takes at most this many. */
#define BATCH_FIRST_CAP	16

struct pmemctl_batch {
	struct pmemctl_region *region;
	struct pmemctl_batch_op *ops;
	unsigned int nr, cap;
	int failed;		/* op index of the last commit's failure, or -1 */
	bool committed;		/* ops hold a real commit's results */
};

PMEMCTL_EXPORT int pmemctl_batch_new(struct pmemctl_region *region,
				     struct pmemctl_batch **out)
{
	struct pmemctl_batch *b;

	if (!region || !out)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->region = region;
	b->failed = -1;
	*out = b;
	return 0;
}

PMEMCTL_EXPORT void pmemctl_batch_free(struct pmemctl_batch *b)
{
	if (!b)
		return;
	free(b->ops);
	free(b);
}

PMEMCTL_EXPORT unsigned int pmemctl_batch_get_count(struct pmemctl_batch *b)
{
	return b->nr;
}

/* A zeroed op at the end of @b, or NULL (-ENOMEM, -E2BIG in *err). */
static struct pmemctl_batch_op *batch_add(struct pmemctl_batch *b, int *err)
{
	struct pmemctl_batch_op *ops;
	unsigned int cap;

	if (b->committed) {
		*err = -EBUSY;
		return NULL;
	}
	if (b->nr >= PMEMCTL_BATCH_MAX_OPS) {
		*err = -E2BIG;
		return NULL;
	}
	if (b->nr == b->cap) {
		cap = b->cap ? 2 * b->cap : BATCH_FIRST_CAP;
		ops = reallocarray(b->ops, cap, sizeof(*ops));
		if (!ops) {
			*err = -ENOMEM;
			return NULL;
		}
		b->ops = ops;
		b->cap = cap;
	}
	memset(&b->ops[b->nr], 0, sizeof(b->ops[b->nr]));
	*err = (int)b->nr;
	return &b->ops[b->nr++];
}

PMEMCTL_EXPORT int pmemctl_batch_add_create(struct pmemctl_batch *b,
					    const struct pmemctl_namespace_config *cfg,
					    unsigned int flags)
{
	struct pmemctl_batch_op *op;
	int idx;

	if (flags & ~PMEMCTL_BATCH_CREATE_DISABLED)
		return -EINVAL;
	if (cfg->size == 0) {
		err(b->region->ctx, "%s: no size given for the new namespace\n",
		    b->region->devname);
		return -EINVAL;
	}
	op = batch_add(b, &idx);
	if (!op)
		return idx;
	op->op = PMEMCTL_BATCH_CREATE;
	if (flags & PMEMCTL_BATCH_CREATE_DISABLED)
		op->flags = PMEMCTL_BATCH_OP_DISABLED;
	op->mode = cfg->mode;
	op->access = cfg->access;
	op->ns_size = cfg->size;
	op->align = cfg->align;
	memcpy(op->uuid, cfg->uuid, sizeof(op->uuid));
	memcpy(op->name, cfg->name, sizeof(op->name));
	return idx;
}

static int batch_add_target(struct pmemctl_batch *b,
			    struct pmemctl_namespace *ns, unsigned int kind,
			    struct pmemctl_batch_op **out)
{
	int idx;

	if (pmemctl_namespace_get_region(ns) != b->region)
		return -EINVAL;
	*out = batch_add(b, &idx);
	if (!*out)
		return idx;
	(*out)->op = kind;
	(*out)->id = pmemctl_namespace_get_id(ns);
	return idx;
}

PMEMCTL_EXPORT int pmemctl_batch_add_destroy(struct pmemctl_batch *b,
					     struct pmemctl_namespace *ns)
{
	struct pmemctl_batch_op *op;

	return batch_add_target(b, ns, PMEMCTL_BATCH_DESTROY, &op);
}

PMEMCTL_EXPORT int pmemctl_batch_add_reconfigure_access(struct pmemctl_batch *b,
							struct pmemctl_namespace *ns,
							const char *mode,
							const char *access,
							unsigned int flags)
{
	struct pmemctl_batch_op *op;
	enum ns_access a = NS_ACCESS_BLOCK;
	enum ns_mode m;
	int idx;

	if (ns_mode_from_name(mode, &m) < 0 || (flags & ~PMEMCTL_RECONF_FORCE) ||
	    (access && ns_access_from_name(access, &a) < 0))
		return -EINVAL;
	idx = batch_add_target(b, ns, PMEMCTL_BATCH_RECONFIGURE, &op);
	if (idx < 0)
		return idx;
	op->mode = m;
	if (flags & PMEMCTL_RECONF_FORCE)
		op->flags = PMEMCTL_BATCH_OP_FORCE;
	if (access) {
		op->flags |= PMEMCTL_BATCH_OP_ACCESS;
		op->access = a;
	}
	return idx;
}

PMEMCTL_EXPORT int pmemctl_batch_add_reconfigure(struct pmemctl_batch *b,
						 struct pmemctl_namespace *ns,
						 const char *mode,
						 unsigned int flags)
{
	return pmemctl_batch_add_reconfigure_access(b, ns, mode, NULL, flags);
}

/* Out fields back to zero: the kernel takes only what the caller set. */
static void batch_clear_results(struct pmemctl_batch *b)
{
	struct pmemctl_batch_op *op;
	unsigned int i;

	for (i = 0; i < b->nr; i++) {
		op = &b->ops[i];
		/*
		 * The kernel reports the UUID of every op; only a create may
		 * send one (a dry run's generated UUID is then kept, so the
		 * commit gives the UUID the dry run showed).
		 */
		if (op->op == PMEMCTL_BATCH_CREATE)
			op->id = 0;
		else
			memset(op->uuid, 0, sizeof(op->uuid));
		op->offset = 0;
		op->ram_per_gib = 0;
		memset(&op->cost, 0, sizeof(op->cost));
		op->result = 0;
	}
}

/*
 * After a commit: reread the region, then wait for the block device of
 * every namespace the batch enabled. The first wait that fails is
 * returned; the commit stands.
 */
static int batch_settle(struct pmemctl_batch *b)
{
	struct pmemctl_namespace *ns;
	struct pmemctl_batch_op *op;
	unsigned int i;
	int err, first = 0;

	err = pmemctl_region_refresh(b->region);
	if (err < 0)
		return err;
	for (i = 0; i < b->nr; i++) {
		op = &b->ops[i];
		if (op->op == PMEMCTL_BATCH_DESTROY || op->result)
			continue;
		ns = pmemctl_ns_find(b->region, op->id);
		if (!ns || pmemctl_namespace_is_enabled(ns) != 1)
			continue;
		err = pmemctl_ns_wait_blockdev(ns);
		if (err < 0 && !first)
			first = err;
	}
	return first;
}

PMEMCTL_EXPORT int pmemctl_batch_commit(struct pmemctl_batch *b,
					unsigned int flags)
{
	struct pmemctl_ctx *ctx = b->region->ctx;
	struct pmemctl_ns_batch req;
	bool dry = flags & PMEMCTL_BATCH_DRY_RUN_ONLY;
	int err;

	if ((flags & ~PMEMCTL_BATCH_DRY_RUN_ONLY) || b->committed)
		return -EINVAL;
	if (!b->nr)
		return 0;
	batch_clear_results(b);
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = dry ? PMEMCTL_BATCH_DRY_RUN : 0;
	req.region = b->region->id;
	req.nr_ops = b->nr;
	req.ops = (uintptr_t)b->ops;
	req.op_size = sizeof(*b->ops);

	info(ctx, "%s: %s a batch of %u change(s)\n", b->region->devname,
	     dry ? "checking" : "committing", b->nr);
	err = pmemctl_control_ioctl(ctx, PMEMCTL_IOC_NS_BATCH,
				    dry ? "PMEMCTL_IOC_NS_BATCH (dry run)" :
				    "PMEMCTL_IOC_NS_BATCH", &req);
	b->failed = err < 0 && req.failed < b->nr ? (int)req.failed : -1;
	if (dry)
		return err;
	/* Reread either way: a failure reports the region's current numbers. */
	if (err < 0) {
		pmemctl_region_refresh(b->region);
		return err;
	}
	b->committed = true;
	return batch_settle(b);
}

PMEMCTL_EXPORT int pmemctl_batch_get_failed(struct pmemctl_batch *b)
{
	return b->failed;
}

PMEMCTL_EXPORT int pmemctl_batch_get_result(struct pmemctl_batch *b,
					    unsigned int i, unsigned int *id,
					    unsigned char uuid[16],
					    unsigned long long *offset,
					    struct pmemctl_cost *cost)
{
	const struct pmemctl_batch_op *op;

	if (i >= b->nr)
		return -EINVAL;
	op = &b->ops[i];
	if (id)
		*id = op->id;
	if (uuid)
		memcpy(uuid, op->uuid, sizeof(op->uuid));
	if (offset)
		*offset = op->offset;
	if (cost)
		pmemctl_cost_from_kernel(cost, &op->cost);
	return op->result;
}

/*
 * The kernel fills ram_per_gib only for ondemand, where it is never 0; a
 * module before ABI 1.7 leaves it as it was sent, 0.
 */
PMEMCTL_EXPORT int pmemctl_batch_get_ram_per_gib(struct pmemctl_batch *b,
						 unsigned int i,
						 unsigned long long *ram_per_gib)
{
	const struct pmemctl_batch_op *op;

	*ram_per_gib = 0;
	if (i >= b->nr)
		return -EINVAL;
	op = &b->ops[i];
	if (op->result)
		return op->result;
	if (op->op == PMEMCTL_BATCH_DESTROY || op->mode != PMEMCTL_MODE_ONDEMAND)
		return 0;
	if (!op->ram_per_gib)
		return -EOPNOTSUPP;
	*ram_per_gib = op->ram_per_gib;
	return 0;
}
