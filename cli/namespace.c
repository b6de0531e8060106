// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by the namespace commands; see cli/namespace.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

void ns_view_from_namespace(struct pmemctl_namespace *ns, struct ns_view *v)
{
	int enabled = pmemctl_namespace_is_enabled(ns);

	memset(v, 0, sizeof(*v));
	v->dev = pmemctl_namespace_get_devname(ns);
	v->region = pmemctl_region_get_devname(pmemctl_namespace_get_region(ns));
	v->mode = pmemctl_namespace_get_mode(ns);
	v->size = pmemctl_namespace_get_size(ns);
	v->align = pmemctl_namespace_get_align(ns);
	v->uuid = pmemctl_namespace_get_uuid(ns);
	v->name = pmemctl_namespace_get_name(ns);
	v->state = enabled == 1 ? "enabled" : enabled == 0 ? "disabled" : NULL;
	v->blockdev = pmemctl_namespace_get_blockdev(ns);
	v->numa_node = pmemctl_namespace_get_numa_node(ns);
	v->resource = pmemctl_namespace_get_resource(ns);
	v->cost_known = pmemctl_namespace_get_cost(ns, &v->cost) == 0;
	v->npfns = pmemctl_namespace_get_npfns(ns);
	v->page_struct_size = pmemctl_namespace_get_page_struct_size(ns);
}

struct json_object *ns_view_to_json(const struct ns_view *v, unsigned int flags)
{
	struct json_object *obj = json_object_new_object();
	unsigned long long unknown = ULLONG_MAX;
	const struct pmemctl_cost *c = &v->cost;
	int err = 0;

	if (!obj)
		return NULL;

	/* Key order is part of the output format: see pmemctl-list(1). */
	err = err ?: json_add_string(obj, "dev", v->dev);
	err = err ?: json_add_string(obj, "region", v->region);
	err = err ?: json_add_string(obj, "mode", v->mode);
	err = err ?: json_add_size(obj, "size", v->size, flags);
	err = err ?: json_add_size(obj, "data_size",
				   v->cost_known ? c->data_size : unknown, flags);
	err = err ?: json_add_size(obj, "metadata_ram",
				   v->cost_known ? c->ram_bytes : unknown, flags);
	err = err ?: json_add_size(obj, "metadata_dev",
				   v->cost_known ? c->dev_bytes : unknown, flags);
	err = err ?: json_add_size(obj, "align", v->align, flags);
	err = err ?: json_add_string(obj, "uuid", v->uuid);
	err = err ?: json_add_string(obj, "name", v->name);
	err = err ?: json_add_string(obj, "state", v->state);
	err = err ?: json_add_string(obj, "blockdev", v->blockdev);
	err = err ?: json_add_count(obj, "numa_node", v->numa_node);
	if (flags & JSON_NS_RESOURCE) {
		err = err ?: json_add_size(obj, "data_offset",
					   v->cost_known ? c->data_offset : unknown,
					   flags);
		err = err ?: json_add_count(obj, "npfns", v->npfns == unknown ?
					    -1 : (long long)v->npfns);
		err = err ?: json_add_count(obj, "page_struct_size",
					    v->cost_known ? (long long)v->page_struct_size : -1);
		err = err ?: json_add_address(obj, "resource", v->resource, flags);
	}
	if (err < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

int ns_print(const char *cmd, struct json_object *obj, int status)
{
	int err;

	if (!obj)
		return cli_error(cmd, "%s", strerror(ENOMEM));
	err = json_print(stdout, obj);
	json_object_put(obj);
	if (err < 0)
		return cli_error(cmd, "cannot write output: %s", strerror(-err));
	return status;
}

struct json_object *namespace_to_json(struct pmemctl_namespace *ns,
				      unsigned int flags)
{
	struct ns_view v;

	ns_view_from_namespace(ns, &v);
	return ns_view_to_json(&v, flags);
}

struct json_object *cost_to_json(const struct pmemctl_cost *c, unsigned int flags)
{
	struct json_object *obj = json_object_new_object();
	int err = 0;

	if (!obj)
		return NULL;
	err = err ?: json_add_size(obj, "data_size", c->data_size, flags);
	err = err ?: json_add_size(obj, "metadata_ram", c->ram_bytes, flags);
	err = err ?: json_add_size(obj, "metadata_dev", c->dev_bytes, flags);
	if (err < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* MemAvailable from /proc/meminfo, in bytes; ULLONG_MAX if unknown. */
static unsigned long long mem_available(void)
{
	unsigned long long kib = ULLONG_MAX;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return ULLONG_MAX;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib == ULLONG_MAX ? kib : kib * 1024;
}

int cli_report_backing_error(const char *cmd, struct pmemctl_region *region,
			     const char *what, const char *mode,
			     const struct pmemctl_cost *cost,
			     struct pmemctl_namespace *ns, int err)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX], kernel[32];
	const char *cur = ns ? pmemctl_namespace_get_mode(ns) : NULL;
	unsigned long long avail;
	unsigned int have, need;

	if (err == -ENOMEM && ns_mode_is(mode, NS_MODE_PAGE)) {
		avail = mem_available();
		/* a cost of 0: the kernel failed before it computed one */
		if (!cost || !cost->ram_bytes || avail == ULLONG_MAX)
			return cli_error(cmd,
				"page mode for %s needs more RAM for its memmap than pmemctl allows (half of what is available); use pfn mode to keep the memmap on the device",
				what);
		return cli_error(cmd,
			"page mode for %s needs %s of RAM for its memmap, but only %s is available and pmemctl uses at most half; use pfn mode to keep the memmap on the device%s",
			what, size_to_human(cost->ram_bytes, a, sizeof(a)),
			size_to_human(avail, b, sizeof(b)),
			ns ? "" : ", or a smaller size");
	}
	if (err == -EOVERFLOW) {
		need = pmemctl_region_get_struct_page_size(region);
		/* 0: struct_page_size unreadable, not a 0-byte struct page */
		if (need)
			snprintf(kernel, sizeof(kernel), "takes %u", need);
		else
			snprintf(kernel, sizeof(kernel), "is larger");
		if (ns_mode_is(cur, NS_MODE_PFN) && (!mode || ns_mode_is(mode, NS_MODE_PFN))) {
			have = pmemctl_namespace_get_page_struct_size(ns);
			return cli_error(cmd,
				"%s reserves %u bytes per struct page on the device, but this kernel's struct page %s: it cannot be enabled in pfn mode on this kernel; reconfigure it to page or raw mode (with --force: its data is lost)",
				what, have, kernel);
		}
		return cli_error(cmd,
			"pfn mode reserves 64 bytes per struct page on the device, but this kernel's struct page %s: use page mode on this kernel",
			kernel);
	}
	return 0;
}

struct pmemctl_region *cli_find_region(struct pmemctl_ctx *ctx, unsigned int id)
{
	struct pmemctl_region *region;

	pmemctl_region_foreach(ctx, region)
		if (pmemctl_region_get_id(region) == id)
			return region;
	return NULL;
}

struct pmemctl_namespace *cli_find_namespace(struct pmemctl_ctx *ctx,
					     unsigned int region, unsigned int id)
{
	struct pmemctl_region *r = cli_find_region(ctx, region);
	struct pmemctl_namespace *ns;

	if (!r)
		return NULL;
	pmemctl_namespace_foreach(r, ns)
		if (pmemctl_namespace_get_id(ns) == id)
			return ns;
	return NULL;
}

void cli_set_verbose(struct pmemctl_ctx *ctx, int verbose)
{
	int prio = verbose > 1 ? LOG_DEBUG : LOG_INFO;

	/* Never quieter than PMEMCTL_LOG asked for. */
	if (verbose && prio > pmemctl_get_log_priority(ctx))
		pmemctl_set_log_priority(ctx, prio);
}

int cli_read_namespaces(struct pmemctl_ctx *ctx, const char *cmd)
{
	struct pmemctl_region *region;

	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0)
		return cli_error(cmd, "cannot read regions: %s", strerror(errno));
	pmemctl_region_foreach(ctx, region) {
		if (!pmemctl_namespace_get_first(region) && errno != 0)
			return cli_error(cmd, "cannot read the namespaces of %s: %s",
					 pmemctl_region_get_devname(region),
					 strerror(errno));
	}
	return 0;
}

int region_filter_add(struct region_filter *f, const char *arg)
{
	unsigned int id, *ids;

	if (region_arg_parse(arg, &id) < 0)
		return -EINVAL;
	ids = reallocarray(f->ids, f->count + 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	ids[f->count++] = id;
	f->ids = ids;
	return 0;
}

int region_filter_opt(const char *cmd, struct region_filter *f, const char *arg)
{
	int err = region_filter_add(f, arg);

	if (err == -ENOMEM)
		return cli_error(cmd, "%s", strerror(ENOMEM));
	if (err < 0)
		return cli_usage_error(cmd, "invalid region '%s' (expected regionN or N)",
				       arg);
	return 0;
}

bool region_filter_match(const struct region_filter *f, unsigned int id)
{
	size_t i;

	if (f->count == 0)
		return true;
	for (i = 0; i < f->count; i++)
		if (f->ids[i] == id)
			return true;
	return false;
}

static int refs_add(struct ns_ref **refs, size_t *count,
		    struct pmemctl_namespace *ns)
{
	unsigned int r = pmemctl_region_get_id(pmemctl_namespace_get_region(ns));
	unsigned int id = pmemctl_namespace_get_id(ns);
	struct ns_ref *bigger;
	size_t i;

	for (i = 0; i < *count; i++)
		if ((*refs)[i].region == r && (*refs)[i].id == id)
			return 0;	/* named twice: once is enough */
	bigger = reallocarray(*refs, *count + 1, sizeof(**refs));
	if (!bigger)
		return -ENOMEM;
	bigger[*count].region = r;
	bigger[*count].id = id;
	*refs = bigger;
	(*count)++;
	return 0;
}

/* Every namespace of the selected regions matching @arg's UUID or name. */
static int ns_match(struct pmemctl_ctx *ctx, const struct ns_arg *arg,
		    const struct region_filter *f, struct pmemctl_namespace **first,
		    char *names, size_t len)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	char want[UUID_STR_LEN + 1];
	int matches = 0;

	if (arg->kind == NS_ARG_UUID)
		uuid_to_str(arg->uuid, want);
	names[0] = '\0';
	pmemctl_region_foreach(ctx, region) {
		if (!region_filter_match(f, pmemctl_region_get_id(region)))
			continue;
		pmemctl_namespace_foreach(region, ns) {
			const char *v = arg->kind == NS_ARG_UUID ?
				pmemctl_namespace_get_uuid(ns) :
				pmemctl_namespace_get_name(ns);

			if (!v || strcmp(v, arg->kind == NS_ARG_UUID ? want : arg->name))
				continue;
			if (!matches++)
				*first = ns;
			if (strlen(names) + strlen(pmemctl_namespace_get_devname(ns)) + 3 < len)
				snprintf(names + strlen(names), len - strlen(names), "%s%s",
					 names[0] ? ", " : "", pmemctl_namespace_get_devname(ns));
		}
	}
	return matches;
}

int ns_resolve(struct pmemctl_ctx *ctx, const char *cmd, char *const args[],
	       int nargs, const struct region_filter *f, struct ns_ref **refs,
	       size_t *count)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	struct ns_arg arg;
	char names[256];
	size_t j;
	int i, n;

	*refs = NULL;
	*count = 0;
	for (j = 0; j < f->count; j++)
		if (!cli_find_region(ctx, f->ids[j]))
			return cli_error(cmd, "region%u: no such region", f->ids[j]);

	if (nargs == 1 && strcmp(args[0], "all") == 0) {
		pmemctl_region_foreach(ctx, region) {
			if (!region_filter_match(f, pmemctl_region_get_id(region)))
				continue;
			pmemctl_namespace_foreach(region, ns)
				if (refs_add(refs, count, ns) < 0)
					return cli_error(cmd, "%s", strerror(ENOMEM));
		}
		return 0;
	}

	for (i = 0; i < nargs; i++) {
		if (strcmp(args[i], "all") == 0)
			return cli_usage_error(cmd, "'all' cannot be combined with other namespaces");
		if (ns_arg_parse(args[i], &arg) < 0)
			return cli_usage_error(cmd,
				"invalid namespace '%s' (expected namespaceR.N, R.N, a UUID or a name)",
				args[i]);
		if (arg.kind == NS_ARG_DEVNAME) {
			if (!region_filter_match(f, arg.region))
				return cli_error(cmd, "namespace%u.%u is not in the region given with -r",
						 arg.region, arg.id);
			ns = cli_find_namespace(ctx, arg.region, arg.id);
			if (!ns)
				return cli_error(cmd, "namespace%u.%u: no such namespace",
						 arg.region, arg.id);
		} else {
			n = ns_match(ctx, &arg, f, &ns, names, sizeof(names));
			if (n == 0)
				return cli_error(cmd, "no namespace %s '%s'%s",
						 arg.kind == NS_ARG_UUID ? "has UUID" : "is named",
						 args[i], f->count ? " in the region given with -r" : "");
			if (n > 1)
				return cli_error(cmd,
					"'%s' is ambiguous: it names %s; use the namespaceR.N form or -r REGION",
					args[i], names);
		}
		if (refs_add(refs, count, ns) < 0)
			return cli_error(cmd, "%s", strerror(ENOMEM));
	}
	return 0;
}

int ns_report_error(const char *cmd, struct pmemctl_region *region,
		    struct pmemctl_namespace *ns, const char *what, int err)
{
	const char *rname = region ? pmemctl_region_get_devname(region) : "region";
	const char *state = region ? pmemctl_region_get_state(region) : NULL;
	const char *obj = ns ? pmemctl_namespace_get_devname(ns) : rname;
	const char *bdev = ns ? pmemctl_namespace_get_blockdev(ns) : NULL;
	unsigned long long held;

	switch (-err) {
	case EBUSY:
		if (ns && !pmemctl_namespace_get_held_pages(ns, &held) && held)
			return cli_error(cmd,
				"%s: a process still holds %llu page(s) of its memory (a pipe filled with vmsplice, direct I/O in flight or another pin); nothing was changed: end that process or let its I/O finish, then retry",
				obj, held);
		if (bdev)
			return cli_error(cmd, "%s (%s) is in use (open or mounted); unmount it first",
					 obj, bdev);
		return cli_error(cmd, "%s is in use (open or mounted); unmount it first", obj);
	case ENOENT:
		if (ns)
			return cli_error(cmd, "%s no longer exists", obj);
		return cli_error(cmd, "cannot %s: /dev/pmemctl not found; is the pmemctl module loaded?",
				 what);
	case ENODEV:
		return cli_error(cmd, "%s no longer exists", rname);
	case ENXIO:
		if (state && strcmp(state, "label-error") == 0)
			return cli_error(cmd,
				"%s has a damaged label store; run 'pmemctl init-labels --force %s' (this erases every namespace of %s)",
				rname, rname, rname);
		return cli_error(cmd, "%s has no valid label store; run 'pmemctl init-labels %s' first",
				 rname, rname);
	case EIO:
		if (state && strcmp(state, "degraded") == 0) {
			const char *why = pmemctl_region_get_label_error(region);

			return cli_error(cmd,
				"cannot %s %s: the label store of %s is degraded (%s): a namespace it cannot show may lie in any space that looks free, so no new namespace is placed there; its other namespaces keep working",
				what, obj, rname, why ? why : "a namespace is missing");
		}
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	case EEXIST:
		return cli_error(cmd, "%s: the name or UUID is already used in %s", obj, rname);
	case ENOSPC:
		return cli_error(cmd, "%s has no room for another namespace", rname);
	case EPERM:
	case EACCES:
		return cli_error(cmd, "cannot %s %s: permission denied; changing namespaces needs root (CAP_SYS_ADMIN)",
				 what, obj);
	case EINVAL:
		return cli_error(cmd, "cannot %s %s: the kernel rejected the request as invalid",
				 what, obj);
	case EOPNOTSUPP:
		return cli_error(cmd, "cannot %s %s: not supported by this pmemctl module",
				 what, obj);
	case ENOMEM:
	case EOVERFLOW:
		if (ns) {
			struct pmemctl_cost c;
			bool known = pmemctl_namespace_get_cost(ns, &c) == 0;
			int status;

			status = cli_report_backing_error(cmd, region, obj,
					pmemctl_namespace_get_mode(ns),
					known ? &c : NULL, ns, err);
			if (status)
				return status;
		}
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	case ETIMEDOUT:
		return cli_error(cmd, "%s: /dev/%s did not appear within 5 seconds; check udev (udevadm settle)",
				 obj, bdev ? bdev : "pmem*");
	default:
		return cli_error(cmd, "cannot %s %s: %s", what, obj, strerror(-err));
	}
}

int ns_action_run(const struct ns_action *action, struct pmemctl_ctx *ctx,
		  int argc, char *argv[])
{
	/* --force first: commands without needs_force start after it. */
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "region", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const bool takes_force = action->needs_force != NULL;
	const char *cmd = action->cmd;
	struct region_filter filter = { 0 };
	struct json_object *summary = NULL;
	struct ns_ref *refs = NULL;
	size_t count = 0, i;
	int c, err, verbose = 0, done = 0, failed = 0, status = EXIT_SUCCESS;
	bool force = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, takes_force ? ":fr:vh" : ":r:vh",
				takes_force ? options : options + 1, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'r':
			status = region_filter_opt(cmd, &filter, optarg);
			if (status)
				goto out;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			action->usage(stdout);
			goto out;
		case 'H':
			status = cli_help(action->page, action->usage);
			goto out;
		default:
			status = cli_common_option(ctx, cmd, c, argv);
			if (status)
				goto out;
			break;
		}
	}
	if (optind >= argc) {
		status = cli_usage_error(cmd, "missing namespace (give NS... or all)");
		goto out;
	}
	cli_set_verbose(ctx, verbose);

	status = cli_require_module(ctx, cmd);
	if (status)
		goto out;
	status = cli_read_namespaces(ctx, cmd);
	if (status)
		goto out;
	status = ns_resolve(ctx, cmd, argv + optind, argc - optind, &filter,
			    &refs, &count);
	if (status)
		goto out;

	for (i = 0; i < count; i++) {
		struct pmemctl_namespace *ns;

		ns = cli_find_namespace(ctx, refs[i].region, refs[i].id);
		if (!ns) {
			cli_error(cmd, "namespace%u.%u no longer exists",
				  refs[i].region, refs[i].id);
			failed++;
			continue;
		}
		if (action->done_already && action->done_already(ns))
			continue;
		if (takes_force && !force && action->needs_force(cmd, ns)) {
			failed++;
			continue;
		}
		err = action->change(ns);
		if (err < 0) {
			/* After a failure the object is still valid (reread in place). */
			ns = cli_find_namespace(ctx, refs[i].region, refs[i].id);
			ns_report_error(cmd, cli_find_region(ctx, refs[i].region), ns,
					action->verb, err);
			failed++;
			/* A timeout still did the change. */
			if (err != -ETIMEDOUT)
				continue;
		}
		done++;
	}

	summary = json_object_new_object();
	if (!summary || json_add_int(summary, action->done_key, done) < 0) {
		status = cli_error(cmd, "%s", strerror(ENOMEM));
		goto out;
	}
	err = json_print(stdout, summary);
	if (err < 0)
		status = cli_error(cmd, "cannot write output: %s", strerror(-err));
	else
		status = failed ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	json_object_put(summary);
	free(refs);
	free(filter.ids);
	return status;
}
