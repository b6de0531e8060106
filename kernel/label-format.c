// SPDX-License-Identifier: GPL-2.0-only
/*
 * Label store format: checksums, validation, encoding and the choice of
 * the current index copy. No kernel dependency (see label-format.h).
 */
#include "label-format.h"

#define LF_INDEX_CSUM_OFF	offsetof(struct pmemctl_index, checksum)
#define LF_LABEL_CSUM_OFF	offsetof(struct pmemctl_label, checksum)
#define LF_MAX_ID		0x100000u

static const char *const lf_error_names[] = {
	[LF_OK] = "ok",
	[LF_NO_STORE] = "no label store",
	[LF_BAD_CHECKSUM] = "bad checksum",
	[LF_BAD_VERSION] = "unsupported format version",
	[LF_BAD_GEOMETRY] = "geometry does not match the region",
	[LF_BAD_BITMAP] = "corrupt slot bitmap",
	[LF_BAD_LABEL] = "invalid label",
	[LF_OVERLAP] = "overlapping namespaces",
	[LF_DUPLICATE] = "duplicate namespace id, name or uuid",
	[LF_MEDIA_ERROR] = "media error",
};

const char *lf_error_name(enum lf_error err)
{
	if ((unsigned int)err >= ARRAY_SIZE(lf_error_names))
		return "unknown error";
	return lf_error_names[err];
}

/*
 * Fletcher-64 over little-endian 32-bit words, with the 8-byte checksum
 * field at @skip read as zero, so a buffer can be checked in place.
 */
static u64 lf_fletcher64_skip(const void *buf, size_t len, size_t skip)
{
	const u8 *p = buf;
	u64 lo = 0, hi = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		__le32 raw = 0;

		if (i < skip || i >= skip + 8)
			memcpy(&raw, p + i, 4);
		lo += lf_le32(raw);
		hi += lo;
	}
	return (hi << 32) | (lo & 0xffffffffULL);
}

u64 lf_fletcher64(const void *buf, size_t len)
{
	return lf_fletcher64_skip(buf, len, len);
}

u64 lf_data_start(u64 region_phys)
{
	u64 end = region_phys + PMEMCTL_STORE_SIZE;

	end = (end + PMEMCTL_MIN_ALIGN - 1) & ~(PMEMCTL_MIN_ALIGN - 1);
	return end - region_phys;
}

bool lf_name_valid(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '\0')
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	if (i == len)
		return false;	/* not terminated */
	/* NUL padding: no stale bytes after the terminator */
	for (; i < len; i++)
		if (name[i])
			return false;
	return true;
}

bool lf_mode_valid(u32 mode)
{
	return mode == PMEMCTL_MODE_RAW || mode == PMEMCTL_MODE_PAGE ||
	       mode == PMEMCTL_MODE_PFN || mode == PMEMCTL_MODE_ONDEMAND;
}

bool lf_access_known(u32 access)
{
	return access == PMEMCTL_ACCESS_BLOCK || access == PMEMCTL_ACCESS_DEVDAX;
}

static bool lf_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

bool lf_align_valid(u32 access, u32 mode, u64 align)
{
	if (access == PMEMCTL_ACCESS_DEVDAX)
		return mode != PMEMCTL_MODE_RAW &&
		       (align == LF_DEVDAX_ALIGN_4K ||
			align == LF_DEVDAX_ALIGN_2M ||
			align == LF_DEVDAX_ALIGN_1G);
	return lf_is_pow2(align) && align >= PMEMCTL_MIN_ALIGN;
}

u64 lf_extent_align(const struct lf_ns *ns)
{
	return ns->align > PMEMCTL_MIN_ALIGN ? ns->align : PMEMCTL_MIN_ALIGN;
}

bool lf_data_aligned(u64 region_phys, const struct lf_ns *ns)
{
	if (ns->access != PMEMCTL_ACCESS_DEVDAX)
		return true;
	return !((region_phys + ns->offset + ns->data_offset) % ns->align) &&
	       !((ns->size - ns->data_offset) % ns->align);
}

static bool lf_zero(const void *buf, size_t len)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

enum lf_error lf_index_check(const void *buf, u64 region_size, u32 copy,
			     u64 *seq)
{
	const struct pmemctl_index *idx = buf;
	const u8 *bitmap = (const u8 *)buf + sizeof(*idx);
	u32 nbytes = PMEMCTL_NSLOTS / 8;

	if (memcmp(idx->magic, PMEMCTL_INDEX_MAGIC, sizeof(idx->magic)))
		return LF_NO_STORE;
	if (lf_fletcher64_skip(buf, PMEMCTL_INDEX_SIZE, LF_INDEX_CSUM_OFF) !=
	    lf_le64(idx->checksum))
		return LF_BAD_CHECKSUM;
	if (lf_le32(idx->major) != PMEMCTL_FORMAT_MAJOR)
		return LF_BAD_VERSION;
	if (lf_le32(idx->nslots) != PMEMCTL_NSLOTS ||
	    lf_le32(idx->label_size) != PMEMCTL_LABEL_SIZE ||
	    lf_le32(idx->index_size) != PMEMCTL_INDEX_SIZE ||
	    lf_le32(idx->copy) != copy ||
	    lf_le64(idx->region_size) != region_size || !idx->seq)
		return LF_BAD_GEOMETRY;
	if (!lf_zero(bitmap + nbytes,
		     PMEMCTL_INDEX_SIZE - sizeof(*idx) - nbytes))
		return LF_BAD_BITMAP;
	*seq = lf_le64(idx->seq);
	return LF_OK;
}

/*
 * The pfn layout of a decoded label: absent unless the mode is pfn; then
 * it must describe a memmap reserve that holds a struct page for every
 * 4 KiB of the namespace and leaves data behind it. Sizes are bounded
 * first, so the products below cannot wrap.
 */
static enum lf_error lf_layout_check(const struct pmemctl_label *l,
				     struct lf_ns *ns)
{
	ns->data_offset = lf_le64(l->data_offset);
	ns->npfns = lf_le64(l->npfns);
	ns->pfn_align = lf_le32(l->pfn_align);
	ns->page_struct_size = lf_le32(l->page_struct_size);

	if (ns->mode != PMEMCTL_MODE_PFN)
		return ns->data_offset || ns->npfns || ns->pfn_align ||
		       ns->page_struct_size ? LF_BAD_LABEL : LF_OK;
	if (ns->pfn_align != PMEMCTL_PFN_ALIGN ||
	    ns->page_struct_size < 32 || ns->page_struct_size > 256 ||
	    ns->page_struct_size % 8 ||
	    ns->npfns != ns->size / PMEMCTL_PFN_PAGE_SIZE ||
	    ns->data_offset % ns->pfn_align ||
	    ns->data_offset >= ns->size ||
	    ns->data_offset < ns->npfns * ns->page_struct_size)
		return LF_BAD_LABEL;
	return LF_OK;
}

enum lf_error lf_label_decode(const void *buf, u32 slot, u64 region_phys,
			      u64 region_size, struct lf_ns *ns)
{
	const struct pmemctl_label *l = buf;
	u64 start = lf_data_start(region_phys);

	if (memcmp(l->magic, PMEMCTL_LABEL_MAGIC, sizeof(l->magic)) ||
	    lf_fletcher64_skip(buf, PMEMCTL_LABEL_SIZE, LF_LABEL_CSUM_OFF) !=
	    lf_le64(l->checksum))
		return LF_BAD_CHECKSUM;

	ns->slot = lf_le32(l->slot);
	ns->id = lf_le32(l->id);
	ns->mode = lf_le32(l->mode);
	ns->offset = lf_le64(l->offset);
	ns->size = lf_le64(l->size);
	ns->align = lf_le64(l->align);
	ns->access = lf_le32(l->access);
	memcpy(ns->uuid, l->uuid, sizeof(ns->uuid));
	memcpy(ns->name, l->name, sizeof(ns->name));

	if (ns->slot != slot || ns->id >= LF_MAX_ID || l->flags ||
	    l->reserved0 || !lf_zero(l->reserved, sizeof(l->reserved)) ||
	    !lf_mode_valid(ns->mode) ||
	    !lf_name_valid(l->name, sizeof(l->name)) ||
	    lf_zero(ns->uuid, sizeof(ns->uuid)))
		return LF_BAD_LABEL;

	/*
	 * Geometry: every sum is checked before it can wrap. An access
	 * kind this code does not know is checked by the block rules; the
	 * namespace decodes, and the module refuses to enable it.
	 */
	if (!lf_align_valid(ns->access, ns->mode, ns->align) ||
	    ns->align > region_size || !ns->size ||
	    ns->size % lf_extent_align(ns) ||
	    ns->offset < start || ns->offset > region_size ||
	    ns->size > region_size - ns->offset ||
	    (region_phys + ns->offset) % lf_extent_align(ns))
		return LF_BAD_LABEL;
	if (lf_layout_check(l, ns) != LF_OK ||
	    !lf_data_aligned(region_phys, ns))
		return LF_BAD_LABEL;
	return LF_OK;
}

void lf_set_layout(struct lf_ns *ns)
{
	u64 memmap;

	ns->data_offset = 0;
	ns->npfns = 0;
	ns->pfn_align = 0;
	ns->page_struct_size = 0;
	if (ns->mode != PMEMCTL_MODE_PFN)
		return;
	ns->npfns = ns->size / PMEMCTL_PFN_PAGE_SIZE;
	ns->pfn_align = PMEMCTL_PFN_ALIGN;
	ns->page_struct_size = PMEMCTL_PAGE_STRUCT_SIZE;
	memmap = ns->npfns * PMEMCTL_PAGE_STRUCT_SIZE;
	ns->data_offset = (memmap + PMEMCTL_PFN_ALIGN - 1) &
			  ~(u64)(PMEMCTL_PFN_ALIGN - 1);
}

void lf_label_encode(void *buf, const struct lf_ns *ns)
{
	struct pmemctl_label *l = buf;

	memset(l, 0, sizeof(*l));
	memcpy(l->magic, PMEMCTL_LABEL_MAGIC, sizeof(l->magic));
	l->slot = lf_cpu32(ns->slot);
	l->id = lf_cpu32(ns->id);
	memcpy(l->uuid, ns->uuid, sizeof(l->uuid));
	memcpy(l->name, ns->name, sizeof(l->name));
	l->offset = lf_cpu64(ns->offset);
	l->size = lf_cpu64(ns->size);
	l->align = lf_cpu64(ns->align);
	l->mode = lf_cpu32(ns->mode);
	l->data_offset = lf_cpu64(ns->data_offset);
	l->npfns = lf_cpu64(ns->npfns);
	l->pfn_align = lf_cpu32(ns->pfn_align);
	l->page_struct_size = lf_cpu32(ns->page_struct_size);
	l->access = lf_cpu32(ns->access);
	l->checksum = lf_cpu64(lf_fletcher64(l, sizeof(*l)));
}

void lf_index_encode(void *buf, u32 copy, u64 seq, u64 region_size,
		     const u8 *used)
{
	struct pmemctl_index *idx = buf;

	memset(buf, 0, PMEMCTL_INDEX_SIZE);
	memcpy(idx->magic, PMEMCTL_INDEX_MAGIC, sizeof(idx->magic));
	idx->major = lf_cpu32(PMEMCTL_FORMAT_MAJOR);
	idx->minor = lf_cpu32(PMEMCTL_FORMAT_MINOR);
	idx->seq = lf_cpu64(seq);
	idx->region_size = lf_cpu64(region_size);
	idx->nslots = lf_cpu32(PMEMCTL_NSLOTS);
	idx->label_size = lf_cpu32(PMEMCTL_LABEL_SIZE);
	idx->index_size = lf_cpu32(PMEMCTL_INDEX_SIZE);
	idx->copy = lf_cpu32(copy);
	memcpy((u8 *)buf + sizeof(*idx), used, PMEMCTL_NSLOTS / 8);
	idx->checksum = lf_cpu64(lf_fletcher64(buf, PMEMCTL_INDEX_SIZE));
}

/*
 * In-place heapsort of u32 keys into @base by @cmp: no allocation and no
 * recursion, so the same code is safe in the kernel and on a fuzzer's input.
 */
typedef int (*lf_cmp_fn)(u32 a, u32 b, const struct lf_ns *ns);

static void lf_sift(u32 *v, u32 root, u32 n, lf_cmp_fn cmp,
		    const struct lf_ns *ns)
{
	for (;;) {
		u32 child = 2 * root + 1, t;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(v[child], v[child + 1], ns) < 0)
			child++;
		if (cmp(v[root], v[child], ns) >= 0)
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void lf_sort(u32 *v, u32 n, lf_cmp_fn cmp, const struct lf_ns *ns)
{
	u32 i, t;

	for (i = n / 2; i-- > 0;)
		lf_sift(v, i, n, cmp, ns);
	for (i = n; i-- > 1;) {
		t = v[0];
		v[0] = v[i];
		v[i] = t;
		lf_sift(v, 0, i, cmp, ns);
	}
}

static int lf_cmp_offset(u32 a, u32 b, const struct lf_ns *ns)
{
	return ns[a].offset < ns[b].offset ? -1 : ns[a].offset > ns[b].offset;
}

static int lf_cmp_id(u32 a, u32 b, const struct lf_ns *ns)
{
	return ns[a].id < ns[b].id ? -1 : ns[a].id > ns[b].id;
}

static int lf_cmp_uuid(u32 a, u32 b, const struct lf_ns *ns)
{
	return memcmp(ns[a].uuid, ns[b].uuid, PMEMCTL_UUID_LEN);
}

static int lf_cmp_name(u32 a, u32 b, const struct lf_ns *ns)
{
	return strncmp(ns[a].name, ns[b].name, PMEMCTL_NAME_LEN);
}

static bool lf_adjacent_equal(u32 *order, u32 count, lf_cmp_fn cmp,
			      const struct lf_ns *ns, bool skip_empty_name)
{
	u32 i;

	lf_sort(order, count, cmp, ns);
	for (i = 1; i < count; i++) {
		if (skip_empty_name && !ns[order[i]].name[0])
			continue;
		if (!cmp(order[i - 1], order[i], ns))
			return true;
	}
	return false;
}

enum lf_error lf_ns_set_check(const struct lf_ns *ns, u32 count,
			      u32 *scratch)
{
	u32 i;

	for (i = 1; i < count; i++)
		if (ns[i - 1].offset + ns[i - 1].size > ns[i].offset)
			return LF_OVERLAP;

	for (i = 0; i < count; i++)
		scratch[i] = i;
	if (lf_adjacent_equal(scratch, count, lf_cmp_id, ns, false) ||
	    lf_adjacent_equal(scratch, count, lf_cmp_uuid, ns, false) ||
	    lf_adjacent_equal(scratch, count, lf_cmp_name, ns, true))
		return LF_DUPLICATE;
	return LF_OK;
}

int lf_free_slot(const u8 *used, const u8 *other_used)
{
	u32 slot;

	for (slot = 0; slot < PMEMCTL_NSLOTS; slot++)
		if (!lf_slot_used(used, slot) && !lf_slot_used(other_used, slot))
			return (int)slot;
	return -1;
}

/*
 * Decode every used slot of index copy @copy (already checked, at @idx)
 * into @st, sorted by offset. A slot that cannot be read is only recorded:
 * its namespace is unknown, not invalid.
 */
static enum lf_error lf_store_try(const struct lf_media *m, const u8 *idx,
				  int copy, u64 seq, u64 region_phys,
				  u64 region_size, struct lf_store *st,
				  u32 *scratch)
{
	u8 *lbuf = m->buf ? m->buf + 2 * PMEMCTL_INDEX_SIZE : NULL;
	struct lf_ns tmp;
	enum lf_error err;
	u32 slot, n = 0, i, j;
	const void *p;

	memcpy(st->used, idx + sizeof(struct pmemctl_index), sizeof(st->used));
	memset(st->unreadable, 0, sizeof(st->unreadable));
	st->nunreadable = 0;
	for (slot = 0; slot < PMEMCTL_NSLOTS; slot++) {
		if (!lf_slot_used(st->used, slot))
			continue;
		p = m->read(m->ctx, 2 * PMEMCTL_INDEX_SIZE +
			    (u64)slot * PMEMCTL_LABEL_SIZE, PMEMCTL_LABEL_SIZE,
			    lbuf);
		if (!p) {
			lf_slot_set(st->unreadable, slot, true);
			st->nunreadable++;
			continue;
		}
		err = lf_label_decode(p, slot, region_phys, region_size,
				      &st->ns[n]);
		if (err)
			return err == LF_BAD_CHECKSUM ? LF_BAD_LABEL : err;
		n++;
	}
	/* Sort by offset: order through @scratch, then permute in place. */
	for (i = 0; i < n; i++)
		scratch[i] = i;
	lf_sort(scratch, n, lf_cmp_offset, st->ns);
	for (i = 0; i < n; i++) {
		if (scratch[i] == i || scratch[i] >= n)
			continue;
		/* follow the cycle starting at i; mark done with >= n */
		tmp = st->ns[i];
		j = i;
		while (scratch[j] != i) {
			u32 next = scratch[j];

			st->ns[j] = st->ns[next];
			scratch[j] = n + next;
			j = next;
		}
		st->ns[j] = tmp;
		scratch[j] = n + i;
	}

	err = lf_ns_set_check(st->ns, n, scratch);
	if (err)
		return err;
	st->cur = copy;
	st->seq = seq;
	st->count = n;
	return LF_OK;
}

/* The reader of a store that is all in memory already. */
static const void *lf_flat_read(void *ctx, u64 off, size_t len, void *buf)
{
	return (const u8 *)ctx + off;
}

enum lf_error lf_store_read(const void *area, u64 region_phys,
			    u64 region_size, struct lf_store *st,
			    u32 *scratch)
{
	const struct lf_media m = {
		.read = lf_flat_read,
		.ctx = (void *)area,
	};

	return lf_store_load(&m, region_phys, region_size, st, scratch);
}

enum lf_error lf_store_load(const struct lf_media *m, u64 region_phys,
			    u64 region_size, struct lf_store *st,
			    u32 *scratch)
{
	enum lf_error err[2], tried[2], first = LF_NO_STORE;
	u64 seq[2] = { 0, 0 }, raw_seq[2];
	const u8 *idx[2];
	int order[2], i;

	for (i = 0; i < 2; i++) {
		idx[i] = m->read(m->ctx, (u64)i * PMEMCTL_INDEX_SIZE,
				 PMEMCTL_INDEX_SIZE,
				 m->buf ? m->buf + i * PMEMCTL_INDEX_SIZE : NULL);
		err[i] = idx[i] ? lf_index_check(idx[i], region_size, i, &seq[i])
				: LF_MEDIA_ERROR;
		tried[i] = err[i];
		raw_seq[i] = idx[i] ? lf_le64(((const struct pmemctl_index *)
						idx[i])->seq) : 0;
	}

	/* Newest valid copy first; on a tie copy 0 wins. */
	order[0] = (!err[1] && (err[0] || seq[1] > seq[0])) ? 1 : 0;
	order[1] = !order[0];

	for (i = 0; i < 2; i++) {
		int c = order[i];
		enum lf_error e = err[c];

		if (!e)
			e = lf_store_try(m, idx[c], c, seq[c], region_phys,
					 region_size, st, scratch);
		tried[c] = e;
		if (!e) {
			int o = !c;

			st->other_index_ok = !err[o];
			/* the magic is checked first: any later error has it */
			st->other_seq_known = err[o] != LF_NO_STORE &&
					      err[o] != LF_MEDIA_ERROR;
			st->other_seq = raw_seq[o];
			st->other_err = tried[o];
			st->fell_back = tried[o] != LF_OK;
			if (st->other_index_ok)
				memcpy(st->other_used,
				       idx[o] + sizeof(struct pmemctl_index),
				       sizeof(st->other_used));
			else
				memset(st->other_used, 0,
				       sizeof(st->other_used));
			return LF_OK;
		}
		if (first == LF_NO_STORE)
			first = e;
	}
	return first;
}
