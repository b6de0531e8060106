// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpmemctl: library context, reference counting and logging. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpmemctl-private.h"

void pmemctl_log(struct pmemctl_ctx *ctx, int priority, const char *file,
		 int line, const char *fn, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, args);
	va_end(args);
}

static void _printf_(6, 0)
log_stderr(void *data, int priority, const char *file, int line,
	   const char *fn, const char *format, va_list args)
{
	fprintf(stderr, "libpmemctl: %s: ", fn);
	vfprintf(stderr, format, args);
}

/* The CLI's --log-level and PMEMCTL_LOG share common/loglevel.c. */
_Static_assert(LOG_LEVEL_OFF == PMEMCTL_LOG_OFF, "one value for off");

PMEMCTL_EXPORT int pmemctl_new(struct pmemctl_ctx **ctx)
{
	struct pmemctl_ctx *c;
	const char *env;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;

	c->refcount = 1;
	c->log_fn = log_stderr;
	/* The library never prints unless the application or the user asks. */
	c->log_priority = PMEMCTL_LOG_OFF;

	env = secure_getenv("PMEMCTL_LOG");
	if (env) {
		int prio;

		if (log_level_parse(env, &prio) == 0) {
			c->log_priority = prio;
		} else {
			/* The user wanted logging, just not in words we know. */
			c->log_priority = LOG_ERR;
			err(c, "ignoring PMEMCTL_LOG=\"%s\": expected off, err, info, debug or 0-7\n",
			    env);
		}
	}

	info(c, "ctx %p created\n", (void *)c);
	*ctx = c;
	return 0;
}

PMEMCTL_EXPORT struct pmemctl_ctx *pmemctl_ref(struct pmemctl_ctx *ctx)
{
	if (!ctx)
		return NULL;
	ctx->refcount++;
	return ctx;
}

PMEMCTL_EXPORT struct pmemctl_ctx *pmemctl_unref(struct pmemctl_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (--ctx->refcount > 0)
		return NULL;

	dbg(ctx, "freeing ctx %p\n", (void *)ctx);
	pmemctl_regions_free(ctx);
	free(ctx);
	return NULL;
}

PMEMCTL_EXPORT void pmemctl_set_log_fn(struct pmemctl_ctx *ctx,
				       pmemctl_log_fn log_fn, void *data)
{
	ctx->log_fn = log_fn ? log_fn : log_stderr;
	ctx->log_data = log_fn ? data : NULL;
}

PMEMCTL_EXPORT int pmemctl_get_log_priority(struct pmemctl_ctx *ctx)
{
	return ctx->log_priority;
}

PMEMCTL_EXPORT void pmemctl_set_log_priority(struct pmemctl_ctx *ctx, int priority)
{
	if (priority < 0)
		priority = PMEMCTL_LOG_OFF;
	if (priority > LOG_DEBUG)
		priority = LOG_DEBUG;
	ctx->log_priority = priority;
}

PMEMCTL_EXPORT void pmemctl_invalidate(struct pmemctl_ctx *ctx)
{
	dbg(ctx, "dropping cached sysfs state\n");
	pmemctl_regions_free(ctx);
}
