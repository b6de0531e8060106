// SPDX-License-Identifier: GPL-2.0-or-later
/* The label store as JSON and its verification: see cli/labels-json.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/label-format.h"
#include "cli/labels-json.h"

/* A store as label-format.c reads it, with what both copies say. */
struct labels_state {
	const u8 *area;			/* PMEMCTL_STORE_SIZE bytes */
	u8 *copy;			/* the padded copy of a short buffer */
	enum lf_error index_err[2];	/* lf_index_check() of each copy */
	u64 index_seq[2];		/* valid copies only */
	bool seq_known[2];		/* the copy carries the magic */
	u64 raw_seq[2];			/* what its header says */
	enum lf_error state_err[2];	/* the labels of a valid copy */
	u32 bad_slot[2];		/* first bad slot, with LF_BAD_LABEL */
	enum lf_error bad_slot_err[2];
	enum lf_error store_err;	/* lf_store_read() */
	struct lf_store st;
	u32 *scratch;
};

static const u8 index_magic[] = PMEMCTL_INDEX_MAGIC;

static const u8 *copy_used(const struct labels_state *s, int c)
{
	return s->area + (size_t)c * PMEMCTL_INDEX_SIZE +
	       sizeof(struct pmemctl_index);
}

static int cmp_offset(const void *a, const void *b)
{
	const struct lf_ns *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* What copy @c's labels are worth on their own (the index is valid). */
static enum lf_error copy_state(struct labels_state *s,
				const struct labels_region *r, int c)
{
	const u8 *used = copy_used(s, c);
	u32 slot, n = 0;
	enum lf_error err;

	for (slot = 0; slot < PMEMCTL_NSLOTS; slot++) {
		if (!lf_slot_used(used, slot))
			continue;
		err = lf_label_decode(s->area + 2 * PMEMCTL_INDEX_SIZE +
				      (size_t)slot * PMEMCTL_LABEL_SIZE, slot,
				      r->phys, r->size, &s->st.ns[n]);
		if (err) {
			s->bad_slot[c] = slot;
			s->bad_slot_err[c] = err;
			return LF_BAD_LABEL;
		}
		n++;
	}
	qsort(s->st.ns, n, sizeof(*s->st.ns), cmp_offset);
	return lf_ns_set_check(s->st.ns, n, s->scratch);
}

static void labels_state_free(struct labels_state *s)
{
	free(s->copy);
	free(s->st.ns);
	free(s->scratch);
}

static int labels_state_read(struct labels_state *s,
			     const struct labels_region *r,
			     const void *buf, size_t len)
{
	int c;

	memset(s, 0, sizeof(*s));
	s->st.ns = calloc(PMEMCTL_NSLOTS, sizeof(*s->st.ns));
	s->scratch = calloc(PMEMCTL_NSLOTS, sizeof(*s->scratch));
	if (len < PMEMCTL_STORE_SIZE) {
		s->copy = calloc(1, PMEMCTL_STORE_SIZE);
		if (s->copy)
			memcpy(s->copy, buf, len);
		s->area = s->copy;
	} else {
		s->area = buf;
	}
	if (!s->st.ns || !s->scratch || !s->area) {
		labels_state_free(s);
		return -ENOMEM;
	}

	for (c = 0; c < 2; c++) {
		const u8 *idx = s->area + (size_t)c * PMEMCTL_INDEX_SIZE;
		const struct pmemctl_index *h = (const void *)idx;

		s->index_err[c] = lf_index_check(idx, r->size, (u32)c,
						 &s->index_seq[c]);
		s->seq_known[c] = memcmp(h->magic, index_magic,
					 sizeof(h->magic)) == 0;
		s->raw_seq[c] = lf_le64(h->seq);
		s->state_err[c] = s->index_err[c] ? s->index_err[c] :
				  copy_state(s, r, c);
	}
	/* Last, so that st.ns holds what the current copy describes. */
	s->store_err = lf_store_read(s->area, r->phys, r->size, &s->st,
				     s->scratch);
	return 0;
}

/* json-c helpers: each returns 0 or -ENOMEM and consumes @val. */
static int add(struct json_object *obj, const char *key,
	       struct json_object *val, bool failed)
{
	if (failed)
		return -ENOMEM;
	if (json_object_object_add_ex(obj, key, val,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_KEY_IS_CONSTANT) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int add_u64(struct json_object *obj, const char *key, u64 v)
{
	struct json_object *val = json_object_new_uint64(v);

	return add(obj, key, val, !val);
}

static int add_str(struct json_object *obj, const char *key, const char *s)
{
	struct json_object *val = s ? json_object_new_string(s) : NULL;

	return add(obj, key, val, s && !val);
}

static int add_bool(struct json_object *obj, const char *key, bool b)
{
	struct json_object *val = json_object_new_boolean(b);

	return add(obj, key, val, !val);
}

static int add_null(struct json_object *obj, const char *key)
{
	return add(obj, key, NULL, false);
}

static int add_int(struct json_object *obj, const char *key, int v)
{
	struct json_object *val = json_object_new_int(v);

	return add(obj, key, val, !val);
}

static const char *mode_name(u32 mode)
{
	switch (mode) {
	case PMEMCTL_MODE_RAW:
		return "raw";
	case PMEMCTL_MODE_PAGE:
		return "page";
	case PMEMCTL_MODE_PFN:
		return "pfn";
	case PMEMCTL_MODE_ONDEMAND:
		return "ondemand";
	}
	return NULL;
}

static void uuid_str(const u8 *u, char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

static struct json_object *index_to_json(const struct labels_state *s, int c)
{
	struct json_object *o = json_object_new_object();
	bool cur = !s->store_err && s->st.cur == c;
	int err;

	if (!o)
		return NULL;
	err = add_int(o, "copy", c);
	err = err ?: s->seq_known[c] ? add_u64(o, "seq", s->raw_seq[c]) :
				       add_null(o, "seq");
	err = err ?: add_str(o, "verdict", lf_error_name(s->index_err[c]));
	err = err ?: add_str(o, "labels_verdict", s->index_err[c] ? NULL :
			     lf_error_name(s->state_err[c]));
	err = err ?: add_bool(o, "current", cur);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *slot_to_json(const struct labels_state *s,
					const struct labels_region *r,
					u32 slot, bool in0, bool in1)
{
	struct json_object *o = json_object_new_object(), *in = NULL;
	struct lf_ns ns;
	enum lf_error e;
	char uuid[37];
	int err;

	if (!o)
		return NULL;
	e = lf_label_decode(s->area + 2 * PMEMCTL_INDEX_SIZE +
			    (size_t)slot * PMEMCTL_LABEL_SIZE, slot, r->phys,
			    r->size, &ns);
	in = json_object_new_array();
	err = add_u64(o, "slot", slot);
	err = err ?: add(o, "in", in, !in);
	if (!err && in0)
		err = json_object_array_add(in, json_object_new_int(0)) ? -ENOMEM : 0;
	if (!err && in1)
		err = json_object_array_add(in, json_object_new_int(1)) ? -ENOMEM : 0;
	err = err ?: add_str(o, "verdict", lf_error_name(e));
	if (!err && e == LF_OK) {
		uuid_str(ns.uuid, uuid);
		err = add_u64(o, "id", ns.id);
		err = err ?: add_str(o, "name", ns.name);
		err = err ?: add_str(o, "uuid", uuid);
		err = err ?: add_str(o, "mode", mode_name(ns.mode));
		err = err ?: add_u64(o, "offset", ns.offset);
		err = err ?: add_u64(o, "size", ns.size);
		err = err ?: add_u64(o, "align", ns.align);
		err = err ?: add_u64(o, "data_offset", ns.data_offset);
		err = err ?: add_u64(o, "npfns", ns.npfns);
		err = err ?: add_u64(o, "pfn_align", ns.pfn_align);
		err = err ?: add_u64(o, "page_struct_size", ns.page_struct_size);
	} else if (!err) {
		static const char *const keys[] = {
			"id", "name", "uuid", "mode", "offset", "size", "align",
			"data_offset", "npfns", "pfn_align", "page_struct_size",
		};
		size_t i;

		for (i = 0; !err && i < ARRAY_SIZE(keys); i++)
			err = add_null(o, keys[i]);
	}
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *labels_to_json(const struct labels_region *r,
				   const void *buf, size_t len)
{
	struct json_object *o = NULL, *arr;
	struct labels_state s;
	int err, c;
	u32 slot;

	if (labels_state_read(&s, r, buf, len) < 0)
		return NULL;
	o = json_object_new_object();
	if (!o)
		goto fail;
	err = add_str(o, "region", r->name);
	err = err ?: add_u64(o, "size", r->size);
	err = err ?: add_u64(o, "bytes", len);
	arr = json_object_new_array();
	err = err ?: add(o, "index", arr, !arr);
	for (c = 0; !err && c < 2; c++) {
		struct json_object *ix = index_to_json(&s, c);

		err = !ix || json_object_array_add(arr, ix) ? -ENOMEM : 0;
	}
	if (!err && !s.store_err) {
		err = add_int(o, "current", s.st.cur);
		err = err ?: add_u64(o, "seq", s.st.seq);
		err = err ?: add_null(o, "error");
		err = err ?: add_bool(o, "fell_back", s.st.fell_back);
		err = err ?: add_u64(o, "count", s.st.count);
	} else if (!err) {
		err = add_null(o, "current");
		err = err ?: add_null(o, "seq");
		err = err ?: add_str(o, "error", lf_error_name(s.store_err));
		err = err ?: add_bool(o, "fell_back", false);
		err = err ?: add_null(o, "count");
	}
	arr = json_object_new_array();
	err = err ?: add(o, "labels", arr, !arr);
	for (slot = 0; !err && slot < PMEMCTL_NSLOTS; slot++) {
		bool in0 = !s.index_err[0] && lf_slot_used(copy_used(&s, 0), slot);
		bool in1 = !s.index_err[1] && lf_slot_used(copy_used(&s, 1), slot);
		struct json_object *l;

		if (!in0 && !in1)
			continue;
		l = slot_to_json(&s, r, slot, in0, in1);
		err = !l || json_object_array_add(arr, l) ? -ENOMEM : 0;
	}
	if (err)
		goto fail;
	labels_state_free(&s);
	return o;
fail:
	json_object_put(o);
	labels_state_free(&s);
	return NULL;
}

static int problem(struct json_object *problems, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int problem(struct json_object *problems, const char *fmt, ...)
{
	struct json_object *val;
	va_list args;
	char buf[256];

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	val = json_object_new_string(buf);
	if (!val || json_object_array_add(problems, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int check_state(const struct labels_state *s, const struct labels_region *r,
		       size_t len, struct json_object *p)
{
	size_t want = r->size < PMEMCTL_STORE_SIZE ? r->size : PMEMCTL_STORE_SIZE;
	int c, err = 0, n = 0;

#define PROBLEM(...) do {					\
		err = err ?: problem(p, __VA_ARGS__);		\
		n++;						\
	} while (0)

	if (len != want)
		PROBLEM("the store is %zu bytes, expected %zu", len, want);
	if (s->index_err[0] == LF_NO_STORE && s->index_err[1] == LF_NO_STORE) {
		PROBLEM("no label store: neither index copy carries the magic");
		return err ?: n;
	}
	for (c = 0; c < 2; c++) {
		if (s->index_err[c])
			PROBLEM("index copy %d: %s", c, lf_error_name(s->index_err[c]));
		else if (s->state_err[c] == LF_BAD_LABEL)
			PROBLEM("index copy %d (seq %llu): slot %u: %s", c,
				(unsigned long long)s->index_seq[c],
				s->bad_slot[c], lf_error_name(s->bad_slot_err[c]));
		else if (s->state_err[c])
			PROBLEM("index copy %d (seq %llu): %s", c,
				(unsigned long long)s->index_seq[c],
				lf_error_name(s->state_err[c]));
	}
	if (!s->index_err[0] && !s->index_err[1] &&
	    s->index_seq[0] == s->index_seq[1])
		PROBLEM("both index copies have seq %llu",
			(unsigned long long)s->index_seq[0]);
	if (s->store_err)
		PROBLEM("the store cannot be used: %s", lf_error_name(s->store_err));
	else if (s->st.fell_back)
		PROBLEM("fell back to index copy %d (seq %llu): the other copy cannot be used",
			s->st.cur, (unsigned long long)s->st.seq);
#undef PROBLEM
	return err ?: n;
}

int labels_check(const struct labels_region *r, const void *buf, size_t len,
		 struct json_object *problems)
{
	struct labels_state s;
	int n;

	if (labels_state_read(&s, r, buf, len) < 0)
		return -ENOMEM;
	n = check_state(&s, r, len, problems);
	labels_state_free(&s);
	return n;
}

struct json_object *labels_check_to_json(const struct labels_region *r,
					 const void *buf, size_t len,
					 bool *consistent)
{
	struct json_object *o, *problems;
	struct labels_state s;
	int n, err;

	if (labels_state_read(&s, r, buf, len) < 0)
		return NULL;
	o = json_object_new_object();
	problems = json_object_new_array();
	if (!o || !problems) {
		json_object_put(o);
		json_object_put(problems);
		labels_state_free(&s);
		return NULL;
	}
	n = check_state(&s, r, len, problems);
	*consistent = n == 0;
	err = n < 0 ? n : 0;
	err = err ?: add_str(o, "region", r->name);
	err = err ?: add_bool(o, "consistent", n == 0);
	if (!s.store_err) {
		err = err ?: add_int(o, "current", s.st.cur);
		err = err ?: add_u64(o, "seq", s.st.seq);
		err = err ?: add_u64(o, "count", s.st.count);
	} else {
		err = err ?: add_null(o, "current");
		err = err ?: add_null(o, "seq");
		err = err ?: add_null(o, "count");
	}
	if (err) {
		json_object_put(problems);
	} else {
		err = add(o, "problems", problems, false);
	}
	labels_state_free(&s);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int labels_current_seq(const struct labels_region *r, const void *buf,
		       size_t len, unsigned long long *seq)
{
	struct labels_state s;
	int err;

	if (labels_state_read(&s, r, buf, len) < 0)
		return -ENOMEM;
	err = s.store_err ? -ENOENT : 0;
	*seq = s.st.seq;
	labels_state_free(&s);
	return err;
}
