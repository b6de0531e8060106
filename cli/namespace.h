/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the namespace commands share: the JSON form of a namespace, finding
 * namespaces from command-line arguments, error messages for the kernel's
 * answers, and the runner behind destroy/enable/disable-namespace.
 */
#ifndef PMEMCTL_CLI_NAMESPACE_H
#define PMEMCTL_CLI_NAMESPACE_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

struct pmemctl_ctx;
struct pmemctl_region;
struct pmemctl_namespace;

/* Extra output flag (with JSON_HUMAN): add the namespace's "resource". */
#define JSON_NS_RESOURCE	(1u << 1)

/*
 * A namespace as a JSON object, keys in the order of pmemctl-list(1):
 * dev, region, mode, size, align, uuid, name, state, blockdev, numa_node,
 * and resource with JSON_NS_RESOURCE. NULL on allocation failure.
 */
struct json_object *namespace_to_json(struct pmemctl_namespace *ns,
				      unsigned int flags);

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

/* "raw", "page", "pfn", or "fsdax" with @map "mem" (page) / "dev" (pfn). */
int cli_parse_mode(const char *mode, const char *map, const char **out);

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
