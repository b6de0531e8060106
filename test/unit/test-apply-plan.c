// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for cli/apply-plan.c: every rule of pmemctl-apply(1)'s
 * CONVERGING section, on hand-made layouts and machines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/apply-plan.h"
#include "test/unit/tap.h"

#define M (1ULL << 20)
#define G (1ULL << 30)

static struct layout_ns lns(const char *name, unsigned long long size)
{
	struct layout_ns n;

	memset(&n, 0, sizeof(n));
	snprintf(n.name, sizeof(n.name), "%s", name);
	snprintf(n.place, sizeof(n.place), "[0].namespaces[%s]", name);
	n.size = size;
	return n;
}

static struct layout_ns lns_mode(const char *name, unsigned long long size,
				 enum ns_mode mode)
{
	struct layout_ns n = lns(name, size);

	n.has_mode = true;
	n.mode = mode;
	return n;
}

static struct plan_cur_ns cns(unsigned int id, const char *name,
			      unsigned long long size, enum ns_mode mode,
			      bool enabled)
{
	struct plan_cur_ns c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.name = name;
	c.size = size;
	c.align = 2 * M;
	c.mode = mode;
	c.enabled = enabled;
	c.has_uuid = true;
	memset(c.uuid, (int)id + 1, sizeof(c.uuid));
	return c;
}

/* A plan's actions as text: "create:a destroy:b ..." */
static const char *actions(const struct plan *p)
{
	static char buf[1024];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nr_actions; i++) {
		const struct plan_action *a = &p->actions[i];
		const char *name = a->want ? a->want->name :
				   a->cur ? a->cur->name : "-";

		off += snprintf(buf + off, sizeof(buf) - off, "%s%s:%s",
				i ? " " : "", plan_kind_name(a->kind),
				name ? name : "(unnamed)");
	}
	return buf;
}

struct fixture {
	struct layout_region lr[2];
	struct layout l;
	struct plan_cur_region cr[2];
	struct plan_world w;
	struct plan p;
};

static void fixture(struct fixture *f, struct layout_ns *want, size_t nwant,
		    struct plan_cur_ns *cur, size_t ncur)
{
	memset(f, 0, sizeof(*f));
	f->lr[0].id = 0;
	snprintf(f->lr[0].place, sizeof(f->lr[0].place), "[0]");
	f->lr[0].ns = want;
	f->lr[0].nr_ns = nwant;
	f->l.regions = f->lr;
	f->l.nr_regions = 1;
	f->cr[0].id = 0;
	f->cr[0].state = PLAN_REGION_ACTIVE;
	f->cr[0].ns = cur;
	f->cr[0].nr_ns = ncur;
	f->cr[1].id = 1;
	f->cr[1].state = PLAN_REGION_ACTIVE;
	f->w.regions = f->cr;
	f->w.nr_regions = 2;
}

static bool refused(const struct plan *p, const char *phrase)
{
	size_t i;

	for (i = 0; i < p->nr_refusals; i++)
		if (strstr(p->refusals[i].reason, phrase))
			return true;
	for (i = 0; i < p->nr_refusals; i++)
		printf("#   refusal %zu: %s\n", i, p->refusals[i].reason);
	return false;
}

static void test_create_and_order(void)
{
	struct layout_ns want[] = {
		lns("b", 4 * M), lns_mode("a", 8 * M, NS_MODE_PAGE),
		lns_mode("keep", 2 * M, NS_MODE_RAW),
	};
	struct plan_cur_ns cur[] = {
		cns(0, "keep", 2 * M, NS_MODE_RAW, true),
		cns(1, "other", 2 * M, NS_MODE_RAW, true),
	};
	struct fixture f;

	fixture(&f, want, 3, cur, 2);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0, "plan builds");
	check_str(actions(&f.p), "create:b create:a", "creates in file order");
	check(f.p.nr_refusals == 0, "no refusal");
	check(f.p.unchanged == 2, "matching and unmentioned count as unchanged (%zu)",
	      f.p.unchanged);
	check(f.p.actions[0].mode == NS_MODE_RAW && f.p.actions[0].align == 2 * M &&
	      !f.p.actions[0].disabled && !f.p.actions[0].has_uuid,
	      "create defaults: raw, 2M, enabled, UUID from the kernel");
	check(f.p.actions[1].mode == NS_MODE_PAGE, "create takes the mode");
	check(plan_action_is_batched(&f.p.actions[0]), "a create is batched");
	plan_free(&f.p);
}

static void test_idempotent(void)
{
	struct layout_ns want[] = { lns_mode("a", 4 * M, NS_MODE_PAGE) };
	struct plan_cur_ns cur[] = { cns(3, "a", 4 * M, NS_MODE_PAGE, true) };
	struct fixture f;

	want[0].state = LAYOUT_STATE_ENABLED;
	want[0].has_align = true;
	want[0].align = 2 * M;
	want[0].has_uuid = true;
	memcpy(want[0].uuid, cur[0].uuid, UUID_BYTES);
	fixture(&f, want, 1, cur, 1);
	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE | PLAN_OPT_FORCE, &f.p) == 0 &&
	      f.p.nr_actions == 0 && f.p.nr_refusals == 0 && f.p.unchanged == 1,
	      "a namespace that matches in every key: nothing to do");
	plan_free(&f.p);
}

static void test_destroying_changes(void)
{
	struct layout_ns want[] = { lns("a", 8 * M) };
	struct plan_cur_ns cur[] = { cns(0, "a", 4 * M, NS_MODE_PAGE, false) };
	struct fixture f;

	fixture(&f, want, 1, cur, 1);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_actions == 0 &&
	      refused(&f.p, "its size differs (4.00 MiB here, 8.00 MiB in the layout)"),
	      "a new size is refused without --force");
	check(f.p.nr_refusals == 1 && f.p.refusals[0].place == want[0].place &&
	      !strcmp(f.p.refusals[0].name, "a"), "the refusal names the entry");
	plan_free(&f.p);

	check(plan_build(&f.l, &f.w, PLAN_OPT_FORCE, &f.p) == 0 &&
	      f.p.nr_refusals == 0, "--force allows it");
	check_str(actions(&f.p), "destroy:a create:a", "destroy, then create");
	check(f.p.actions[1].mode == NS_MODE_PAGE && f.p.actions[1].has_uuid &&
	      !memcmp(f.p.actions[1].uuid, cur[0].uuid, UUID_BYTES) &&
	      f.p.actions[1].disabled,
	      "the new one keeps mode, UUID and state the file does not give");
	plan_free(&f.p);

	want[0].size = 4 * M;
	want[0].has_align = true;
	want[0].align = 4 * M;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "its alignment differs (2.00 MiB here, 4.00 MiB in the layout)"),
	      "a new alignment is refused without --force");
	plan_free(&f.p);

	want[0].has_align = false;
	want[0].has_uuid = true;
	memset(want[0].uuid, 0xee, UUID_BYTES);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "its UUID differs (01010101-0101-0101-0101-010101010101 here, eeeeeeee-"),
	      "a new UUID is refused without --force");
	plan_free(&f.p);
}

static void test_modes(void)
{
	struct layout_ns want[] = {
		lns_mode("r2p", 4 * M, NS_MODE_PAGE),
		lns_mode("p2r", 4 * M, NS_MODE_RAW),
		lns_mode("r2f", 4 * M, NS_MODE_PFN),
		lns_mode("f2r", 4 * M, NS_MODE_RAW),
		lns("keep", 4 * M),
	};
	struct plan_cur_ns cur[] = {
		cns(0, "r2p", 4 * M, NS_MODE_RAW, true),
		cns(1, "p2r", 4 * M, NS_MODE_PAGE, true),
		cns(2, "r2f", 4 * M, NS_MODE_RAW, true),
		cns(3, "f2r", 4 * M, NS_MODE_PFN, true),
		cns(4, "keep", 4 * M, NS_MODE_PFN, true),
	};
	struct fixture f;

	fixture(&f, want, 5, cur, 5);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0, "plan builds");
	check(f.p.nr_refusals == 2 &&
	      refused(&f.p, "changing its mode from raw to pfn destroys its data: --force does it") &&
	      refused(&f.p, "changing its mode from pfn to raw destroys its data"),
	      "into and out of pfn is refused without --force");
	plan_free(&f.p);

	check(plan_build(&f.l, &f.w, PLAN_OPT_FORCE, &f.p) == 0 &&
	      f.p.nr_refusals == 0, "--force allows them");
	check_str(actions(&f.p),
		  "reconfigure:r2p reconfigure:p2r reconfigure:r2f reconfigure:f2r",
		  "raw <-> page and pfn changes are reconfigures; no mode given: kept");
	check(!f.p.actions[0].force && !f.p.actions[1].force &&
	      f.p.actions[2].force && f.p.actions[3].force,
	      "only the pfn changes are forced reconfigures");
	check(f.p.unchanged == 1, "the one without a mode is unchanged");
	plan_free(&f.p);
}

static struct layout_ns lns_access(const char *name, unsigned long long size,
				   enum ns_access access)
{
	struct layout_ns n = lns(name, size);

	n.has_access = true;
	n.access = access;
	return n;
}

/* Access kinds: devdax creates, block <-> devdax in place, what cannot. */
static void test_access(void)
{
	struct layout_ns want[] = {
		lns_access("dd", 4 * M, NS_ACCESS_DEVDAX),
		lns_access("b2d", 4 * M, NS_ACCESS_DEVDAX),
		lns_access("d2b", 4 * M, NS_ACCESS_BLOCK),
		lns_access("same", 4 * M, NS_ACCESS_DEVDAX),
		lns_access("both", 4 * M, NS_ACCESS_DEVDAX),
		lns("nokey", 4 * M),
	};
	struct plan_cur_ns cur[] = {
		cns(0, "b2d", 4 * M, NS_MODE_PAGE, true),
		cns(1, "d2b", 4 * M, NS_MODE_PFN, true),
		cns(2, "same", 4 * M, NS_MODE_PAGE, true),
		cns(3, "both", 4 * M, NS_MODE_RAW, true),
		cns(4, "nokey", 4 * M, NS_MODE_PAGE, true),
	};
	struct fixture f;

	cur[1].access = NS_ACCESS_DEVDAX;
	cur[2].access = NS_ACCESS_DEVDAX;
	cur[4].access = NS_ACCESS_DEVDAX;
	want[4].has_mode = true;
	want[4].mode = NS_MODE_ONDEMAND;
	fixture(&f, want, 6, cur, 5);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_refusals == 0,
	      "access changes need no --force");
	check_str(actions(&f.p),
		  "reconfigure:b2d reconfigure:d2b reconfigure:both create:dd",
		  "block <-> devdax are reconfigures; the same access or none: unchanged");
	check(f.p.actions[0].access == NS_ACCESS_DEVDAX &&
	      f.p.actions[0].mode == NS_MODE_PAGE && !f.p.actions[0].force,
	      "block to devdax keeps the mode and the data");
	check(f.p.actions[1].access == NS_ACCESS_BLOCK &&
	      f.p.actions[1].mode == NS_MODE_PFN && !f.p.actions[1].force,
	      "devdax to block keeps the mode and the data");
	check(f.p.actions[2].access == NS_ACCESS_DEVDAX &&
	      f.p.actions[2].mode == NS_MODE_ONDEMAND && !f.p.actions[2].force,
	      "raw block to ondemand devdax: one reconfigure, in place");
	check(f.p.actions[3].access == NS_ACCESS_DEVDAX &&
	      f.p.actions[3].mode == NS_MODE_PFN &&
	      f.p.actions[3].align == 2 * M,
	      "a devdax create without a mode gets pfn (ndctl's default) and 2M");
	check(f.p.unchanged == 2, "same and nokey are unchanged");
	plan_free(&f.p);

	/* what access cannot have */
	want[4].has_mode = false;
	cur[1].align = 4096;
	fixture(&f, want, 6, cur, 5);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_refusals == 2 &&
	      refused(&f.p, "a raw namespace cannot be devdax") &&
	      refused(&f.p, "its alignment (4.00 KiB) does not suit block access"),
	      "raw devdax and a 4K block namespace are refused");
	plan_free(&f.p);
}

/* 1G devdax in pfn mode: only where the reserve keeps the data on 1G. */
static void test_devdax_1g(void)
{
	struct layout_ns want[] = {
		lns_access("small", 2 * G, NS_ACCESS_DEVDAX),
		lns_access("big", 64 * G, NS_ACCESS_DEVDAX),
		lns_access("paged", 2 * G, NS_ACCESS_DEVDAX),
	};
	struct fixture f;
	size_t i;

	for (i = 0; i < 3; i++) {
		want[i].has_align = true;
		want[i].align = G;
		want[i].has_mode = true;
		want[i].mode = i == 2 ? NS_MODE_PAGE : NS_MODE_PFN;
	}
	fixture(&f, want, 3, NULL, 0);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_refusals == 1 &&
	      refused(&f.p, "a pfn memmap reserve of 32.00 MiB would move it off one") &&
	      !strcmp(f.p.refusals[0].name, "small"),
	      "2G: a 32M reserve is refused; 64G (a 1G reserve) and page mode are not");
	plan_free(&f.p);
}

static void test_state(void)
{
	struct layout_ns want[] = { lns("on", 2 * M), lns("off", 2 * M),
				    lns_mode("both", 2 * M, NS_MODE_PAGE),
				    lns("new", 2 * M) };
	struct plan_cur_ns cur[] = {
		cns(0, "on", 2 * M, NS_MODE_RAW, false),
		cns(1, "off", 2 * M, NS_MODE_RAW, true),
		cns(2, "both", 2 * M, NS_MODE_RAW, true),
	};
	struct fixture f;

	want[0].state = LAYOUT_STATE_ENABLED;
	want[1].state = LAYOUT_STATE_DISABLED;
	want[2].state = LAYOUT_STATE_DISABLED;
	want[3].state = LAYOUT_STATE_DISABLED;
	fixture(&f, want, 4, cur, 3);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_refusals == 0,
	      "plan builds");
	check_str(actions(&f.p),
		  "reconfigure:both create:new enable:on disable:off disable:both",
		  "enables and disables come after the batch");
	check(f.p.actions[1].disabled, "a create with state disabled is left disabled");
	check(!plan_action_is_batched(&f.p.actions[2]), "an enable is not batched");
	plan_free(&f.p);
}

static void test_prune(void)
{
	struct layout_ns want[] = { lns("a", 2 * M) };
	struct plan_cur_ns cur[] = {
		cns(0, "a", 2 * M, NS_MODE_RAW, true),
		cns(1, "off", 2 * M, NS_MODE_RAW, false),
		cns(2, "on", 2 * M, NS_MODE_RAW, true),
		cns(3, NULL, 2 * M, NS_MODE_RAW, false),
	};
	struct fixture f;

	fixture(&f, want, 1, cur, 4);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && f.p.nr_actions == 0 &&
	      f.p.unchanged == 4, "without --prune the others are left alone");
	plan_free(&f.p);

	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE, &f.p) == 0 &&
	      f.p.nr_refusals == 1 &&
	      refused(&f.p, "not in the layout and enabled: --prune --force destroys it") &&
	      !f.p.refusals[0].place && !strcmp(f.p.refusals[0].name, "on"),
	      "--prune refuses an enabled one, naming it, with no place");
	check_str(actions(&f.p), "destroy:off destroy:(unnamed)",
		  "--prune destroys the disabled ones, unnamed too");
	plan_free(&f.p);

	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE | PLAN_OPT_FORCE, &f.p) == 0 &&
	      f.p.nr_refusals == 0, "--prune --force refuses nothing");
	check_str(actions(&f.p), "destroy:off destroy:on destroy:(unnamed)",
		  "and destroys every other one");
	plan_free(&f.p);
}

static void test_regions(void)
{
	struct layout_ns want[] = { lns("a", 2 * M) };
	struct plan_cur_ns cur1[] = { cns(0, "a", 2 * M, NS_MODE_RAW, true) };
	struct fixture f;

	fixture(&f, want, 1, NULL, 0);
	f.lr[0].id = 7;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "region7 does not exist"), "an unknown region is refused");
	plan_free(&f.p);

	f.lr[0].id = 0;
	f.cr[0].state = PLAN_REGION_UNINITIALIZED;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "the region has no label store: --init initializes it"),
	      "a region without a store needs --init");
	plan_free(&f.p);
	check(plan_build(&f.l, &f.w, PLAN_OPT_INIT, &f.p) == 0 && !f.p.nr_refusals,
	      "--init allows it");
	check_str(actions(&f.p), "init-labels:- create:a", "init-labels comes first");
	check(!plan_action_is_batched(&f.p.actions[0]), "init-labels is not batched");
	plan_free(&f.p);

	f.lr[0].nr_ns = 0;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 && !f.p.nr_refusals &&
	      !f.p.nr_actions,
	      "a region without a store and without namespaces: nothing to do");
	plan_free(&f.p);
	check(plan_build(&f.l, &f.w, PLAN_OPT_INIT, &f.p) == 0 && !f.p.nr_refusals,
	      "--init on it");
	check_str(actions(&f.p), "init-labels:-", "initializes it");
	plan_free(&f.p);
	f.lr[0].nr_ns = 1;

	f.cr[0].state = PLAN_REGION_LABEL_ERROR;
	f.cr[0].label_error = "bad checksum";
	check(plan_build(&f.l, &f.w, PLAN_OPT_INIT | PLAN_OPT_FORCE, &f.p) == 0 &&
	      refused(&f.p, "the region's label store is damaged (bad checksum): pmemctl init-labels --force"),
	      "a damaged store is never replaced by apply");
	plan_free(&f.p);

	f.cr[0].state = PLAN_REGION_DEGRADED;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "the region's label store is degraded"),
	      "a degraded region refuses changes");
	plan_free(&f.p);
	f.cr[0].state = PLAN_REGION_ACTIVE;

	/* the name in another region */
	f.cr[1].ns = cur1;
	f.cr[1].nr_ns = 1;
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "the name is taken by namespace1.0 in another region"),
	      "a name used in another region is refused");
	plan_free(&f.p);

	/* ... unless that region is in the file and pruned of it */
	f.lr[1].id = 1;
	f.l.nr_regions = 2;
	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE | PLAN_OPT_FORCE, &f.p) == 0 &&
	      f.p.nr_refusals == 0, "a name another region's prune frees is fine");
	check_str(actions(&f.p), "create:a destroy:a", "regions in file order");
	check(f.p.actions[0].region->id == 0 && f.p.actions[1].region->id == 1,
	      "each action knows its region");
	plan_free(&f.p);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "the name is taken by namespace1.0"),
	      "without --prune it stays taken");
	plan_free(&f.p);
}

static void test_uuid_taken(void)
{
	struct layout_ns want[] = { lns("a", 2 * M) };
	struct plan_cur_ns cur[] = { cns(4, "b", 2 * M, NS_MODE_RAW, false) };
	struct fixture f;

	want[0].has_uuid = true;
	memcpy(want[0].uuid, cur[0].uuid, UUID_BYTES);
	fixture(&f, want, 1, cur, 1);
	check(plan_build(&f.l, &f.w, 0, &f.p) == 0 &&
	      refused(&f.p, "the UUID is taken by namespace0.4"),
	      "a UUID another namespace has is refused");
	plan_free(&f.p);
	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE, &f.p) == 0 &&
	      f.p.nr_refusals == 0, "unless the batch destroys that one first");
	check_str(actions(&f.p), "destroy:b create:a", "destroy before create");
	plan_free(&f.p);
}

/* Re-applying a big layout: every entry matched, nothing to do. */
static void test_many(void)
{
	enum { N = 8160 };
	struct layout_ns *want = calloc(N, sizeof(*want));
	struct plan_cur_ns *cur = calloc(N, sizeof(*cur));
	char (*names)[16] = calloc(N, sizeof(*names));
	struct fixture f;
	size_t i;

	for (i = 0; want && cur && names && i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "n%zu", i);
		want[i] = lns(names[i], 2 * M);
		want[i].has_uuid = true;
		memset(want[i].uuid, 0, UUID_BYTES);
		memcpy(want[i].uuid, &i, sizeof(i));
		cur[N - 1 - i] = cns((unsigned int)i, names[i], 2 * M, NS_MODE_RAW, true);
		memcpy(cur[N - 1 - i].uuid, want[i].uuid, UUID_BYTES);
	}
	fixture(&f, want, N, cur, N);
	check(plan_build(&f.l, &f.w, PLAN_OPT_PRUNE, &f.p) == 0 &&
	      f.p.nr_actions == 0 && f.p.nr_refusals == 0 && f.p.unchanged == N,
	      "%d namespaces that match, listed in another order: nothing to do", N);
	plan_free(&f.p);
	free(want);
	free(cur);
	free(names);
}

int main(void)
{
	test_create_and_order();
	test_idempotent();
	test_destroying_changes();
	test_modes();
	test_access();
	test_devdax_1g();
	test_state();
	test_prune();
	test_regions();
	test_uuid_taken();
	test_many();
	return tap_done();
}
