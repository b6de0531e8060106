// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl destroy-namespace: see pmemctl-destroy-namespace(1). */
#include <stdbool.h>
#include <stdio.h>

#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

static void destroy_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl destroy-namespace [OPTIONS] NS... | all\n"
		"\n"
		"Destroy namespaces: remove their labels; their data becomes unreachable.\n"
		"Only disabled namespaces, unless --force is given.\n"
		"NS is namespaceR.N, R.N, a UUID or a name.\n"
		"Prints {\"destroyed\":COUNT} on success.\n"
		"\n"
		"Options:\n"
		"  -f, --force            also destroy enabled namespaces (one that is\n"
		"                         open or mounted is still refused)\n"
		"  -r, --region=REGION    only namespaces of REGION (regionN or N; repeatable)\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/*
 * Data is never destroyed without --force: a namespace that is enabled (or
 * whose state cannot be read) may be in use, so it must be disabled first,
 * which the user does on purpose. A disabled one needs no --force.
 */
static bool destroy_needs_force(const char *cmd, struct pmemctl_namespace *ns)
{
	const char *name = pmemctl_namespace_get_devname(ns);
	const char *bdev = pmemctl_namespace_get_blockdev(ns);

	switch (pmemctl_namespace_is_enabled(ns)) {
	case 0:
		return false;
	case 1:
		if (bdev)
			cli_error(cmd, "%s is enabled (%s); disable it first or pass --force",
				  name, bdev);
		else
			cli_error(cmd, "%s is enabled; disable it first or pass --force",
				  name);
		return true;
	default:
		cli_error(cmd, "cannot tell whether %s is enabled; disable it first or pass --force",
			  name);
		return true;
	}
}

static const struct ns_action destroy_action = {
	.cmd = "destroy-namespace",
	.page = "pmemctl-destroy-namespace",
	.verb = "destroy",
	.done_key = "destroyed",
	.usage = destroy_usage,
	.change = pmemctl_namespace_destroy,
	.needs_force = destroy_needs_force,
};

static int destroy_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	return ns_action_run(&destroy_action, ctx, argc, argv);
}

const struct pmemctl_cmd cmd_destroy_namespace = {
	.name = "destroy-namespace",
	.summary = "destroy namespaces",
	.run = destroy_run,
	.usage = destroy_usage,
};
