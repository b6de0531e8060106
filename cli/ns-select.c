// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding regions and namespaces from command-line arguments (-r filters,
 * numbers, names, UUIDs, "all"); see cli/namespace.h.
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


struct pmemctl_region *cli_find_region(struct pmemctl_ctx *ctx, unsigned int id)
{
	struct pmemctl_region *region;

	pmemctl_region_foreach(ctx, region)
		if (pmemctl_region_get_id(region) == id)
			return region;
	return NULL;
}

struct pmemctl_namespace *cli_find_namespace(struct pmemctl_ctx *ctx,
					     unsigned int region, unsigned int id)
{
	struct pmemctl_region *r = cli_find_region(ctx, region);
	struct pmemctl_namespace *ns;

	if (!r)
		return NULL;
	pmemctl_namespace_foreach(r, ns)
		if (pmemctl_namespace_get_id(ns) == id)
			return ns;
	return NULL;
}

void cli_set_verbose(struct pmemctl_ctx *ctx, int verbose)
{
	int prio = verbose > 1 ? LOG_DEBUG : LOG_INFO;

	/* Never quieter than PMEMCTL_LOG asked for. */
	if (verbose && prio > pmemctl_get_log_priority(ctx))
		pmemctl_set_log_priority(ctx, prio);
}

int cli_read_namespaces(struct pmemctl_ctx *ctx, const char *cmd)
{
	struct pmemctl_region *region;

	region = pmemctl_region_get_first(ctx);
	if (!region && errno != 0)
		return cli_error(cmd, "cannot read regions: %s", strerror(errno));
	pmemctl_region_foreach(ctx, region) {
		if (!pmemctl_namespace_get_first(region) && errno != 0)
			return cli_error(cmd, "cannot read the namespaces of %s: %s",
					 pmemctl_region_get_devname(region),
					 strerror(errno));
	}
	return 0;
}

int region_filter_add(struct region_filter *f, const char *arg)
{
	unsigned int id, *ids;

	if (region_arg_parse(arg, &id) < 0)
		return -EINVAL;
	ids = reallocarray(f->ids, f->count + 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	ids[f->count++] = id;
	f->ids = ids;
	return 0;
}

int region_filter_opt(const char *cmd, struct region_filter *f, const char *arg)
{
	int err = region_filter_add(f, arg);

	if (err == -ENOMEM)
		return cli_error(cmd, "%s", strerror(ENOMEM));
	if (err < 0)
		return cli_usage_error(cmd, "invalid region '%s' (expected regionN or N)",
				       arg);
	return 0;
}

bool region_filter_match(const struct region_filter *f, unsigned int id)
{
	size_t i;

	if (f->count == 0)
		return true;
	for (i = 0; i < f->count; i++)
		if (f->ids[i] == id)
			return true;
	return false;
}

static int refs_add(struct ns_ref **refs, size_t *count,
		    struct pmemctl_namespace *ns)
{
	unsigned int r = pmemctl_region_get_id(pmemctl_namespace_get_region(ns));
	unsigned int id = pmemctl_namespace_get_id(ns);
	struct ns_ref *bigger;
	size_t i;

	for (i = 0; i < *count; i++)
		if ((*refs)[i].region == r && (*refs)[i].id == id)
			return 0;	/* named twice: once is enough */
	bigger = reallocarray(*refs, *count + 1, sizeof(**refs));
	if (!bigger)
		return -ENOMEM;
	bigger[*count].region = r;
	bigger[*count].id = id;
	*refs = bigger;
	(*count)++;
	return 0;
}

/* Every namespace of the selected regions matching @arg's UUID or name. */
static int ns_match(struct pmemctl_ctx *ctx, const struct ns_arg *arg,
		    const struct region_filter *f, struct pmemctl_namespace **first,
		    char *names, size_t len)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	char want[UUID_STR_LEN + 1];
	int matches = 0;

	if (arg->kind == NS_ARG_UUID)
		uuid_to_str(arg->uuid, want);
	names[0] = '\0';
	pmemctl_region_foreach(ctx, region) {
		if (!region_filter_match(f, pmemctl_region_get_id(region)))
			continue;
		pmemctl_namespace_foreach(region, ns) {
			const char *v = arg->kind == NS_ARG_UUID ?
				pmemctl_namespace_get_uuid(ns) :
				pmemctl_namespace_get_name(ns);

			if (!v || strcmp(v, arg->kind == NS_ARG_UUID ? want : arg->name))
				continue;
			if (!matches++)
				*first = ns;
			if (strlen(names) + strlen(pmemctl_namespace_get_devname(ns)) + 3 < len)
				snprintf(names + strlen(names), len - strlen(names), "%s%s",
					 names[0] ? ", " : "", pmemctl_namespace_get_devname(ns));
		}
	}
	return matches;
}

int ns_resolve(struct pmemctl_ctx *ctx, const char *cmd, char *const args[],
	       int nargs, const struct region_filter *f, struct ns_ref **refs,
	       size_t *count)
{
	struct pmemctl_region *region;
	struct pmemctl_namespace *ns;
	struct ns_arg arg;
	char names[256];
	size_t j;
	int i, n;

	*refs = NULL;
	*count = 0;
	for (j = 0; j < f->count; j++)
		if (!cli_find_region(ctx, f->ids[j]))
			return cli_error(cmd, "region%u: no such region", f->ids[j]);

	if (nargs == 1 && strcmp(args[0], "all") == 0) {
		pmemctl_region_foreach(ctx, region) {
			if (!region_filter_match(f, pmemctl_region_get_id(region)))
				continue;
			pmemctl_namespace_foreach(region, ns)
				if (refs_add(refs, count, ns) < 0)
					return cli_error(cmd, "%s", strerror(ENOMEM));
		}
		return 0;
	}

	for (i = 0; i < nargs; i++) {
		if (strcmp(args[i], "all") == 0)
			return cli_usage_error(cmd, "'all' cannot be combined with other namespaces");
		if (ns_arg_parse(args[i], &arg) < 0)
			return cli_usage_error(cmd,
				"invalid namespace '%s' (expected namespaceR.N, R.N, a UUID or a name)",
				args[i]);
		if (arg.kind == NS_ARG_DEVNAME) {
			if (!region_filter_match(f, arg.region))
				return cli_error(cmd, "namespace%u.%u is not in the region given with -r",
						 arg.region, arg.id);
			ns = cli_find_namespace(ctx, arg.region, arg.id);
			if (!ns)
				return cli_error(cmd, "namespace%u.%u: no such namespace",
						 arg.region, arg.id);
		} else {
			n = ns_match(ctx, &arg, f, &ns, names, sizeof(names));
			if (n == 0)
				return cli_error(cmd, "no namespace %s '%s'%s",
						 arg.kind == NS_ARG_UUID ? "has UUID" : "is named",
						 args[i], f->count ? " in the region given with -r" : "");
			if (n > 1)
				return cli_error(cmd,
					"'%s' is ambiguous: it names %s; use the namespaceR.N form or -r REGION",
					args[i], names);
		}
		if (refs_add(refs, count, ns) < 0)
			return cli_error(cmd, "%s", strerror(ENOMEM));
	}
	return 0;
}
