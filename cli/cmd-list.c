// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl list: print regions as a JSON array.
 *
 * The output is always an array of objects, whatever the number of
 * results, and every object always has every key (null when a value cannot
 * be read), so scripts can rely on its shape.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli/json.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

struct list_opts {
	bool regions;		/* -R: objects to list (default: all kinds) */
	bool all_regions;	/* no -r, or -r all */
	unsigned int *region_ids;
	size_t nr_region_ids;
	unsigned int flags;	/* JSON_* */
	int verbose;
};

static void list_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl list [OPTIONS]\n"
		"\n"
		"Print persistent memory regions as a JSON array.\n"
		"\n"
		"Options:\n"
		"  -R, --regions          list regions (the default today)\n"
		"  -r, --region=REGION    only REGION: regionN, N or all (repeatable)\n"
		"  -u, --human            sizes with units, addresses in hex\n"
		"  -v, --verbose          show library messages (-vv: debug)\n"
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/* "regionN", "N" or "all". */
static int parse_region_arg(struct list_opts *opts, const char *arg)
{
	unsigned int id, *ids;

	if (strcmp(arg, "all") == 0) {
		opts->all_regions = true;
		return 0;
	}
	if (strncmp(arg, "region", strlen("region")) == 0)
		arg += strlen("region");
	if (parse_uint_strict(arg, &id) < 0)
		return -EINVAL;

	ids = reallocarray(opts->region_ids, opts->nr_region_ids + 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	ids[opts->nr_region_ids++] = id;
	opts->region_ids = ids;
	return 0;
}

static bool region_selected(const struct list_opts *opts, unsigned int id)
{
	size_t i;

	if (opts->all_regions)
		return true;
	for (i = 0; i < opts->nr_region_ids; i++)
		if (opts->region_ids[i] == id)
			return true;
	return false;
}

static struct json_object *region_to_json(struct pmemctl_region *region,
					  unsigned int flags)
{
	struct json_object *obj = json_object_new_object();
	int err = 0;

	if (!obj)
		return NULL;

	/* Key order is part of the output format: see pmemctl-list(1). */
	err = err ?: json_add_string(obj, "dev", pmemctl_region_get_devname(region));
	err = err ?: json_add_size(obj, "size", pmemctl_region_get_size(region), flags);
	err = err ?: json_add_size(obj, "align", pmemctl_region_get_align(region), flags);
	err = err ?: json_add_size(obj, "available_size",
				   pmemctl_region_get_available_size(region), flags);
	err = err ?: json_add_size(obj, "max_available_extent",
				   pmemctl_region_get_max_available_extent(region), flags);
	err = err ?: json_add_int(obj, "numa_node", pmemctl_region_get_numa_node(region));
	err = err ?: json_add_string(obj, "persistence_domain",
				     pmemctl_region_get_persistence_domain(region));
	err = err ?: json_add_string(obj, "state", pmemctl_region_get_state(region));
	err = err ?: json_add_address(obj, "resource",
				      pmemctl_region_get_resource(region), flags);
	if (err < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* Every region named with -r must exist: check before printing anything. */
static int check_regions_exist(struct pmemctl_ctx *ctx, const struct list_opts *opts)
{
	struct pmemctl_region *region;
	size_t i;

	for (i = 0; i < opts->nr_region_ids; i++) {
		bool found = false;

		pmemctl_region_foreach(ctx, region)
			if (pmemctl_region_get_id(region) == opts->region_ids[i])
				found = true;
		if (!found)
			return cli_error("list", "region%u: no such region",
					 opts->region_ids[i]);
	}
	return 0;
}

static int list_regions(struct pmemctl_ctx *ctx, const struct list_opts *opts,
			struct json_object *array)
{
	struct pmemctl_region *region;
	int status;

	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0)
		return cli_error("list", "cannot read regions: %s", strerror(errno));

	status = check_regions_exist(ctx, opts);
	if (status)
		return status;

	pmemctl_region_foreach(ctx, region) {
		struct json_object *obj;

		if (!region_selected(opts, pmemctl_region_get_id(region)))
			continue;
		obj = region_to_json(region, opts->flags);
		if (!obj || json_object_array_add(array, obj) < 0) {
			json_object_put(obj);
			return cli_error("list", "%s", strerror(ENOMEM));
		}
	}
	return 0;
}

static int list_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "regions", no_argument, NULL, 'R' },
		{ "region", required_argument, NULL, 'r' },
		{ "human", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_opts opts = { 0 };
	struct json_object *array = NULL;
	int c, err, status = EXIT_SUCCESS;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Rr:uvh", options, NULL)) != -1) {
		switch (c) {
		case 'R':
			opts.regions = true;
			break;
		case 'r':
			err = parse_region_arg(&opts, optarg);
			if (err == -ENOMEM) {
				status = cli_error("list", "%s", strerror(ENOMEM));
				goto out;
			}
			if (err < 0) {
				status = cli_usage_error("list",
					"invalid region '%s' (expected regionN, N or all)",
					optarg);
				goto out;
			}
			break;
		case 'u':
			opts.flags |= JSON_HUMAN;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'h':
			list_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-list", list_usage);
			goto out;
		case ':':
			status = cli_usage_error("list", "option '%s' needs an argument",
						 argv[optind - 1]);
			goto out;
		default:
			if (optopt)
				status = cli_usage_error("list", "unknown option '-%c'",
							 optopt);
			else
				status = cli_usage_error("list", "unknown option '%s'",
							 argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		status = cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
		goto out;
	}

	/* Nothing selected means everything; only regions exist today. */
	if (!opts.regions)
		opts.regions = true;
	if (opts.nr_region_ids == 0)
		opts.all_regions = true;
	if (opts.verbose) {
		int prio = opts.verbose > 1 ? LOG_DEBUG : LOG_INFO;

		/* Never quieter than PMEMCTL_LOG asked for. */
		if (prio > pmemctl_get_log_priority(ctx))
			pmemctl_set_log_priority(ctx, prio);
	}

	status = cli_require_module(ctx, "list");
	if (status)
		goto out;

	array = json_object_new_array();
	if (!array) {
		status = cli_error("list", "%s", strerror(ENOMEM));
		goto out;
	}
	if (opts.regions) {
		status = list_regions(ctx, &opts, array);
		if (status)
			goto out;
	}

	err = json_print(stdout, array);
	if (err < 0)
		status = cli_error("list", "cannot write output: %s", strerror(-err));
out:
	json_object_put(array);
	free(opts.region_ids);
	return status;
}

const struct pmemctl_cmd cmd_list = {
	.name = "list",
	.summary = "list regions as JSON",
	.run = list_run,
	.usage = list_usage,
};
