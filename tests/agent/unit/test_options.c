/* Unit tests for the agent's option parser (agent/options.c). */
#include "options.h"
#include "nt_test.h"

static const time_t T0 = 1546300790; /* 2018-12-31T23:59:50Z */

static int parse(const char *s, nt_agent_opts *o, char *err)
{
    return nt_agent_opts_parse(s, 4242, T0, o, err, 512);
}

static void test_defaults(void)
{
    nt_agent_opts o;
    char err[512];
    NT_CHECK(parse("", &o, err) == 0);
    NT_CHECK(o.default_output && !o.merge);
    NT_CHECK_STR(o.output_dir, "native-image-agent_config-pid4242-20181231T235950Z");
    NT_CHECK(o.builtin_caller_filter == 1 && o.builtin_heuristic_filter == 1);
    NT_CHECK(o.write_period_secs == -1 && o.write_initial_delay_secs == 1);
    NT_CHECK(o.class_loader_support == 1 && o.track_reflection_metadata == 1);
    NT_CHECK(o.class_define_support == 0 && o.unsafe_allocation_support == 0);
    NT_CHECK(o.format == NT_AGENT_FORMAT_LEGACY && !o.verbose && !o.log_file);
    nt_agent_opts_free(&o);
    NT_CHECK(nt_agent_opts_parse(NULL, 1, T0, &o, err, sizeof err) == 0);
    nt_agent_opts_free(&o);
}

static void test_graalvm_line(void)
{
    nt_agent_opts o;
    char err[512];
    NT_CHECK(parse("config-merge-dir=/tmp/ni/{pid}-{datetime},config-write-period-secs=5,"
                   "config-write-initial-delay-secs=0,caller-filter-file=a.json,caller-filter-file=b.json,"
                   "access-filter-file=c.json,builtin-caller-filter=false,no-builtin-heuristic-filter,"
                   "config-to-omit=/x/{pid},track-reflection-metadata=false,"
                   "experimental-class-define-support,experimental-unsafe-allocation-support=true,"
                   "experimental-class-loader-support=false,format=combined,log=/tmp/l-{pid},verbose",
                   &o, err) == 0);
    NT_CHECK_STR(o.output_dir, "/tmp/ni/4242-20181231T235950Z");
    NT_CHECK(o.merge && !o.default_output);
    NT_CHECK(o.write_period_secs == 5 && o.write_initial_delay_secs == 0);
    NT_CHECK(o.caller_filter_files.n == 2 && strcmp(o.caller_filter_files.v[1], "b.json") == 0);
    NT_CHECK(o.access_filter_files.n == 1);
    NT_CHECK(o.builtin_caller_filter == 0 && o.builtin_heuristic_filter == 0);
    NT_CHECK(o.omit_dirs.n == 1);
    NT_CHECK_STR(o.omit_dirs.v[0], "/x/4242");
    NT_CHECK(o.track_reflection_metadata == 0 && o.class_define_support == 1);
    NT_CHECK(o.unsafe_allocation_support == 1 && o.class_loader_support == 0);
    NT_CHECK(o.format == NT_AGENT_FORMAT_COMBINED && o.verbose);
    NT_CHECK_STR(o.log_file, "/tmp/l-4242");
    nt_agent_opts_free(&o);

    NT_CHECK(parse("trace-output=/tmp/t.json,no-filter", &o, err) == 0);
    NT_CHECK_STR(o.trace_output, "/tmp/t.json");
    NT_CHECK(o.output_dir == NULL && o.builtin_caller_filter == 0 && o.builtin_heuristic_filter == 0);
    nt_agent_opts_free(&o);

    NT_CHECK(parse("config-output-dir=out,restrict", &o, err) == 0);
    NT_CHECK(o.notices.n == 1 && strstr(o.notices.v[0], "restrict") != NULL);
    nt_agent_opts_free(&o);
}

static void test_errors(void)
{
    nt_agent_opts o;
    char err[512];
    NT_CHECK(parse("config-output-dir=a,config-merge-dir=b", &o, err) == -1);
    NT_CHECK(strstr(err, "only one of") != NULL);
    NT_CHECK(parse("trace-output=t,config-output-dir=b", &o, err) == -1);
    NT_CHECK(parse("frobnicate", &o, err) == -1);
    NT_CHECK(strstr(err, "unknown option 'frobnicate'") && strstr(err, "config-merge-dir"));
    NT_CHECK(parse("config-write-period-secs=0", &o, err) == -1);
    NT_CHECK(strstr(err, ">= 1") != NULL);
    NT_CHECK(parse("config-write-period-secs=abc", &o, err) == -1);
    NT_CHECK(parse("config-write-initial-delay-secs=-1", &o, err) == -1);
    NT_CHECK(parse("builtin-caller-filter=maybe", &o, err) == -1);
    NT_CHECK(strstr(err, "true or false") != NULL);
    NT_CHECK(parse("config-output-dir=", &o, err) == -1);
    NT_CHECK(parse("config-merge-dir", &o, err) == -1);
    NT_CHECK(parse("format=xml", &o, err) == -1);
    NT_CHECK(strstr(err, "legacy or combined") != NULL);
    NT_CHECK(parse("experimental-configuration-with-origins", &o, err) == -1);
    NT_CHECK(strstr(err, "not supported") != NULL);
    NT_CHECK(parse("trace-output=t,config-write-period-secs=1", &o, err) == -1);
    NT_CHECK(parse("log=", &o, err) == -1);
}

static void test_check_options(void)
{
    nt_agent_opts o;
    char err[512];
    NT_CHECK(parse("check-config=/a/{pid}:/b,check-config=/c,check-report=/r-{pid}.json,"
                   "check-fail=exit,check-build-time-init=clojure:com.example,"
                   "config-write-period-secs=1", &o, err) == 0);
    NT_CHECK(o.check_configs.n == 3);
    if (o.check_configs.n == 3) {
        NT_CHECK_STR(o.check_configs.v[0], "/a/4242");
        NT_CHECK_STR(o.check_configs.v[2], "/c");
    }
    NT_CHECK_STR(o.check_report, "/r-4242.json");
    NT_CHECK(o.check_fail_exit == 1 && o.check_bt_clojure == 1 && o.check_bt_all == 0);
    NT_CHECK(o.check_bt_packages.n == 1 && strcmp(o.check_bt_packages.v[0], "com.example") == 0);
    NT_CHECK(o.output_dir == NULL && !o.default_output); /* check mode writes no config */
    nt_agent_opts_free(&o);
    NT_CHECK(parse("check-config=/a", &o, err) == 0);
    NT_CHECK(o.check_fail_exit == 0 && o.check_bt_clojure == 1 && !o.check_report);
    nt_agent_opts_free(&o);
    NT_CHECK(parse("check-config=/a,check-build-time-init=none", &o, err) == 0);
    NT_CHECK(o.check_bt_clojure == 0 && o.check_bt_all == 0 && o.check_bt_packages.n == 0);
    nt_agent_opts_free(&o);
    NT_CHECK(parse("check-config=/a,check-build-time-init=all", &o, err) == 0);
    NT_CHECK(o.check_bt_all == 1);
    nt_agent_opts_free(&o);
    NT_CHECK(parse("check-config=/a,config-output-dir=/o", &o, err) == -1);
    NT_CHECK(strstr(err, "writes no configuration") != NULL);
    NT_CHECK(parse("check-report=/r.json", &o, err) == -1);
    NT_CHECK(strstr(err, "need check-config") != NULL);
    NT_CHECK(parse("check-config=/a,check-fail=maybe", &o, err) == -1);
    NT_CHECK(strstr(err, "exit or log") != NULL);
    NT_CHECK(parse("check-config=", &o, err) == -1);
    NT_CHECK(parse("check-config=/a,check-report=", &o, err) == -1);
}

int main(void)
{
    NT_RUN(test_check_options);
    NT_RUN(test_defaults);
    NT_RUN(test_graalvm_line);
    NT_RUN(test_errors);
    NT_DONE();
}
