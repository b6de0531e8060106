// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every message the documentation quotes must still be printed by the
 * code: when a message changes and its man page does not, make check
 * fails here.
 *
 * What counts as a quoted message (the rule the man pages follow):
 *  - in the man pages (Documentation/pmemctl*.1.adoc), in a section named
 *    ERRORS or DIAGNOSTICS,
 *    every term of a definition list ("*MESSAGE*::"; several messages in
 *    one term are separated by "*, *");
 *  - in the listing blocks of the man pages ("----") and of
 *    README.md ("```"), every line that starts with "pmemctl: " or
 *    "pmemctl COMMAND: " (what a command printed on stderr, or the kernel
 *    module logged); the message is what follows that prefix.
 * Placeholders in a quoted message (regionN, NAME, X) and example values
 * (region0, 1.00 GiB) stand where the code has a printf conversion.
 *
 * What counts as printing it: some string literal of the C files in cli/,
 * lib/ or kernel/ (adjacent literals joined, as the compiler joins them,
 * and a final newline dropped, as log lines end with one) matches the whole
 * message when each of its conversions (%s, %u, %llu...) may stand for any
 * text, and its own text makes up at least half of the message, so that a
 * bare "cannot %s %s: %s" does not vouch for any message at all.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/unit/tap.h"

struct strings {
	char **v;
	size_t n;
};

static void strings_add(struct strings *s, const char *text, size_t len)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));
	char *copy = strndup(text, len);

	if (!v || !copy) {
		perror("out of memory");
		exit(99);
	}
	v[s->n++] = copy;
	s->v = v;
}

static void strings_free(struct strings *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		exit(99);
	}
	do {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf) {
				perror("out of memory");
				exit(99);
			}
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* A printf conversion at @p ("%s", "%llu", "%-18s"): its length, or 0. */
static size_t conversion_len(const char *p)
{
	size_t i = 1;

	if (p[0] != '%' || p[1] == '%')
		return 0;
	while (p[i] && strchr("-+ #0123456789.*", p[i]))
		i++;
	while (p[i] && strchr("hlzjt", p[i]))
		i++;
	return p[i] && strchr("diouxXscp", p[i]) ? i + 1 : 0;
}

/*
 * Does format @f match all of @m, each conversion standing for any text?
 * Adds the characters @f itself matched to *@own.
 */
static bool fmt_match(const char *f, const char *m, size_t *own)
{
	size_t n = conversion_len(f), mine;
	const char *t;

	if (!*f)
		return !*m;
	if (n) {
		for (t = m; ; t++) {
			mine = 0;
			if (fmt_match(f + n, t, &mine)) {
				*own += mine;
				return true;
			}
			if (!*t)
				return false;
		}
	}
	if (f[0] == '%' && f[1] == '%')
		f++;
	if (*f != *m)
		return false;
	mine = 0;
	if (!fmt_match(f + 1, m + 1, &mine))
		return false;
	*own += mine + 1;
	return true;
}

/* @fmt vouches for @msg (see the rule at the top). */
static bool prints(const char *fmt, const char *msg)
{
	size_t own = 0;

	return fmt_match(fmt, msg, &own) && 2 * own >= strlen(msg);
}

/* The string literals of C source @src, adjacent ones joined. */
static void c_strings(const char *src, struct strings *out)
{
	const char *p = src;
	char *lit = NULL;
	size_t len = 0, cap = 0;
	bool open = false;	/* a literal waits for a neighbour to join */

	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			p = end ? end + 2 : p + strlen(p);
			continue;
		}
		if (p[0] == '/' && p[1] == '/') {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == '\'') {	/* '"' is no string */
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
			continue;
		}
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				char c = *p;

				if (c == '\\' && p[1]) {
					p++;
					c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
				}
				if (len + 2 > cap) {
					cap = (len + 2) * 2;
					lit = realloc(lit, cap);
					if (!lit) {
						perror("out of memory");
						exit(99);
					}
				}
				lit[len++] = c;
			}
			if (*p)
				p++;
			open = true;
			continue;
		}
		if (open && !isspace((unsigned char)*p)) {
			if (len && lit[len - 1] == '\n')
				len--;
			strings_add(out, lit ? lit : "", len);
			len = 0;
			open = false;
		}
		p++;
	}
	if (open)
		strings_add(out, lit ? lit : "", len);
	free(lit);
}

static void dir_c_strings(const char *top, const char *sub, struct strings *out)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", top, sub);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		exit(99);
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *src;

		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", top, sub, e->d_name);
		src = read_file(path);
		c_strings(src, out);
		free(src);
	}
	closedir(d);
}

/* "*a*, *b*" (a term without its "::"): a and b. */
static void term_messages(const char *term, size_t len, struct strings *out)
{
	const char *end = term + len, *p = term, *sep;

	if (len < 2 || term[0] != '*' || end[-1] != '*')
		return;
	p++;
	end--;
	while (p < end) {
		sep = strstr(p, "*, *");
		if (!sep || sep >= end)
			sep = end;
		strings_add(out, p, (size_t)(sep - p));
		p = sep == end ? end : sep + 4;
	}
}

/* "pmemctl: MSG" or "pmemctl COMMAND: MSG": MSG, else NULL. */
static const char *stderr_line(const char *line, size_t len, size_t *msg_len)
{
	const char *p = line + strlen("pmemctl"), *end = line + len;

	if (len < 9 || strncmp(line, "pmemctl", 7) != 0)
		return NULL;
	if (*p == ' ')
		for (p++; p < end && (islower((unsigned char)*p) || *p == '-'); p++)
			;
	if (end - p < 2 || p[0] != ':' || p[1] != ' ')
		return NULL;
	*msg_len = (size_t)(end - p - 2);
	return p + 2;
}

/* The quoted messages of @text, a man page (@adoc) or README.md. */
static void doc_messages(const char *text, bool adoc, struct strings *out)
{
	const char *line = text, *nl, *msg;
	const char *fence = adoc ? "----" : "```";
	bool errors = false, listing = false;
	size_t len, mlen;

	for (; *line; line = *nl ? nl + 1 : nl) {
		nl = line + strcspn(line, "\n");
		len = (size_t)(nl - line);
		if (len >= strlen(fence) && strncmp(line, fence, strlen(fence)) == 0) {
			listing = !listing;
			continue;
		}
		if (listing) {
			msg = stderr_line(line, len, &mlen);
			if (msg)
				strings_add(out, msg, mlen);
			continue;
		}
		if (adoc && strncmp(line, "== ", 3) == 0) {
			errors = (len == 9 && strncmp(line + 3, "ERRORS", 6) == 0) ||
				 (len == 14 && strncmp(line + 3, "DIAGNOSTICS", 11) == 0);
			continue;
		}
		if (errors && len > 2 && line[len - 1] == ':' && line[len - 2] == ':' &&
		    (len < 3 || line[len - 3] != ':'))
			term_messages(line, len - 2, out);
	}
}

static void self_test(void)
{
	check(prints("region%u: no such region", "regionN: no such region"),
	      "rule: a conversion stands for a placeholder");
	check(prints("no namespace %s '%s'%s", "no namespace is named 'NAME'"),
	      "rule: a conversion may stand for nothing");
	check(!prints("cannot %s %s: %s",
		      "cannot create a namespace in regionN: Value too large for defined data type"),
	      "rule: a format that is mostly conversions vouches for nothing");
	check(!prints("use pfn mode to keep it", "use --mode pfn to keep it"),
	      "rule: changed words do not match");
	check(prints("100%% %s", "100% sure"), "rule: %% is a percent sign");
}

int main(void)
{
	static const char *const pages[] = {
		"pmemctl.1", "pmemctl-list.1", "pmemctl-init-labels.1",
		"pmemctl-create-namespace.1", "pmemctl-destroy-namespace.1",
		"pmemctl-enable-namespace.1", "pmemctl-disable-namespace.1",
		"pmemctl-reconfigure-namespace.1",
		"pmemctl-apply.1",
		"pmemctl-read-labels.1", "pmemctl-check-labels.1",
		"pmemctl-set-owner.1", "pmemctl-show-owner.1",
	};
	const char *top = getenv("PMEMCTL_SRCDIR");
	struct strings code = { 0 }, msgs = { 0 };
	char path[4096], *text;
	size_t i, j, k, quoted = 0;

	if (!top) {
		fprintf(stderr, "PMEMCTL_SRCDIR not set: run through make check\n");
		return 99;
	}
	self_test();
	dir_c_strings(top, "cli", &code);
	dir_c_strings(top, "lib", &code);
	dir_c_strings(top, "kernel", &code);

	for (i = 0; i <= sizeof(pages) / sizeof(pages[0]); i++) {
		bool adoc = i < sizeof(pages) / sizeof(pages[0]);

		if (adoc)
			snprintf(path, sizeof(path), "%s/Documentation/%s.adoc", top, pages[i]);
		else
			snprintf(path, sizeof(path), "%s/README.md", top);
		text = read_file(path);
		doc_messages(text, adoc, &msgs);
		free(text);
		for (j = 0; j < msgs.n; j++) {
			bool found = false;

			for (k = 0; k < code.n && !found; k++)
				found = prints(code.v[k], msgs.v[j]);
			check(found, "%s: \"%s\" is printed by cli/, lib/ or kernel/",
			      adoc ? pages[i] : "README.md", msgs.v[j]);
		}
		quoted += msgs.n;
		strings_free(&msgs);
	}
	/* A rule that extracts nothing would pass whatever the pages say. */
	check(quoted >= 50, "%zu quoted messages found (at least 50 expected)", quoted);
	strings_free(&code);
	return tap_done();
}
