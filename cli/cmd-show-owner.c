// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl show-owner: see pmemctl-show-owner(1) and cli/owner.h. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/owner-report.h"
#include "cli/owner.h"
#include "cli/pmemctl.h"

#define CMD "show-owner"

static void show_owner_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl show-owner [OPTIONS]\n"
		"\n"
		"Print who drives the legacy persistent memory ranges now and who will\n"
		"from the next boot on (see pmemctl set-owner).\n"
		"\n"
		"Options:\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

static int show_owner_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *obj = NULL;
	enum owner owner;
	int c, err, rc, verbose = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose++;
			break;
		case 'h':
			show_owner_usage(stdout);
			return EXIT_SUCCESS;
		case 'H':
			return cli_help("pmemctl-show-owner", show_owner_usage);
		default:
			rc = cli_common_option(ctx, CMD, c, argv);
			if (rc)
				return rc;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	cli_set_verbose(ctx, verbose);

	err = owner_read_conf(OWNER_CONF, &owner);
	if (err == -EUCLEAN)
		return cli_error(CMD,
			"%s was changed by hand; remove it, then run set-owner again",
			OWNER_CONF);
	if (err < 0)
		return cli_error(CMD, "cannot read %s: %s", OWNER_CONF, strerror(-err));

	obj = json_object_new_object();
	err = 0;
	if (obj && (json_add_string(obj, "owner", owner_name(owner)) < 0 ||
		    json_add_string(obj, "config", OWNER_CONF) < 0))
		err = -ENOMEM;
	return owner_report_print(obj, err, CMD);
}

const struct pmemctl_cmd cmd_show_owner = {
	.name = "show-owner",
	.summary = "show who drives the legacy ranges now and from the next boot",
	.run = show_owner_run,
	.usage = show_owner_usage,
};
