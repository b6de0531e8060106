// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl read-labels: see pmemctl-read-labels(1). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/json.h"
#include "cli/labels-json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"

#define CMD "read-labels"

static void read_labels_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl read-labels [OPTIONS] REGION\n"
		"\n"
		"Print the label store of REGION (regionN or N) as JSON: both index\n"
		"copies and every label slot they reference. With -o, save its raw\n"
		"bytes to FILE instead. Needs root.\n"
		"\n"
		"Options:\n"
		"  -o, --output=FILE      save the raw store to FILE (mode 0600)\n"
		"  -f, --force            with -o, replace FILE if it exists\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

int labels_find_region(struct pmemctl_ctx *ctx, const char *cmd,
		       const char *arg, struct pmemctl_region **out)
{
	struct pmemctl_region *region;
	unsigned int id;
	int status;

	if (region_arg_parse(arg, &id) < 0)
		return cli_usage_error(cmd, "invalid region '%s' (expected regionN or N)", arg);
	status = cli_require_module(ctx, cmd);
	if (status)
		return status;
	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0)
		return cli_error(cmd, "cannot read regions: %s", strerror(errno));
	*out = cli_find_region(ctx, id);
	if (!*out)
		return cli_error(cmd, "region%u: no such region", id);
	return 0;
}

int labels_read_live(const char *cmd, struct pmemctl_region *region,
		     void **buf, size_t *len)
{
	const char *name = pmemctl_region_get_devname(region);
	int err = pmemctl_region_read_labels(region, buf, len);

	switch (-err) {
	case 0:
		return 0;
	case EACCES:
	case EPERM:
		return cli_error(cmd, "reading the label store of %s needs root (CAP_SYS_ADMIN)",
				 name);
	case EIO:
		return cli_error(cmd,
			"media error in the label store of %s: it cannot be read as one file; the other 4096-byte pieces of /sys/bus/pmemctl/devices/%s/labels can still be read with dd conv=noerror",
			name, name);
	case EAGAIN:
		return cli_error(cmd,
			"the label store of %s kept changing while it was read; try again when no command changes its namespaces",
			name);
	case ENOENT:
		return cli_error(cmd,
			"%s has no labels attribute: the loaded pmemctl module is too old to export its label store",
			name);
	default:
		return cli_error(cmd, "cannot read the label store of %s: %s", name,
				 strerror(-err));
	}
}

/*
 * Write @len bytes to a new file next to @path, then rename it there (or,
 * without @force, link it, so that an existing @path is never replaced).
 * 0 or an exit status after reporting.
 */
static int save(const char *path, const void *buf, size_t len, bool force)
{
	size_t plen = strlen(path), done = 0;
	char *tmp = malloc(plen + sizeof(".XXXXXX"));
	int fd, err = 0, status = EXIT_FAILURE;

	if (!tmp)
		return cli_error(CMD, "%s", strerror(ENOMEM));
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC);	/* mode 0600 */
	if (fd < 0) {
		status = cli_error(CMD, "cannot create a file next to %s: %s", path,
				   strerror(errno));
		free(tmp);
		return status;
	}
	while (!err && done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else
			done += (size_t)n;
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (err) {
		cli_error(CMD, "cannot write %s: %s", tmp, strerror(err));
		goto out;
	}
	if (force) {
		if (rename(tmp, path) < 0) {
			cli_error(CMD, "cannot rename %s to %s: %s", tmp, path,
				  strerror(errno));
			goto out;
		}
	} else if (link(tmp, path) < 0) {
		if (errno == EEXIST)
			cli_error(CMD, "%s exists; use --force to replace it", path);
		else
			cli_error(CMD, "cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	status = 0;
out:
	unlink(tmp);
	free(tmp);
	return status;
}

static int read_labels_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct labels_region r = { 0 };
	struct json_object *out = NULL;
	struct pmemctl_region *region;
	const char *output = NULL;
	bool force = false;
	int c, err, verbose = 0, status = EXIT_SUCCESS;
	unsigned long long seq;
	struct stat sb;
	void *buf = NULL;
	size_t len = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:fvh", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			read_labels_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-read-labels", read_labels_usage);
			goto out;
		default:
			status = cli_common_option(ctx, CMD, c, argv);
			if (status)
				goto out;
			break;
		}
	}
	if (optind >= argc) {
		status = cli_usage_error(CMD, "missing region (give REGION)");
		goto out;
	}
	if (argc - optind > 1) {
		status = cli_usage_error(CMD, "one region at a time (got '%s' after '%s')",
					 argv[optind + 1], argv[optind]);
		goto out;
	}
	if (output && !*output) {
		status = cli_usage_error(CMD, "empty file name for --output");
		goto out;
	}
	if (force && !output) {
		status = cli_usage_error(CMD, "--force goes with --output");
		goto out;
	}
	cli_set_verbose(ctx, verbose);
	/* Refuse early, before reading anything. */
	if (output && !force && lstat(output, &sb) == 0) {
		status = cli_error(CMD, "%s exists; use --force to replace it", output);
		goto out;
	}

	status = labels_find_region(ctx, CMD, argv[optind], &region);
	if (status)
		goto out;
	status = labels_read_live(CMD, region, &buf, &len);
	if (status)
		goto out;
	r.name = pmemctl_region_get_devname(region);
	r.size = pmemctl_region_get_size(region);
	r.phys = pmemctl_region_get_resource(region);
	if (r.size == ULLONG_MAX || r.phys == ULLONG_MAX) {
		status = cli_error(CMD, "cannot read the size and physical address of %s",
				   r.name);
		goto out;
	}

	if (output) {
		status = save(output, buf, len, force);
		if (status)
			goto out;
		out = json_object_new_object();
		err = !out ? -ENOMEM : json_add_string(out, "region", r.name);
		err = err ?: json_add_string(out, "saved", output);
		err = err ?: json_add_count(out, "bytes", (long long)len);
		if (!err && labels_current_seq(&r, buf, len, &seq) == 0)
			err = json_add_count(out, "seq", (long long)seq);
		else if (!err)
			err = json_add_count(out, "seq", -1);
	} else {
		out = labels_to_json(&r, buf, len);
		err = out ? 0 : -ENOMEM;
	}
	if (err) {
		status = cli_error(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	err = json_print(stdout, out);
	if (err < 0)
		status = cli_error(CMD, "cannot write output: %s", strerror(-err));
out:
	json_object_put(out);
	free(buf);
	return status;
}

const struct pmemctl_cmd cmd_read_labels = {
	.name = "read-labels",
	.summary = "print or save the raw label store of a region",
	.run = read_labels_run,
	.usage = read_labels_usage,
};
