/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Label store encode/decode/validation: plain C with no kernel dependency,
 * built into pmemctl.ko and into the userspace tests and fuzzer. Everything
 * read from the media is treated as hostile: each function bounds-checks
 * every field before using it.
 */
#ifndef _PMEMCTL_LABEL_FORMAT_H
#define _PMEMCTL_LABEL_FORMAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#define lf_le16(x) le16_to_cpu(x)
#define lf_le32(x) le32_to_cpu(x)
#define lf_le64(x) le64_to_cpu(x)
#define lf_cpu32(x) cpu_to_le32(x)
#define lf_cpu64(x) cpu_to_le64(x)
#else
#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define lf_le32(x) le32toh(x)
#define lf_le64(x) le64toh(x)
#define lf_cpu32(x) htole32(x)
#define lf_cpu64(x) htole64(x)
#endif

#include <pmemctl.h>

#define PMEMCTL_MIN_ALIGN	(2ULL << 20)

/* The fault sizes of a device-DAX mapping on x86-64: PTE, PMD, PUD. */
#define LF_DEVDAX_ALIGN_4K	(4ULL << 10)
#define LF_DEVDAX_ALIGN_2M	(2ULL << 20)
#define LF_DEVDAX_ALIGN_1G	(1024ULL << 20)

/* Why a store or label was rejected; also what "label-error" reports. */
enum lf_error {
	LF_OK = 0,
	LF_NO_STORE,		/* neither index copy carries our magic */
	LF_BAD_CHECKSUM,
	LF_BAD_VERSION,
	LF_BAD_GEOMETRY,	/* sizes, copy number or region size mismatch */
	LF_BAD_BITMAP,		/* bits set past nslots, or non-zero tail */
	LF_BAD_LABEL,		/* a used slot holds an invalid label */
	LF_OVERLAP,		/* two namespaces share bytes */
	LF_DUPLICATE,		/* id, name or uuid used twice */
	LF_MEDIA_ERROR,		/* a structure could not be read (poison) */
};

const char *lf_error_name(enum lf_error err);

/* A decoded, validated label. */
struct lf_ns {
	u32 slot;
	u32 id;
	u32 mode;
	u8 uuid[PMEMCTL_UUID_LEN];
	char name[PMEMCTL_NAME_LEN];
	u64 offset;
	u64 size;
	u64 align;
	/* pfn layout (all 0 unless mode is pfn) */
	u64 data_offset;
	u64 npfns;
	u32 pfn_align;
	u32 page_struct_size;
	/*
	 * PMEMCTL_ACCESS_* (format 1.2). A label may carry a value this
	 * code does not know (a newer module wrote it): it decodes, so the
	 * rest of the store stays usable, but lf_access_known() is false
	 * and the module refuses to enable that namespace.
	 */
	u32 access;
};

/*
 * Result of reading a store. @ns must have room for PMEMCTL_NSLOTS entries;
 * on LF_OK it holds @count namespaces sorted by offset, @cur is the copy that
 * is current, @seq its sequence number and @used its bitmap.
 *
 * @other_used is the bitmap of the other copy when that copy is a valid
 * index (whatever its labels), else all zero: a new label must not go into
 * a slot set in either (lf_free_slot()). @other_err says why the other
 * copy is not current: LF_OK when it is simply older, else its damage
 * (@fell_back is then true: the newest state could not be used, or the
 * other copy may have been newer). @other_seq is its sequence number when
 * @other_seq_known: the copy could be read and carries the index magic
 * (with @other_index_ok false it failed its checks, so the number is what
 * the damaged header says, unverified).
 *
 * @unreadable marks the slots of @used whose label could not be read
 * (media error, @nunreadable of them): their namespaces are not in @ns,
 * and since their extents are unknown nothing may be allocated.
 */
struct lf_store {
	int cur;
	u64 seq;
	u32 count;
	u8 used[PMEMCTL_NSLOTS / 8];
	u8 other_used[PMEMCTL_NSLOTS / 8];
	u8 unreadable[PMEMCTL_NSLOTS / 8];
	u32 nunreadable;
	bool fell_back;
	bool other_index_ok;
	bool other_seq_known;
	enum lf_error other_err;
	u64 other_seq;
	struct lf_ns *ns;
};

/*
 * How the store is read: structure by structure, so that a media error
 * costs only the structure it hits. @read returns a pointer to @len bytes
 * at store offset @off, either @buf after copying them there or any
 * pointer that stays valid for the whole load, or NULL when they cannot
 * be read. @buf, when the reader copies, has LF_IOBUF_SIZE bytes: index
 * copy 0, index copy 1, one label.
 */
struct lf_media {
	const void *(*read)(void *ctx, u64 off, size_t len, void *buf);
	void *ctx;
	u8 *buf;
};

#define LF_IOBUF_SIZE	(2 * PMEMCTL_INDEX_SIZE + PMEMCTL_LABEL_SIZE)

u64 lf_fletcher64(const void *buf, size_t len);

/* First byte after the store that a namespace may use (region offset). */
u64 lf_data_start(u64 region_phys);

bool lf_name_valid(const char *name, size_t len);
bool lf_mode_valid(u32 mode);
bool lf_access_known(u32 access);

/*
 * The alignment rules of a namespace's shape, for requests and labels:
 * block: a power of two of at least 2 MiB; devdax: the fault size of its
 * mapping, 4 KiB, 2 MiB or 1 GiB, and struct pages (mode page or pfn); an
 * access kind not known here: as block. The extent itself always starts
 * and ends on lf_extent_align() boundaries; a devdax namespace's data
 * start (after a pfn reserve) must be aligned to its align as well,
 * which lf_data_aligned() checks once the layout is known.
 */
bool lf_align_valid(u32 access, u32 mode, u64 align);
u64 lf_extent_align(const struct lf_ns *ns);
bool lf_data_aligned(u64 region_phys, const struct lf_ns *ns);

/* Validate one index copy read from @copy's location. */
enum lf_error lf_index_check(const void *buf, u64 region_size, u32 copy,
			     u64 *seq);

/* Decode and validate the label in @slot against the region geometry. */
enum lf_error lf_label_decode(const void *buf, u32 slot, u64 region_phys,
			      u64 region_size, struct lf_ns *ns);

void lf_label_encode(void *buf, const struct lf_ns *ns);

/*
 * Fill in (pfn) or clear (raw, page) @ns's pfn layout for its mode and
 * size: the reserve is the memmap of the whole namespace at
 * PMEMCTL_PAGE_STRUCT_SIZE bytes per 4 KiB page, rounded up to 2 MiB.
 */
void lf_set_layout(struct lf_ns *ns);
void lf_index_encode(void *buf, u32 copy, u64 seq, u64 region_size,
		     const u8 *used);

/*
 * Read a whole store from @area (PMEMCTL_STORE_SIZE bytes): pick the newest
 * index copy whose labels are all valid and consistent, falling back to the
 * other copy when the newest references a bad label.
 * @scratch needs PMEMCTL_NSLOTS u32 entries.
 */
enum lf_error lf_store_read(const void *area, u64 region_phys,
			    u64 region_size, struct lf_store *st,
			    u32 *scratch);

/*
 * The same through @m: each index copy, then each slot the chosen copy
 * references, is read on its own. An unreadable index copy counts as
 * damaged (LF_MEDIA_ERROR), so the other copy is used; an unreadable slot
 * of the chosen copy is recorded in @st->unreadable and the load goes on
 * (LF_OK): the other namespaces are still proven by their labels.
 */
enum lf_error lf_store_load(const struct lf_media *m, u64 region_phys,
			    u64 region_size, struct lf_store *st,
			    u32 *scratch);

/*
 * The slot rule: the first slot that neither @used (the current copy) nor
 * @other_used (the other copy, all zero if it is not a valid index) has
 * set, or -1 when there is none. Writing only there keeps the older copy
 * an exact earlier state to fall back to.
 */
int lf_free_slot(const u8 *used, const u8 *other_used);

/* Check a set of namespaces (sorted by offset) for overlap/duplicates. */
enum lf_error lf_ns_set_check(const struct lf_ns *ns, u32 count,
			      u32 *scratch);

static inline bool lf_slot_used(const u8 *used, u32 slot)
{
	return used[slot / 8] & (1u << (slot % 8));
}

static inline void lf_slot_set(u8 *used, u32 slot, bool on)
{
	if (on)
		used[slot / 8] |= (u8)(1u << (slot % 8));
	else
		used[slot / 8] &= (u8)~(1u << (slot % 8));
}

#endif /* _PMEMCTL_LABEL_FORMAT_H */
