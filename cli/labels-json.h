/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The label store as JSON (read-labels) and its verification
 * (check-labels), from a buffer holding the store's bytes: no sysfs, so
 * the unit tests can feed it stores built in memory. Decoding is
 * kernel/label-format.c, compiled as the module compiles it.
 *
 * The keys are documented in pmemctl-read-labels(1) and
 * pmemctl-check-labels(1); keep them stable.
 */
#ifndef PMEMCTL_CLI_LABELS_JSON_H
#define PMEMCTL_CLI_LABELS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* What a store is read against: the region's name and geometry. */
struct labels_region {
	const char *name;		/* "region0" */
	unsigned long long size;	/* bytes */
	unsigned long long phys;	/* physical start address */
};

/*
 * The store in @buf (@len bytes; fewer than PMEMCTL_STORE_SIZE read as
 * zero past @len) as read-labels prints it:
 * {"region", "size", "bytes", "index":[copy 0, copy 1], "current", "seq",
 *  "error", "fell_back", "count", "labels":[...]}. NULL on ENOMEM.
 */
struct json_object *labels_to_json(const struct labels_region *r,
				   const void *buf, size_t len);

/*
 * Verify the store in @buf as check-labels does: into @problems (a JSON
 * array) one string per inconsistency found. Returns how many (0: the
 * store is consistent) or -ENOMEM.
 */
int labels_check(const struct labels_region *r, const void *buf, size_t len,
		 struct json_object *problems);

/*
 * check-labels' output: {"region", "consistent", "current", "seq",
 * "problems":[...]}; *@consistent is set. NULL on ENOMEM.
 */
struct json_object *labels_check_to_json(const struct labels_region *r,
					 const void *buf, size_t len,
					 bool *consistent);

/*
 * The sequence number of the copy that is current, into @seq: 0, -ENOENT
 * when the store cannot be used, or -ENOMEM.
 */
int labels_current_seq(const struct labels_region *r, const void *buf,
		       size_t len, unsigned long long *seq);

/*
 * What read-labels and check-labels share (cli/cmd-read-labels.c; not in
 * the hermetic part): look up REGION (regionN or N), or read the live store
 * of a region (malloc()ed into @buf). 0, or an exit status after reporting
 * for @cmd.
 */
struct pmemctl_ctx;
struct pmemctl_region;
int labels_find_region(struct pmemctl_ctx *ctx, const char *cmd,
		       const char *arg, struct pmemctl_region **out);
int labels_read_live(const char *cmd, struct pmemctl_region *region,
		     void **buf, size_t *len);

#endif /* PMEMCTL_CLI_LABELS_JSON_H */
