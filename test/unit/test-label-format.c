// SPDX-License-Identifier: GPL-2.0-only
/*
 * The label store format, built from kernel/label-format.c exactly as the
 * module builds it: encode/decode round trips, the choice of index copy,
 * fallback on torn or corrupt copies, hostile labels, and a deterministic
 * mutation run (every outcome valid or a clean error, never a crash or an
 * out-of-bounds access under ASan).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/label-format.h"
#include "tap.h"

#define REGION_PHYS	(4ULL << 30)
#define REGION_SIZE	region_size
#define MIB		(1ULL << 20)

static u64 region_size = 1ULL << 30;
static u8 *area;
static struct lf_ns *nsbuf;
static u32 *scratch;

static u8 *slot_ptr(u32 slot)
{
	return area + 2 * PMEMCTL_INDEX_SIZE + (size_t)slot * PMEMCTL_LABEL_SIZE;
}

static void make_ns(struct lf_ns *ns, u32 slot, u32 id, u64 off, u64 size,
		    const char *name)
{
	memset(ns, 0, sizeof(*ns));
	ns->slot = slot;
	ns->id = id;
	ns->offset = off;
	ns->size = size;
	ns->align = 2 * MIB;
	ns->mode = PMEMCTL_MODE_RAW;
	ns->uuid[0] = 0x5a;		/* never all zero */
	memcpy(ns->uuid + 4, &id, sizeof(id));
	memcpy(ns->uuid + 8, &slot, sizeof(slot));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
}

/* The slot build_store() gives namespace @i. */
static u32 store_slot(u32 i)
{
	return (i * 7919) % PMEMCTL_NSLOTS;	/* scattered slots */
}

/*
 * Write labels and both index copies as the kernel's first change would:
 * 2 MiB raw namespaces, or with @mixed 4 MiB ones cycling through raw,
 * page and pfn (with the layout the module writes).
 */
static void build_store_modes(u32 count, u64 seq, bool mixed)
{
	u8 used[PMEMCTL_NSLOTS / 8] = { 0 };
	u64 size = mixed ? 4 * MIB : 2 * MIB;
	struct lf_ns ns;
	u32 i;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	for (i = 0; i < count; i++) {
		char name[16];
		u32 slot = store_slot(i);

		snprintf(name, sizeof(name), "ns%u", i);
		/* descending offsets, so decoding has to sort */
		make_ns(&ns, slot, i, lf_data_start(REGION_PHYS) + (u64)(count - 1 - i) * size,
			size, name);
		if (mixed) {
			ns.mode = i % 3;
			lf_set_layout(&ns);
		}
		lf_label_encode(slot_ptr(slot), &ns);
		lf_slot_set(used, slot, true);
	}
	lf_index_encode(area, 0, seq, REGION_SIZE, used);
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, seq - 1, REGION_SIZE, used);
}

static void build_store(u32 count, u64 seq)
{
	build_store_modes(count, seq, false);
}

static enum lf_error read_store(struct lf_store *st)
{
	st->ns = nsbuf;
	return lf_store_read(area, REGION_PHYS, REGION_SIZE, st, scratch);
}

static void test_empty_and_missing(void)
{
	struct lf_store st;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	check(read_store(&st) == LF_NO_STORE, "zeroed area: no store");
	build_store(0, 2);
	check(read_store(&st) == LF_OK && st.count == 0 && st.cur == 0 && st.seq == 2,
	      "empty store: ok, copy 0 current");
	check(lf_data_start(REGION_PHYS) == 2 * MIB, "data starts after 2 MiB store");
	check(lf_data_start(REGION_PHYS + MIB) == 3 * MIB, "data start is 2 MiB aligned physically");
}

static void test_roundtrip_sorted(void)
{
	struct lf_store st;
	u32 i;
	int ok = 1;

	region_size = 16ULL << 30;	/* room for 4096 x 2 MiB */
	build_store(4096, 10);
	check(read_store(&st) == LF_OK, "4096 labels read back");
	check(st.count == 4096, "count 4096 (%u)", st.count);
	for (i = 1; i < st.count; i++)
		if (st.ns[i - 1].offset >= st.ns[i].offset)
			ok = 0;
	check(ok, "namespaces sorted by offset");
	ok = 1;
	for (i = 0; i < st.count; i++)
		if (st.ns[i].id != st.count - 1 - i || strcmp(st.ns[i].name, "") == 0)
			ok = 0;
	check(ok, "every label came back whole after the permutation");
	region_size = 1ULL << 30;
}

static void test_index_choice(void)
{
	struct lf_store st;

	build_store(3, 5);
	/* copy 1 newer but torn: fall back to copy 0 */
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, 6, REGION_SIZE, area + 64);
	area[PMEMCTL_INDEX_SIZE + 100] ^= 1;
	check(read_store(&st) == LF_OK && st.cur == 0 && st.seq == 5, "torn newer copy: older used");
	/* copy 1 newer and whole: it wins */
	area[PMEMCTL_INDEX_SIZE + 100] ^= 1;
	check(read_store(&st) == LF_OK && st.cur == 1 && st.seq == 6, "newer whole copy wins");
	/* both torn: label error */
	area[100] ^= 1;
	area[PMEMCTL_INDEX_SIZE + 100] ^= 1;
	check(read_store(&st) == LF_BAD_CHECKSUM, "both copies torn: bad checksum");
}

static void test_bad_label_fallback(void)
{
	u8 used[PMEMCTL_NSLOTS / 8] = { 0 };
	struct lf_store st;
	struct lf_ns ns;

	build_store(2, 5);
	/* newer copy 1 adds a namespace in slot 9 whose label is corrupt */
	memcpy(used, area + 64, sizeof(used));
	make_ns(&ns, 9, 77, lf_data_start(REGION_PHYS) + 100 * MIB, 2 * MIB, "new");
	lf_label_encode(slot_ptr(9), &ns);
	lf_slot_set(used, 9, true);
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, 6, REGION_SIZE, used);
	check(read_store(&st) == LF_OK && st.count == 3, "valid newer copy with 3 namespaces");
	slot_ptr(9)[40] ^= 0x10;
	check(read_store(&st) == LF_OK && st.cur == 0 && st.count == 2,
	      "bad label in newer copy: fall back to the older copy");
	/* a label used by both copies goes bad: nothing valid */
	slot_ptr(0)[40] ^= 0x10;
	check(read_store(&st) == LF_BAD_LABEL, "label bad in both copies: label error");
}

/* The slot rule: a new label goes only where neither copy points. */
static void test_free_slot(void)
{
	u8 cur[PMEMCTL_NSLOTS / 8] = { 0 }, other[PMEMCTL_NSLOTS / 8] = { 0 };

	check(lf_free_slot(cur, other) == 0, "empty store: slot 0");
	lf_slot_set(cur, 0, true);
	lf_slot_set(other, 0, true);
	lf_slot_set(other, 1, true);	/* destroyed since, still in the older copy */
	check(lf_free_slot(cur, other) == 2, "a slot only the older copy uses is not free");
	memset(other, 0, sizeof(other));	/* the other copy is not a valid index */
	check(lf_free_slot(cur, other) == 1, "an invalid other copy: only the current counts");
	memset(cur, 0xff, sizeof(cur));
	lf_slot_set(cur, PMEMCTL_NSLOTS - 1, false);
	check(lf_free_slot(cur, other) == (int)PMEMCTL_NSLOTS - 1, "last slot found");
	lf_slot_set(other, PMEMCTL_NSLOTS - 1, true);
	check(lf_free_slot(cur, other) == -1, "none free in either: -1");
}

/* What lf_store reports about the copy that is not current. */
static void test_other_copy(void)
{
	u8 used[PMEMCTL_NSLOTS / 8] = { 0 }, none[PMEMCTL_NSLOTS / 8] = { 0 };
	struct lf_store st;
	struct lf_ns ns;

	/* copy 0 seq 5 with 2 labels; older copy 1 also has slot 3000 */
	build_store(2, 5);
	memcpy(used, area + 64, sizeof(used));
	make_ns(&ns, 3000, 50, lf_data_start(REGION_PHYS) + 200 * MIB, 2 * MIB, "old");
	lf_label_encode(slot_ptr(3000), &ns);
	lf_slot_set(used, 3000, true);
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, 4, REGION_SIZE, used);
	check(read_store(&st) == LF_OK && st.cur == 0 && st.count == 2 && !st.fell_back &&
	      st.other_index_ok && st.other_err == LF_OK && st.other_seq == 4,
	      "older valid copy: no fallback, its seq known");
	check(lf_slot_used(st.other_used, 3000) && !lf_slot_used(st.used, 3000),
	      "other_used is the older copy's bitmap");
	check(lf_free_slot(st.used, st.other_used) >= 0 &&
	      !lf_slot_used(used, (u32)lf_free_slot(st.used, st.other_used)),
	      "no slot of the older copy is free");

	/* the newest copy damaged: fall back, report its (unverified) seq */
	area[100] ^= 1;
	check(read_store(&st) == LF_OK && st.cur == 1 && st.seq == 4 && st.count == 3 &&
	      st.fell_back && !st.other_index_ok && st.other_seq_known &&
	      st.other_seq == 5 && st.other_err == LF_BAD_CHECKSUM,
	      "damaged newest copy: fell back, its seq 5 reported");
	check(!memcmp(st.other_used, none, sizeof(none)),
	      "a damaged other copy's bitmap does not count");
	/* no magic left: unreadable, no seq */
	memset(area, 0, 16);
	check(read_store(&st) == LF_OK && st.cur == 1 && st.fell_back &&
	      !st.other_seq_known && st.other_err == LF_NO_STORE,
	      "newest copy without magic: fell back, seq unknown");
}

/*
 * The commit protocol as the module runs it, with the slot rule: random
 * creates and destroys; after each label write (before its commit) the
 * store is checked as a power cut would leave it, and with the newest
 * copy damaged on top. Either way the load must give exactly a state that
 * was committed: the newest, or the one before it.
 */
struct model {
	u8 used[2][PMEMCTL_NSLOTS / 8];	/* per copy */
	u64 seq[2];
	int cur;
	struct lf_ns ns[PMEMCTL_NSLOTS];	/* by slot, valid where used */
};

static bool same_state(const struct lf_store *st, const struct model *m, int copy)
{
	u32 slot, n = 0, i;

	for (slot = 0; slot < PMEMCTL_NSLOTS; slot++) {
		if (!lf_slot_used(m->used[copy], slot))
			continue;
		for (i = 0; i < st->count; i++)
			if (st->ns[i].slot == slot)
				break;
		if (i == st->count || memcmp(&st->ns[i], &m->ns[slot], sizeof(st->ns[i])))
			return false;
		n++;
	}
	return n == st->count;
}

static void model_commit(struct model *m, const u8 *used)
{
	int next = !m->cur;

	m->seq[next] = m->seq[m->cur] + 1;
	memcpy(m->used[next], used, sizeof(m->used[next]));
	lf_index_encode(area + (size_t)next * PMEMCTL_INDEX_SIZE, next, m->seq[next],
			REGION_SIZE, used);
	m->cur = next;
}

static void test_commit_protocol(void)
{
	static struct model m;
	u8 next[PMEMCTL_NSLOTS / 8], saved[PMEMCTL_INDEX_SIZE];
	unsigned int seed = 9, step, bad = 0, checks = 0;
	struct lf_store st;
	u32 id = 0;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	memset(&m, 0, sizeof(m));
	m.seq[1] = 1;
	m.seq[0] = 2;
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, 1, REGION_SIZE, m.used[1]);
	lf_index_encode(area, 0, 2, REGION_SIZE, m.used[0]);
	for (step = 0; step < 400; step++) {
		int cur = m.cur, slot;
		u32 s, nused = 0, pick;

		memcpy(next, m.used[cur], sizeof(next));
		for (s = 0; s < 64; s++)
			nused += lf_slot_used(next, s);
		if (nused && rand_r(&seed) % 3 == 0) {
			/* destroy: one commit, no label written */
			pick = (u32)rand_r(&seed) % nused;
			for (s = 0; s < 64; s++)
				if (lf_slot_used(next, s) && !pick--)
					break;
			lf_slot_set(next, s, false);
			model_commit(&m, next);
			continue;
		}
		/* create in the first 64 slots' worth of space (at most 32 live) */
		slot = lf_free_slot(m.used[cur], m.used[!cur]);
		if (slot < 0 || nused >= 32)
			continue;
		make_ns(&m.ns[slot], (u32)slot, id, lf_data_start(REGION_PHYS) +
			(u64)(id % 400) * 2 * MIB, 2 * MIB, "");
		m.ns[slot].uuid[1] = (u8)step;
		id++;
		/* a slot of either copy would make this a lie */
		if (lf_slot_used(m.used[0], slot) || lf_slot_used(m.used[1], slot))
			bad++;
		lf_label_encode(slot_ptr(slot), &m.ns[slot]);

		/* power cut before the commit: the current state */
		checks++;
		if (read_store(&st) != LF_OK || st.cur != cur || !same_state(&st, &m, cur))
			bad++;
		/* ...and the newest copy then damaged: the state before it */
		memcpy(saved, area + (size_t)cur * PMEMCTL_INDEX_SIZE, sizeof(saved));
		area[(size_t)cur * PMEMCTL_INDEX_SIZE + 24] ^= 1;
		checks++;
		if (read_store(&st) != LF_OK || st.cur != !cur || !same_state(&st, &m, !cur))
			bad++;
		memcpy(area + (size_t)cur * PMEMCTL_INDEX_SIZE, saved, sizeof(saved));

		lf_slot_set(next, (u32)slot, true);
		model_commit(&m, next);
		/* committed, then the newest damaged: the previous state */
		memcpy(saved, area + (size_t)m.cur * PMEMCTL_INDEX_SIZE, sizeof(saved));
		area[(size_t)m.cur * PMEMCTL_INDEX_SIZE + 24] ^= 1;
		checks++;
		if (read_store(&st) != LF_OK || st.cur != !m.cur ||
		    !same_state(&st, &m, !m.cur))
			bad++;
		memcpy(area + (size_t)m.cur * PMEMCTL_INDEX_SIZE, saved, sizeof(saved));
	}
	check(bad == 0 && checks > 300,
	      "commit protocol: every fallback is an exact committed state (%u checks, %u bad)",
	      checks, bad);
}

/* A reader that fails on chosen store offsets, as poison would. */
struct poison_ctx {
	u64 bad[4];
	int n;
};

static const void *poison_read(void *ctx, u64 off, size_t len, void *buf)
{
	struct poison_ctx *p = ctx;
	int i;

	for (i = 0; i < p->n; i++)
		if (p->bad[i] >= off && p->bad[i] < off + len)
			return NULL;
	memcpy(buf, area + off, len);
	return buf;
}

static enum lf_error load_poisoned(struct lf_store *st, struct poison_ctx *p)
{
	static u8 iobuf[LF_IOBUF_SIZE];
	struct lf_media m = { .read = poison_read, .ctx = p, .buf = iobuf };

	st->ns = nsbuf;
	return lf_store_load(&m, REGION_PHYS, REGION_SIZE, st, scratch);
}

static void test_media_errors(void)
{
	struct poison_ctx p = { .n = 0 };
	struct lf_store st;
	u32 s3 = store_slot(3);

	build_store(5, 8);	/* copy 0 seq 8, copy 1 seq 7, same labels */
	check(load_poisoned(&st, &p) == LF_OK && st.count == 5 && !st.nunreadable,
	      "no poison: 5 namespaces");
	p.bad[p.n++] = 300;	/* a line of index copy 0 */
	check(load_poisoned(&st, &p) == LF_OK && st.cur == 1 && st.count == 5 &&
	      st.fell_back && st.other_err == LF_MEDIA_ERROR && !st.other_seq_known,
	      "poisoned index copy: the other copy is used, reason media error");
	p.n = 0;
	p.bad[p.n++] = 2 * PMEMCTL_INDEX_SIZE + (u64)s3 * PMEMCTL_LABEL_SIZE + 100;
	check(load_poisoned(&st, &p) == LF_OK && st.cur == 0 && st.count == 4 &&
	      st.nunreadable == 1 && lf_slot_used(st.unreadable, s3) &&
	      lf_slot_used(st.used, s3) && !st.fell_back,
	      "poisoned label: the other 4 served, its slot unreadable and still used");
	p.bad[p.n++] = 10;
	p.bad[p.n++] = PMEMCTL_INDEX_SIZE + 10;
	check(load_poisoned(&st, &p) == LF_MEDIA_ERROR,
	      "both index copies poisoned: media error");
	check(!strcmp(lf_error_name(LF_MEDIA_ERROR), "media error"), "reason text");
}

/* Re-encode slot 0 (ns id 0) with one field changed; expect rejection. */
static void expect_label(const char *what, enum lf_error want,
			 void (*change)(struct lf_ns *))
{
	struct lf_store st;
	struct lf_ns ns;

	build_store(2, 5);
	make_ns(&ns, 0, 0, lf_data_start(REGION_PHYS) + 2 * MIB, 2 * MIB, "ns0");
	change(&ns);
	lf_label_encode(slot_ptr(0), &ns);
	check(read_store(&st) == want, "%s: %s", what, lf_error_name(want));
}

static void ch_none(struct lf_ns *ns) { (void)ns; }
static void ch_zero_size(struct lf_ns *ns) { ns->size = 0; }
static void ch_huge(struct lf_ns *ns) { ns->size = ~0ULL - ns->size; }
static void ch_wrap(struct lf_ns *ns) { ns->offset = ~0ULL - MIB; }
static void ch_in_store(struct lf_ns *ns) { ns->offset = 0; }
static void ch_unaligned(struct lf_ns *ns) { ns->offset += 4096; }
static void ch_align(struct lf_ns *ns) { ns->align = 3 * MIB; }
static void ch_mode(struct lf_ns *ns) { ns->mode = 7; }
static void ch_name(struct lf_ns *ns) { strcpy(ns->name, "bad name"); }
static void ch_uuid(struct lf_ns *ns) { memset(ns->uuid, 0, sizeof(ns->uuid)); }
static void ch_slot(struct lf_ns *ns) { ns->slot = 5; }
static void ch_overlap(struct lf_ns *ns) { ns->offset -= MIB * 2; ns->size = 4 * MIB; }
static void ch_dup_id(struct lf_ns *ns) { ns->id = 1; }
static void ch_dup_name(struct lf_ns *ns) { strcpy(ns->name, "ns1"); }
static void ch_past_end(struct lf_ns *ns) { ns->offset = REGION_SIZE - 2 * MIB; ns->size = 4 * MIB; }

static void test_hostile_labels(void)
{
	expect_label("unchanged", LF_OK, ch_none);
	expect_label("size 0", LF_BAD_LABEL, ch_zero_size);
	expect_label("absurd size", LF_BAD_LABEL, ch_huge);
	expect_label("offset+size wraps", LF_BAD_LABEL, ch_wrap);
	expect_label("inside the store", LF_BAD_LABEL, ch_in_store);
	expect_label("unaligned offset", LF_BAD_LABEL, ch_unaligned);
	expect_label("align not a power of two", LF_BAD_LABEL, ch_align);
	expect_label("unknown mode", LF_BAD_LABEL, ch_mode);
	expect_label("bad name", LF_BAD_LABEL, ch_name);
	expect_label("zero uuid", LF_BAD_LABEL, ch_uuid);
	expect_label("wrong slot", LF_BAD_LABEL, ch_slot);
	expect_label("overlap", LF_OVERLAP, ch_overlap);
	expect_label("duplicate id", LF_DUPLICATE, ch_dup_id);
	expect_label("duplicate name", LF_DUPLICATE, ch_dup_name);
	expect_label("past the region end", LF_BAD_LABEL, ch_past_end);
}

static void test_index_geometry(void)
{
	u8 used[PMEMCTL_NSLOTS / 8] = { 0 };
	struct lf_store st;
	u64 seq;

	build_store(1, 5);
	check(lf_index_check(area, REGION_SIZE * 2, 0, &seq) == LF_BAD_GEOMETRY,
	      "region size mismatch");
	check(lf_index_check(area, REGION_SIZE, 1, &seq) == LF_BAD_GEOMETRY,
	      "copy number mismatch");
	/* a bit past the bitmap, with a matching checksum */
	lf_index_encode(area, 0, 7, REGION_SIZE, used);
	area[64 + PMEMCTL_NSLOTS / 8 + 3] = 1;
	((struct pmemctl_index *)area)->checksum = 0;
	((struct pmemctl_index *)area)->checksum =
		lf_cpu64(lf_fletcher64(area, PMEMCTL_INDEX_SIZE));
	check(lf_index_check(area, REGION_SIZE, 0, &seq) == LF_BAD_BITMAP, "tail not zero");
	check(read_store(&st) == LF_OK && st.cur == 1, "falls back to copy 1");
}

/* What every accepted pfn layout must satisfy; all zero in other modes. */
static bool layout_consistent(const struct lf_ns *ns)
{
	if (ns->mode != PMEMCTL_MODE_PFN)
		return !ns->data_offset && !ns->npfns && !ns->pfn_align &&
		       !ns->page_struct_size;
	return ns->pfn_align == PMEMCTL_PFN_ALIGN &&
	       ns->page_struct_size >= 32 && ns->page_struct_size <= 256 &&
	       ns->page_struct_size % 8 == 0 &&
	       ns->npfns == ns->size / PMEMCTL_PFN_PAGE_SIZE &&
	       ns->data_offset % PMEMCTL_PFN_ALIGN == 0 &&
	       ns->data_offset < ns->size &&
	       ns->data_offset >= ns->npfns * ns->page_struct_size;
}

/* Encode @ns as a label and decode it again from slot @ns->slot. */
static enum lf_error decode(const struct lf_ns *ns, struct lf_ns *out)
{
	u8 buf[PMEMCTL_LABEL_SIZE];

	lf_label_encode(buf, ns);
	memset(out, 0x5a, sizeof(*out));
	return lf_label_decode(buf, ns->slot, REGION_PHYS, REGION_SIZE, out);
}

static void expect_decode(const char *what, const struct lf_ns *ns,
			  enum lf_error want)
{
	struct lf_ns out;
	enum lf_error got = decode(ns, &out);

	check(got == want, "%s: %s", what, lf_error_name(want));
	if (got != want)
		printf("#   got %s\n", lf_error_name(got));
}

/* A @mode namespace of @size with the layout the module writes. */
static void make_mode(struct lf_ns *ns, u32 mode, u64 size)
{
	make_ns(ns, 0, 0, lf_data_start(REGION_PHYS) + 2 * MIB, size, "ns0");
	ns->mode = mode;
	lf_set_layout(ns);
}

static bool ns_equal(const struct lf_ns *a, const struct lf_ns *b)
{
	return a->slot == b->slot && a->id == b->id && a->mode == b->mode &&
	       !memcmp(a->uuid, b->uuid, sizeof(a->uuid)) &&
	       !strncmp(a->name, b->name, sizeof(a->name)) &&
	       a->offset == b->offset && a->size == b->size &&
	       a->align == b->align && a->data_offset == b->data_offset &&
	       a->npfns == b->npfns && a->pfn_align == b->pfn_align &&
	       a->page_struct_size == b->page_struct_size;
}

static void test_layout_roundtrip(void)
{
	static const u64 sizes[] = { 4 * MIB, 6 * MIB, 130 * MIB, 256 * MIB, 512 * MIB };
	u8 a[PMEMCTL_LABEL_SIZE], b[PMEMCTL_LABEL_SIZE];
	struct lf_ns ns, out;
	struct lf_store st;
	unsigned int bad = 0, n = 0;
	u32 mode, i;

	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
	check(decode(&ns, &out) == LF_OK && out.mode == PMEMCTL_MODE_PFN &&
	      out.data_offset == 2 * MIB && out.npfns == 1024 &&
	      out.pfn_align == 2 * MIB && out.page_struct_size == 64,
	      "4 MiB pfn label decodes with its layout (2 MiB reserve, 1024 pfns)");
	make_mode(&ns, PMEMCTL_MODE_PFN, 256 * MIB);
	check(decode(&ns, &out) == LF_OK && out.data_offset == 4 * MIB &&
	      out.npfns == 65536, "256 MiB pfn label: 4 MiB reserve, 65536 pfns");

	/* decode(encode(x)) == x and encode(decode(encode(x))) == encode(x) */
	for (mode = PMEMCTL_MODE_RAW; mode <= PMEMCTL_MODE_PFN; mode++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			make_mode(&ns, mode, sizes[i]);
			ns.page_struct_size = mode == PMEMCTL_MODE_PFN ? 32 + 8 * i : 0;
			lf_label_encode(a, &ns);
			n++;
			if (lf_label_decode(a, 0, REGION_PHYS, REGION_SIZE, &out) != LF_OK ||
			    !ns_equal(&ns, &out)) {
				bad++;
				continue;
			}
			lf_label_encode(b, &out);
			if (memcmp(a, b, sizeof(a)))
				bad++;
		}
	}
	check(!bad, "%u raw/page/pfn labels: encode/decode round trip keeps the layout", n);

	/* through a whole store: every mode comes back with its layout */
	build_store_modes(9, 5, true);
	bad = 0;
	if (read_store(&st) != LF_OK || st.count != 9) {
		bad++;
	} else {
		for (i = 0; i < st.count; i++) {
			/* sorted by offset: id 8 first, descending */
			const struct lf_ns *p = &st.ns[i];

			if (p->id != 8 - i || p->mode != p->id % 3 || !layout_consistent(p) ||
			    (p->mode == PMEMCTL_MODE_PFN) != (p->data_offset == 2 * MIB))
				bad++;
		}
	}
	check(!bad, "store of raw, page and pfn labels reads back with their layouts");
}

static void test_layout_rejected(void)
{
	static const u32 others[] = { PMEMCTL_MODE_RAW, PMEMCTL_MODE_PAGE };
	char what[96];
	struct lf_ns ns;
	size_t i;

	/* raw and page carry no layout: any of the four fields set is an error */
	for (i = 0; i < ARRAY_SIZE(others); i++) {
		const char *m = others[i] == PMEMCTL_MODE_RAW ? "raw" : "page";

		make_mode(&ns, others[i], 4 * MIB);
		snprintf(what, sizeof(what), "%s label without layout", m);
		expect_decode(what, &ns, LF_OK);
		ns.data_offset = 2 * MIB;
		snprintf(what, sizeof(what), "%s label with data_offset", m);
		expect_decode(what, &ns, LF_BAD_LABEL);
		make_mode(&ns, others[i], 4 * MIB);
		ns.npfns = 1024;
		snprintf(what, sizeof(what), "%s label with npfns", m);
		expect_decode(what, &ns, LF_BAD_LABEL);
		make_mode(&ns, others[i], 4 * MIB);
		ns.pfn_align = 2 * MIB;
		snprintf(what, sizeof(what), "%s label with pfn_align", m);
		expect_decode(what, &ns, LF_BAD_LABEL);
		make_mode(&ns, others[i], 4 * MIB);
		ns.page_struct_size = 64;
		snprintf(what, sizeof(what), "%s label with page_struct_size", m);
		expect_decode(what, &ns, LF_BAD_LABEL);
		/* a pfn label whose mode alone was changed */
		make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
		ns.mode = others[i];
		snprintf(what, sizeof(what), "%s label with a whole pfn layout", m);
		expect_decode(what, &ns, LF_BAD_LABEL);
	}

	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
	expect_decode("pfn 4 MiB as the module writes it", &ns, LF_OK);
	ns.data_offset = ns.npfns = ns.pfn_align = ns.page_struct_size = 0;
	expect_decode("pfn label without layout", &ns, LF_BAD_LABEL);

	/* pfn_align is 2 MiB, nothing else */
	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
	ns.pfn_align = 4096;
	expect_decode("pfn_align 4 KiB", &ns, LF_BAD_LABEL);
	ns.pfn_align = MIB;
	expect_decode("pfn_align 1 MiB", &ns, LF_BAD_LABEL);
	ns.pfn_align = 4 * MIB;
	expect_decode("pfn_align 4 MiB", &ns, LF_BAD_LABEL);
	ns.pfn_align = 0;
	expect_decode("pfn_align 0", &ns, LF_BAD_LABEL);

	/* page_struct_size in [32, 256], a multiple of 8 */
	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
	ns.page_struct_size = 32;
	expect_decode("page_struct_size 32 (lowest)", &ns, LF_OK);
	ns.page_struct_size = 256;
	expect_decode("page_struct_size 256 (highest)", &ns, LF_OK);
	ns.page_struct_size = 72;
	expect_decode("page_struct_size 72", &ns, LF_OK);
	ns.page_struct_size = 24;
	expect_decode("page_struct_size 24 (below 32)", &ns, LF_BAD_LABEL);
	ns.page_struct_size = 264;
	expect_decode("page_struct_size 264 (above 256)", &ns, LF_BAD_LABEL);
	ns.page_struct_size = 0;
	expect_decode("page_struct_size 0", &ns, LF_BAD_LABEL);
	ns.page_struct_size = 68;
	expect_decode("page_struct_size 68 (not a multiple of 8)", &ns, LF_BAD_LABEL);
	ns.page_struct_size = 0x80000040;
	expect_decode("page_struct_size 2^31 + 64", &ns, LF_BAD_LABEL);

	/* npfns = size / 4 KiB exactly */
	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);
	ns.npfns = 1023;
	expect_decode("npfns one short", &ns, LF_BAD_LABEL);
	ns.npfns = 1025;
	expect_decode("npfns one over", &ns, LF_BAD_LABEL);
	ns.npfns = 0;
	expect_decode("npfns 0", &ns, LF_BAD_LABEL);
	ns.npfns = ~0ULL;
	expect_decode("npfns 2^64 - 1", &ns, LF_BAD_LABEL);

	/* data_offset: 2 MiB aligned, inside the namespace, holding the memmap */
	make_mode(&ns, PMEMCTL_MODE_PFN, 64 * MIB);	/* memmap 1 MiB */
	ns.data_offset = MIB;
	expect_decode("data_offset 1 MiB (holds the memmap, unaligned)", &ns, LF_BAD_LABEL);
	ns.data_offset = 2 * MIB + 4096;
	expect_decode("data_offset 2 MiB + 4 KiB", &ns, LF_BAD_LABEL);
	ns.data_offset = 4 * MIB;
	expect_decode("data_offset 4 MiB (more than needed, aligned)", &ns, LF_OK);
	ns.data_offset = 64 * MIB;
	expect_decode("data_offset = size", &ns, LF_BAD_LABEL);
	ns.data_offset = 66 * MIB;
	expect_decode("data_offset past the end", &ns, LF_BAD_LABEL);
	ns.data_offset = ~0ULL << 21;
	expect_decode("data_offset near 2^64, aligned", &ns, LF_BAD_LABEL);
	ns.data_offset = 0;
	expect_decode("data_offset 0", &ns, LF_BAD_LABEL);
	make_mode(&ns, PMEMCTL_MODE_PFN, 2 * MIB);
	expect_decode("2 MiB pfn: the reserve is the whole namespace", &ns, LF_BAD_LABEL);

	make_mode(&ns, PMEMCTL_MODE_PFN, 256 * MIB);	/* memmap 4 MiB */
	ns.data_offset = 2 * MIB;
	expect_decode("data_offset below npfns * 64", &ns, LF_BAD_LABEL);
	ns.data_offset = 4 * MIB;
	ns.page_struct_size = 128;
	expect_decode("data_offset below npfns * 128", &ns, LF_BAD_LABEL);
	ns.data_offset = 8 * MIB;
	expect_decode("data_offset = npfns * 128", &ns, LF_OK);
}

/* A pfn label among raw ones in a store, and a bad one making it invalid. */
static void test_layout_in_store(void)
{
	struct lf_store st;
	struct lf_ns ns;
	u32 i;
	bool found = false;

	build_store(2, 5);
	make_mode(&ns, PMEMCTL_MODE_PFN, 4 * MIB);	/* id 0, slot 0 */
	lf_label_encode(slot_ptr(0), &ns);
	check(read_store(&st) == LF_OK && st.count == 2, "store with a 4 MiB pfn label: ok");
	for (i = 0; i < st.count; i++)
		if (st.ns[i].mode == PMEMCTL_MODE_PFN && st.ns[i].data_offset == 2 * MIB &&
		    st.ns[i].npfns == 1024 && st.ns[i].pfn_align == 2 * MIB &&
		    st.ns[i].page_struct_size == 64)
			found = true;
	check(found, "its layout comes back from lf_store_read()");
	ns.page_struct_size = 12;
	lf_label_encode(slot_ptr(0), &ns);
	check(read_store(&st) == LF_BAD_LABEL, "bad layout in the store: label error");
}

static void test_pfn_layout(void)
{
	test_layout_roundtrip();
	test_layout_rejected();
	test_layout_in_store();
}

/* Every namespace of an accepted store fits, in order, with a sane layout. */
static unsigned int store_inconsistencies(const struct lf_store *st)
{
	unsigned int bad = 0;
	u32 j;

	for (j = 1; j < st->count; j++)
		if (st->ns[j - 1].offset + st->ns[j - 1].size > st->ns[j].offset)
			bad++;
	for (j = 0; j < st->count; j++) {
		if (st->ns[j].offset + st->ns[j].size > REGION_SIZE ||
		    st->ns[j].offset < lf_data_start(REGION_PHYS))
			bad++;
		if (!layout_consistent(&st->ns[j]))
			bad++;
	}
	return bad;
}

/*
 * Deterministic mutation: random byte flips anywhere in a populated store,
 * of raw namespaces or (@mixed) of raw, page and pfn ones.
 */
static void test_mutations(bool mixed)
{
	struct lf_store st;
	unsigned int seed = 12345, i, ok = 0, bad = 0;

	for (i = 0; i < 3000; i++) {
		unsigned int n = 1 + rand_r(&seed) % 8, k;

		build_store_modes(16, 9, mixed);
		for (k = 0; k < n; k++) {
			/* mostly hit the indexes and the first labels */
			size_t span = rand_r(&seed) % 2 ? 2 * PMEMCTL_INDEX_SIZE + 16 * 7919 % PMEMCTL_NSLOTS * 256
							: PMEMCTL_STORE_SIZE;
			area[rand_r(&seed) % span] ^= (u8)(1u << (rand_r(&seed) % 8));
		}
		if (read_store(&st) == LF_OK) {
			ok++;
			bad += store_inconsistencies(&st);
		}
	}
	check(bad == 0, "3000 mutated %s stores: every accepted one is consistent (%u accepted)",
	      mixed ? "raw/page/pfn" : "raw", ok);
}

/*
 * Forged labels: flips in one label, mostly in its mode and pfn layout,
 * with the checksum recomputed, as a hostile or buggy writer would leave
 * them. The checksum no longer protects: validation alone must keep every
 * accepted store consistent.
 */
static void test_forged_labels(void)
{
	const size_t hot = offsetof(struct pmemctl_label, mode);
	const size_t hot_len = offsetof(struct pmemctl_label, reserved) - hot;
	unsigned int seed = 4242, i, ok = 0, bad = 0, pfn_ok = 0;
	struct lf_store st;

	for (i = 0; i < 3000; i++) {
		unsigned int n = 1 + rand_r(&seed) % 3, k;
		u8 *label = slot_ptr(store_slot(rand_r(&seed) % 16));
		struct pmemctl_label *l = (struct pmemctl_label *)label;
		u32 j;

		build_store_modes(16, 9, true);
		for (k = 0; k < n; k++) {
			size_t at = rand_r(&seed) % 4 ?
				hot + rand_r(&seed) % hot_len :
				rand_r(&seed) % offsetof(struct pmemctl_label, checksum);

			label[at] ^= (u8)(1u << (rand_r(&seed) % 8));
		}
		l->checksum = 0;
		l->checksum = lf_cpu64(lf_fletcher64(label, PMEMCTL_LABEL_SIZE));
		if (read_store(&st) != LF_OK)
			continue;
		ok++;
		bad += store_inconsistencies(&st);
		for (j = 0; j < st.count; j++)
			if (st.ns[j].mode == PMEMCTL_MODE_PFN)
				pfn_ok++;
	}
	check(bad == 0 && ok > 0 && pfn_ok > 0,
	      "3000 forged labels: every accepted store is consistent (%u accepted)", ok);
}

int main(void)
{
	area = calloc(1, PMEMCTL_STORE_SIZE);
	nsbuf = calloc(PMEMCTL_NSLOTS, sizeof(*nsbuf));
	scratch = calloc(PMEMCTL_NSLOTS, sizeof(*scratch));
	if (!area || !nsbuf || !scratch)
		return 99;
	test_empty_and_missing();
	test_roundtrip_sorted();
	test_index_choice();
	test_bad_label_fallback();
	test_free_slot();
	test_other_copy();
	test_commit_protocol();
	test_media_errors();
	test_hostile_labels();
	test_index_geometry();
	test_pfn_layout();
	test_mutations(false);
	test_mutations(true);
	test_forged_labels();
	free(area);
	free(nsbuf);
	free(scratch);
	return tap_done();
}
