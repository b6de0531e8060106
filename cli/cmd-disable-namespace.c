// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl disable-namespace: see pmemctl-disable-namespace(1). */
#include <stdbool.h>
#include <stdio.h>

#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

static void disable_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl disable-namespace [OPTIONS] NS... | all\n"
		"\n"
		"Disable namespaces: remove their block devices, keep labels and data.\n"
		"NS is namespaceR.N, R.N, a UUID or a name.\n"
		"Prints {\"disabled\":COUNT} on success.\n"
		"\n"
		"Options:\n"
		"  -r, --region=REGION    only namespaces of REGION (regionN or N; repeatable)\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static bool disabled_already(struct pmemctl_namespace *ns)
{
	return pmemctl_namespace_is_enabled(ns) == 0;
}

static const struct ns_action disable_action = {
	.cmd = "disable-namespace",
	.page = "pmemctl-disable-namespace",
	.verb = "disable",
	.done_key = "disabled",
	.usage = disable_usage,
	.change = pmemctl_namespace_disable,
	.done_already = disabled_already,
};

static int disable_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	return ns_action_run(&disable_action, ctx, argc, argv);
}

const struct pmemctl_cmd cmd_disable_namespace = {
	.name = "disable-namespace",
	.summary = "disable namespaces",
	.run = disable_run,
	.usage = disable_usage,
};
