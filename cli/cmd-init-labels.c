// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl init-labels: see pmemctl-init-labels(1). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

#define CMD "init-labels"

static void init_labels_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl init-labels [OPTIONS] REGION... | all\n"
		"\n"
		"Write an empty namespace label store at the start of each REGION\n"
		"(regionN or N). Prints {\"initialized\":COUNT} on success.\n"
		"\n"
		"Options:\n"
		"  -f, --force            also overwrite a valid or damaged store,\n"
		"                         erasing every namespace of the region\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static int report(struct pmemctl_region *region, int err)
{
	const char *name = pmemctl_region_get_devname(region);
	const char *state = pmemctl_region_get_state(region);

	switch (-err) {
	case EEXIST:
		if (state && (strcmp(state, "label-error") == 0 ||
			      strcmp(state, "degraded") == 0))
			return cli_error(CMD,
				"%s has a damaged label store; use --force to overwrite it (its namespaces are lost)",
				name);
		return cli_error(CMD,
			"%s already has a valid label store; use --force to erase it and every namespace in it",
			name);
	case EBUSY:
		return cli_error(CMD,
			"%s has enabled namespaces; disable them first (pmemctl disable-namespace all -r %s)",
			name, name);
	case ENODEV:
		return cli_error(CMD, "%s no longer exists", name);
	default:
		return ns_report_error(CMD, region, NULL, "initialise the labels of", err);
	}
}

static int init_labels_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct region_filter regions = { 0 };
	struct json_object *summary = NULL;
	struct pmemctl_region *region;
	bool force = false, all = false;
	int c, i, err, verbose = 0, done = 0, failed = 0, status = EXIT_SUCCESS;
	size_t j;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":fvh", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			init_labels_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-init-labels", init_labels_usage);
			goto out;
		default:
			status = cli_common_option(ctx, CMD, c, argv);
			if (status)
				goto out;
			break;
		}
	}
	if (optind >= argc) {
		status = cli_usage_error(CMD, "missing region (give REGION... or all)");
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0) {
			if (argc - optind > 1) {
				status = cli_usage_error(CMD,
					"'all' cannot be combined with other regions");
				goto out;
			}
			all = true;
			break;
		}
		err = region_filter_add(&regions, argv[i]);
		if (err < 0) {
			status = err == -ENOMEM ? cli_error(CMD, "%s", strerror(ENOMEM)) :
				cli_usage_error(CMD, "invalid region '%s' (expected regionN, N or all)",
						argv[i]);
			goto out;
		}
	}
	cli_set_verbose(ctx, verbose);

	status = cli_require_module(ctx, CMD);
	if (status)
		goto out;
	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0) {
		status = cli_error(CMD, "cannot read regions: %s", strerror(errno));
		goto out;
	}
	/* Check every name before changing anything. */
	for (j = 0; j < regions.count; j++) {
		if (!cli_find_region(ctx, regions.ids[j])) {
			status = cli_error(CMD, "region%u: no such region", regions.ids[j]);
			goto out;
		}
	}

	/* Each region once, in region order. */
	pmemctl_region_foreach(ctx, region) {
		if (!all && !(regions.count &&
			      region_filter_match(&regions, pmemctl_region_get_id(region))))
			continue;
		err = pmemctl_region_init_labels(region, force);
		if (err < 0) {
			report(region, err);
			failed++;
		} else {
			done++;
		}
	}

	summary = json_object_new_object();
	if (!summary || json_add_int(summary, "initialized", done) < 0) {
		status = cli_error(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	err = json_print(stdout, summary);
	if (err < 0)
		status = cli_error(CMD, "cannot write output: %s", strerror(-err));
	else
		status = failed ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	json_object_put(summary);
	free(regions.ids);
	return status;
}

const struct pmemctl_cmd cmd_init_labels = {
	.name = "init-labels",
	.summary = "initialise the namespace label store of regions",
	.run = init_labels_run,
	.usage = init_labels_usage,
};
