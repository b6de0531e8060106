// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemctl: command line front end of libpmemctl.
 *
 * main() handles the global options and dispatches to one command of the
 * table below; each command lives in its own cmd-*.c file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/pmemctl.h"
#include "libpmemctl.h"

extern char **environ;

const char *program_name = "pmemctl";

static const struct pmemctl_cmd *const commands[] = {
	&cmd_list,
	&cmd_init_labels,
	&cmd_create_namespace,
	&cmd_destroy_namespace,
	&cmd_enable_namespace,
	&cmd_disable_namespace,
	&cmd_reconfigure_namespace,
	&cmd_apply,
	&cmd_read_labels,
	&cmd_check_labels,
	&cmd_set_owner,
	&cmd_show_owner,
};

static void main_usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: pmemctl [--version] [--help] COMMAND [ARGS]\n"
		"\n"
		"Manage persistent memory regions.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-18s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"  %-18s %s\n"
		"\n"
		"Options:\n"
		"  --version          print the version and exit\n"
		"  -h, --help         show this help (--help opens the man page if installed)\n"
		"\n"
		"Run 'pmemctl COMMAND -h' for the options of a command.\n",
		"help", "show help for pmemctl or a command");
}

static const struct pmemctl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void verror(const char *cmd, const char *fmt, va_list args)
{
	if (cmd)
		fprintf(stderr, "%s %s: ", program_name, cmd);
	else
		fprintf(stderr, "%s: ", program_name);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	verror(cmd, fmt, args);
	va_end(args);
	fprintf(stderr, "see '%s%s%s --help'\n", program_name, cmd ? " " : "",
		cmd ? cmd : "");
	return EXIT_USAGE;
}

int cli_option_error(const char *cmd, int c, char *const argv[])
{
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs an argument",
				       argv[optind - 1]);
	if (optopt)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	verror(cmd, fmt, args);
	va_end(args);
	return EXIT_FAILURE;
}

int cli_common_option(struct pmemctl_ctx *ctx, const char *cmd, int c,
		      char *const argv[])
{
	int prio;

	switch (c) {
	case CLI_OPT_JSON:
		return 0;
	case CLI_OPT_LOG_LEVEL:
		if (log_level_parse(optarg, &prio) < 0)
			return cli_usage_error(cmd,
				"invalid log level '%s' (expected off, err, info, debug or 0-7)",
				optarg);
		/* the command line wins over PMEMCTL_LOG, also to be quieter */
		pmemctl_set_log_priority(ctx, prio);
		return 0;
	default:
		return cli_option_error(cmd, c, argv);
	}
}

int cli_mode_opt(const char *cmd, const char *mode, const char *map,
		 enum ns_mode *out)
{
	int err = ns_mode_parse(mode, map, out);

	if (err == -EDOM)
		return cli_usage_error(cmd, "--map=%s does not go with --mode %s",
				       map, mode ? mode : "(none)");
	if (err < 0)
		return cli_usage_error(cmd,
			"invalid mode '%s' (expected raw, page, pfn, ondemand, or fsdax with --map=mem|dev)",
			mode);
	return 0;
}

int cli_shape_opt(const char *cmd, const char *mode, const char *map,
		  const char *access, enum ns_mode *mode_out,
		  enum ns_access *access_out)
{
	int err = ns_shape_parse(mode, map, access, mode_out, access_out);

	switch (-err) {
	case 0:
		return 0;
	case EXDEV:
		return cli_usage_error(cmd, "--access=%s does not go with --mode %s",
				       access, mode);
	case ENXIO:
		return cli_usage_error(cmd,
			"a raw namespace cannot be devdax: device DAX needs struct pages; use --mode page, pfn or ondemand (or -m devdax --map=mem|dev)");
	case EINVAL:
		if (access && ns_shape_parse(mode, map, NULL, mode_out, access_out) != -EINVAL)
			return cli_usage_error(cmd,
				"invalid access '%s' (expected block or devdax)", access);
		break;
	}
	if (err == -EDOM)
		return cli_usage_error(cmd, "--map=%s does not go with --mode %s",
				       map, mode ? mode : "(none)");
	return cli_usage_error(cmd,
		"invalid mode '%s' (expected raw, page, pfn, ondemand, or fsdax or devdax with --map=mem|dev)",
		mode);
}

int cli_spawn_wait(char *const argv[], enum cli_spawn_output output)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	switch (output) {
	case CLI_SPAWN_QUIET:
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
						 O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
						 O_WRONLY, 0);
		break;
	case CLI_SPAWN_STDOUT_TO_STDERR:
		posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
		break;
	case CLI_SPAWN_INHERIT:
		break;
	}
	fflush(stdout);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int cli_help(const char *page, void (*usage)(FILE *out))
{
	char man[] = "man", where[] = "-w";
	char *check[] = { man, where, (char *)page, NULL };
	char *show[] = { man, (char *)page, NULL };

	if (cli_spawn_wait(check, CLI_SPAWN_QUIET) == 0)
		return cli_spawn_wait(show, CLI_SPAWN_INHERIT) == 0 ?
			EXIT_SUCCESS : EXIT_FAILURE;
	usage(stdout);
	return EXIT_SUCCESS;
}

int cli_require_module(struct pmemctl_ctx *ctx, const char *cmd)
{
	const char *hint;
	int err;

	if (pmemctl_module_is_loaded(ctx))
		return 0;

	err = pmemctl_module_load(ctx);
	if (err == 0)
		return 0;

	switch (err) {
	case -EPERM:
		hint = " (run as root or modprobe pmemctl)";
		break;
	case -ENOENT:
		hint = " (install pmemctl.ko for the running kernel, or set PMEMCTL_MODULE)";
		break;
	default:
		hint = "";
		break;
	}
	fprintf(stderr, "%s: kernel module not loaded and could not be loaded: %s%s\n",
		program_name, strerror(-err), hint);
	return EXIT_FAILURE;
}

static int help_command(int argc, char *argv[])
{
	const struct pmemctl_cmd *cmd;
	char page[64];

	if (argc < 2)
		return cli_help("pmemctl", main_usage);
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	cmd = find_command(argv[1]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	snprintf(page, sizeof(page), "pmemctl-%s", cmd->name);
	return cli_help(page, cmd->usage);
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	const struct pmemctl_cmd *cmd;
	struct pmemctl_ctx *ctx;
	int c, err, status;

	opterr = 0;
	/* '+': stop at the command name, its options are its own. */
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'V':
			printf("%s %s\n", program_name, PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case 'H':
			return cli_help("pmemctl", main_usage);
		case 'h':
			main_usage(stdout);
			return EXIT_SUCCESS;
		default:
			return cli_option_error(NULL, c, argv);
		}
	}

	if (optind >= argc)
		return cli_usage_error(NULL, "missing command");

	argc -= optind;
	argv += optind;
	if (strcmp(argv[0], "help") == 0)
		return help_command(argc, argv);

	cmd = find_command(argv[0]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[0]);

	err = pmemctl_new(&ctx);
	if (err < 0)
		return cli_error(NULL, "cannot create library context: %s",
				 strerror(-err));

	optind = 0;	/* glibc: reinitialise getopt for the command */
	status = cmd->run(ctx, argc, argv);
	pmemctl_unref(ctx);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n", program_name);
		return EXIT_FAILURE;
	}
	return status;
}
