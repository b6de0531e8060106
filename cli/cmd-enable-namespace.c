// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl enable-namespace: see pmemctl-enable-namespace(1). */
#include <stdbool.h>
#include <stdio.h>

#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

static void enable_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl enable-namespace [OPTIONS] NS... | all\n"
		"\n"
		"Enable namespaces: create their block devices /dev/pmemRnN and wait for them.\n"
		"NS is namespaceR.N, R.N, a UUID or a name.\n"
		"Prints {\"enabled\":COUNT} on success.\n"
		"\n"
		"Options:\n"
		"  -r, --region=REGION    only namespaces of REGION (regionN or N; repeatable)\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static bool enabled_already(struct pmemctl_namespace *ns)
{
	return pmemctl_namespace_is_enabled(ns) == 1;
}

static const struct ns_action enable_action = {
	.cmd = "enable-namespace",
	.page = "pmemctl-enable-namespace",
	.verb = "enable",
	.done_key = "enabled",
	.usage = enable_usage,
	.change = pmemctl_namespace_enable,
	.done_already = enabled_already,
};

static int enable_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	return ns_action_run(&enable_action, ctx, argc, argv);
}

const struct pmemctl_cmd cmd_enable_namespace = {
	.name = "enable-namespace",
	.summary = "enable namespaces",
	.run = enable_run,
	.usage = enable_usage,
};
