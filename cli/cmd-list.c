// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl list: print regions and namespaces as a JSON array.
 *
 * The output is always an array of objects, whatever the number of
 * results, and every object always has every key (null when a value cannot
 * be read), so scripts can rely on its shape. Which objects the array holds
 * depends only on -R and -N (see pmemctl-list(1)), never on the results.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

struct list_opts {
	bool regions;		/* -R */
	bool namespaces;	/* -N */
	bool all_regions;	/* no -r, or -r all */
	unsigned int *region_ids;
	size_t nr_region_ids;
	struct ns_arg *ns_args;	/* -n */
	size_t nr_ns_args;
	const char *mode_arg;	/* -m, as given */
	const char *map_arg;	/* --map, as given */
	bool has_mode;		/* -m or --map: only namespaces in mode */
	enum ns_mode mode;
	unsigned int flags;	/* JSON_* */
	bool media_errors;	/* -M */
	bool verbose;		/* -v: more keys, nothing else */
};

static void list_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl list [OPTIONS]\n"
		"\n"
		"Print persistent memory regions or namespaces as a JSON array.\n"
		"\n"
		"Options:\n"
		"  -R, --regions          list regions (the default)\n"
		"  -N, --namespaces       list namespaces; with -R, inside their regions\n"
		"  -r, --region=REGION    only REGION: regionN, N or all (repeatable)\n"
		"  -n, --namespace=NS     only NS: namespaceR.N, R.N, a UUID or a name\n"
		"                         (repeatable; implies -N without -R)\n"
		"  -m, --mode=MODE        only namespaces in MODE: raw, page, pfn, ondemand,\n"
		"                         or fsdax\n"
		"                         as create-namespace takes it (implies -N without -R)\n"
		"      --map=mem|dev      with --mode fsdax: mem means page, dev means pfn\n"
		"  -M, --media-errors     add each namespace's known media errors\n"
		"                         (badblock_count, badblocks; implies -N without -R)\n"
		"  -u, --human            sizes with units, addresses in hex\n"
		"  -v, --verbose          add each region's largest_extent (what each mode\n"
		"                         would give and cost there) and each namespace's\n"
		"                         data_offset, npfns, page_struct_size and resource\n"
		CLI_COMMON_USAGE
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

/* COST, or null when the module does not report it. */
static int add_cost(struct json_object *obj, const char *key, int rc,
		    const struct pmemctl_cost *cost, unsigned int flags)
{
	struct json_object *c;

	if (rc < 0)
		return json_object_object_add(obj, key, NULL) < 0 ? -ENOMEM : 0;
	c = cost_to_json(cost, flags);
	if (!c || json_object_object_add(obj, key, c) < 0) {
		json_object_put(c);
		return -ENOMEM;
	}
	return 0;
}

/*
 * devdax_2m, devdax_1g: {"page": COST, "pfn": COST, "ondemand": COST} for
 * a device-DAX namespace of that alignment, or null from a module that
 * reports none of them (before ABI 1.7).
 */
static int add_devdax_extent(struct json_object *ext, const char *key,
			     struct pmemctl_region *region,
			     unsigned long long align, unsigned int flags)
{
	static const enum ns_mode modes[] = {
		NS_MODE_PAGE, NS_MODE_PFN, NS_MODE_ONDEMAND,
	};
	struct pmemctl_cost cost[ARRAY_SIZE(modes)];
	struct json_object *obj;
	int rc[ARRAY_SIZE(modes)], err = 0;
	bool any = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		rc[i] = pmemctl_region_get_extent_cost_devdax(region,
				ns_mode_name(modes[i]), align, &cost[i]);
		any = any || rc[i] == 0;
	}
	if (!any)
		return json_object_object_add(ext, key, NULL) < 0 ? -ENOMEM : 0;
	obj = json_object_new_object();
	if (!obj)
		return -ENOMEM;
	for (i = 0; !err && i < ARRAY_SIZE(modes); i++)
		err = add_cost(obj, ns_mode_name(modes[i]), rc[i], &cost[i], flags);
	if (err || json_object_object_add(ext, key, obj) < 0) {
		json_object_put(obj);
		return -ENOMEM;
	}
	return 0;
}

/*
 * largest_extent: {"size": N, "raw": COST, "page": COST, "pfn": COST,
 * "ondemand": COST, "devdax_2m": {...}, "devdax_1g": {...}}, each COST as
 * the kernel computes it for a namespace filling the extent.
 */
static int add_extent_report(struct json_object *obj,
			     struct pmemctl_region *region, unsigned int flags)
{
	struct json_object *ext = json_object_new_object();
	struct pmemctl_cost cost;
	const char *mode;
	unsigned int m;
	int err, rc;

	if (!ext)
		return -ENOMEM;
	err = json_add_size(ext, "size",
			    pmemctl_region_get_max_available_extent(region), flags);
	for (m = 0; !err && m < NS_MODE_COUNT; m++) {
		mode = ns_mode_name(m);
		rc = pmemctl_region_get_extent_cost(region, mode, &cost);
		err = add_cost(ext, mode, rc, &cost, flags);
	}
	err = err ?: add_devdax_extent(ext, "devdax_2m", region, 2ULL << 20, flags);
	err = err ?: add_devdax_extent(ext, "devdax_1g", region, 1ULL << 30, flags);
	if (err || json_object_object_add(obj, "largest_extent", ext) < 0) {
		json_object_put(ext);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *region_to_json(struct pmemctl_region *region,
					  unsigned int flags, bool verbose)
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
	err = err ?: json_add_count(obj, "max_namespaces",
					  pmemctl_region_get_max_namespaces(region));
	err = err ?: json_add_count(obj, "numa_node", pmemctl_region_get_numa_node(region));
	err = err ?: json_add_string(obj, "persistence_domain",
				     pmemctl_region_get_persistence_domain(region));
	err = err ?: json_add_string(obj, "state", pmemctl_region_get_state(region));
	/* only when there is a reason: the key is absent otherwise */
	if (pmemctl_region_get_label_error(region))
		err = err ?: json_add_string(obj, "label_error",
					     pmemctl_region_get_label_error(region));
	err = err ?: json_add_address(obj, "resource",
				      pmemctl_region_get_resource(region), flags);
	if (verbose)
		err = err ?: add_extent_report(obj, region, flags);
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

static int ns_arg_add(struct list_opts *opts, const char *arg)
{
	struct ns_arg a, *args;

	if (ns_arg_parse(arg, &a) < 0)
		return -EINVAL;
	args = reallocarray(opts->ns_args, opts->nr_ns_args + 1, sizeof(*args));
	if (!args)
		return -ENOMEM;
	args[opts->nr_ns_args++] = a;
	opts->ns_args = args;
	return 0;
}

static bool ns_arg_match(const struct ns_arg *a, struct pmemctl_namespace *ns)
{
	char uuid[UUID_STR_LEN + 1];
	const char *v;

	switch (a->kind) {
	case NS_ARG_DEVNAME:
		return a->region == pmemctl_region_get_id(pmemctl_namespace_get_region(ns)) &&
		       a->id == pmemctl_namespace_get_id(ns);
	case NS_ARG_UUID:
		v = pmemctl_namespace_get_uuid(ns);
		return v && strcmp(v, uuid_to_str(a->uuid, uuid)) == 0;
	case NS_ARG_NAME:
		v = pmemctl_namespace_get_name(ns);
		return v && strcmp(v, a->name) == 0;
	}
	return false;
}

static bool ns_mode_matches(const struct list_opts *opts, struct pmemctl_namespace *ns)
{
	return !opts->has_mode || ns_mode_is(pmemctl_namespace_get_mode(ns), opts->mode);
}

/* -n (any of them) and -m. */
static bool ns_selected(const struct list_opts *opts, struct pmemctl_namespace *ns)
{
	size_t i;

	if (!ns_mode_matches(opts, ns))
		return false;
	if (opts->nr_ns_args == 0)
		return true;
	for (i = 0; i < opts->nr_ns_args; i++)
		if (ns_arg_match(&opts->ns_args[i], ns))
			return true;
	return false;
}

#define PMEMCTL_NS_TEXT_MAX	64

/* The -n argument as the user meant it, for messages. */
static const char *ns_arg_text(const struct ns_arg *a, char *buf)
{
	switch (a->kind) {
	case NS_ARG_DEVNAME:
		snprintf(buf, PMEMCTL_NS_TEXT_MAX, "namespace%u.%u", a->region, a->id);
		return buf;
	case NS_ARG_UUID:
		return uuid_to_str(a->uuid, buf);
	case NS_ARG_NAME:
		break;
	}
	return a->name;
}

/*
 * Every filter must match on its own, as -r does (a region that does not
 * exist is an error): each -n a namespace of the selected regions, and -m
 * at least one namespace there. Filters that each match but not together
 * give an empty array (see pmemctl-list(1)).
 */
static int check_namespaces_exist(struct pmemctl_ctx *ctx, const struct list_opts *opts)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	char text[PMEMCTL_NS_TEXT_MAX];
	bool mode_found = false;
	size_t i;

	/* a walk over every namespace only when -m asks for it */
	pmemctl_region_foreach(ctx, region) {
		if (!opts->has_mode || mode_found)
			break;
		if (!region_selected(opts, pmemctl_region_get_id(region)))
			continue;
		pmemctl_namespace_foreach(region, ns)
			if (ns_mode_matches(opts, ns))
				mode_found = true;
	}
	/* whole format strings: the man page quotes them (test-man-messages) */
	if (opts->has_mode && !mode_found)
		return cli_error("list", opts->all_regions ? "no namespace is in mode %s" :
				 "no namespace is in mode %s in the regions given with -r",
				 ns_mode_name(opts->mode));

	for (i = 0; i < opts->nr_ns_args; i++) {
		bool found = false;

		pmemctl_region_foreach(ctx, region) {
			if (!region_selected(opts, pmemctl_region_get_id(region)))
				continue;
			pmemctl_namespace_foreach(region, ns)
				if (ns_arg_match(&opts->ns_args[i], ns))
					found = true;
		}
		if (!found)
			return cli_error("list", opts->all_regions ? "%s: no such namespace" :
					 "%s: no such namespace in the regions given with -r",
					 ns_arg_text(&opts->ns_args[i], text));
	}
	return 0;
}

/*
 * Put @obj (NULL when it could not be made) into @array, or when @w is
 * given print it through @w. 0 or -ENOMEM; @obj is consumed either way.
 */
static int list_add(struct json_array_writer *w, struct json_object *array,
		    struct json_object *obj)
{
	if (!obj)
		return -ENOMEM;
	if (w)
		return json_array_writer_add(w, obj);
	if (json_object_array_add(array, obj) < 0) {
		json_object_put(obj);
		return -ENOMEM;
	}
	return 0;
}

/*
 * -M: "badblock_count" (bad 512-byte sectors in all) and "badblocks"
 * ([{"offset": SECTOR, "length": SECTORS}], sectors of the namespace's
 * data), as ndctl names and counts them, only when there is a media
 * error: no key means none is known. A list that cannot be read gives
 * "badblock_count": null.
 */
static int add_media_errors(struct json_object *obj, struct pmemctl_namespace *ns)
{
	struct pmemctl_badblock *bb = NULL;
	struct json_object *arr, *e;
	unsigned long long sectors = 0;
	int n, got, i, err = 0;

	n = pmemctl_namespace_get_badblocks(ns, NULL, 0);
	for (;;) {
		if (n <= 0)
			break;
		free(bb);
		bb = calloc((size_t)n, sizeof(*bb));
		if (!bb)
			return -ENOMEM;
		got = pmemctl_namespace_get_badblocks(ns, bb, (unsigned int)n);
		if (got <= n) {
			n = got;
			break;
		}
		n = got;	/* more errors found meanwhile */
	}
	if (n < 0) {
		free(bb);
		return json_object_object_add(obj, "badblock_count", NULL) < 0 ? -ENOMEM : 0;
	}
	if (n == 0) {
		free(bb);
		return 0;
	}
	for (i = 0; i < n; i++)
		sectors += bb[i].length;
	err = json_add_count(obj, "badblock_count",
			     sectors > LLONG_MAX ? -1 : (long long)sectors);
	arr = err ? NULL : json_object_new_array();
	if (!arr || json_object_object_add(obj, "badblocks", arr) < 0) {
		json_object_put(arr);
		free(bb);
		return -ENOMEM;
	}
	for (i = 0; !err && i < n; i++) {
		e = json_object_new_object();
		if (!e || json_add_count(e, "offset", (long long)bb[i].offset) < 0 ||
		    json_add_count(e, "length", (long long)bb[i].length) < 0 ||
		    json_object_array_add(arr, e) < 0) {
			json_object_put(e);
			err = -ENOMEM;
		}
	}
	free(bb);
	return err;
}

static struct json_object *list_namespace_to_json(struct pmemctl_namespace *ns,
						  const struct list_opts *opts,
						  unsigned int flags)
{
	struct json_object *obj = namespace_to_json(ns, flags);

	if (obj && opts->media_errors && add_media_errors(obj, ns) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static int add_namespaces(struct pmemctl_region *region, const struct list_opts *opts,
			  struct json_array_writer *w, struct json_object *array)
{
	struct pmemctl_namespace *ns;
	unsigned int flags = opts->flags | (opts->verbose ? JSON_NS_RESOURCE : 0);

	pmemctl_namespace_foreach(region, ns) {
		if (!ns_selected(opts, ns))
			continue;
		if (list_add(w, array, list_namespace_to_json(ns, opts, flags)) < 0)
			return cli_error("list", "%s", strerror(ENOMEM));
	}
	return 0;
}

/* A region's object, with its namespaces when -N asks for them. */
static int add_region(struct pmemctl_region *region, const struct list_opts *opts,
		      struct json_array_writer *w)
{
	struct json_object *obj, *nss;
	int status;

	obj = region_to_json(region, opts->flags, opts->verbose);
	if (obj && opts->namespaces) {
		nss = json_object_new_array();
		if (!nss || json_object_object_add(obj, "namespaces", nss) < 0) {
			json_object_put(nss);
			json_object_put(obj);
			obj = NULL;
		} else {
			status = add_namespaces(region, opts, NULL, nss);
			if (status) {
				json_object_put(obj);
				return status;
			}
		}
	}
	if (list_add(w, NULL, obj) < 0)
		return cli_error("list", "%s", strerror(ENOMEM));
	return 0;
}

/*
 * Print the objects through @w one by one as they are made: with thousands
 * of namespaces, building the whole array first would cost its memory.
 */
static int list_objects(struct pmemctl_ctx *ctx, const struct list_opts *opts,
			struct json_array_writer *w)
{
	struct pmemctl_region *region;
	int status;

	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0)
		return cli_error("list", "cannot read regions: %s", strerror(errno));

	status = check_regions_exist(ctx, opts);
	if (status)
		return status;
	if (opts->namespaces) {
		status = cli_read_namespaces(ctx, "list");
		status = status ?: check_namespaces_exist(ctx, opts);
		if (status)
			return status;
	}

	pmemctl_region_foreach(ctx, region) {
		if (!region_selected(opts, pmemctl_region_get_id(region)))
			continue;
		if (opts->regions)
			status = add_region(region, opts, w);
		else
			status = add_namespaces(region, opts, w, NULL);
		if (status)
			return status;
	}
	return 0;
}

static int list_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "regions", no_argument, NULL, 'R' },
		{ "namespaces", no_argument, NULL, 'N' },
		{ "region", required_argument, NULL, 'r' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "map", required_argument, NULL, 'P' },
		{ "media-errors", no_argument, NULL, 'M' },
		{ "human", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct list_opts opts = { 0 };
	struct json_array_writer w = { 0 };
	int c, err, status = EXIT_SUCCESS;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":RNr:n:m:Muvh", options, NULL)) != -1) {
		switch (c) {
		case 'R':
			opts.regions = true;
			break;
		case 'N':
			opts.namespaces = true;
			break;
		case 'n':
			err = ns_arg_add(&opts, optarg);
			if (err == -ENOMEM) {
				status = cli_error("list", "%s", strerror(ENOMEM));
				goto out;
			}
			if (err < 0) {
				status = cli_usage_error("list",
					"invalid namespace '%s' (expected namespaceR.N, R.N, a UUID or a name)",
					optarg);
				goto out;
			}
			break;
		case 'm':
			opts.mode_arg = optarg;
			opts.has_mode = true;
			break;
		case 'P':
			opts.map_arg = optarg;
			opts.has_mode = true;
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
		case 'M':
			opts.media_errors = true;
			break;
		case 'u':
			opts.flags |= JSON_HUMAN;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			list_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-list", list_usage);
			goto out;
		default:
			status = cli_common_option(ctx, "list", c, argv);
			if (status)
				goto out;
			break;
		}
	}
	if (optind < argc) {
		status = cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (opts.has_mode) {
		status = cli_mode_opt("list", opts.mode_arg, opts.map_arg, &opts.mode);
		if (status)
			goto out;
	}

	/*
	 * No -R and no -N: namespaces when a namespace filter or -M asks for
	 * them, else regions. -R -M without -N lists the namespaces too:
	 * media errors are theirs.
	 */
	if (opts.regions && opts.media_errors)
		opts.namespaces = true;
	if (!opts.regions && !opts.namespaces) {
		if (opts.nr_ns_args || opts.has_mode || opts.media_errors)
			opts.namespaces = true;
		else
			opts.regions = true;
	}
	if (opts.nr_region_ids == 0)
		opts.all_regions = true;
	status = cli_require_module(ctx, "list");
	if (status)
		goto out;

	if (json_array_writer_init(&w) < 0) {
		status = cli_error("list", "%s", strerror(ENOMEM));
		goto out;
	}
	status = list_objects(ctx, &opts, &w);
	if (status)
		goto out;

	err = json_array_writer_finish(&w, stdout);
	if (err < 0)
		status = cli_error("list", "cannot write output: %s", strerror(-err));
out:
	json_array_writer_free(&w);
	free(opts.region_ids);
	free(opts.ns_args);
	return status;
}

const struct pmemctl_cmd cmd_list = {
	.name = "list",
	.summary = "list regions and namespaces as JSON",
	.run = list_run,
	.usage = list_usage,
};
