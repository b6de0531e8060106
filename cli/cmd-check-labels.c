// SPDX-License-Identifier: GPL-2.0-or-later
/* pmemctl check-labels: see pmemctl-check-labels(1). */
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
#include "uapi/pmemctl.h"

#define CMD "check-labels"

static void check_labels_usage(FILE *out)
{
	fprintf(out,
		"Usage: pmemctl check-labels [OPTIONS] REGION\n"
		"\n"
		"Verify the label store of REGION (regionN or N), or with --file a\n"
		"copy saved by read-labels -o, read against REGION's geometry. Prints\n"
		"{\"consistent\":BOOL,\"problems\":[...]}; exit status 1 on any problem.\n"
		"Needs root.\n"
		"\n"
		"Options:\n"
		"      --file=FILE        check the saved copy FILE, not the live store\n"
		"  -v, --verbose          library messages: --log-level=info (-vv: debug)\n"
		CLI_COMMON_USAGE
		"  -h                     show this help\n"
		"      --help             show the man page (this help if not installed)\n");
}

/* A saved copy: at most PMEMCTL_STORE_SIZE bytes. 0 or an exit status. */
static int read_saved(const char *path, void **bufp, size_t *len)
{
	struct stat sb;
	size_t got = 0;
	char *buf;
	int fd, status;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_error(CMD, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		status = cli_error(CMD, "%s is not a regular file", path);
		close(fd);
		return status;
	}
	if (sb.st_size > PMEMCTL_STORE_SIZE) {
		status = cli_error(CMD, "%s is %lld bytes, more than a label store (%u)",
				   path, (long long)sb.st_size, PMEMCTL_STORE_SIZE);
		close(fd);
		return status;
	}
	buf = malloc(PMEMCTL_STORE_SIZE);
	if (!buf) {
		close(fd);
		return cli_error(CMD, "%s", strerror(ENOMEM));
	}
	while (got < PMEMCTL_STORE_SIZE) {
		ssize_t n = read(fd, buf + got, PMEMCTL_STORE_SIZE - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			status = cli_error(CMD, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return status;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*bufp = buf;
	*len = got;
	return 0;
}

static int check_labels_run(struct pmemctl_ctx *ctx, int argc, char *argv[])
{
	enum { OPT_FILE = 0x200 };
	static const struct option options[] = {
		{ "file", required_argument, NULL, OPT_FILE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct labels_region r = { 0 };
	struct json_object *out = NULL;
	struct pmemctl_region *region;
	const char *file = NULL;
	int c, err, verbose = 0, status = EXIT_SUCCESS;
	bool consistent = false;
	void *buf = NULL;
	size_t len = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", options, NULL)) != -1) {
		switch (c) {
		case OPT_FILE:
			file = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			check_labels_usage(stdout);
			goto out;
		case 'H':
			status = cli_help("pmemctl-check-labels", check_labels_usage);
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
	if (file && !*file) {
		status = cli_usage_error(CMD, "empty file name for --file");
		goto out;
	}
	cli_set_verbose(ctx, verbose);

	status = labels_find_region(ctx, CMD, argv[optind], &region);
	if (status)
		goto out;
	r.name = pmemctl_region_get_devname(region);
	r.size = pmemctl_region_get_size(region);
	r.phys = pmemctl_region_get_resource(region);
	if (file)
		status = read_saved(file, &buf, &len);
	else
		status = labels_read_live(CMD, region, &buf, &len);
	if (status)
		goto out;
	if (r.phys == ULLONG_MAX) {
		status = cli_error(CMD,
			"checking labels needs the physical address of %s, which only root can read (CAP_SYS_ADMIN)",
			r.name);
		goto out;
	}
	if (r.size == ULLONG_MAX) {
		status = cli_error(CMD, "cannot read the size of %s", r.name);
		goto out;
	}

	out = labels_check_to_json(&r, buf, len, &consistent);
	if (!out) {
		status = cli_error(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	if (json_add_string(out, "file", file) < 0) {
		status = cli_error(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	err = json_print(stdout, out);
	if (err < 0)
		status = cli_error(CMD, "cannot write output: %s", strerror(-err));
	else
		status = consistent ? EXIT_SUCCESS : EXIT_FAILURE;
out:
	json_object_put(out);
	free(buf);
	return status;
}

const struct pmemctl_cmd cmd_check_labels = {
	.name = "check-labels",
	.summary = "verify the label store of a region",
	.run = check_labels_run,
	.usage = check_labels_usage,
};
