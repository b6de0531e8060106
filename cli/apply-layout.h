/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmemctl apply: the layout file, read and checked on its own (no kernel,
 * no library), so that a bad file is refused before anything changes.
 *
 * A layout is a JSON array of region objects in the shape that
 * `pmemctl list -R -N` prints (pmemctl-apply(1), LAYOUT FILE). Each region
 * is named by "dev" ("regionN"); its optional "namespaces" array holds
 * namespace objects named by "name" (required, the identity) with "size"
 * (required) and optionally "mode", "map", "access", "align", "uuid" and
 * "state".
 * Every other key that list prints is accepted and ignored; any other
 * key, a wrong type or a bad value is an error naming its place in the
 * file: "[0].namespaces[2].mode".
 */
#ifndef PMEMCTL_CLI_APPLY_LAYOUT_H
#define PMEMCTL_CLI_APPLY_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/util.h"

/* Where a layout entry came from, for messages: "[0].namespaces[2]". */
#define LAYOUT_PLACE_MAX 48

enum layout_state {
	LAYOUT_STATE_ANY,	/* no "state" key: enabled when created */
	LAYOUT_STATE_ENABLED,
	LAYOUT_STATE_DISABLED,
};

struct layout_ns {
	char place[LAYOUT_PLACE_MAX];
	char name[NS_NAME_MAX + 1];
	unsigned long long size;
	bool has_mode;
	enum ns_mode mode;
	bool has_access;	/* "access", or ndctl's "mode": "devdax" */
	enum ns_access access;
	bool has_align;
	unsigned long long align;
	bool has_uuid;
	unsigned char uuid[UUID_BYTES];
	enum layout_state state;
};

struct layout_region {
	char place[LAYOUT_PLACE_MAX];
	unsigned int id;		/* N of "regionN" */
	struct layout_ns *ns;		/* in file order */
	size_t nr_ns;
};

struct layout {
	struct layout_region *regions;	/* in file order */
	size_t nr_regions;
};

/* Longest message layout_parse() writes, NUL included. */
#define LAYOUT_ERR_MAX 256

/*
 * Parse @len bytes of @text into @out (freed with layout_free(), also
 * after a failure). Returns 0; -EINVAL for a layout that is not valid,
 * with a message in @err that starts with the place ("[0].namespaces[2]
 * .mode: unknown mode 'fsdaxx' (expected raw, page, pfn or fsdax)", or
 * "line 3, column 7: ..." for text that is not JSON); -ENOMEM.
 */
int layout_parse(const char *text, size_t len, struct layout *out,
		 char err[LAYOUT_ERR_MAX]);

void layout_free(struct layout *layout);

#endif /* PMEMCTL_CLI_APPLY_LAYOUT_H */
