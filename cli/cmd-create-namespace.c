// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl create-namespace: see pmemctl-create-namespace(1). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

#define CMD "create-namespace"
#define DEFAULT_ALIGN	(2ULL << 20)
#define ALIGN_1G	(1ULL << 30)

struct create_opts {
	const char *region;
	const char *size;
	const char *align;
	const char *name;
	const char *uuid;
	const char *mode_arg;
	const char *map_arg;
	const char *access_arg;
	bool dry_run;
	int verbose;
	unsigned int region_id;
	unsigned long long size_bytes;
	unsigned long long align_bytes;
	unsigned char uuid_bytes[UUID_BYTES];
	enum ns_mode mode;
	enum ns_access access;
};

static void create_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl create-namespace -s SIZE [OPTIONS]\n"
		"\n"
		"Create and enable a namespace; print it as a JSON object, with what its\n"
		"page metadata costs (data_size, metadata_ram, metadata_dev).\n"
		"\n"
		"Options:\n"
		"  -s, --size=SIZE        size in bytes, or with a K, M, G or T suffix (base 1024)\n"
		"  -r, --region=REGION    region to use (regionN or N); default: the first\n"
		"                         active region with a free extent of SIZE\n"
		"  -a, --align=ALIGN      alignment of start and size (power of two, at\n"
		"                         least 2M; default 2M); devdax: the mapping's\n"
		"                         fault size, 4K, 2M or 1G\n"
		"  -n, --name=NAME        name, unique in the region: 1-63 of [A-Za-z0-9._-]\n"
		"  -u, --uuid=UUID        UUID (8-4-4-4-12 hex); default: generated\n"
		"  -m, --mode=MODE        raw (default), page, pfn or ondemand; or fsdax\n"
		"                         or devdax with --map\n"
		"  -M, --map=mem|dev      with fsdax or devdax: mem means page, dev pfn\n"
		"  -A, --access=ACCESS    block (default: a block device) or devdax (a\n"
		"                         device-DAX character device; page, pfn or\n"
		"                         ondemand only)\n"
		"      --dry-run          change nothing: print what the namespace would be\n"
		"                         and cost (number and UUID may differ later)\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/* Check every argument; returns 0 or EXIT_USAGE. */
static int check_opts(struct create_opts *o)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX], c[SIZE_HUMAN_MAX];
	unsigned long long up, extent;
	int status;

	if (!o->size)
		return cli_usage_error(CMD, "missing -s SIZE");
	if (size_parse(o->size, &o->size_bytes) < 0 || o->size_bytes == 0)
		return cli_usage_error(CMD,
			"invalid size '%s' (expected a positive number with an optional K, M, G or T suffix)",
			o->size);
	status = cli_shape_opt(CMD, o->mode_arg, o->map_arg, o->access_arg,
			       &o->mode, &o->access);
	if (status)
		return status;
	o->align_bytes = DEFAULT_ALIGN;
	if (o->align && size_parse(o->align, &o->align_bytes) < 0)
		return cli_usage_error(CMD, "invalid alignment '%s'", o->align);
	if (o->access == NS_ACCESS_DEVDAX) {
		if (!ns_align_valid(o->access, o->align_bytes))
			return cli_usage_error(CMD,
				"invalid alignment '%s' for devdax: it is the mapping's fault size, 4K, 2M or 1G",
				o->align);
		if (o->align_bytes == ALIGN_1G && o->mode == NS_MODE_PFN &&
		    ns_pfn_reserve(o->size_bytes) % ALIGN_1G)
			return cli_usage_error(CMD,
				"devdax with 1G alignment needs its data to start on a 1G boundary, and a pfn memmap reserve of %s would move it off one; use --map=mem (page)",
				size_to_human(ns_pfn_reserve(o->size_bytes), a, sizeof(a)));
	} else if (!ns_align_valid(o->access, o->align_bytes)) {
		return cli_usage_error(CMD,
			"invalid alignment '%s': it must be a power of two of at least 2M",
			o->align);
	}
	/* the extent itself always starts and ends on 2M (memremap_pages) */
	extent = o->align_bytes < DEFAULT_ALIGN ? DEFAULT_ALIGN : o->align_bytes;
	if (o->size_bytes % extent) {
		up = (o->size_bytes / extent + 1) * extent;
		if (up < o->size_bytes)
			return cli_usage_error(CMD, "size '%s' is too large", o->size);
		return cli_usage_error(CMD,
			"size %s is not a multiple of the alignment %s; try %s",
			size_to_human(o->size_bytes, a, sizeof(a)),
			size_to_human(extent, b, sizeof(b)),
			size_to_human(up, c, sizeof(c)));
	}
	if (o->region && region_arg_parse(o->region, &o->region_id) < 0)
		return cli_usage_error(CMD, "invalid region '%s' (expected regionN or N)",
				       o->region);
	if (o->name && !ns_name_valid(o->name))
		return cli_usage_error(CMD,
			"invalid name '%s': use 1 to 63 letters, digits, '.', '_' or '-'",
			o->name);
	if (o->uuid && uuid_from_str(o->uuid, o->uuid_bytes) < 0)
		return cli_usage_error(CMD,
			"invalid UUID '%s' (expected 8-4-4-4-12 hexadecimal digits)", o->uuid);
	return 0;
}

/* -r, or the first active region whose largest free extent fits. */
static int pick_region(struct pmemctl_ctx *ctx, const struct create_opts *o,
		       struct pmemctl_region **out)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX];
	struct pmemctl_region *region, *largest = NULL;
	unsigned long long best = 0;
	int active = 0;

	if (o->region) {
		*out = cli_find_region(ctx, o->region_id);
		if (!*out)
			return cli_error(CMD, "region%u: no such region", o->region_id);
		return 0;
	}
	pmemctl_region_foreach(ctx, region) {
		const char *state = pmemctl_region_get_state(region);
		unsigned long long ext = pmemctl_region_get_max_available_extent(region);

		if (!state || strcmp(state, "active") != 0 || ext == ULLONG_MAX)
			continue;
		active++;
		if (ext >= o->size_bytes) {
			*out = region;
			return 0;
		}
		if (!largest || ext > best) {
			largest = region;
			best = ext;
		}
	}
	if (!pmemctl_region_get_first(ctx))
		return cli_error(CMD, "no persistent memory region found");
	if (!active)
		return cli_error(CMD,
			"no region has a label store; run 'pmemctl init-labels REGION' first");
	return cli_error(CMD, "no region has a free extent of %s; the largest is %s, in %s",
			 size_to_human(o->size_bytes, a, sizeof(a)),
			 size_to_human(best, b, sizeof(b)),
			 pmemctl_region_get_devname(largest));
}

/*
 * Without -r, a name or UUID must be new to every region, not only to the
 * one picked: a script that runs the same create twice would otherwise get
 * a second namespace of that name in another region, and every later use
 * of the name would be ambiguous. With -r the user chose the region, and
 * the module checks it there. @get reads the name or the UUID; @shown is
 * @value as the message quotes it.
 */
static int check_unused(struct pmemctl_ctx *ctx, const char *what, const char *value,
			const char *shown, const char *(*get)(struct pmemctl_namespace *ns))
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	char where[256] = "";
	size_t len = 0;
	int n = 0;

	pmemctl_region_foreach(ctx, region) {
		pmemctl_namespace_foreach(region, ns) {
			const char *v = get(ns);

			if (!v || strcmp(v, value) != 0)
				continue;
			if (len < sizeof(where))
				len += (size_t)snprintf(where + len, sizeof(where) - len,
						"%s%s (%s)", n ? ", " : "",
						pmemctl_region_get_devname(region),
						pmemctl_namespace_get_devname(ns));
			n++;
		}
	}
	if (!n)
		return 0;
	return cli_error(CMD,
		"the %s %s is already used in %s; choose another %s, or give -r REGION to use it again in another region",
		what, shown, where, what);
}

static int check_unused_everywhere(struct pmemctl_ctx *ctx, const struct create_opts *o)
{
	char uuid[UUID_STR_LEN + 1], quoted[NS_NAME_MAX + 3];
	int status;

	if (o->region || (!o->name && !o->uuid))
		return 0;
	status = cli_read_namespaces(ctx, CMD);
	if (!status && o->name) {
		snprintf(quoted, sizeof(quoted), "'%s'", o->name);
		status = check_unused(ctx, "name", o->name, quoted, pmemctl_namespace_get_name);
	}
	if (!status && o->uuid) {
		uuid_to_str(o->uuid_bytes, uuid);
		status = check_unused(ctx, "UUID", uuid, uuid, pmemctl_namespace_get_uuid);
	}
	return status;
}

static int build_config(struct pmemctl_ctx *ctx, const struct create_opts *o,
			struct pmemctl_namespace_config **out);

/*
 * @cost: what the kernel said the namespace would cost, when the failure
 * came from a dry run (which returns it with ENOMEM); NULL after a create.
 */
static int report(struct pmemctl_region *region, const struct create_opts *o,
		  int err, const struct pmemctl_cost *cost)
{
	char a[SIZE_HUMAN_MAX], b[SIZE_HUMAN_MAX], c[SIZE_HUMAN_MAX];
	const char *rname = pmemctl_region_get_devname(region);
	unsigned long long avail = pmemctl_region_get_available_size(region);
	unsigned long long ext = pmemctl_region_get_max_available_extent(region);
	struct pmemctl_namespace *ns;
	char uuid[UUID_STR_LEN + 1];

	switch (-err) {
	case ENOSPC:
		if (ext != ULLONG_MAX && ext >= o->size_bytes)
			return cli_error(CMD,
				"%s has no free label slot (it holds at most %d namespaces); destroy one first",
				rname, pmemctl_region_get_max_namespaces(region));
		if (avail == ULLONG_MAX || ext == ULLONG_MAX)
			return cli_error(CMD, "%s has no free extent of %s", rname,
					 size_to_human(o->size_bytes, a, sizeof(a)));
		return cli_error(CMD, "%s has %s free in extents of at most %s; asked for %s",
				 rname, size_to_human(avail, a, sizeof(a)),
				 size_to_human(ext, b, sizeof(b)),
				 size_to_human(o->size_bytes, c, sizeof(c)));
	case EEXIST:
		if (o->uuid)
			uuid_to_str(o->uuid_bytes, uuid);
		pmemctl_namespace_foreach(region, ns) {
			const char *v = pmemctl_namespace_get_name(ns);

			if (o->name && v && strcmp(v, o->name) == 0)
				return cli_error(CMD, "%s already has a namespace named '%s' (%s)",
						 rname, o->name, pmemctl_namespace_get_devname(ns));
			v = pmemctl_namespace_get_uuid(ns);
			if (o->uuid && v && strcmp(v, uuid) == 0)
				return cli_error(CMD, "%s already has a namespace with UUID %s (%s)",
						 rname, uuid, pmemctl_namespace_get_devname(ns));
		}
		return cli_error(CMD, "%s already has a namespace with that name or UUID", rname);
	case EOPNOTSUPP:
		return cli_error(CMD, "mode %s is not supported by this pmemctl module",
				 ns_mode_name(o->mode));
	case ENOMEM: {
		struct pmemctl_namespace_config *cfg = NULL;
		struct pmemctl_cost dry;

		/* After a create, the kernel's dry run says what it would take. */
		if (!cost && build_config(pmemctl_region_get_ctx(region), o, &cfg) == 0 &&
		    pmemctl_namespace_create_dry_run(region, cfg, NULL, NULL, &dry) == -ENOMEM)
			cost = &dry;
		pmemctl_namespace_config_free(cfg);
		return cli_report_backing_error(CMD, region, "the new namespace",
						ns_mode_name(o->mode), cost, NULL, err) ?:
		       cli_error(CMD, "%s", strerror(ENOMEM));
	}
	case EOVERFLOW:
		return cli_report_backing_error(CMD, region, "the new namespace",
						ns_mode_name(o->mode), NULL, NULL, err) ?:
		       cli_error(CMD, "%s", strerror(EOVERFLOW));
	case EINVAL:
		if (o->mode == NS_MODE_PFN && o->size_bytes < (4ULL << 20))
			return cli_error(CMD,
				"a pfn namespace needs at least 4M: its first 2M hold the memmap");
		if (o->access == NS_ACCESS_DEVDAX)
			return cli_error(CMD,
				"the kernel rejected the devdax namespace as invalid (size %s, align %s, mode %s): a pmemctl module older than ABI 1.5 has no devdax, and the data must start and end on the alignment; see pmemctl-create-namespace(1)",
				size_to_human(o->size_bytes, a, sizeof(a)),
				size_to_human(o->align_bytes, b, sizeof(b)),
				ns_mode_name(o->mode));
		return cli_error(CMD,
			"the kernel rejected the request as invalid (size %s, align %s, mode %s); see pmemctl-create-namespace(1)",
			size_to_human(o->size_bytes, a, sizeof(a)),
			size_to_human(o->align_bytes, b, sizeof(b)), ns_mode_name(o->mode));
	default:
		return ns_report_error(CMD, region, NULL, "create a namespace in", err);
	}
}

/*
 * The namespace a dry run describes, printed exactly as the created one
 * would be: enabled, with the block device it would get. An ondemand one
 * shows its worst case as metadata_ram, and no peak yet (null).
 */
static int print_plan(struct pmemctl_region *region, const struct create_opts *o,
		      unsigned int id, const unsigned char *uuid,
		      const struct pmemctl_cost *cost, unsigned long long per_gib)
{
	struct ns_planned_names names;
	struct ns_view v;

	ns_view_planned(&v, &names, region, (int)id, uuid, o->mode, o->access,
			o->size_bytes, o->align_bytes, o->name ? o->name : "",
			true);
	v.cost_known = true;
	v.cost = *cost;
	v.ram_per_gib = per_gib;
	return ns_print(CMD, ns_view_to_json(&v, 0), EXIT_SUCCESS);
}

static int build_config(struct pmemctl_ctx *ctx, const struct create_opts *o,
			struct pmemctl_namespace_config **out)
{
	struct pmemctl_namespace_config *cfg = NULL;
	int err;

	err = pmemctl_namespace_config_new(ctx, &cfg);
	err = err ?: pmemctl_namespace_config_set_size(cfg, o->size_bytes);
	err = err ?: pmemctl_namespace_config_set_align(cfg, o->align_bytes);
	err = err ?: pmemctl_namespace_config_set_mode(cfg, ns_mode_name(o->mode));
	err = err ?: pmemctl_namespace_config_set_access(cfg, ns_access_name(o->access));
	err = err ?: pmemctl_namespace_config_set_name(cfg, o->name);
	err = err ?: pmemctl_namespace_config_set_uuid(cfg, o->uuid ? o->uuid_bytes : NULL);
	if (err < 0) {
		pmemctl_namespace_config_free(cfg);
		return err;
	}
	*out = cfg;
	return 0;
}

static int create(struct pmemctl_ctx *ctx, struct create_opts *o)
{
	struct pmemctl_namespace_config *cfg = NULL;
	struct pmemctl_namespace *ns = NULL;
	struct pmemctl_region *region;
	int err, status;

	status = cli_require_module(ctx, CMD);
	if (status)
		return status;
	if (!pmemctl_region_get_first(ctx) && errno != 0)
		return cli_error(CMD, "cannot read regions: %s", strerror(errno));
	status = check_unused_everywhere(ctx, o);
	status = status ?: pick_region(ctx, o, &region);
	if (status)
		return status;

	err = build_config(ctx, o, &cfg);
	if (err < 0)
		return cli_error(CMD, "%s", strerror(-err));
	if (o->dry_run) {
		unsigned char uuid[UUID_BYTES];
		struct pmemctl_cost cost;
		unsigned long long per_gib;
		unsigned int id;

		err = pmemctl_namespace_create_dry_run_per_gib(region, cfg, &id, uuid,
							       &cost, &per_gib);
		pmemctl_namespace_config_free(cfg);
		if (err < 0)
			return report(region, o, err, err == -ENOMEM ? &cost : NULL);
		return print_plan(region, o, id, uuid, &cost, per_gib);
	}
	err = pmemctl_namespace_create(region, cfg, &ns);
	pmemctl_namespace_config_free(cfg);
	if (err < 0 && !ns)
		return report(region, o, err, NULL);

	/* Created; a timeout waiting for the node still prints it, then fails. */
	status = err < 0 ? ns_report_error(CMD, region, ns, "create", err) : EXIT_SUCCESS;
	return ns_print(CMD, namespace_to_json(ns, 0), status);
}

static int create_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "align", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "mode", required_argument, NULL, 'm' },
		{ "map", required_argument, NULL, 'M' },
		{ "access", required_argument, NULL, 'A' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct create_opts o = { 0 };
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:s:a:n:u:m:M:A:vh", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.region = optarg;
			break;
		case 's':
			o.size = optarg;
			break;
		case 'a':
			o.align = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'u':
			o.uuid = optarg;
			break;
		case 'm':
			o.mode_arg = optarg;
			break;
		case 'M':
			o.map_arg = optarg;
			break;
		case 'A':
			o.access_arg = optarg;
			break;
		case 'D':
			o.dry_run = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			create_usage(stdout);
			return EXIT_SUCCESS;
		case 'H':
			return cli_help("pmemctl-create-namespace", create_usage);
		default:
			status = cli_common_option(ctx, CMD, c, argv);
			if (status)
				return status;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	status = check_opts(&o);
	if (status)
		return status;
	cli_set_verbose(ctx, o.verbose);
	return create(ctx, &o);
}

const struct pmemctl_cmd cmd_create_namespace = {
	.name = "create-namespace",
	.summary = "create a namespace",
	.run = create_run,
	.usage = create_usage,
};
