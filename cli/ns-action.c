// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runner behind destroy-, enable- and disable-namespace; see
 * cli/namespace.h.
 */
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
