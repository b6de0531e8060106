// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl apply: reading the layout file. Every rule of pmemctl-apply(1),
 * LAYOUT FILE, is checked here before anything asks the kernel, so that a
 * bad file changes nothing, and each message names the place in the file.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/apply-layout.h"

/* json_tokener_get_parse_end() is json-c 0.15's; configure takes 0.14. */
#if JSON_C_VERSION_NUM < ((0 << 16) | (15 << 8))
#define json_tokener_get_parse_end(tok) ((size_t)(tok)->char_offset)
#endif

#define DEFAULT_ALIGN	(2ULL << 20)
#define ALIGN_4K	(4ULL << 10)

/* How much of a string from the file a message shows. */
#define SHOW_MAX	48

#define BYTES_WHAT \
	"a byte count (a positive integer, or a string such as \"100M\")"
#define BYTES_EXPECTED	"expected " BYTES_WHAT

/* What pmemctl list -R -N prints that a layout does not use. */
static const char *const region_keys[] = { "dev", "namespaces", NULL };
static const char *const region_ignored[] = {
	"size", "align", "available_size", "max_available_extent",
	"max_namespaces", "numa_node", "persistence_domain", "state",
	"label_error", "resource", "largest_extent", NULL
};
static const char *const ns_keys[] = {
	"name", "size", "mode", "map", "access", "align", "uuid", "state", NULL
};
static const char *const ns_ignored[] = {
	"dev", "region", "data_size", "metadata_ram", "metadata_ram_peak",
	"metadata_ram_per_gib", "metadata_dev",
	"blockdev", "chardev", "numa_node", "data_offset", "npfns", "page_struct_size",
	"resource", "badblock_count", "badblocks", NULL
};

/*
 * The names, UUIDs and regions seen so far, each with the place it was
 * first seen: a hash set, so that a file of many thousand namespaces is
 * checked in linear time. Keys point into the layout's arrays, which are
 * allocated at their final size and never move.
 */
struct seen {
	const void *key;
	size_t len;
	size_t hash;
	const char *place;
};

struct seen_set {
	struct seen *v;
	size_t cap;		/* 0 or a power of two */
	size_t n;
};

struct parser {
	char *err;
	struct seen_set names, uuids, regions;
};

static size_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *b = key;
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	while (len--) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

static int seen_grow(struct seen_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64, i, j;
	struct seen *v;

	if (cap < s->cap)
		return -ENOMEM;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		if (!s->v[i].key)
			continue;
		for (j = s->v[i].hash & (cap - 1); v[j].key; j = (j + 1) & (cap - 1))
			;
		v[j] = s->v[i];
	}
	free(s->v);
	s->v = v;
	s->cap = cap;
	return 0;
}

/*
 * Add @key to @s. Returns 0 when it is new, 1 with *@first set to the
 * place it was seen at when it is not, or -ENOMEM.
 */
static int seen_add(struct seen_set *s, const void *key, size_t len,
		    const char *place, const char **first)
{
	size_t hash = hash_bytes(key, len), i;

	/* at most half full: probe sequences stay short */
	if (2 * (s->n + 1) > s->cap && seen_grow(s) < 0)
		return -ENOMEM;
	for (i = hash & (s->cap - 1); s->v[i].key; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i].hash == hash && s->v[i].len == len &&
		    memcmp(s->v[i].key, key, len) == 0) {
			*first = s->v[i].place;
			return 1;
		}
	}
	s->v[i] = (struct seen){ .key = key, .len = len, .hash = hash,
				 .place = place };
	s->n++;
	return 0;
}

static void seen_free(struct seen_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/*
 * Write "@place.@key: message" into the error buffer (without @key, or
 * without the place when @place is NULL). Always returns -EINVAL.
 */
static int fail(struct parser *p, const char *place, const char *key,
		const char *fmt, ...) _printf_(4, 5);

static int fail(struct parser *p, const char *place, const char *key,
		const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (place && key)
		n = snprintf(p->err, LAYOUT_ERR_MAX, "%s.%s: ", place, key);
	else if (place)
		n = snprintf(p->err, LAYOUT_ERR_MAX, "%s: ", place);
	if (n < 0)
		n = 0;
	if (n < LAYOUT_ERR_MAX - 1) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, LAYOUT_ERR_MAX - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * A string from the file as a message shows it: control characters as
 * '?' (a key or value may hold a newline), cut at SHOW_MAX bytes with
 * "..." but never inside a UTF-8 sequence. Returns @buf.
 */
static const char *show(const char *s, char buf[SHOW_MAX + 4])
{
	size_t n = 0;

	for (; *s && n < SHOW_MAX; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (*s) {
		/* back to the start of a sequence cut in two */
		while (n > 0 && ((unsigned char)*s & 0xc0) == 0x80) {
			n--;
			s--;
		}
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static const char *type_desc(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number with a fraction or an exponent";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "an unknown JSON type";
}

static bool key_in(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

/* Only the keys of @known and @ignored, so that a typo is not ignored. */
static int check_keys(struct parser *p, const char *place,
		      struct json_object *obj, const char *const *known,
		      const char *const *ignored)
{
	struct json_object_iterator it = json_object_iter_begin(obj);
	struct json_object_iterator end = json_object_iter_end(obj);
	char buf[SHOW_MAX + 4];
	const char *key;

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		if (!key_in(key, known) && !key_in(key, ignored)) {
			show(key, buf);
			return fail(p, place, buf, "unknown key '%s'", buf);
		}
	}
	return 0;
}

/*
 * The string @v, or an error saying that @what was expected. A string
 * holding "\u0000" would be cut short as C text: it is none of the values
 * a layout takes.
 */
static int string_value(struct parser *p, const char *place, const char *key,
			struct json_object *v, const char *what,
			const char **out)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string))
		return fail(p, place, key, "expected %s, got %s", what,
			    type_desc(v));
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		return fail(p, place, key,
			    "expected %s, got a string with a NUL character", what);
	*out = s;
	return 0;
}

/* The same for an optional key: null or absent leave *@out NULL. */
static int optional_string(struct parser *p, const char *place,
			   struct json_object *obj, const char *key,
			   const char *what, const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	return string_value(p, place, key, v, what, out);
}

/* A positive byte count: a JSON integer, or text as size_parse() takes it. */
static int bytes_value(struct parser *p, const char *place, const char *key,
		       struct json_object *v, unsigned long long *out)
{
	char buf[SHOW_MAX + 4];
	const char *s;
	int err;

	if (json_object_is_type(v, json_type_int)) {
		/* above INT64_MAX json-c keeps a uint64: get_int64 clamps */
		if (json_object_get_int64(v) <= 0)
			return fail(p, place, key, BYTES_EXPECTED ", got %lld",
				    (long long)json_object_get_int64(v));
		*out = json_object_get_uint64(v);
		return 0;
	}
	err = string_value(p, place, key, v, BYTES_WHAT, &s);
	if (err)
		return err;
	err = size_parse(s, out);
	if (err == -ERANGE)
		return fail(p, place, key, "'%s' does not fit in 64 bits",
			    show(s, buf));
	if (err < 0 || *out == 0)
		return fail(p, place, key, BYTES_EXPECTED ", got '%s'",
			    show(s, buf));
	return 0;
}

/*
 * mode, map and access: as list prints them ("mode": "page", "access":
 * "devdax"), or in ndctl's spelling ("mode": "fsdax" or "devdax", with
 * "map"). ndctl's devdax names the access kind too and, as
 * create-namespace -m devdax, means pfn without a map.
 */
static int parse_shape(struct parser *p, struct layout_ns *ns,
		       struct json_object *obj)
{
	const char *mode, *map, *access, *as;
	char buf[SHOW_MAX + 4], buf2[SHOW_MAX + 4];
	bool devdax;
	int err;

	err = optional_string(p, ns->place, obj, "mode",
			      "a mode (raw, page, pfn, ondemand, fsdax or devdax)",
			      &mode);
	err = err ?: optional_string(p, ns->place, obj, "map",
				     "a map (mem or dev)", &map);
	err = err ?: optional_string(p, ns->place, obj, "access",
				     "an access kind (block or devdax)", &access);
	if (err)
		return err;
	if (access) {
		if (ns_access_from_name(access, &ns->access) < 0)
			return fail(p, ns->place, "access",
				    "unknown access '%s' (expected block or devdax)",
				    show(access, buf));
		ns->has_access = true;
	}
	devdax = ns->has_access && ns->access == NS_ACCESS_DEVDAX;
	as = mode;
	if (mode && strcmp(mode, "devdax") == 0) {
		if (ns->has_access && !devdax)
			return fail(p, ns->place, "mode",
				    "mode 'devdax' does not go with access 'block' (ndctl's devdax is a character device)");
		ns->has_access = true;
		ns->access = NS_ACCESS_DEVDAX;
		as = "fsdax";
	} else if (mode && strcmp(mode, "fsdax") == 0 && devdax) {
		return fail(p, ns->place, "mode",
			    "mode 'fsdax' does not go with access 'devdax' (ndctl's fsdax is a block device: say mode 'devdax', or 'page' or 'pfn')");
	}
	if (!mode && !map)
		return 0;
	err = ns_mode_parse(as, map, &ns->mode);
	if (err == -EINVAL)
		return fail(p, ns->place, "mode",
			    "unknown mode '%s' (expected raw, page, pfn, ondemand, fsdax or devdax)",
			    show(mode, buf));
	if (err == -EDOM && strcmp(map, "mem") != 0 && strcmp(map, "dev") != 0)
		return fail(p, ns->place, "map",
			    "unknown map '%s' (expected mem or dev)",
			    show(map, buf));
	/* a known map with no mode is fsdax, which takes either */
	if (err == -EDOM)
		return fail(p, ns->place, "map",
			    "map '%s' does not go with mode '%s' (mem goes with page, fsdax or devdax, dev with pfn, fsdax or devdax)",
			    show(map, buf), show(mode ?: "", buf2));
	if (err < 0)
		return fail(p, ns->place, "mode", "invalid mode");
	if (ns->has_access && ns->access == NS_ACCESS_DEVDAX &&
	    ns->mode == NS_MODE_RAW)
		return fail(p, ns->place, "mode",
			    "mode 'raw' cannot be devdax: device DAX needs struct pages (page, pfn or ondemand)");
	ns->has_mode = true;
	return 0;
}

/*
 * align: a block namespace's is a power of two of at least 2M; a devdax
 * namespace's is its mappings' fault size, 4K, 2M or 1G. Either way the
 * extent starts and ends on 2M at least, so the size is a multiple of
 * the larger of the two.
 */
static int parse_align(struct parser *p, struct layout_ns *ns,
		       struct json_object *obj)
{
	bool devdax = ns->has_access && ns->access == NS_ACCESS_DEVDAX;
	unsigned long long align, extent;
	struct json_object *v;
	int err;

	if (json_object_object_get_ex(obj, "align", &v) && v) {
		err = bytes_value(p, ns->place, "align", v, &ns->align);
		if (err)
			return err;
		if (devdax && !ns_align_valid(NS_ACCESS_DEVDAX, ns->align))
			return fail(p, ns->place, "align",
				    "expected 4K (4096), 2M (2097152) or 1G (1073741824) for devdax (its mappings' fault size), got %llu",
				    ns->align);
		if (!devdax && ns->align == ALIGN_4K)
			return fail(p, ns->place, "align",
				    "4K (4096) is for devdax only (a block namespace's is a power of two of at least 2M): give \"access\": \"devdax\"");
		if (!devdax && !ns_align_valid(NS_ACCESS_BLOCK, ns->align))
			return fail(p, ns->place, "align",
				    "expected a power of two of at least 2M (2097152), got %llu",
				    ns->align);
		ns->has_align = true;
	}
	align = ns->has_align ? ns->align : DEFAULT_ALIGN;
	extent = align < DEFAULT_ALIGN ? DEFAULT_ALIGN : align;
	if (ns->size % extent && align != extent)
		return fail(p, ns->place, "size",
			    "%llu is not a multiple of 2M (2097152), which every extent starts and ends on",
			    ns->size);
	if (ns->size % extent)
		return fail(p, ns->place, "size",
			    "%llu is not a multiple of the alignment (%llu%s)",
			    ns->size, align, ns->has_align ? "" : ", the default");
	return 0;
}

static int parse_uuid(struct parser *p, struct layout_ns *ns,
		      struct json_object *obj)
{
	char buf[SHOW_MAX + 4], str[UUID_STR_LEN + 1];
	const char *s, *first;
	int err;

	err = optional_string(p, ns->place, obj, "uuid",
			      "a UUID (a string of 8-4-4-4-12 hex digits)", &s);
	if (err || !s)
		return err;
	if (uuid_from_str(s, ns->uuid) < 0)
		return fail(p, ns->place, "uuid",
			    "invalid UUID '%s' (expected 8-4-4-4-12 hex digits)",
			    show(s, buf));
	ns->has_uuid = true;
	/* the bytes, not the text: upper and lower case are one UUID */
	err = seen_add(&p->uuids, ns->uuid, UUID_BYTES, ns->place, &first);
	if (err < 0)
		return err;
	if (err)
		return fail(p, ns->place, "uuid", "%s is already at %s",
			    uuid_to_str(ns->uuid, str), first);
	return 0;
}

static int parse_state(struct parser *p, struct layout_ns *ns,
		       struct json_object *obj)
{
	char buf[SHOW_MAX + 4];
	const char *s;
	int err;

	err = optional_string(p, ns->place, obj, "state",
			      "a state (enabled or disabled)", &s);
	if (err || !s)
		return err;
	if (strcmp(s, "enabled") == 0)
		ns->state = LAYOUT_STATE_ENABLED;
	else if (strcmp(s, "disabled") == 0)
		ns->state = LAYOUT_STATE_DISABLED;
	else
		return fail(p, ns->place, "state",
			    "unknown state '%s' (expected enabled or disabled)",
			    show(s, buf));
	return 0;
}

static int parse_ns(struct parser *p, struct layout_ns *ns,
		    struct json_object *obj)
{
	char buf[SHOW_MAX + 4];
	struct json_object *v;
	const char *s, *first;
	int err;

	if (!json_object_is_type(obj, json_type_object))
		return fail(p, ns->place, NULL,
			    "expected a namespace object, got %s", type_desc(obj));
	err = check_keys(p, ns->place, obj, ns_keys, ns_ignored);
	if (err)
		return err;

	if (!json_object_object_get_ex(obj, "name", &v))
		return fail(p, ns->place, NULL,
			    "missing \"name\" (a namespace's identity in a layout)");
	err = string_value(p, ns->place, "name", v,
			   "a name (a namespace's identity in a layout)", &s);
	if (err)
		return err;
	if (!ns_name_valid(s))
		return fail(p, ns->place, "name",
			    "invalid name '%s' (1 to 63 of A-Z, a-z, 0-9, '.', '_' and '-')",
			    show(s, buf));
	strcpy(ns->name, s);
	err = seen_add(&p->names, ns->name, strlen(ns->name), ns->place, &first);
	if (err < 0)
		return err;
	if (err)
		return fail(p, ns->place, "name", "'%s' is already at %s",
			    ns->name, first);

	if (!json_object_object_get_ex(obj, "size", &v))
		return fail(p, ns->place, NULL,
			    "missing \"size\" (a positive integer, or a string such as \"100M\")");
	err = bytes_value(p, ns->place, "size", v, &ns->size);
	err = err ?: parse_shape(p, ns, obj);
	err = err ?: parse_align(p, ns, obj);
	err = err ?: parse_uuid(p, ns, obj);
	return err ?: parse_state(p, ns, obj);
}

/*
 * "[i].namespaces[j]". LAYOUT_PLACE_MAX holds indices of 16 digits each;
 * a file cannot have that many entries (each takes bytes of text and of
 * memory), so a place is never cut, but it would be cut safely.
 */
static void set_place(char place[LAYOUT_PLACE_MAX], size_t i, size_t j)
{
	if (snprintf(place, LAYOUT_PLACE_MAX, "[%zu].namespaces[%zu]", i, j) >=
	    LAYOUT_PLACE_MAX)
		place[LAYOUT_PLACE_MAX - 1] = '\0';
}

static int parse_region(struct parser *p, struct layout_region *r, size_t i,
			struct json_object *obj)
{
	char buf[SHOW_MAX + 4];
	struct json_object *v, *nss;
	const char *s, *first;
	size_t j, n;
	int err;

	snprintf(r->place, sizeof(r->place), "[%zu]", i);
	if (!json_object_is_type(obj, json_type_object))
		return fail(p, r->place, NULL, "expected a region object, got %s",
			    type_desc(obj));
	err = check_keys(p, r->place, obj, region_keys, region_ignored);
	if (err)
		return err;

	if (!json_object_object_get_ex(obj, "dev", &v))
		return fail(p, r->place, NULL,
			    "missing \"dev\" (the region, such as \"region0\")");
	err = string_value(p, r->place, "dev", v,
			   "a region (a string such as \"region0\")", &s);
	if (err)
		return err;
	/* "regionN" only: region_arg_parse() also takes a bare "N" */
	if (strncmp(s, "region", strlen("region")) != 0 ||
	    region_arg_parse(s, &r->id) < 0)
		return fail(p, r->place, "dev",
			    "invalid region '%s' (expected regionN, such as region0)",
			    show(s, buf));
	err = seen_add(&p->regions, &r->id, sizeof(r->id), r->place, &first);
	if (err < 0)
		return err;
	if (err)
		return fail(p, r->place, "dev", "region%u is already at %s",
			    r->id, first);

	/* absent, null and [] all say: no namespaces */
	if (!json_object_object_get_ex(obj, "namespaces", &nss) || !nss)
		return 0;
	if (!json_object_is_type(nss, json_type_array))
		return fail(p, r->place, "namespaces",
			    "expected an array of namespaces, got %s",
			    type_desc(nss));
	n = json_object_array_length(nss);
	if (!n)
		return 0;
	r->ns = calloc(n, sizeof(*r->ns));
	if (!r->ns)
		return -ENOMEM;
	for (j = 0; j < n; j++) {
		struct layout_ns *ns = &r->ns[j];

		r->nr_ns = j + 1;
		set_place(ns->place, i, j);
		err = parse_ns(p, ns, json_object_array_get_idx(nss, j));
		if (err)
			return err;
	}
	return 0;
}

static void line_column(const char *text, size_t pos, size_t *line,
			size_t *col)
{
	size_t i, start = 0;

	*line = 1;
	for (i = 0; i < pos; i++) {
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = pos - start + 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int parse_json(struct parser *p, const char *text, size_t len,
		      struct json_object **root)
{
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	size_t off = 0, chunk, end, line, col;

	*root = NULL;
	if (!len)
		text = "";
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	/* json-c takes an int length: a longer text goes in in pieces */
	do {
		chunk = len - off < INT_MAX ? len - off : INT_MAX;
		*root = json_tokener_parse_ex(tok, text + off, (int)chunk);
		jerr = json_tokener_get_error(tok);
		end = off + json_tokener_get_parse_end(tok);
		off += chunk;
	} while (jerr == json_tokener_continue && off < len);
	if (jerr == json_tokener_continue) {
		/*
		 * A NUL ends the text for json-c: without one a top-level
		 * "null" or number is still waiting for its last character.
		 */
		*root = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);

#if JSON_C_VERSION_NUM >= ((0 << 16) | (17 << 8))
	if (jerr == json_tokener_error_memory)
		return -ENOMEM;
#endif
	if (jerr == json_tokener_continue) {
		jerr = json_tokener_error_parse_eof;
	} else if (jerr == json_tokener_success && end < len) {
		/* json-c stops at a NUL, and at the end of a piece */
		while (end < len && is_blank(text[end]))
			end++;
		if (end < len)
			jerr = json_tokener_error_parse_unexpected;
	}
	if (jerr == json_tokener_success)
		return 0;
	json_object_put(*root);
	*root = NULL;
	line_column(text, end, &line, &col);
	return fail(p, NULL, NULL, "line %zu, column %zu: %s", line, col,
		    json_tokener_error_desc(jerr));
}

int layout_parse(const char *text, size_t len, struct layout *out,
		 char err[LAYOUT_ERR_MAX])
{
	struct parser p = { .err = err };
	struct json_object *root;
	size_t i, n;
	int ret;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	ret = parse_json(&p, text, len, &root);
	if (ret)
		goto out;
	if (!json_object_is_type(root, json_type_array)) {
		ret = fail(&p, NULL, NULL,
			   "the layout must be a JSON array of regions, as pmemctl list -R -N prints");
		goto out;
	}
	n = json_object_array_length(root);
	if (n) {
		out->regions = calloc(n, sizeof(*out->regions));
		if (!out->regions) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < n && !ret; i++) {
		out->nr_regions = i + 1;
		ret = parse_region(&p, &out->regions[i], i,
				   json_object_array_get_idx(root, i));
	}
out:
	if (ret == -ENOMEM)
		snprintf(err, LAYOUT_ERR_MAX, "%s", strerror(ENOMEM));
	seen_free(&p.names);
	seen_free(&p.uuids);
	seen_free(&p.regions);
	json_object_put(root);
	return ret;
}

void layout_free(struct layout *layout)
{
	size_t i;

	for (i = 0; i < layout->nr_regions; i++)
		free(layout->regions[i].ns);
	free(layout->regions);
	memset(layout, 0, sizeof(*layout));
}
