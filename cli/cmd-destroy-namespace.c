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
		"NS is namespaceR.N, R.N, a UUID or a name.\n"
		"Prints {\"destroyed\":COUNT} on success.\n"
		"\n"
		"Options:\n"
		"  -r, --region=REGION    only namespaces of REGION (regionN or N; repeatable)\n"
		"  -v, --verbose          show library messages (-vv: debug)\n"
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static const struct ns_action destroy_action = {
	.cmd = "destroy-namespace",
	.page = "pmemctl-destroy-namespace",
	.verb = "destroy",
	.done_key = "destroyed",
	.usage = destroy_usage,
	.change = pmemctl_namespace_destroy,
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
