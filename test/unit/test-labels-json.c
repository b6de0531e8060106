// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * read-labels' JSON and check-labels' verdict (cli/labels-json.c) on label
 * stores built in memory with kernel/label-format.c: a valid store, a torn
 * newest index copy (fallback), a bad label, no store, a short buffer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/label-format.h"
#include "cli/labels-json.h"
#include "tap.h"

#define MIB		(1ULL << 20)
#define REGION_PHYS	(4ULL << 30)
#define REGION_SIZE	(1ULL << 30)

static u8 *area;
static const struct labels_region region = {
	.name = "region0", .size = REGION_SIZE, .phys = REGION_PHYS,
};

static u8 *slot_ptr(u32 slot)
{
	return area + 2 * PMEMCTL_INDEX_SIZE + (size_t)slot * PMEMCTL_LABEL_SIZE;
}

static void make_ns(struct lf_ns *ns, u32 slot, u32 id, u64 off, u32 mode,
		    const char *name)
{
	memset(ns, 0, sizeof(*ns));
	ns->slot = slot;
	ns->id = id;
	ns->offset = off;
	ns->size = 4 * MIB;
	ns->align = 2 * MIB;
	ns->mode = mode;
	ns->uuid[0] = 0x10;
	ns->uuid[15] = (u8)(id + 1);
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	lf_set_layout(ns);
}

/*
 * Slots 3 (id 0, raw) and 9 (id 1, pfn) in both copies; copy 1 (seq 7)
 * newer than copy 0 (seq 6) and also holding slot 20 (id 2, page).
 */
static void build(void)
{
	u8 used0[PMEMCTL_NSLOTS / 8] = { 0 }, used1[PMEMCTL_NSLOTS / 8] = { 0 };
	struct lf_ns ns;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	make_ns(&ns, 3, 0, 2 * MIB, PMEMCTL_MODE_RAW, "alpha");
	lf_label_encode(slot_ptr(3), &ns);
	make_ns(&ns, 9, 1, 6 * MIB, PMEMCTL_MODE_PFN, "");
	lf_label_encode(slot_ptr(9), &ns);
	make_ns(&ns, 20, 2, 10 * MIB, PMEMCTL_MODE_PAGE, "gamma");
	lf_label_encode(slot_ptr(20), &ns);
	lf_slot_set(used0, 3, true);
	lf_slot_set(used0, 9, true);
	memcpy(used1, used0, sizeof(used1));
	lf_slot_set(used1, 20, true);
	lf_index_encode(area, 0, 6, REGION_SIZE, used0);
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, 7, REGION_SIZE, used1);
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); o && tok;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	}
	return o;
}

static const char *str(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static long long num(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v && json_object_is_type(v, json_type_int) ?
	       (long long)json_object_get_int64(v) : -1;
}

static bool is_null(struct json_object *o, const char *path)
{
	struct json_object *v;
	char buf[128], *dot;

	/* present, with value null */
	snprintf(buf, sizeof(buf), "%s", path);
	dot = strrchr(buf, '.');
	if (dot) {
		*dot = 0;
		v = get(o, buf);
		path = dot + 1;
	} else {
		v = o;
	}
	return v && json_object_object_get_ex(v, path, &v) && !v;
}

static bool boolean(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

static size_t len(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v && json_object_is_type(v, json_type_array) ?
	       json_object_array_length(v) : (size_t)-1;
}

static const char *show(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* check-labels' verdict: problem count; the problems in @out[] (first 8). */
static int verdict(size_t bytes, const char **out, struct json_object **keep)
{
	struct json_object *p = json_object_new_array();
	int n, i;

	n = labels_check(&region, area, bytes, p);
	for (i = 0; i < 8; i++)
		out[i] = i < (int)json_object_array_length(p) ?
			 json_object_get_string(json_object_array_get_idx(p, (size_t)i)) : NULL;
	*keep = p;
	return n;
}

static void test_valid(void)
{
	struct json_object *o, *p;
	const char *probs[8];
	bool consistent = false;
	int n;

	build();
	o = labels_to_json(&region, area, PMEMCTL_STORE_SIZE);
	check(o != NULL, "valid store: JSON made");
	check_str(str(o, "region"), "region0", "region");
	check(num(o, "size") == (long long)REGION_SIZE, "size");
	check(num(o, "bytes") == PMEMCTL_STORE_SIZE, "bytes");
	check(num(o, "current") == 1 && num(o, "seq") == 7, "copy 1 (seq 7) current");
	check(is_null(o, "error"), "error null");
	check(!boolean(o, "fell_back"), "no fallback");
	check(num(o, "count") == 3, "count 3");
	check(num(o, "index.0.copy") == 0 && num(o, "index.0.seq") == 6, "index 0: seq 6");
	check_str(str(o, "index.0.verdict"), "ok", "index 0 verdict ok");
	check_str(str(o, "index.0.labels_verdict"), "ok", "index 0 labels ok");
	check(!boolean(o, "index.0.current") && boolean(o, "index.1.current"),
	      "only copy 1 current");
	check(len(o, "labels") == 3, "3 slots listed (%s)", show(get(o, "labels")));
	check(num(o, "labels.0.slot") == 3 && len(o, "labels.0.in") == 2, "slot 3 in both");
	check(num(o, "labels.2.slot") == 20 && len(o, "labels.2.in") == 1 &&
	      num(o, "labels.2.in.0") == 1, "slot 20 in copy 1 only");
	check_str(str(o, "labels.0.verdict"), "ok", "slot 3 ok");
	check_str(str(o, "labels.0.name"), "alpha", "slot 3 name");
	check_str(str(o, "labels.0.mode"), "raw", "slot 3 raw");
	check_str(str(o, "labels.0.uuid"), "10000000-0000-0000-0000-000000000001", "slot 3 uuid");
	check(num(o, "labels.0.offset") == (long long)(2 * MIB) &&
	      num(o, "labels.0.size") == (long long)(4 * MIB) &&
	      num(o, "labels.0.align") == (long long)(2 * MIB), "slot 3 extent");
	check_str(str(o, "labels.1.mode"), "pfn", "slot 9 pfn");
	check(num(o, "labels.1.data_offset") == (long long)(2 * MIB) &&
	      num(o, "labels.1.npfns") == 1024, "slot 9 pfn layout (%s)", show(get(o, "labels.1")));
	check_str(str(o, "labels.1.name"), "", "slot 9 empty name");
	check_str(str(o, "labels.2.mode"), "page", "slot 20 page");
	json_object_put(o);

	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 0, "valid store: consistent (%d: %s)", n, show(p));
	json_object_put(p);
	o = labels_check_to_json(&region, area, PMEMCTL_STORE_SIZE, &consistent);
	check(o && consistent && boolean(o, "consistent") && len(o, "problems") == 0 &&
	      num(o, "current") == 1 && num(o, "seq") == 7 && num(o, "count") == 3,
	      "check JSON: %s", show(o));
	json_object_put(o);
}

static void test_torn_newest(void)
{
	struct json_object *o, *p;
	const char *probs[8];
	bool consistent = true;
	int n;

	build();
	area[PMEMCTL_INDEX_SIZE + 200] ^= 0x40;	/* copy 1 torn */
	o = labels_to_json(&region, area, PMEMCTL_STORE_SIZE);
	check_str(str(o, "index.1.verdict"), "bad checksum", "torn copy 1: bad checksum");
	check(num(o, "index.1.seq") == 7, "torn copy 1: raw seq still shown");
	check(is_null(o, "index.1.labels_verdict"), "torn copy 1: labels_verdict null");
	check(num(o, "current") == 0 && num(o, "seq") == 6 && boolean(o, "fell_back"),
	      "fell back to copy 0 (%s)", show(o));
	check(len(o, "labels") == 2, "only copy 0's slots listed");
	json_object_put(o);

	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 2, "torn copy: 2 problems (%s)", show(p));
	check_str(probs[0], "index copy 1: bad checksum", "problem 1");
	check_str(probs[1], "fell back to index copy 0 (seq 6): the other copy cannot be used",
		  "problem 2");
	json_object_put(p);
	o = labels_check_to_json(&region, area, PMEMCTL_STORE_SIZE, &consistent);
	check(o && !consistent && !boolean(o, "consistent"), "check: inconsistent");
	json_object_put(o);

	/*
	 * The older copy damaged: the newest state is used, but a damaged
	 * copy may have been newer, so label-format.c counts it as a
	 * fallback too.
	 */
	build();
	area[100] ^= 1;
	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 2, "older copy torn: 2 problems (%s)", show(p));
	check_str(probs[0], "index copy 0: bad checksum", "older copy: bad checksum");
	check_str(probs[1], "fell back to index copy 1 (seq 7): the other copy cannot be used",
		  "older copy: counted as a fallback");
	json_object_put(p);
}

static void test_bad_label(void)
{
	struct json_object *o, *p;
	const char *probs[8];
	int n;

	build();
	slot_ptr(20)[40] ^= 1;		/* only copy 1 references slot 20 */
	o = labels_to_json(&region, area, PMEMCTL_STORE_SIZE);
	check_str(str(o, "labels.2.verdict"), "bad checksum", "slot 20: bad checksum");
	check(is_null(o, "labels.2.id") && is_null(o, "labels.2.uuid"),
	      "bad slot: fields null");
	check_str(str(o, "index.1.verdict"), "ok", "copy 1 index itself ok");
	check_str(str(o, "index.1.labels_verdict"), "invalid label", "copy 1 labels invalid");
	check(num(o, "current") == 0 && boolean(o, "fell_back"), "fell back to copy 0");
	json_object_put(o);
	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 2, "bad label: 2 problems (%s)", show(p));
	check_str(probs[0], "index copy 1 (seq 7): slot 20: bad checksum", "names the slot");
	json_object_put(p);

	/* a slot both copies reference: the store is unusable */
	build();
	slot_ptr(3)[40] ^= 1;
	o = labels_to_json(&region, area, PMEMCTL_STORE_SIZE);
	check(is_null(o, "current") && is_null(o, "seq") && is_null(o, "count"),
	      "both copies bad: current/seq/count null");
	check_str(str(o, "error"), "invalid label", "error: invalid label");
	json_object_put(o);
	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 3, "both bad: 3 problems (%s)", show(p));
	check_str(probs[2], "the store cannot be used: invalid label", "unusable");
	json_object_put(p);

	/* overlap in copy 1 only */
	build();
	{
		struct lf_ns ns;

		make_ns(&ns, 20, 2, 4 * MIB, PMEMCTL_MODE_RAW, "gamma");
		lf_label_encode(slot_ptr(20), &ns);
	}
	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 2, "overlap: 2 problems (%s)", show(p));
	check_str(probs[0], "index copy 1 (seq 7): overlapping namespaces", "overlap named");
	json_object_put(p);
}

static void test_no_store_and_short(void)
{
	struct json_object *o, *p;
	const char *probs[8];
	int n;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	o = labels_to_json(&region, area, PMEMCTL_STORE_SIZE);
	check(is_null(o, "index.0.seq") && is_null(o, "current"), "no store: nulls");
	check_str(str(o, "index.0.verdict"), "no label store", "no store verdict");
	check_str(str(o, "error"), "no label store", "no store error");
	check(len(o, "labels") == 0, "no labels");
	json_object_put(o);
	n = verdict(PMEMCTL_STORE_SIZE, probs, &p);
	check(n == 1, "no store: 1 problem (%s)", show(p));
	json_object_put(p);

	/* a truncated saved copy: the index copies still read, slots zero */
	build();
	n = verdict(3 * PMEMCTL_INDEX_SIZE, probs, &p);
	check(n >= 2, "short copy: problems (%s)", show(p));
	check_str(probs[0], "the store is 12288 bytes, expected 2097152", "short named");
	json_object_put(p);
	o = labels_to_json(&region, area, 3 * PMEMCTL_INDEX_SIZE);
	check(num(o, "bytes") == 3 * PMEMCTL_INDEX_SIZE, "bytes of a short buffer");
	json_object_put(o);
}

int main(void)
{
	area = malloc(PMEMCTL_STORE_SIZE);
	if (!area)
		return 99;
	test_valid();
	test_torn_newest();
	test_bad_label();
	test_no_store_and_short();
	free(area);
	return tap_done();
}
