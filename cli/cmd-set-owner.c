// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl set-owner: see pmemctl-set-owner(1) and cli/owner.h. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/owner-report.h"
#include "cli/owner.h"
#include "cli/pmemctl.h"

#define CMD "set-owner"

static void set_owner_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl set-owner [OPTIONS] pmemctl|libnvdimm\n"
		"\n"
		"Choose who drives the legacy persistent memory ranges from the next\n"
		"boot on: pmemctl, or libnvdimm's nd_e820 (the default). Writes or\n"
		"removes " OWNER_CONF " and updates the\n"
		"initramfs (update-initramfs -u -k all). Needs root.\n"
		"\n"
		"Options:\n"
		"      --no-initramfs     do not run update-initramfs\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/* The first of these that exists, else NULL. */
static const char *find_update_initramfs(void)
{
	static const char *const paths[] = {
		"/usr/sbin/update-initramfs", "/sbin/update-initramfs",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/*
 * Run update-initramfs -u -k all with its stdout on our stderr (stdout is
 * the JSON). Its exit status, or -1 if it could not run.
 */
static int update_initramfs(const char *path)
{
	char u[] = "-u", k[] = "-k", all[] = "all";
	char *argv[] = { (char *)path, u, k, all, NULL };

	return cli_spawn_wait(argv, CLI_SPAWN_STDOUT_TO_STDERR);
}

static int print_result(enum owner owner, enum owner previous, bool changed,
			const char *initramfs)
{
	struct json_object *obj = json_object_new_object();
	int err = 0;

	if (obj && (json_add_string(obj, "owner", owner_name(owner)) < 0 ||
		    json_add_string(obj, "previous", owner_name(previous)) < 0 ||
		    json_object_object_add(obj, "changed",
					   json_object_new_boolean(changed)) < 0 ||
		    json_add_string(obj, "config", OWNER_CONF) < 0 ||
		    json_add_string(obj, "initramfs", initramfs) < 0))
		err = -ENOMEM;
	return owner_report_print(obj, err, CMD);
}

static int set_owner_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "no-initramfs", no_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	enum owner owner, previous;
	const char *initramfs = "updated", *tool;
	bool run_initramfs = true;
	int c, err, rc, verbose = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", options, NULL)) != -1) {
		switch (c) {
		case 'I':
			run_initramfs = false;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			set_owner_usage(stdout);
			return EXIT_SUCCESS;
		case 'H':
			return cli_help("pmemctl-set-owner", set_owner_usage);
		default:
			rc = cli_common_option(ctx, CMD, c, argv);
			if (rc)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "missing owner (pmemctl or libnvdimm)");
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one owner only (pmemctl or libnvdimm)");
	if (owner_parse(argv[optind], &owner) < 0)
		return cli_usage_error(CMD, "invalid owner '%s' (expected pmemctl or libnvdimm)",
				       argv[optind]);
	cli_set_verbose(ctx, verbose);

	err = owner_read_conf(OWNER_CONF, &previous);
	if (err == -EUCLEAN)
		return cli_error(CMD,
			"%s was changed by hand; remove it, then run set-owner again",
			OWNER_CONF);
	if (err < 0)
		return cli_error(CMD, "cannot read %s: %s", OWNER_CONF, strerror(-err));

	/* Nothing to write, so nothing for the initramfs to learn. */
	if (owner == previous)
		return print_result(owner, previous, false, "unchanged");

	if (geteuid() != 0)
		return cli_error(CMD, "must be root to change the owner (it writes %s)",
				 OWNER_CONF);
	err = owner_write_conf(OWNER_CONF, owner);
	if (err < 0)
		return cli_error(CMD, "cannot write %s: %s", OWNER_CONF, strerror(-err));

	tool = find_update_initramfs();
	if (!run_initramfs) {
		initramfs = "skipped";
	} else if (!tool) {
		initramfs = "not-found";
	} else {
		rc = update_initramfs(tool);
		if (rc != 0) {
			/*
			 * An initramfs that still holds the old choice would
			 * decide the next boot against the new file: put the
			 * old choice back, so both agree.
			 */
			err = owner_write_conf(OWNER_CONF, previous);
			if (err < 0)
				return cli_error(CMD,
					"update-initramfs failed (status %d), and restoring %s failed too (%s): fix the initramfs, then run set-owner %s again",
					rc, OWNER_CONF, strerror(-err), owner_name(owner));
			return cli_error(CMD,
				"update-initramfs failed (status %d); the owner is still %s",
				rc, owner_name(previous));
		}
	}
	return print_result(owner, previous, true, initramfs);
}

const struct pmemctl_cmd cmd_set_owner = {
	.name = "set-owner",
	.summary = "choose who drives the legacy ranges from the next boot on",
	.run = set_owner_run,
	.usage = set_owner_usage,
};
