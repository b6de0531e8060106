/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pmemctl CLI: the command table and what commands share. */
#ifndef PMEMCTL_CLI_H
#define PMEMCTL_CLI_H

#include <stdio.h>

#include "common/util.h"

struct pmemctl_ctx;

/* Exit status: 0 success, 1 runtime failure, 2 usage error. */
enum {
	EXIT_USAGE = 2,
};

struct pmemctl_cmd {
	const char *name;
	const char *summary;	/* one line for pmemctl --help */
	/* argv[0] is the command name; returns an exit status. */
	int (*run)(struct pmemctl_ctx *ctx, int argc, char *argv[]);
	void (*usage)(FILE *out);
};

extern const struct pmemctl_cmd cmd_list;
extern const struct pmemctl_cmd cmd_init_labels;
extern const struct pmemctl_cmd cmd_create_namespace;
extern const struct pmemctl_cmd cmd_destroy_namespace;
extern const struct pmemctl_cmd cmd_enable_namespace;
extern const struct pmemctl_cmd cmd_disable_namespace;
extern const struct pmemctl_cmd cmd_reconfigure_namespace;
extern const struct pmemctl_cmd cmd_apply;
extern const struct pmemctl_cmd cmd_read_labels;
extern const struct pmemctl_cmd cmd_check_labels;
extern const struct pmemctl_cmd cmd_set_owner;
extern const struct pmemctl_cmd cmd_show_owner;

/*
 * Long options every command takes (pmemctl(1), COMMON OPTIONS): --json
 * (JSON is the only output, so scripts may say so and nothing changes) and
 * --log-level=LEVEL (library messages on stderr). Put CLI_COMMON_OPTIONS
 * in a command's option table and pass what getopt_long() returns to
 * cli_common_option().
 */
enum {
	CLI_OPT_JSON = 0x100,	/* beyond every short option */
	CLI_OPT_LOG_LEVEL,
};
#define CLI_COMMON_OPTIONS \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	{ "log-level", required_argument, NULL, CLI_OPT_LOG_LEVEL }

/* The lines of CLI_COMMON_OPTIONS for a command's usage text. */
#define CLI_COMMON_USAGE \
	"      --json             print JSON (the default; accepted for scripts)\n" \
	"      --log-level=LEVEL  library messages on stderr: off, err, info, debug\n" \
	"                         or 0-7 (default: PMEMCTL_LOG, else off)\n"

/*
 * What getopt_long() returned (@c, with optarg) for an option the
 * command's own switch does not handle: one of CLI_COMMON_OPTIONS, done
 * (returns 0), or a usage error, reported for @cmd (returns EXIT_USAGE;
 * see cli_option_error()).
 */
int cli_common_option(struct pmemctl_ctx *ctx, const char *cmd, int c,
		      char *const argv[]);

/*
 * A mode option (-m, --map) of @cmd: into @out, or EXIT_USAGE after
 * reporting what is wrong. See ns_mode_parse().
 */
int cli_mode_opt(const char *cmd, const char *mode, const char *map,
		 enum ns_mode *out);

/*
 * A mode and access option (-m, --map, --access) of @cmd: into @mode_out
 * and @access_out, or EXIT_USAGE after reporting what is wrong. See
 * ns_shape_parse().
 */
int cli_shape_opt(const char *cmd, const char *mode, const char *map,
		  const char *access, enum ns_mode *mode_out,
		  enum ns_access *access_out);

/* "pmemctl" (the name errors are reported under). */
extern const char *program_name;

/* Where cli_spawn_wait() sends the child's stdout and stderr. */
enum cli_spawn_output {
	CLI_SPAWN_INHERIT,		/* ours */
	CLI_SPAWN_QUIET,		/* both to /dev/null */
	CLI_SPAWN_STDOUT_TO_STDERR,	/* stdout is our JSON: keep it clean */
};

/*
 * Run argv[0] (found in PATH unless it has a slash) with @argv and wait for
 * it. Its exit status, or -1 if it could not run or was killed.
 */
int cli_spawn_wait(char *const argv[], enum cli_spawn_output output);

/*
 * --help for a command: run man(1) on @page when man -w finds it, else write
 * @usage to stdout. Returns an exit status.
 */
int cli_help(const char *page, void (*usage)(FILE *out));

/* Usage error: "pmemctl CMD: MESSAGE" + hint on stderr. Returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) _printf_(2, 3);

/*
 * getopt_long() returned @c, ':' (an option without its argument) or '?'
 * (an unknown option): report it as a usage error. Returns EXIT_USAGE.
 */
int cli_option_error(const char *cmd, int c, char *const argv[]);

/* Runtime error: "pmemctl CMD: MESSAGE" on stderr. Returns EXIT_FAILURE. */
int cli_error(const char *cmd, const char *fmt, ...) _printf_(2, 3);

/*
 * Make sure the kernel module is loaded, loading it if needed; on failure
 * report it for @cmd. Returns 0 or an exit status.
 */
int cli_require_module(struct pmemctl_ctx *ctx, const char *cmd);

#endif /* PMEMCTL_CLI_H */
