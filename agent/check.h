/* Check mode of the agent (check-config=DIR[:DIR...]): instead of writing
 * config, every recorded access is tested against the given configs
 * (lib/check.c), and the uncovered ones are logged once each and written to
 * check-report=FILE (atomically, at every periodic write and at exit).
 * check-fail=exit makes the JVM exit with status 1 at VM death when anything
 * was uncovered. Agent-internal; not installed. */
#ifndef NITRACE_AGENT_CHECK_H
#define NITRACE_AGENT_CHECK_H

#include <jvmti.h>

#include "nitrace/error.h"
#include "nitrace/recorder.h"
#include "options.h"

/* Read the configs of o->check_configs. Returns 0, or -1 with diagnostics. */
int nt_agent_check_open(const nt_agent_opts *o, const struct nt_filter_set *filters,
                        nt_diags *d);
/* 1 when check mode is on (after a successful nt_agent_check_open). */
int nt_agent_check_on(void);
/* Ask JVMTI for what readable frames need (source file names, line numbers);
 * frames lack them when it refuses. */
void nt_agent_check_caps(jvmtiEnv *jvmti);
/* The top NT_CHECK_MAX_FRAMES of frames[0..count) as "cls.method(File:line)"
 * lines, in a thread-local buffer valid until the thread's next call. Called
 * on first sightings only (nt_stack_context), in check mode only. */
const char *nt_agent_check_frames(jvmtiEnv *jvmti, const jvmtiFrameInfo *frames, int count);
/* Check what r holds (unless nothing changed and !force), log new uncovered
 * entries, write the report. final: the last call (summary; check-fail=exit
 * exits the process with status 1 when something was uncovered). */
void nt_agent_check_write(nt_recorder *r, int force, int final);

#endif
