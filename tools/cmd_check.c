/* nitrace check: run a Java program with the agent in check mode and print
 * which of its run-time accesses the given configs do not cover (see main.c's
 * usage and include/nitrace/check.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "nitrace/check.h"
#include "nitrace/io.h"

int cmd_check(int argc, char **argv, const cli_cmd *self);

enum { OPT_BTI = 0x2100, OPT_AGENT, OPT_REPORT };

/* Exit status when nothing is uncovered but the program itself failed. */
#define CHECK_EXIT_PROGRAM 5

#ifndef NT_INSTALL_LIBDIR
#define NT_INSTALL_LIBDIR "lib"
#endif

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The agent: --agent, $NITRACE_AGENT, next to the CLI as installed
 * (BINDIR/../LIBDIR), or in the build tree (DIR/agent/). */
static int find_agent(const char *opt, char *out, size_t n)
{
    const char *env = getenv("NITRACE_AGENT");
    if (opt || (env && *env)) {
        snprintf(out, n, "%s", opt ? opt : env);
        return is_file(out) ? 0 : -1;
    }
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l <= 0)
        return -1;
    exe[l] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    const char *cands[] = {"/../" NT_INSTALL_LIBDIR "/libnitrace.so", "/../lib/libnitrace.so",
                           "/agent/libnitrace.so", "/libnitrace.so"};
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
        int w = snprintf(out, n, "%s%s", exe, cands[i]);
        if (w > 0 && (size_t)w < n && is_file(out)) {
            char real[PATH_MAX];
            if (realpath(out, real) && strlen(real) < n)
                memcpy(out, real, strlen(real) + 1);
            return 0;
        }
    }
    if (snprintf(out, n, "%s%s", exe, cands[0]) < 0)
        out[0] = '\0';
    return -1;
}

static int is_java(const char *cmd)
{
    const char *b = strrchr(cmd, '/');
    b = b ? b + 1 : cmd;
    return strcmp(b, "java") == 0;
}

/* Run argv (NULL-terminated); returns the wait status, or -1 when it could not start. */
static int run_program(char **cmd)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(cmd[0], cmd);
        fprintf(stderr, "nitrace: check: cannot run %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    /* The program handles Ctrl-C itself; the report is read when it is gone. */
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return r < 0 ? -1 : status;
}

/* The body of cmd_check; fills temp_dir when it made one for the report. */
static int check_main(int argc, char **argv, const cli_cmd *self, char *temp_dir, size_t tn)
{
    static const struct option longopts[] = {
        {"build-time-init", required_argument, NULL, OPT_BTI},
        {"agent", required_argument, NULL, OPT_AGENT},
        {"report", required_argument, NULL, OPT_REPORT},
        CLI_JSON_LONGOPT,
        {0, 0, 0, 0},
    };
    /* Options end at "--": everything after it is the command. */
    int dash = -1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            dash = i;
            break;
        }
    int nargs = dash < 0 ? argc : dash;
    const char *bti = NULL, *agent_opt = NULL, *report_opt = NULL;
    int json = 0;
    for (;;) {
        int c = cli_getopt(nargs, argv, "", longopts, self);
        if (c == CLI_OPT_END)
            break;
        if (c == CLI_OPT_HELP)
            return CLI_EXIT_OK;
        if (c == CLI_OPT_ERROR)
            return CLI_EXIT_USAGE;
        if (c == OPT_BTI)
            bti = optarg;
        else if (c == OPT_AGENT)
            agent_opt = optarg;
        else if (c == OPT_REPORT)
            report_opt = optarg;
        else if (c == CLI_OPT_JSON)
            json = 1;
    }
    if (dash < 0)
        return cli_usage_error(self, "give the program to run after '--': nitrace check "
                                     "CONFIGDIR... -- java ARGS...");
    if (optind >= nargs)
        return cli_usage_error(self, "no config directory to check against");
    if (dash + 1 >= argc)
        return cli_usage_error(self, "no program after '--'");
    if (bti) {
        if (!*bti || strchr(bti, ':') || strspn(bti, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                                     "VWXYZ0123456789_$.,") != strlen(bti))
            return cli_usage_error(self, "--build-time-init: '%s' is not all, clojure, none or "
                                         "a comma-separated list of packages", bti);
    }

    /* The configs: absolute paths, readable now (a clear error before the program runs). */
    char cfgs[8192] = "";
    for (int i = optind; i < nargs; i++) {
        char real[PATH_MAX];
        if (!realpath(argv[i], real)) {
            cli_say("give a config directory", "check: %s: %s", argv[i], strerror(errno));
            return CLI_EXIT_INPUT;
        }
        if (strpbrk(real, ",:=")) {
            cli_say("rename or link it", "check: the path %s contains ',', ':' or '=', which "
                    "the agent's option string cannot hold", real);
            return CLI_EXIT_USAGE;
        }
        int rc = CLI_EXIT_OK;
        size_t files = 0;
        cli_input_opts io;
        cli_input_opts_init(&io);
        nt_config *c = cli_load(&argv[i], 1, &io, &files, &rc);
        cli_input_opts_free(&io);
        if (!c)
            return rc;
        nt_config_free(c);
        if (files == 0) {
            cli_say("give a directory holding reflect-config.json & co or "
                    "reachability-metadata.json", "check: no config file in %s", argv[i]);
            return CLI_EXIT_INPUT;
        }
        if (strlen(cfgs) + strlen(real) + 2 >= sizeof cfgs) {
            cli_say(NULL, "check: too many config directories");
            return CLI_EXIT_USAGE;
        }
        if (cfgs[0])
            strcat(cfgs, ":");
        strcat(cfgs, real);
    }

    char agent[PATH_MAX];
    if (find_agent(agent_opt, agent, sizeof agent) != 0) {
        cli_say("give --agent PATH or set NITRACE_AGENT", "check: the agent %s was not found",
                agent);
        return CLI_EXIT_INPUT;
    }

    /* The report file: --report, else a temporary file. */
    char report[PATH_MAX];
    if (report_opt) {
        if (report_opt[0] == '/') {
            snprintf(report, sizeof report, "%s", report_opt);
        } else {
            char cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd)) {
                cli_say(NULL, "check: cannot get the current directory: %s", strerror(errno));
                return CLI_EXIT_OUTPUT;
            }
            int w = snprintf(report, sizeof report, "%s/%s", cwd, report_opt);
            if (w < 0 || (size_t)w >= sizeof report) {
                cli_say(NULL, "check: the report path is too long");
                return CLI_EXIT_USAGE;
            }
        }
        if (strpbrk(report, ",")) {
            cli_say(NULL, "check: the report path %s contains ','", report);
            return CLI_EXIT_USAGE;
        }
        unlink(report);
    } else {
        /* in a directory of its own (mode 0700): a name in a shared /tmp that the
         * agent creates later could be taken first, by a symbolic link to another file */
        const char *tmp = getenv("TMPDIR");
        snprintf(temp_dir, tn, "%s/nitrace-check-XXXXXX",
                 tmp && *tmp && !strchr(tmp, ',') ? tmp : "/tmp");
        if (!mkdtemp(temp_dir)) {
            temp_dir[0] = '\0';
            cli_say("set TMPDIR to a writable directory", "check: cannot create a temporary "
                    "directory: %s", strerror(errno));
            return CLI_EXIT_OUTPUT;
        }
        /* the agent creates the file: no report means the agent never ran */
        snprintf(report, sizeof report, "%s/report.json", temp_dir);
    }

    size_t olen = strlen(agent) + strlen(cfgs) + strlen(report) + (bti ? strlen(bti) : 0) + 256;
    char *agentopt = malloc(olen);
    char **cmd = calloc((size_t)(argc - dash) + 2, sizeof *cmd);
    char *jto = NULL;
    if (!agentopt || !cmd) {
        free(agentopt);
        free(cmd);
        cli_say(NULL, "out of memory");
        return CLI_EXIT_INPUT;
    }
    /* config-write-period-secs: the report is on disk even when the JVM is killed. */
    snprintf(agentopt, olen, "-agentpath:%s=check-config=%s,check-report=%s,"
             "config-write-period-secs=1,config-write-initial-delay-secs=1%s",
             agent, cfgs, report, "");
    if (bti) {
        char *p = agentopt + strlen(agentopt);
        size_t left = olen - strlen(agentopt);
        int w = snprintf(p, left, ",check-build-time-init=");
        p += w;
        for (const char *s = bti; *s && (size_t)(p - agentopt) + 2 < olen; s++)
            *p++ = *s == ',' ? ':' : *s;
        *p = '\0';
    }
    size_t k = 0;
    char **prog = &argv[dash + 1];
    int nprog = argc - dash - 1;
    if (is_java(prog[0])) {
        cmd[k++] = prog[0];
        cmd[k++] = agentopt;
        for (int i = 1; i < nprog; i++)
            cmd[k++] = prog[i];
    } else {
        /* A script that starts java: the JVM picks the agent up from JAVA_TOOL_OPTIONS. */
        const char *old = getenv("JAVA_TOOL_OPTIONS");
        size_t jl = strlen(agentopt) + (old ? strlen(old) : 0) + 2;
        jto = malloc(jl);
        if (!jto) {
            free(agentopt);
            free(cmd);
            cli_say(NULL, "out of memory");
            return CLI_EXIT_INPUT;
        }
        snprintf(jto, jl, "%s%s%s", old && *old ? old : "", old && *old ? " " : "", agentopt);
        setenv("JAVA_TOOL_OPTIONS", jto, 1);
        for (int i = 0; i < nprog; i++)
            cmd[k++] = prog[i];
    }
    cmd[k] = NULL;
    fflush(stdout);
    int status = run_program(cmd);
    free(agentopt);
    free(cmd);
    free(jto);
    if (status == -1) {
        cli_say(NULL, "check: cannot start %s: %s", prog[0], strerror(errno));
        return CLI_EXIT_INPUT;
    }

    nt_diags d;
    nt_diags_init(&d);
    char *data = NULL;
    size_t len = 0;
    nt_check_report rep;
    nt_check_report_init(&rep);
    nt_status st = is_file(report) ? nt_read_whole_file(report, (size_t)1 << 30, &data, &len, &d)
                                   : NT_ERR_IO;
    if (st == NT_ERR_IO && d.count == 0) {
        cli_say("did the JVM start? look at its messages above",
                "check: %s wrote no report (the agent did not run)", prog[0]);
        nt_diags_free(&d);
        return CLI_EXIT_INPUT;
    }
    if (st == NT_OK)
        st = nt_check_report_read(data, len, report, &rep, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    int rc;
    if (st != NT_OK) {
        rc = CLI_EXIT_INPUT;
    } else if (json) {
        rc = fwrite(data, 1, len, stdout) == len ? CLI_EXIT_OK : CLI_EXIT_OUTPUT;
    } else {
        char *text = nt_check_report_text(&rep);
        if (!text) {
            cli_say(NULL, "out of memory");
            rc = CLI_EXIT_INPUT;
        } else {
            fputs(text, stdout);
            rc = CLI_EXIT_OK;
        }
        free(text);
    }
    free(data);
    if (rc != CLI_EXIT_OK) {
        nt_check_report_free(&rep);
        return rc;
    }
    int prog_failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    if (prog_failed) {
        if (WIFSIGNALED(status))
            cli_say("the report covers what ran until then", "check: %s was killed by signal %d",
                    prog[0], WTERMSIG(status));
        else
            cli_say("the report covers what ran until then", "check: %s exited with status %d",
                    prog[0], WEXITSTATUS(status));
    }
    rc = rep.n > 0 ? CLI_EXIT_FOUND : prog_failed ? CHECK_EXIT_PROGRAM : CLI_EXIT_OK;
    nt_check_report_free(&rep);
    return rc;
}

/* Removes the report's temporary directory and what the agent left in it
 * (the report, a temporary file of a write the JVM's end interrupted). */
static void remove_temp_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[PATH_MAX];
        int w = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (w > 0 && (size_t)w < sizeof p)
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

int cmd_check(int argc, char **argv, const cli_cmd *self)
{
    char temp_dir[PATH_MAX] = "";
    int rc = check_main(argc, argv, self, temp_dir, sizeof temp_dir);
    if (temp_dir[0])
        remove_temp_dir(temp_dir);
    return rc;
}
