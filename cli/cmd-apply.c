// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl apply: see pmemctl-apply(1). The file is checked on its own
 * (apply-layout.c), planned against what the regions hold (apply-plan.c),
 * every region's label changes are checked by the kernel as one batch
 * before the first is committed, then committed one batch (one index
 * write) per region; enables and disables, which the labels do not hold,
 * come last.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/apply-layout.h"
#include "cli/apply-plan.h"
#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

#define CMD "apply"

struct apply_opts {
	const char *file;
	bool dry_run;
	unsigned int flags;		/* PLAN_* */
	int verbose;
};

static void apply_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl apply [OPTIONS] FILE|-\n"
		"\n"
		"Converge the regions that a layout file names (a JSON array of regions,\n"
		"as pmemctl list -R -N prints) to that layout, one commit per region, after\n"
		"the kernel has checked every region's changes. Prints what was done as a\n"
		"JSON object.\n"
		"\n"
		"Options:\n"
		"      --dry-run          change nothing: print the plan and what it costs\n"
		"      --prune            destroy the namespaces the file does not list\n"
		"                         (enabled ones only with --force)\n"
		"  -f, --force            also make changes that destroy data: a new size,\n"
		"                         alignment or UUID, a mode change into or out of pfn\n"
		"      --init             initialize the label store of a region without one\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/* The whole of @path ("-": stdin), NUL-terminated, in *@text. */
static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t cap = 0, n = 0, got;
	char *buf = NULL, *p;
	int err = 0;

	if (!f)
		return -errno;
	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			p = realloc(buf, cap + 1);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (!err && ferror(f))
		err = -EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static void world_free(struct plan_world *w)
{
	size_t i, k;

	for (i = 0; i < w->nr_regions; i++) {
		for (k = 0; k < w->regions[i].nr_ns; k++)
			free((char *)w->regions[i].ns[k].name);
		free(w->regions[i].ns);
	}
	free(w->regions);
	memset(w, 0, sizeof(*w));
}

static enum plan_region_state region_state(struct pmemctl_region *region)
{
	const char *s = pmemctl_region_get_state(region);

	if (s && !strcmp(s, "active"))
		return PLAN_REGION_ACTIVE;
	if (s && !strcmp(s, "uninitialized"))
		return PLAN_REGION_UNINITIALIZED;
	if (s && !strcmp(s, "degraded"))
		return PLAN_REGION_DEGRADED;
	return PLAN_REGION_LABEL_ERROR;
}

static int world_read(struct pmemctl_ctx *ctx, struct plan_world *w)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	size_t n = 0, k;

	memset(w, 0, sizeof(*w));
	pmemctl_region_foreach(ctx, region)
		n++;
	w->regions = calloc(n ? n : 1, sizeof(*w->regions));
	if (!w->regions)
		return cli_error(CMD, "%s", strerror(ENOMEM));
	pmemctl_region_foreach(ctx, region) {
		struct plan_cur_region *r = &w->regions[w->nr_regions++];

		r->id = pmemctl_region_get_id(region);
		r->state = region_state(region);
		r->label_error = pmemctl_region_get_label_error(region);
		r->handle = region;
		k = 0;
		pmemctl_namespace_foreach(region, ns)
			k++;
		r->ns = calloc(k ? k : 1, sizeof(*r->ns));
		if (!r->ns)
			return cli_error(CMD, "%s", strerror(ENOMEM));
		pmemctl_namespace_foreach(region, ns) {
			struct plan_cur_ns *c = &r->ns[r->nr_ns++];
			const char *name = pmemctl_namespace_get_name(ns);
			const char *uuid = pmemctl_namespace_get_uuid(ns);
			const char *mode = pmemctl_namespace_get_mode(ns);
			const char *access = pmemctl_namespace_get_access(ns);

			c->id = pmemctl_namespace_get_id(ns);
			/* a copy: a commit frees the library's namespaces */
			if (name && *name) {
				c->name = strdup(name);
				if (!c->name)
					return cli_error(CMD, "%s", strerror(ENOMEM));
			}
			c->has_uuid = uuid && uuid_from_str(uuid, c->uuid) == 0;
			if (!mode || ns_mode_from_name(mode, &c->mode) < 0)
				return cli_error(CMD,
					"namespace%u.%u has mode '%s', which this pmemctl does not know",
					r->id, c->id, mode ? mode : "(unreadable)");
			/* (a module before ABI 1.5 has block access only) */
			if (access && ns_access_from_name(access, &c->access) < 0)
				return cli_error(CMD,
					"namespace%u.%u has access '%s', which this pmemctl does not know",
					r->id, c->id, access);
			c->size = pmemctl_namespace_get_size(ns);
			c->align = pmemctl_namespace_get_align(ns);
			c->enabled = pmemctl_namespace_is_enabled(ns) == 1;
			c->handle = ns;
		}
	}
	return 0;
}

/* A region's batch and, per plan action, its op in it (-1: none). */
struct apply_run {
	struct pmemctl_ctx *ctx;
	const struct apply_opts *o;
	struct plan plan;
	struct pmemctl_batch **batch;	/* per action: its region's batch */
	int *op;			/* per action: op index, or -1 */
	struct json_object **before;	/* per action: the namespace before */
	int status;
};

static int add_op(struct apply_run *run, size_t i, struct pmemctl_batch *b)
{
	const struct plan_action *a = &run->plan.actions[i];
	struct pmemctl_namespace_config *cfg = NULL;
	int op;

	switch (a->kind) {
	case PLAN_DESTROY:
		op = pmemctl_batch_add_destroy(b, a->cur->handle);
		break;
	case PLAN_RECONFIGURE:
		/* the access kind only when it changes: older modules take that */
		op = pmemctl_batch_add_reconfigure_access(b, a->cur->handle,
				ns_mode_name(a->mode),
				a->access != a->cur->access ?
				ns_access_name(a->access) : NULL,
				a->force ? PMEMCTL_RECONF_FORCE : 0);
		break;
	case PLAN_CREATE:
		op = pmemctl_namespace_config_new(run->ctx, &cfg);
		op = op ?: pmemctl_namespace_config_set_size(cfg, a->size);
		op = op ?: pmemctl_namespace_config_set_align(cfg, a->align);
		op = op ?: pmemctl_namespace_config_set_mode(cfg, ns_mode_name(a->mode));
		if (a->access != NS_ACCESS_BLOCK)
			op = op ?: pmemctl_namespace_config_set_access(cfg,
					ns_access_name(a->access));
		op = op ?: pmemctl_namespace_config_set_name(cfg, a->want->name);
		op = op ?: pmemctl_namespace_config_set_uuid(cfg,
				a->has_uuid ? a->uuid : NULL);
		op = op ?: pmemctl_batch_add_create(b, cfg,
				a->disabled ? PMEMCTL_BATCH_CREATE_DISABLED : 0);
		pmemctl_namespace_config_free(cfg);
		break;
	default:
		return 0;
	}
	if (op < 0)
		return op;
	run->op[i] = op;
	return 0;
}

/*
 * One batch for the label changes of each region in @a[from..to), the
 * actions of one region.
 */
static int build_batch(struct apply_run *run, size_t from, size_t to)
{
	struct pmemctl_batch *b = NULL;
	size_t i;
	int err;

	for (i = from; i < to; i++) {
		if (!plan_action_is_batched(&run->plan.actions[i]))
			continue;
		if (!b) {
			err = pmemctl_batch_new(run->plan.actions[i].region->handle, &b);
			if (err)
				return err;
		}
		run->batch[i] = b;
		err = add_op(run, i, b);
		if (err)
			return err;
	}
	return 0;
}

/* The batch of region @r (an action index range), or NULL. */
static struct pmemctl_batch *region_batch(struct apply_run *run, size_t from,
					  size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (run->batch[i])
			return run->batch[i];
	return NULL;
}

static const char *kernel_reason(int err)
{
	switch (err) {
	case -ENOSPC:
		return "no free extent fits it, or every label slot is used";
	case -ENOMEM:
		return "not enough free RAM for the page memmaps";
	case -EBUSY:
		return "a process holds pages of it, or it is mounted or open";
	case -EEXIST:
		return "its name or UUID is in use in the region";
	case -EOVERFLOW:
		return "its pfn reserve is too small for this kernel's struct page";
	default:
		return strerror(-err);
	}
}

/*
 * The kernel's verdict on the batch of the actions [from, to): on failure
 * a refusal for the action whose op it names (or the region).
 */
static int check_batch(struct apply_run *run, size_t from, size_t to,
		       struct plan_refusal *r)
{
	struct pmemctl_batch *b = region_batch(run, from, to);
	const struct plan_action *a = &run->plan.actions[from];
	int err, failed;
	size_t i;

	if (!b)
		return 0;
	err = pmemctl_batch_commit(b, PMEMCTL_BATCH_DRY_RUN_ONLY);
	if (!err)
		return 0;
	memset(r, 0, sizeof(*r));
	r->region = a->region->id;
	failed = pmemctl_batch_get_failed(b);
	for (i = from; failed >= 0 && i < to; i++) {
		if (run->op[i] != failed)
			continue;
		a = &run->plan.actions[i];
		r->name = a->want ? a->want->name : a->cur->name;
		r->place = a->want ? a->want->place : NULL;
	}
	snprintf(r->reason, sizeof(r->reason),
		 "the kernel refuses the region's changes: %s",
		 kernel_reason(err));
	return err;
}

/* The end of the actions of the region that starts at @from. */
static size_t region_end(const struct plan *p, size_t from)
{
	size_t i = from;

	while (i < p->nr_actions &&
	       p->actions[i].region == p->actions[from].region)
		i++;
	return i;
}

static int add_refusal(struct plan *p, const struct plan_refusal *r)
{
	struct plan_refusal *v;

	v = realloc(p->refusals, (p->nr_refusals + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->refusals = v;
	v[p->nr_refusals++] = *r;
	return 0;
}

/*
 * The namespace an action would give, as a dry run knows it: from the
 * batch's result for a create or reconfigure, the namespace as it is
 * otherwise.
 */
static struct json_object *planned_json(struct apply_run *run, size_t i)
{
	const struct plan_action *a = &run->plan.actions[i];
	struct ns_planned_names names;
	unsigned char ubytes[UUID_BYTES];
	struct pmemctl_cost cost = { 0 };
	unsigned long long per_gib;
	unsigned int id = 0;
	bool have = false;
	struct ns_view v;

	if (a->kind == PLAN_INIT)
		return NULL;
	if (run->op[i] >= 0)
		have = pmemctl_batch_get_result(run->batch[i], run->op[i], &id,
						ubytes, NULL, &cost) == 0;
	/* ondemand: what a mapped GiB takes (null from a module before 1.7) */
	if (!have || a->mode != NS_MODE_ONDEMAND ||
	    pmemctl_batch_get_ram_per_gib(run->batch[i], run->op[i],
					  &per_gib) < 0)
		per_gib = ULLONG_MAX;
	if (a->kind == PLAN_RECONFIGURE) {
		struct ns_view now;

		/* as it will be (its device may change kind), where it is */
		ns_view_from_namespace(a->cur->handle, &now);
		ns_view_planned(&v, &names, a->region->handle, (int)a->cur->id,
				NULL, a->mode, a->access, now.size, now.align,
				now.name, a->cur->enabled);
		v.uuid = now.uuid;
		v.numa_node = now.numa_node;
		v.resource = now.resource;
		if (a->mode == a->cur->mode) {
			v.npfns = now.npfns;
			v.page_struct_size = now.page_struct_size;
			v.ram_peak = now.ram_peak;
		}
		/* the kernel's, for the new shape (an access change moves it) */
		v.ram_per_gib = per_gib;
		v.cost_known = have;
		v.cost = cost;
		return ns_view_to_json(&v, 0);
	}
	if (a->kind != PLAN_CREATE) {
		ns_view_from_namespace(a->cur->handle, &v);
		if (a->kind == PLAN_ENABLE)
			v.state = "enabled";
		else if (a->kind == PLAN_DISABLE)
			v.state = "disabled";
		return ns_view_to_json(&v, 0);
	}
	/* a region --init will make could not be checked: no number yet */
	ns_view_planned(&v, &names, a->region->handle, have ? (int)id : -1,
			have ? ubytes : a->has_uuid ? a->uuid : NULL, a->mode,
			a->access, a->size, a->align, a->want->name,
			!a->disabled);
	v.ram_per_gib = per_gib;
	v.cost_known = have;
	v.cost = cost;
	return ns_view_to_json(&v, 0);
}

/* The namespace an action gave, read again after the commit. */
static struct json_object *done_json(struct apply_run *run, size_t i)
{
	const struct plan_action *a = &run->plan.actions[i];
	struct pmemctl_namespace *ns;
	unsigned int id;

	switch (a->kind) {
	case PLAN_INIT:
		return NULL;
	case PLAN_DESTROY:
		return json_object_get(run->before[i]);
	case PLAN_CREATE:
		/* (an enable that failed still gives the number) */
		if (pmemctl_batch_get_result(run->batch[i], run->op[i], &id,
					     NULL, NULL, NULL) == -EINVAL)
			return NULL;
		break;
	default:
		id = a->cur->id;
		break;
	}
	ns = cli_find_namespace(run->ctx, a->region->id, id);
	return ns ? namespace_to_json(ns, 0) : NULL;
}

static int print_result(struct apply_run *run, size_t done)
{
	struct json_object *obj = json_object_new_object(), *acts, *refs, *e;
	const struct plan *p = &run->plan;
	int err = !obj;
	size_t i;

	acts = json_object_new_array();
	refs = json_object_new_array();
	err = err || !acts || !refs;
	err = err || json_object_object_add(obj, "dry_run",
					    json_object_new_boolean(run->o->dry_run));
	for (i = 0; !err && i < done; i++) {
		const struct plan_action *a = &p->actions[i];
		const char *name = a->want ? a->want->name :
				   a->cur ? a->cur->name : NULL;

		e = json_object_new_object();
		err = !e || json_object_array_add(acts, e);
		err = err ?: json_add_string(e, "action", plan_kind_name(a->kind));
		err = err ?: json_add_string(e, "region",
				pmemctl_region_get_devname(a->region->handle));
		err = err ?: json_add_string(e, "name", name);
		if (!err && a->kind == PLAN_RECONFIGURE) {
			err = json_add_string(e, "from_mode", ns_mode_name(a->cur->mode));
			err = err ?: json_add_string(e, "from_access",
					ns_access_name(a->cur->access));
		}
		err = err ?: json_object_object_add(e, "namespace",
				run->o->dry_run || p->nr_refusals ?
				planned_json(run, i) : done_json(run, i));
	}
	err = err ?: json_object_object_add(obj, "actions", acts);
	acts = NULL;
	err = err ?: json_add_count(obj, "unchanged", (long long)p->unchanged);
	for (i = 0; !err && i < p->nr_refusals; i++) {
		const struct plan_refusal *r = &p->refusals[i];
		char region[32];

		snprintf(region, sizeof(region), "region%u", r->region);
		e = json_object_new_object();
		err = !e || json_object_array_add(refs, e);
		err = err ?: json_add_string(e, "region", region);
		err = err ?: json_add_string(e, "name", r->name);
		err = err ?: json_add_string(e, "place", r->place);
		err = err ?: json_add_string(e, "reason", r->reason);
	}
	err = err ?: json_object_object_add(obj, "refusals", refs);
	refs = NULL;
	json_object_put(acts);
	json_object_put(refs);
	if (err) {
		json_object_put(obj);
		return cli_error(CMD, "%s", strerror(ENOMEM));
	}
	return ns_print(CMD, obj, run->status);
}

static int report_refusals(struct apply_run *run)
{
	size_t n = run->plan.nr_refusals;

	run->status = cli_error(CMD,
		"nothing was changed: the layout has %zu refusal(s), listed in \"refusals\"",
		n);
	return print_result(run, run->plan.nr_actions);
}

/* Carry out @run's plan; returns an exit status after printing. */
static int execute(struct apply_run *run)
{
	struct plan *p = &run->plan;
	struct plan_refusal r;
	size_t i, end, done = 0;
	int err;

	/* every region with a store: its batch, checked by the kernel */
	for (i = 0; i < p->nr_actions; i = end) {
		end = region_end(p, i);
		if (p->actions[i].kind == PLAN_INIT)
			continue;
		err = build_batch(run, i, end);
		if (err)
			return cli_error(CMD, "cannot make the batch of region%u: %s",
					 p->actions[i].region->id, strerror(-err));
		err = check_batch(run, i, end, &r);
		if (err == -EPERM || err == -EACCES || err == -ENOENT)
			return cli_error(CMD, "cannot check the changes of region%u: %s (apply needs root)",
					 r.region, strerror(-err));
		if (err && add_refusal(p, &r))
			return cli_error(CMD, "%s", strerror(ENOMEM));
	}
	if (p->nr_refusals)
		return report_refusals(run);
	if (run->o->dry_run)
		return print_result(run, p->nr_actions);

	/* what destroys will take away, for the output */
	for (i = 0; i < p->nr_actions; i++)
		if (p->actions[i].kind == PLAN_DESTROY)
			run->before[i] = namespace_to_json(p->actions[i].cur->handle, 0);

	/* regions without a store: initialized, then checked the same way */
	for (i = 0; i < p->nr_actions; i = end) {
		struct pmemctl_region *region = p->actions[i].region->handle;

		end = region_end(p, i);
		if (p->actions[i].kind != PLAN_INIT)
			continue;
		err = pmemctl_region_init_labels(region, false);
		if (err)
			return cli_error(CMD, "cannot initialize the label store of region%u: %s",
					 p->actions[i].region->id, strerror(-err));
		err = build_batch(run, i, end);
		if (err)
			return cli_error(CMD, "cannot make the batch of region%u: %s",
					 p->actions[i].region->id, strerror(-err));
		if (check_batch(run, i, end, &r)) {
			cli_error(CMD,
				  "region%u: %s (its label store was initialized; nothing else was changed)",
				  r.region, r.reason);
			if (add_refusal(p, &r))
				return EXIT_FAILURE;
			run->status = EXIT_FAILURE;
			return print_result(run, 0);
		}
	}

	/* one commit per region, in the file's order */
	for (i = 0; i < p->nr_actions; i = end) {
		struct pmemctl_batch *b;
		unsigned int k, n;

		end = region_end(p, i);
		b = region_batch(run, i, end);
		err = b ? pmemctl_batch_commit(b, 0) : 0;
		if (err && err != -ETIMEDOUT) {
			cli_error(CMD,
				  "region%u: %s: the regions before it are applied, it and the rest are not",
				  p->actions[i].region->id, kernel_reason(err));
			run->status = EXIT_FAILURE;
			return print_result(run, done);
		}
		if (err) {
			cli_error(CMD, "region%u: a block device did not appear in time",
				  p->actions[i].region->id);
			run->status = EXIT_FAILURE;
		}
		n = b ? pmemctl_batch_get_count(b) : 0;
		for (k = 0; k < n; k++) {
			unsigned int id = 0;

			err = pmemctl_batch_get_result(b, k, &id, NULL, NULL, NULL);
			if (err < 0) {
				cli_error(CMD,
					  "namespace%u.%u was changed but could not be enabled: %s",
					  p->actions[i].region->id, id, strerror(-err));
				run->status = EXIT_FAILURE;
			}
		}
		/* enables and disables of this region, after its commit */
		for (k = i; k < end; k++) {
			const struct plan_action *a = &p->actions[k];
			struct pmemctl_namespace *ns;

			if (a->kind != PLAN_ENABLE && a->kind != PLAN_DISABLE)
				continue;
			ns = cli_find_namespace(run->ctx, a->region->id, a->cur->id);
			err = !ns ? -ENODEV : a->kind == PLAN_ENABLE ?
			      pmemctl_namespace_enable(ns) :
			      pmemctl_namespace_disable(ns);
			if (err < 0 && err != -ETIMEDOUT) {
				ns_report_error(CMD, a->region->handle, ns,
						a->kind == PLAN_ENABLE ? "enable" : "disable",
						err);
				run->status = EXIT_FAILURE;
				return print_result(run, k);
			}
		}
		done = end;
	}
	return print_result(run, done);
}

static int apply(struct pmemctl_ctx *ctx, const struct apply_opts *o)
{
	struct apply_run run = { .ctx = ctx, .o = o };
	char err_msg[LAYOUT_ERR_MAX];
	struct layout layout = { 0 };
	struct plan_world world = { 0 };
	char *text = NULL;
	size_t len = 0, i;
	int err, status;

	err = read_file(o->file, &text, &len);
	if (err)
		return cli_error(CMD, "cannot read %s: %s", o->file, strerror(-err));
	err = layout_parse(text, len, &layout, err_msg);
	free(text);
	if (err == -EINVAL) {
		cli_error(CMD, "%s: %s", o->file, err_msg);
		status = EXIT_USAGE;
		goto out;
	}
	if (err) {
		status = cli_error(CMD, "%s", strerror(-err));
		goto out;
	}
	cli_set_verbose(ctx, o->verbose);
	status = cli_require_module(ctx, CMD);
	status = status ?: cli_read_namespaces(ctx, CMD);
	status = status ?: world_read(ctx, &world);
	if (status)
		goto out;
	err = plan_build(&layout, &world, o->flags, &run.plan);
	if (err) {
		status = cli_error(CMD, "%s", strerror(-err));
		goto out;
	}
	run.batch = calloc(run.plan.nr_actions + 1, sizeof(*run.batch));
	run.op = calloc(run.plan.nr_actions + 1, sizeof(*run.op));
	run.before = calloc(run.plan.nr_actions + 1, sizeof(*run.before));
	if (!run.batch || !run.op || !run.before) {
		status = cli_error(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i < run.plan.nr_actions; i++)
		run.op[i] = -1;
	if (run.plan.nr_refusals)
		status = report_refusals(&run);
	else
		status = execute(&run);
out:
	if (run.batch) {
		/* each batch once: it sits at every action of its region */
		for (i = 0; i < run.plan.nr_actions; i++) {
			if (run.batch[i] && (i == 0 || run.batch[i] != run.batch[i - 1]))
				pmemctl_batch_free(run.batch[i]);
		}
	}
	for (i = 0; run.before && i < run.plan.nr_actions; i++)
		json_object_put(run.before[i]);
	free(run.batch);
	free(run.op);
	free(run.before);
	plan_free(&run.plan);
	world_free(&world);
	layout_free(&layout);
	return status;
}

static int apply_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	enum { OPT_DRY_RUN = 0x200, OPT_PRUNE, OPT_INIT, OPT_HELP };
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "force", no_argument, NULL, 'f' },
		{ "init", no_argument, NULL, OPT_INIT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, OPT_HELP },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct apply_opts o = { 0 };
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":fvh", options, NULL)) != -1) {
		switch (c) {
		case OPT_DRY_RUN:
			o.dry_run = true;
			break;
		case OPT_PRUNE:
			o.flags |= PLAN_OPT_PRUNE;
			break;
		case 'f':
			o.flags |= PLAN_OPT_FORCE;
			break;
		case OPT_INIT:
			o.flags |= PLAN_OPT_INIT;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			apply_usage(stdout);
			return EXIT_SUCCESS;
		case OPT_HELP:
			return cli_help("pmemctl-apply", apply_usage);
		default:
			status = cli_common_option(ctx, CMD, c, argv);
			if (status)
				return status;
			break;
		}
	}
	if (optind == argc)
		return cli_usage_error(CMD, "missing the layout FILE (or - for stdin)");
	if (argc - optind > 1)
		return cli_usage_error(CMD, "give one layout file, not %d",
				       argc - optind);
	o.file = argv[optind];
	return apply(ctx, &o);
}

const struct pmemctl_cmd cmd_apply = {
	.name = "apply",
	.summary = "Converge regions to a layout file, all or nothing per region",
	.run = apply_run,
	.usage = apply_usage,
};
