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

/* Write labels and both index copies as the kernel's first change would. */
static void build_store(u32 count, u64 seq)
{
	u8 used[PMEMCTL_NSLOTS / 8] = { 0 };
	struct lf_ns ns;
	u32 i;

	memset(area, 0, PMEMCTL_STORE_SIZE);
	for (i = 0; i < count; i++) {
		char name[16];
		u32 slot = (i * 7919) % PMEMCTL_NSLOTS;	/* scattered slots */

		snprintf(name, sizeof(name), "ns%u", i);
		/* descending offsets, so decoding has to sort */
		make_ns(&ns, slot, i, lf_data_start(REGION_PHYS) + (u64)(count - 1 - i) * 2 * MIB,
			2 * MIB, name);
		lf_label_encode(slot_ptr(slot), &ns);
		lf_slot_set(used, slot, true);
	}
	lf_index_encode(area, 0, seq, REGION_SIZE, used);
	lf_index_encode(area + PMEMCTL_INDEX_SIZE, 1, seq - 1, REGION_SIZE, used);
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

/* Deterministic mutation: random byte flips anywhere in a populated store. */
static void test_mutations(void)
{
	struct lf_store st;
	unsigned int seed = 12345, i, ok = 0, bad = 0;

	for (i = 0; i < 3000; i++) {
		unsigned int n = 1 + rand_r(&seed) % 8, k;

		build_store(16, 9);
		for (k = 0; k < n; k++) {
			/* mostly hit the indexes and the first labels */
			size_t span = rand_r(&seed) % 2 ? 2 * PMEMCTL_INDEX_SIZE + 16 * 7919 % PMEMCTL_NSLOTS * 256
							: PMEMCTL_STORE_SIZE;
			area[rand_r(&seed) % span] ^= (u8)(1u << (rand_r(&seed) % 8));
		}
		if (read_store(&st) == LF_OK) {
			u32 j;

			ok++;
			for (j = 1; j < st.count; j++)
				if (st.ns[j - 1].offset + st.ns[j - 1].size > st.ns[j].offset)
					bad++;
			for (j = 0; j < st.count; j++)
				if (st.ns[j].offset + st.ns[j].size > REGION_SIZE ||
				    st.ns[j].offset < lf_data_start(REGION_PHYS))
					bad++;
		}
	}
	check(bad == 0, "3000 mutated stores: every accepted one is consistent (%u accepted)", ok);
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
	test_hostile_labels();
	test_index_geometry();
	test_mutations();
	free(area);
	free(nsbuf);
	free(scratch);
	return tap_done();
}
