// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl apply: the plan. The rules (pmemctl-apply(1), CONVERGING) in one
 * place: a layout entry is matched to the namespace of its name in its
 * region; a different size, alignment or UUID can only be had by
 * destroying it (--force); a mode change into or out of pfn destroys the
 * data (--force); among raw, page and ondemand, and between block and
 * devdax access, the data is kept; what the file does not mention is left
 * alone unless --prune (and --force for an enabled one).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/apply-plan.h"

static const char *const kind_names[] = {
	[PLAN_INIT] = "init-labels",
	[PLAN_DESTROY] = "destroy",
	[PLAN_RECONFIGURE] = "reconfigure",
	[PLAN_CREATE] = "create",
	[PLAN_ENABLE] = "enable",
	[PLAN_DISABLE] = "disable",
};

const char *plan_kind_name(enum plan_kind kind)
{
	return kind_names[kind];
}

bool plan_action_is_batched(const struct plan_action *a)
{
	return a->kind == PLAN_DESTROY || a->kind == PLAN_RECONFIGURE ||
	       a->kind == PLAN_CREATE;
}

/*
 * The actions of one region, by kind, so that they come out in the order
 * of plan_build()'s comment whatever order the rules find them in.
 */
struct region_actions {
	struct plan_action *v[PLAN_DISABLE + 1];
	size_t n[PLAN_DISABLE + 1];
	size_t cap[PLAN_DISABLE + 1];
};

/* A namespace of the machine, for the indexes below. */
struct cur_ref {
	const struct plan_cur_region *r;
	const struct plan_cur_ns *ns;
	bool stays;		/* cur_ns_stays() */
};

/* A namespace of the file, by region and name. */
struct layout_ref {
	unsigned int region;
	const struct layout_ns *ns;
};

/*
 * The indexes make a plan O(n log n): looking every name up by walking
 * the file and the machine made re-applying 1000 namespaces take 74 s.
 */
struct planner {
	const struct layout *layout;
	const struct plan_world *world;
	unsigned int flags;
	struct plan *plan;
	size_t cap_refusals;
	int err;
	struct layout_ref *lnames;	/* sorted by region, then name */
	size_t nr_lnames;
	struct cur_ref *by_name;	/* named ones, sorted by name */
	size_t nr_by_name;
	struct cur_ref *by_uuid;	/* those with a UUID, by UUID */
	size_t nr_by_uuid;
};

static struct plan_action *add_action(struct planner *p,
				      struct region_actions *ra,
				      enum plan_kind kind,
				      const struct plan_cur_region *region)
{
	struct plan_action *a;

	if (p->err)
		return NULL;
	if (ra->n[kind] == ra->cap[kind]) {
		size_t cap = ra->cap[kind] ? 2 * ra->cap[kind] : 8;

		a = realloc(ra->v[kind], cap * sizeof(*a));
		if (!a) {
			p->err = -ENOMEM;
			return NULL;
		}
		ra->v[kind] = a;
		ra->cap[kind] = cap;
	}
	a = &ra->v[kind][ra->n[kind]++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->region = region;
	return a;
}

static void refuse(struct planner *p, unsigned int region, const char *name,
		   const char *place, const char *fmt, ...)
	_printf_(5, 6);

static void refuse(struct planner *p, unsigned int region, const char *name,
		   const char *place, const char *fmt, ...)
{
	struct plan *plan = p->plan;
	struct plan_refusal *r;
	va_list ap;

	if (p->err)
		return;
	if (plan->nr_refusals == p->cap_refusals) {
		size_t cap = p->cap_refusals ? 2 * p->cap_refusals : 8;

		r = realloc(plan->refusals, cap * sizeof(*r));
		if (!r) {
			p->err = -ENOMEM;
			return;
		}
		plan->refusals = r;
		p->cap_refusals = cap;
	}
	r = &plan->refusals[plan->nr_refusals++];
	r->region = region;
	r->name = name;
	r->place = place;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static const struct plan_cur_region *world_region(const struct plan_world *w,
						  unsigned int id)
{
	size_t i;

	for (i = 0; i < w->nr_regions; i++)
		if (w->regions[i].id == id)
			return &w->regions[i];
	return NULL;
}

static const struct layout_region *layout_region(const struct layout *l,
						 unsigned int id)
{
	size_t i;

	for (i = 0; i < l->nr_regions; i++)
		if (l->regions[i].id == id)
			return &l->regions[i];
	return NULL;
}

static int cmp_lref(const void *a, const void *b)
{
	const struct layout_ref *x = a, *y = b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return strcmp(x->ns->name, y->ns->name);
}

static int cmp_by_name(const void *a, const void *b)
{
	const struct cur_ref *x = a, *y = b;

	return strcmp(x->ns->name, y->ns->name);
}

static int cmp_by_uuid(const void *a, const void *b)
{
	const struct cur_ref *x = a, *y = b;

	return memcmp(x->ns->uuid, y->ns->uuid, UUID_BYTES);
}

/* The namespace of the file named @name in region @region, or NULL. */
static const struct layout_ns *layout_ns_named(const struct planner *p,
					       unsigned int region,
					       const char *name)
{
	struct layout_ns key_ns;
	struct layout_ref key = { .region = region, .ns = &key_ns }, *hit;

	if (!name || strlen(name) >= sizeof(key_ns.name))
		return NULL;
	strcpy(key_ns.name, name);
	hit = bsearch(&key, p->lnames, p->nr_lnames, sizeof(key), cmp_lref);
	return hit ? hit->ns : NULL;
}

/*
 * Whether @ns of @r will still be there after the apply, as far as
 * another region's create is concerned: it is unless its region is in
 * the file, does not list it, and --prune destroys it (or refuses to,
 * which stops the apply anyway).
 */
static bool cur_ns_stays(const struct planner *p,
			 const struct plan_cur_region *r,
			 const struct plan_cur_ns *ns)
{
	if (!layout_region(p->layout, r->id))
		return true;
	if (layout_ns_named(p, r->id, ns->name))
		return true;
	return !(p->flags & PLAN_OPT_PRUNE);
}

/* The first of the @n entries of @v (sorted by @cmp) equal to @key, or @n. */
static size_t lower_bound(const struct cur_ref *v, size_t n,
			  const struct cur_ref *key,
			  int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp(&v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int build_indexes(struct planner *p)
{
	const struct layout *l = p->layout;
	const struct plan_world *w = p->world;
	size_t i, j, n = 0, nl = 0;

	for (i = 0; i < l->nr_regions; i++)
		nl += l->regions[i].nr_ns;
	for (i = 0; i < w->nr_regions; i++)
		n += w->regions[i].nr_ns;
	p->lnames = calloc(nl + 1, sizeof(*p->lnames));
	p->by_name = calloc(n + 1, sizeof(*p->by_name));
	p->by_uuid = calloc(n + 1, sizeof(*p->by_uuid));
	if (!p->lnames || !p->by_name || !p->by_uuid)
		return -ENOMEM;
	for (i = 0; i < l->nr_regions; i++)
		for (j = 0; j < l->regions[i].nr_ns; j++)
			p->lnames[p->nr_lnames++] = (struct layout_ref){
				.region = l->regions[i].id,
				.ns = &l->regions[i].ns[j],
			};
	qsort(p->lnames, p->nr_lnames, sizeof(*p->lnames), cmp_lref);
	for (i = 0; i < w->nr_regions; i++) {
		for (j = 0; j < w->regions[i].nr_ns; j++) {
			struct cur_ref e = {
				.r = &w->regions[i],
				.ns = &w->regions[i].ns[j],
			};

			e.stays = cur_ns_stays(p, e.r, e.ns);
			if (e.ns->name)
				p->by_name[p->nr_by_name++] = e;
			if (e.ns->has_uuid)
				p->by_uuid[p->nr_by_uuid++] = e;
		}
	}
	qsort(p->by_name, p->nr_by_name, sizeof(*p->by_name), cmp_by_name);
	qsort(p->by_uuid, p->nr_by_uuid, sizeof(*p->by_uuid), cmp_by_uuid);
	return 0;
}

/* The namespace of @r named @name now, or NULL. */
static const struct plan_cur_ns *cur_ns_named(const struct planner *p,
					      const struct plan_cur_region *r,
					      const char *name)
{
	struct plan_cur_ns key_ns = { .name = name };
	struct cur_ref key = { .ns = &key_ns };
	size_t i;

	for (i = lower_bound(p->by_name, p->nr_by_name, &key, cmp_by_name);
	     i < p->nr_by_name && !cmp_by_name(&p->by_name[i], &key); i++)
		if (p->by_name[i].r == r)
			return p->by_name[i].ns;
	return NULL;
}

/* The name or UUID of @want is taken by a namespace other than @self. */
static void check_taken(struct planner *p, const struct layout_region *lr,
			const struct layout_ns *want,
			const struct plan_cur_ns *self)
{
	struct plan_cur_ns key_ns = { .name = want->name };
	struct cur_ref key = { .ns = &key_ns };
	const struct cur_ref *e;
	size_t i;

	for (i = lower_bound(p->by_name, p->nr_by_name, &key, cmp_by_name);
	     i < p->nr_by_name && !cmp_by_name(&p->by_name[i], &key); i++) {
		e = &p->by_name[i];
		if (e->ns != self && e->stays && e->r->id != lr->id)
			refuse(p, lr->id, want->name, want->place,
			       "the name is taken by namespace%u.%u in another region",
			       e->r->id, e->ns->id);
	}
	if (!want->has_uuid)
		return;
	/* in its own region the batch may reuse a pruned one's */
	memcpy(key_ns.uuid, want->uuid, UUID_BYTES);
	for (i = lower_bound(p->by_uuid, p->nr_by_uuid, &key, cmp_by_uuid);
	     i < p->nr_by_uuid && !cmp_by_uuid(&p->by_uuid[i], &key); i++) {
		e = &p->by_uuid[i];
		if (e->ns != self && e->stays)
			refuse(p, lr->id, want->name, want->place,
			       "the UUID is taken by namespace%u.%u",
			       e->r->id, e->ns->id);
	}
}

/*
 * A 1G devdax namespace's data must start on 1G, and in pfn mode it
 * starts after the memmap reserve (64 bytes per 4 KiB page, rounded up to
 * 2M): refuse the shape when the reserve would move it off. True when
 * refused.
 */
static bool refuse_devdax_1g_pfn(struct planner *p, unsigned int region,
				 const struct layout_ns *want,
				 enum ns_mode mode, enum ns_access access,
				 unsigned long long align, unsigned long long size)
{
	unsigned long long reserve;
	char buf[SIZE_HUMAN_MAX];

	if (access != NS_ACCESS_DEVDAX || align != 1ULL << 30 ||
	    mode != NS_MODE_PFN)
		return false;
	reserve = ns_pfn_reserve(size);
	if (!(reserve % align))
		return false;
	refuse(p, region, want->name, want->place,
	       "devdax with 1G alignment needs its data to start on a 1G boundary, and a pfn memmap reserve of %s would move it off one: give it mode page (\"map\": \"mem\")",
	       size_to_human(reserve, buf, sizeof(buf)));
	return true;
}

static void set_create(struct plan_action *a, const struct layout_ns *want,
		       const struct plan_cur_ns *was)
{
	a->want = want;
	a->size = want->size;
	if (want->has_access)
		a->access = want->access;
	else
		a->access = was ? was->access : NS_ACCESS_BLOCK;
	/* devdax needs struct pages: on the device, as ndctl's default */
	if (want->has_mode)
		a->mode = want->mode;
	else if (was && (was->mode != NS_MODE_RAW || a->access == NS_ACCESS_BLOCK))
		a->mode = was->mode;
	else
		a->mode = a->access == NS_ACCESS_DEVDAX ? NS_MODE_PFN : NS_MODE_RAW;
	/* a re-created one keeps what the file does not say, if it can */
	if (want->has_align)
		a->align = want->align;
	else if (was && was->align && !(want->size % was->align) &&
		 ns_align_valid(a->access, was->align))
		a->align = was->align;
	else
		a->align = 2ULL << 20;
	if (want->has_uuid) {
		a->has_uuid = true;
		memcpy(a->uuid, want->uuid, UUID_BYTES);
	} else if (was && was->has_uuid) {
		a->has_uuid = true;
		memcpy(a->uuid, was->uuid, UUID_BYTES);
	}
	if (want->state == LAYOUT_STATE_DISABLED)
		a->disabled = true;
	else if (want->state == LAYOUT_STATE_ANY && was)
		a->disabled = !was->enabled;
}

/* A difference only a destroy and a create can make, or 0. */
static int destroying_change(const struct layout_ns *want,
			     const struct plan_cur_ns *cur, char *buf,
			     size_t len)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX];
	char u1[UUID_STR_LEN + 1], u2[UUID_STR_LEN + 1];

	if (want->size != cur->size) {
		snprintf(buf, len,
			 "its size differs (%s here, %s in the layout): --force destroys and re-creates it",
			 size_to_human(cur->size, a, sizeof(a)),
			 size_to_human(want->size, b, sizeof(b)));
		return 1;
	}
	if (want->has_align && want->align != cur->align) {
		snprintf(buf, len,
			 "its alignment differs (%s here, %s in the layout): --force destroys and re-creates it",
			 size_to_human(cur->align, a, sizeof(a)),
			 size_to_human(want->align, b, sizeof(b)));
		return 1;
	}
	if (want->has_uuid &&
	    (!cur->has_uuid || memcmp(want->uuid, cur->uuid, UUID_BYTES))) {
		snprintf(buf, len,
			 "its UUID differs (%s here, %s in the layout): --force destroys and re-creates it",
			 cur->has_uuid ? uuid_to_str(cur->uuid, u1) : "none",
			 uuid_to_str(want->uuid, u2));
		return 1;
	}
	return 0;
}

static void plan_existing(struct planner *p, struct region_actions *ra,
			  const struct plan_cur_region *r,
			  const struct layout_ns *want,
			  const struct plan_cur_ns *cur)
{
	bool changed = false, enabled_after = cur->enabled;
	bool mode_differs, access_differs;
	char reason[PLAN_REASON_MAX];
	char buf[SIZE_HUMAN_MAX];
	struct plan_action *a;

	if (destroying_change(want, cur, reason, sizeof(reason))) {
		if (!(p->flags & PLAN_OPT_FORCE)) {
			refuse(p, r->id, want->name, want->place, "%s", reason);
			return;
		}
		a = add_action(p, ra, PLAN_DESTROY, r);
		if (a)
			a->cur = cur;
		a = add_action(p, ra, PLAN_CREATE, r);
		if (a) {
			set_create(a, want, cur);
			refuse_devdax_1g_pfn(p, r->id, want, a->mode, a->access,
					     a->align, a->size);
		}
		return;
	}
	mode_differs = want->has_mode && want->mode != cur->mode;
	access_differs = want->has_access && want->access != cur->access;
	if (mode_differs || access_differs) {
		enum ns_mode mode = mode_differs ? want->mode : cur->mode;
		enum ns_access access = access_differs ? want->access : cur->access;
		bool pfn = mode_differs &&
			   (want->mode == NS_MODE_PFN || cur->mode == NS_MODE_PFN);

		if (access == NS_ACCESS_DEVDAX && mode == NS_MODE_RAW) {
			refuse(p, r->id, want->name, want->place,
			       "a raw namespace cannot be devdax (device DAX needs struct pages): give it mode page, pfn or ondemand too");
			return;
		}
		if (!ns_align_valid(access, cur->align)) {
			refuse(p, r->id, want->name, want->place,
			       "its alignment (%s) does not suit %s access: --force with an \"align\" that does destroys and re-creates it",
			       size_to_human(cur->align, buf, sizeof(buf)),
			       ns_access_name(access));
			return;
		}
		if (refuse_devdax_1g_pfn(p, r->id, want, mode, access,
					 cur->align, cur->size))
			return;
		if (pfn && !(p->flags & PLAN_OPT_FORCE)) {
			refuse(p, r->id, want->name, want->place,
			       "changing its mode from %s to %s destroys its data: --force does it",
			       ns_mode_name(cur->mode), ns_mode_name(want->mode));
			return;
		}
		a = add_action(p, ra, PLAN_RECONFIGURE, r);
		if (a) {
			a->want = want;
			a->cur = cur;
			a->mode = mode;
			a->access = access;
			a->force = pfn;
		}
		changed = true;
	}
	if (want->state == LAYOUT_STATE_ENABLED && !enabled_after) {
		a = add_action(p, ra, PLAN_ENABLE, r);
		if (a) {
			a->want = want;
			a->cur = cur;
		}
		changed = true;
	} else if (want->state == LAYOUT_STATE_DISABLED && enabled_after) {
		a = add_action(p, ra, PLAN_DISABLE, r);
		if (a) {
			a->want = want;
			a->cur = cur;
		}
		changed = true;
	}
	if (!changed)
		p->plan->unchanged++;
}

static void plan_region(struct planner *p, const struct layout_region *lr)
{
	const struct plan_cur_region *r = world_region(p->world, lr->id);
	struct region_actions ra = { 0 };
	size_t before = p->plan->nr_refusals, i, k, n;
	struct plan_action *a;
	bool fresh = false;

	if (!r) {
		refuse(p, lr->id, NULL, lr->place, "region%u does not exist",
		       lr->id);
		return;
	}
	switch (r->state) {
	case PLAN_REGION_ACTIVE:
	case PLAN_REGION_DEGRADED:
		break;
	case PLAN_REGION_UNINITIALIZED:
		/* (what list prints for it: nothing to converge) */
		if (!lr->nr_ns && !(p->flags & PLAN_OPT_INIT))
			return;
		if (!(p->flags & PLAN_OPT_INIT)) {
			refuse(p, lr->id, NULL, lr->place,
			       "the region has no label store: --init initializes it");
			return;
		}
		add_action(p, &ra, PLAN_INIT, r);
		fresh = true;
		break;
	case PLAN_REGION_LABEL_ERROR:
		refuse(p, lr->id, NULL, lr->place,
		       "the region's label store is damaged (%s): pmemctl init-labels --force replaces it and every namespace in it",
		       r->label_error ? r->label_error : "unknown reason");
		return;
	}

	for (i = 0; i < lr->nr_ns; i++) {
		const struct layout_ns *want = &lr->ns[i];
		const struct plan_cur_ns *cur = fresh ? NULL :
						cur_ns_named(p, r, want->name);

		check_taken(p, lr, want, cur);
		if (cur) {
			plan_existing(p, &ra, r, want, cur);
			continue;
		}
		a = add_action(p, &ra, PLAN_CREATE, r);
		if (a) {
			set_create(a, want, NULL);
			refuse_devdax_1g_pfn(p, r->id, want, a->mode, a->access,
					     a->align, a->size);
		}
	}
	for (i = 0; !fresh && i < r->nr_ns; i++) {
		const struct plan_cur_ns *cur = &r->ns[i];

		if (layout_ns_named(p, lr->id, cur->name))
			continue;
		if (!(p->flags & PLAN_OPT_PRUNE)) {
			p->plan->unchanged++;
			continue;
		}
		if (cur->enabled && !(p->flags & PLAN_OPT_FORCE)) {
			refuse(p, r->id, cur->name, NULL,
			       "not in the layout and enabled: --prune --force destroys it");
			continue;
		}
		a = add_action(p, &ra, PLAN_DESTROY, r);
		if (a)
			a->cur = cur;
	}

	if (r->state == PLAN_REGION_DEGRADED &&
	    p->plan->nr_refusals == before) {
		for (k = 0; k <= PLAN_DISABLE; k++)
			if (ra.n[k])
				break;
		if (k <= PLAN_DISABLE)
			refuse(p, lr->id, NULL, lr->place,
			       "the region's label store is degraded: free space cannot be proven, so apply changes nothing in it");
	}

	/* append in kind order (enum order is the order of execution) */
	for (k = 0; k <= PLAN_DISABLE && !p->err; k++) {
		n = p->plan->nr_actions + ra.n[k];
		if (ra.n[k]) {
			a = realloc(p->plan->actions, n * sizeof(*a));
			if (!a) {
				p->err = -ENOMEM;
				break;
			}
			memcpy(a + p->plan->nr_actions, ra.v[k],
			       ra.n[k] * sizeof(*a));
			p->plan->actions = a;
			p->plan->nr_actions = n;
		}
	}
	for (k = 0; k <= PLAN_DISABLE; k++)
		free(ra.v[k]);
}

int plan_build(const struct layout *layout, const struct plan_world *world,
	       unsigned int flags, struct plan *out)
{
	struct planner p = {
		.layout = layout,
		.world = world,
		.flags = flags,
		.plan = out,
	};
	size_t i;

	memset(out, 0, sizeof(*out));
	p.err = build_indexes(&p);
	for (i = 0; i < layout->nr_regions && !p.err; i++)
		plan_region(&p, &layout->regions[i]);
	free(p.lnames);
	free(p.by_name);
	free(p.by_uuid);
	return p.err;
}

void plan_free(struct plan *plan)
{
	free(plan->actions);
	free(plan->refusals);
	memset(plan, 0, sizeof(*plan));
}
