/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmemctl apply: from a layout and what the regions hold now to the
 * actions that converge them, or the refusals that stop the apply. Pure
 * computation (no kernel, no library), so that every rule of
 * pmemctl-apply(1) is a unit test; cmd-apply.c fills in the world from
 * the library and carries the plan out.
 */
#ifndef PMEMCTL_CLI_APPLY_PLAN_H
#define PMEMCTL_CLI_APPLY_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/apply-layout.h"

/* A namespace as it is now. */
struct plan_cur_ns {
	unsigned int id;
	const char *name;		/* NULL: unnamed */
	bool has_uuid;
	unsigned char uuid[UUID_BYTES];
	enum ns_mode mode;
	enum ns_access access;
	unsigned long long size, align;
	bool enabled;
	/* the caller's (a pmemctl_namespace): invalid after a commit */
	void *handle;
};

enum plan_region_state {
	PLAN_REGION_ACTIVE,
	PLAN_REGION_UNINITIALIZED,
	PLAN_REGION_LABEL_ERROR,
	PLAN_REGION_DEGRADED,
};

struct plan_cur_region {
	unsigned int id;
	enum plan_region_state state;
	const char *label_error;	/* the kernel's reason, or NULL */
	struct plan_cur_ns *ns;
	size_t nr_ns;
	void *handle;			/* the caller's (a pmemctl_region) */
};

/* Every region of the machine, in any order. */
struct plan_world {
	struct plan_cur_region *regions;
	size_t nr_regions;
};

enum plan_kind {
	PLAN_INIT,		/* init-labels on a region without a store */
	PLAN_DESTROY,
	PLAN_RECONFIGURE,
	PLAN_CREATE,
	PLAN_ENABLE,
	PLAN_DISABLE,
};

/* "init-labels", "destroy", ... as the JSON output spells them. */
const char *plan_kind_name(enum plan_kind kind);

struct plan_action {
	enum plan_kind kind;
	const struct plan_cur_region *region;
	/* The file's entry: create, reconfigure, enable, disable; NULL else. */
	const struct layout_ns *want;
	/* The namespace now: destroy, reconfigure, enable, disable. */
	const struct plan_cur_ns *cur;
	/* create: what to make; reconfigure: the new mode and access kind. */
	enum ns_mode mode;
	enum ns_access access;
	unsigned long long size, align;
	bool has_uuid;
	unsigned char uuid[UUID_BYTES];
	bool disabled;			/* create: leave it disabled */
	bool force;			/* reconfigure: data-destroying */
};

#define PLAN_REASON_MAX 256

struct plan_refusal {
	unsigned int region;
	const char *name;		/* NULL: an unnamed namespace, or none */
	const char *place;		/* NULL: not in the file */
	char reason[PLAN_REASON_MAX];
};

struct plan {
	struct plan_action *actions;	/* in the order they are carried out */
	size_t nr_actions;
	struct plan_refusal *refusals;
	size_t nr_refusals;
	size_t unchanged;
};

/* Flags of plan_build(): the command's options. */
#define PLAN_OPT_PRUNE	(1u << 0)
#define PLAN_OPT_FORCE	(1u << 1)
#define PLAN_OPT_INIT	(1u << 2)

/*
 * Plan @layout against @world into @out (freed with plan_free(), also
 * after a failure). Per region of the file, in its order: init-labels,
 * destroys, reconfigures, creates (file order), then enables and
 * disables. Refusals are collected, not fatal: the caller changes nothing
 * when there is one. 0 or -ENOMEM. @out points into @layout and @world,
 * which must outlive it.
 */
int plan_build(const struct layout *layout, const struct plan_world *world,
	       unsigned int flags, struct plan *out);

void plan_free(struct plan *plan);

/* Whether an action changes the region's labels (goes into its batch). */
bool plan_action_is_batched(const struct plan_action *a);

#endif /* PMEMCTL_CLI_APPLY_PLAN_H */
