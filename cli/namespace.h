/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the namespace commands share: the JSON form of a namespace
 * (ns-json.c), finding namespaces from command-line arguments
 * (ns-select.c), error messages for the kernel's answers (ns-report.c),
 * and the runner behind destroy/enable/disable-namespace (ns-action.c).
 */
#ifndef PMEMCTL_CLI_NAMESPACE_H
#define PMEMCTL_CLI_NAMESPACE_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

struct pmemctl_ctx;
struct pmemctl_region;
struct pmemctl_namespace;

#include "common/util.h"
#include "libpmemctl.h"

/*
 * Extra output flag (with JSON_HUMAN): the verbose keys data_offset, npfns,
 * page_struct_size and resource.
 */
#define JSON_NS_RESOURCE	(1u << 1)

/*
 * Everything the JSON form of a namespace shows: read from a namespace,
 * or filled in from a dry run so that it prints exactly as a real one.
 * Unknown strings are NULL, unknown numbers ULLONG_MAX / -1.
 */
struct ns_view {
	const char *dev, *region, *mode, *access, *uuid, *name, *state;
	const char *blockdev, *chardev;
	unsigned long long size, align, resource, npfns;
	unsigned long long ram_peak, ram_per_gib;	/* ondemand */
	unsigned int page_struct_size;
	int numa_node;
	bool cost_known;
	struct pmemctl_cost cost;
};

void ns_view_from_namespace(struct pmemctl_namespace *ns, struct ns_view *v);

/* The strings a planned namespace's view points to. */
struct ns_planned_names {
	char dev[64], node[64], uuid[UUID_STR_LEN + 1];
};

/*
 * The view of a namespace that a dry run plans (create-namespace
 * --dry-run, apply --dry-run), as list would print the made one: number
 * @id and @uuid as the kernel's dry run gave them (-1 and NULL when it
 * could not say), its device named as it will be when @enabled, a pfn
 * reserve made for 64-byte struct pages, no ondemand peak yet, and the
 * cost per mapped GiB unknown (null). The caller adds the cost and
 * @ram_per_gib if it knows them; the view points into @names.
 */
void ns_view_planned(struct ns_view *v, struct ns_planned_names *names,
		     struct pmemctl_region *region, int id,
		     const unsigned char *uuid, enum ns_mode mode,
		     enum ns_access access, unsigned long long size,
		     unsigned long long align, const char *name, bool enabled);

/*
 * A namespace as a JSON object, keys in the order of pmemctl-list(1):
 * dev, region, mode, access, size, data_size, metadata_ram (for mode
 * ondemand followed by metadata_ram_peak, metadata_ram_per_gib),
 * metadata_dev, align, uuid, name, state, blockdev, chardev, numa_node,
 * and with
 * JSON_NS_RESOURCE
 * data_offset, npfns, page_struct_size, resource. NULL on allocation
 * failure.
 */
struct json_object *ns_view_to_json(const struct ns_view *v, unsigned int flags);
struct json_object *namespace_to_json(struct pmemctl_namespace *ns,
				      unsigned int flags);

/*
 * Print @obj (consumed; NULL means it could not be made) on stdout; returns
 * @status, or EXIT_FAILURE after reporting a failure for @cmd.
 */
int ns_print(const char *cmd, struct json_object *obj, int status);

/* The cost keys of a region's extent report (list -R -v). */
struct json_object *cost_to_json(const struct pmemctl_cost *c, unsigned int flags);

/*
 * Explain a failure to enable @mode for @what ("namespace0.1", "the new
 * namespace") whose cost is @cost (may be NULL): ENOMEM (a page memmap
 * too large for free RAM) and EOVERFLOW (a pfn reserve too small for this
 * kernel's struct page). Returns EXIT_FAILURE after reporting, or 0 when
 * @err is neither.
 */
int cli_report_backing_error(const char *cmd, struct pmemctl_region *region,
			     const char *what, const char *mode,
			     const struct pmemctl_cost *cost,
			     struct pmemctl_namespace *ns, int err);

/* Region by number, or NULL. */
struct pmemctl_region *cli_find_region(struct pmemctl_ctx *ctx, unsigned int id);

/* Namespace by region and number, or NULL. */
struct pmemctl_namespace *cli_find_namespace(struct pmemctl_ctx *ctx,
					     unsigned int region, unsigned int id);

/* Raise the library's log priority for -v (info) / -vv (debug). */
void cli_set_verbose(struct pmemctl_ctx *ctx, int verbose);

/*
 * Read every region and its namespaces; on failure report it for @cmd and
 * return EXIT_FAILURE, else 0.
 */
int cli_read_namespaces(struct pmemctl_ctx *ctx, const char *cmd);

/* A namespace picked on the command line. */
struct ns_ref {
	unsigned int region;
	unsigned int id;
};

/* Region filter of -r: none means every region. */
struct region_filter {
	unsigned int *ids;
	size_t count;
};

/* Add "regionN"/"N" to @f. 0, -EINVAL (usage) or -ENOMEM. */
int region_filter_add(struct region_filter *f, const char *arg);
/* -r ARG of a namespace command: 0, or the exit status after reporting. */
int region_filter_opt(const char *cmd, struct region_filter *f, const char *arg);
bool region_filter_match(const struct region_filter *f, unsigned int id);

/*
 * Resolve @args (namespaceR.N, R.N, a UUID or a name; or the single word
 * "all") against the namespaces of the regions @f selects, into a list of
 * distinct namespaces in argument order. A name or UUID found in several
 * regions is ambiguous. Returns 0, EXIT_USAGE for a malformed argument or
 * EXIT_FAILURE when one names no namespace (reported for @cmd).
 */
int ns_resolve(struct pmemctl_ctx *ctx, const char *cmd, char *const args[],
	       int nargs, const struct region_filter *f, struct ns_ref **refs,
	       size_t *count);

/*
 * Report @err, the failure of @what ("destroy", "create", ...) on @ns (may
 * be NULL) of @region, with what to do about it. Returns EXIT_FAILURE.
 */
int ns_report_error(const char *cmd, struct pmemctl_region *region,
		    struct pmemctl_namespace *ns, const char *what, int err);

/* destroy-, enable- and disable-namespace: one runner, three tables. */
struct ns_action {
	const char *cmd;		/* "destroy-namespace" */
	const char *page;		/* "pmemctl-destroy-namespace" */
	const char *verb;		/* "destroy", for messages */
	const char *done_key;		/* "destroyed", the JSON summary key */
	void (*usage)(FILE *out);
	int (*change)(struct pmemctl_namespace *ns);
	/* Already in the wanted state: skipped, not counted. May be NULL. */
	bool (*done_already)(struct pmemctl_namespace *ns);
	/*
	 * Set for a command that takes -f/--force, NULL for the others. Without
	 * --force, a namespace this returns true for is left alone and counted
	 * as failed; the hook has said why on stderr (for @cmd).
	 */
	bool (*needs_force)(const char *cmd, struct pmemctl_namespace *ns);
};

int ns_action_run(const struct ns_action *action, struct pmemctl_ctx *ctx,
		  int argc, char *argv[]);

#endif /* PMEMCTL_CLI_NAMESPACE_H */
