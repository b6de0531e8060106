// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpmemctl module handling: is pmemctl.ko loaded, load it with libkmod,
 * and ask it for its ABI version through the control device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libkmod.h>

#include "libpmemctl-private.h"

PMEMCTL_EXPORT int pmemctl_module_is_loaded(struct pmemctl_ctx *ctx)
{
	return sysfs_exists(PMEMCTL_SYSFS_BUS) == 0;
}

/* libkmod's messages go to our log sink, at debug level only. */
static void _printf_(6, 0)
kmod_log_bridge(void *data, int priority, const char *file, int line,
		const char *fn, const char *format, va_list args)
{
	struct pmemctl_ctx *ctx = data;

	if (pmemctl_get_log_priority(ctx) < LOG_DEBUG)
		return;
	ctx->log_fn(ctx->log_data, LOG_DEBUG, file, line, fn, format, args);
}

/*
 * A module given by path is not in modules.dep, so libkmod cannot resolve
 * its dependencies: load what its modinfo "depends" field names first.
 */
static int load_depends(struct pmemctl_ctx *ctx, struct kmod_ctx *kctx,
			struct kmod_module *mod)
{
	struct kmod_list *info = NULL, *l;
	int err;

	err = kmod_module_get_info(mod, &info);
	if (err < 0) {
		err(ctx, "cannot read modinfo of %s: %s\n",
		    kmod_module_get_path(mod), strerror(-err));
		return err;
	}

	err = 0;
	kmod_list_foreach(l, info) {
		char *deps, *name, *save = NULL;

		if (strcmp(kmod_module_info_get_key(l), "depends") != 0)
			continue;
		deps = strdup(kmod_module_info_get_value(l));
		if (!deps) {
			err = -ENOMEM;
			break;
		}
		for (name = strtok_r(deps, ",", &save); name && err == 0;
		     name = strtok_r(NULL, ",", &save)) {
			struct kmod_module *dep;

			err = kmod_module_new_from_name(kctx, name, &dep);
			if (err < 0)
				break;
			err = kmod_module_probe_insert_module(dep, 0, NULL, NULL,
							      NULL, NULL);
			if (err < 0)
				err(ctx, "cannot load %s, needed by pmemctl: %s\n",
				    name, strerror(-err));
			kmod_module_unref(dep);
		}
		free(deps);
		if (err < 0)
			break;
	}
	kmod_module_info_free_list(info);
	return err;
}

static int insert_from_path(struct pmemctl_ctx *ctx, struct kmod_ctx *kctx,
			    const char *path)
{
	struct kmod_module *mod;
	int err;

	err = kmod_module_new_from_path(kctx, path, &mod);
	if (err < 0) {
		err(ctx, "PMEMCTL_MODULE=%s: %s\n", path, strerror(-err));
		return err;
	}
	err = load_depends(ctx, kctx, mod);
	if (err == 0) {
		err = kmod_module_insert_module(mod, 0, NULL);
		if (err < 0 && err != -EEXIST)
			err(ctx, "cannot insert %s: %s\n", path, strerror(-err));
	}
	kmod_module_unref(mod);
	return err == -EEXIST ? 0 : err;
}

static int insert_by_name(struct pmemctl_ctx *ctx, struct kmod_ctx *kctx)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod;
	int err;

	err = kmod_module_new_from_lookup(kctx, PMEMCTL_MODULE_NAME, &list);
	if (err < 0) {
		err(ctx, "module lookup failed: %s\n", strerror(-err));
		return err;
	}
	if (!list) {
		err(ctx, "module %s not found for this kernel\n", PMEMCTL_MODULE_NAME);
		return -ENOENT;
	}

	mod = kmod_module_get_module(list);
	err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	if (err < 0 && err != -EEXIST)
		err(ctx, "cannot load module %s: %s\n", PMEMCTL_MODULE_NAME,
		    strerror(-err));
	kmod_module_unref(mod);
	kmod_module_unref_list(list);
	return err == -EEXIST ? 0 : err;
}

/* The bus appears during module init; its devices dir right after. */
static int wait_for_bus(struct pmemctl_ctx *ctx)
{
	const struct timespec step = { .tv_nsec = 10 * 1000 * 1000 };
	int waited_ms;

	for (waited_ms = 0; waited_ms < PMEMCTL_MODULE_WAIT_MS; waited_ms += 10) {
		if (sysfs_exists(PMEMCTL_SYSFS_DEVICES) == 0) {
			dbg(ctx, "%s present after %d ms\n", PMEMCTL_SYSFS_DEVICES,
			    waited_ms);
			return 0;
		}
		nanosleep(&step, NULL);
	}
	err(ctx, "module loaded but %s did not appear within %d ms\n",
	    PMEMCTL_SYSFS_DEVICES, PMEMCTL_MODULE_WAIT_MS);
	return -ETIMEDOUT;
}

PMEMCTL_EXPORT int pmemctl_module_load(struct pmemctl_ctx *ctx)
{
	struct kmod_ctx *kctx;
	const char *path;
	int err;

	if (pmemctl_module_is_loaded(ctx))
		return 0;

	kctx = kmod_new(NULL, NULL);
	if (!kctx) {
		err(ctx, "cannot create a libkmod context\n");
		return -ENOMEM;
	}
	kmod_set_log_fn(kctx, kmod_log_bridge, ctx);
	kmod_set_log_priority(kctx, pmemctl_get_log_priority(ctx));

	path = secure_getenv("PMEMCTL_MODULE");
	if (path && *path) {
		info(ctx, "loading %s (PMEMCTL_MODULE)\n", path);
		err = insert_from_path(ctx, kctx, path);
	} else {
		info(ctx, "loading module %s\n", PMEMCTL_MODULE_NAME);
		err = insert_by_name(ctx, kctx);
	}
	kmod_unref(kctx);
	if (err < 0)
		return err;

	pmemctl_invalidate(ctx);
	return wait_for_bus(ctx);
}

PMEMCTL_EXPORT int pmemctl_get_abi_version(struct pmemctl_ctx *ctx,
					   unsigned int *major,
					   unsigned int *minor,
					   char *modver, size_t len)
{
	struct pmemctl_version ver;
	int fd, err = 0;

	fd = open(PMEMCTL_DEV_CONTROL, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		err(ctx, "cannot open %s: %s\n", PMEMCTL_DEV_CONTROL, strerror(-err));
		return err;
	}

	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	if (ioctl(fd, PMEMCTL_IOC_VERSION, &ver) < 0) {
		err = -errno;
		err(ctx, "PMEMCTL_IOC_VERSION: %s\n", strerror(-err));
	}
	close(fd);
	if (err < 0)
		return err;

	/* Never trust the kernel to terminate the string. */
	ver.module_version[sizeof(ver.module_version) - 1] = '\0';
	dbg(ctx, "module %s, ABI %u.%u\n", ver.module_version, ver.abi_major,
	    ver.abi_minor);

	if (major)
		*major = ver.abi_major;
	if (minor)
		*minor = ver.abi_minor;
	if (modver && len > 0) {
		size_t n = strnlen(ver.module_version, len - 1);

		memcpy(modver, ver.module_version, n);
		modver[n] = '\0';
	}
	return 0;
}
