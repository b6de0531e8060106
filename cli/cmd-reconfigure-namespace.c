// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl reconfigure-namespace: see pmemctl-reconfigure-namespace(1). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

#define CMD "reconfigure-namespace"

struct reconf_opts {
	const char *mode_arg;
	const char *map_arg;
	const char *access_arg;
	enum ns_mode mode;
	bool mode_set;			/* -m or --map given, else keep it */
	enum ns_access access;
	bool access_set;		/* --access, -m devdax or -m fsdax */
	bool force;
	bool dry_run;
	int verbose;
	struct region_filter filter;
};

static void reconf_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl reconfigure-namespace NS -m MODE [OPTIONS]\n"
		"\n"
		"Change the mode of a namespace in place, keeping its number, name, UUID and\n"
		"extent; print it as a JSON object. raw <-> page keeps the data; a change\n"
		"into or out of pfn moves where the data starts and needs --force.\n"
		"NS is namespaceR.N, R.N, a UUID or a name.\n"
		"\n"
		"Options:\n"
		"  -m, --mode=MODE        raw, page, pfn or ondemand; or fsdax with --map\n"
		"  -M, --map=mem|dev      with --mode fsdax: mem means page, dev means pfn\n"
		"                         (-m devdax: the same with --access=devdax)\n"
		"  -A, --access=ACCESS    block or devdax (default: keep it; fsdax means\n"
		"                         block); block <-> devdax keeps the data\n"
		"  -f, --force            allow a change that discards the namespace's data\n"
		"      --dry-run          change nothing: print what the namespace would be\n"
		"                         and cost in MODE\n"
		"  -r, --region=REGION    look for NS only in REGION (regionN or N; repeatable)\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static int report(struct pmemctl_namespace *ns, const struct reconf_opts *o,
		  const struct pmemctl_cost *cost, int err)
{
	struct pmemctl_region *region = pmemctl_namespace_get_region(ns);
	const char *dev = pmemctl_namespace_get_devname(ns);
	const char *from = pmemctl_namespace_get_mode(ns);
	const char *acc = pmemctl_namespace_get_access(ns);
	char a[SIZE_HUMAN_MAX];
	int status;

	switch (-err) {
	case ENOTEMPTY:
		return cli_error(CMD,
			"changing %s from %s to %s moves where its data starts (pfn keeps its memmap at the start of the namespace): its data would be lost; pass --force to discard it",
			dev, from ? from : "?", ns_mode_name(o->mode));
	case EINVAL:
		if (o->mode == NS_MODE_PFN &&
		    pmemctl_namespace_get_size(ns) < (4ULL << 20))
			return cli_error(CMD,
				"%s is too small for pfn mode (it needs at least 4M: the first 2M hold the memmap)",
				dev);
		if (o->access_set || (acc && strcmp(acc, "devdax") == 0))
			return cli_error(CMD,
				"%s cannot be %s in %s mode with align %s: devdax needs page, pfn or ondemand mode and an align of 4K, 2M or 1G (with 1G the data must start on 1G: page mode), block an align of at least 2M",
				dev, o->access_set ? ns_access_name(o->access) : acc,
				ns_mode_name(o->mode),
				size_to_human(pmemctl_namespace_get_align(ns), a, sizeof(a)));
		break;
	case ENOSPC:
		return cli_error(CMD,
			"%s has no free label slot for %s's new label; destroy a namespace of %s first",
			pmemctl_region_get_devname(region), dev,
			pmemctl_region_get_devname(region));
	case ENOMEM:
		if (o->mode != NS_MODE_PAGE)
			return cli_error(CMD, "cannot reconfigure %s: %s", dev, strerror(ENOMEM));
		/* fall through */
	case EOVERFLOW:
		status = cli_report_backing_error(CMD, region, dev, ns_mode_name(o->mode),
						  err == -ENOMEM ? cost : NULL, ns, err);
		if (status)
			return status;
		break;
	}
	return ns_report_error(CMD, region, ns, "reconfigure", err);
}

/*
 * An ondemand namespace's RAM per mapped GiB in the new shape, from a
 * one-op batch dry run (NS_RECONFIGURE does not report it); ULLONG_MAX
 * when it cannot be had (a module before ABI 1.7).
 */
static unsigned long long dry_run_per_gib(struct pmemctl_namespace *ns,
					  const struct reconf_opts *o,
					  unsigned int flags)
{
	unsigned long long per_gib = ULLONG_MAX;
	struct pmemctl_batch *batch;
	int i;

	if (pmemctl_batch_new(pmemctl_namespace_get_region(ns), &batch) < 0)
		return ULLONG_MAX;
	i = pmemctl_batch_add_reconfigure_access(batch, ns, ns_mode_name(o->mode),
						 o->access_set ?
						 ns_access_name(o->access) : NULL,
						 flags & PMEMCTL_RECONF_FORCE);
	if (i < 0 || pmemctl_batch_commit(batch, PMEMCTL_BATCH_DRY_RUN_ONLY) < 0 ||
	    pmemctl_batch_get_ram_per_gib(batch, (unsigned int)i, &per_gib) < 0)
		per_gib = ULLONG_MAX;
	pmemctl_batch_free(batch);
	return per_gib;
}

static int reconfigure(struct pmemctl_ctx *ctx, struct reconf_opts *o, char *arg)
{
	unsigned int flags = (o->force ? PMEMCTL_RECONF_FORCE : 0) |
			     (o->dry_run ? PMEMCTL_RECONF_DRY_RUN : 0);
	struct pmemctl_namespace *ns;
	struct ns_ref *refs = NULL;
	struct pmemctl_cost cost;
	struct ns_view v;
	unsigned int region_id, id;
	size_t count = 0;
	int err, status;

	if (strcmp(arg, "all") == 0)
		return cli_usage_error(CMD, "give exactly one namespace, not 'all'");
	status = cli_require_module(ctx, CMD);
	status = status ?: cli_read_namespaces(ctx, CMD);
	status = status ?: ns_resolve(ctx, CMD, &arg, 1, &o->filter, &refs, &count);
	if (status)
		goto out;
	if (count != 1) {
		status = cli_usage_error(CMD, "give exactly one namespace, not 'all'");
		goto out;
	}
	region_id = refs[0].region;
	id = refs[0].id;
	ns = cli_find_namespace(ctx, region_id, id);
	if (!ns) {
		status = cli_error(CMD, "namespace%u.%u no longer exists", region_id, id);
		goto out;
	}

	if (!o->mode_set) {
		const char *cur = pmemctl_namespace_get_mode(ns);

		if (ns_mode_from_name(cur, &o->mode) < 0) {
			status = cli_error(CMD, "%s: cannot read its mode",
					   pmemctl_namespace_get_devname(ns));
			goto out;
		}
	}
	memset(&cost, 0, sizeof(cost));
	err = pmemctl_namespace_reconfigure_access(ns, ns_mode_name(o->mode),
						   o->access_set ?
						   ns_access_name(o->access) : NULL,
						   flags, &cost);
	/* Reconfiguring rereads the region: look the namespace up again. */
	ns = cli_find_namespace(ctx, region_id, id);
	if (err < 0 && ns && (o->dry_run || err != -ETIMEDOUT)) {
		status = report(ns, o, &cost, err);
		goto out;
	}
	if (!ns) {
		status = cli_error(CMD, "namespace%u.%u no longer exists", region_id, id);
		goto out;
	}
	/* A timeout waiting for the node still prints it, then fails. */
	status = err < 0 ? ns_report_error(CMD, pmemctl_namespace_get_region(ns),
					   ns, "reconfigure", err) : EXIT_SUCCESS;

	ns_view_from_namespace(ns, &v);
	if (o->dry_run) {
		/* a peak since enable is the current mode's only */
		if (!ns_mode_is(v.mode, o->mode))
			v.ram_peak = ULLONG_MAX;
		v.mode = ns_mode_name(o->mode);
		if (o->access_set)
			v.access = ns_access_name(o->access);
		v.cost_known = true;
		v.cost = cost;
		v.ram_per_gib = o->mode == NS_MODE_ONDEMAND ?
				dry_run_per_gib(ns, o, flags) : 0;
	}
	status = ns_print(CMD, ns_view_to_json(&v, 0), status);
out:
	free(refs);
	return status;
}

static int reconf_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "map", required_argument, NULL, 'M' },
		{ "access", required_argument, NULL, 'A' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "region", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct reconf_opts o = { 0 };
	int c, status = EXIT_SUCCESS;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:M:A:fr:vh", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			o.mode_arg = optarg;
			break;
		case 'M':
			o.map_arg = optarg;
			break;
		case 'A':
			o.access_arg = optarg;
			break;
		case 'f':
			o.force = true;
			break;
		case 'D':
			o.dry_run = true;
			break;
		case 'r':
			status = region_filter_opt(CMD, &o.filter, optarg);
			if (status)
				goto out;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			reconf_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-reconfigure-namespace", reconf_usage);
			goto out;
		default:
			status = cli_common_option(ctx, CMD, c, argv);
			if (status)
				goto out;
			break;
		}
	}
	if (!o.mode_arg && !o.map_arg && !o.access_arg) {
		status = cli_usage_error(CMD, "missing -m MODE or --access ACCESS");
		goto out;
	}
	o.mode_set = o.mode_arg || o.map_arg;
	if (o.mode_set) {
		status = cli_shape_opt(CMD, o.mode_arg, o.map_arg, o.access_arg,
				       &o.mode, &o.access);
		/* ndctl's fsdax and devdax name the access kind too */
		o.access_set = o.access_arg || (o.mode_arg &&
				(!strcmp(o.mode_arg, "fsdax") ||
				 !strcmp(o.mode_arg, "devdax")));
	} else {
		status = ns_access_from_name(o.access_arg, &o.access) < 0 ?
			 cli_usage_error(CMD, "invalid access '%s' (expected block or devdax)",
					 o.access_arg) : 0;
		o.access_set = true;
	}
	if (status)
		goto out;
	if (optind >= argc) {
		status = cli_usage_error(CMD, "missing namespace (give NS)");
		goto out;
	}
	if (optind + 1 < argc) {
		status = cli_usage_error(CMD, "unexpected argument '%s' (give one NS)",
					 argv[optind + 1]);
		goto out;
	}
	cli_set_verbose(ctx, o.verbose);
	status = reconfigure(ctx, &o, argv[optind]);
out:
	free(o.filter.ids);
	return status;
}

const struct pmemctl_cmd cmd_reconfigure_namespace = {
	.name = "reconfigure-namespace",
	.summary = "change the mode of a namespace",
	.run = reconf_run,
	.usage = reconf_usage,
};
