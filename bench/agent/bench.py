#!/usr/bin/python3
"""Agent overhead benchmark: runs each workload without (A) and with (B) libnitrace.so, interleaved
A B A B ..., and reports per (workload, JDK) the median of the paired ratios B/A for wall time and
for CPU time (user + sys of the child JVM, from os.wait4), the min-max of the wall ratios, and the
max-RSS overhead (median of B - A, MiB). Prints a table and writes the same as JSON.

Timings are reported, never judged: the exit status only says whether every run succeeded.
Usually started through bench/agent/run, which builds the agent and compiles the workloads.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LAMBDA = os.path.join(ROOT, "fixtures", "lambda")
JDKS = {"17": "/usr/lib/jvm/java-17-openjdk-amd64", "25": "/usr/lib/jvm/temurin-25-jdk-amd64"}
CLJ_JARS = ["clojure.jar", "spec.alpha.jar", "core.specs.alpha.jar"]


class Workload:
    """A program started as `java [agent] ARGS...`; `expect` is a prefix its stdout must start with."""

    def __init__(self, name, group, args, expect, count=None, script=None):
        self.name, self.group, self.args, self.expect, self.count = name, group, args, expect, count
        # script: a launcher script started instead of java; script[1](jdk, agent_opts) gives the
        # environment that makes it run this JDK with these extra JVM options.
        self.script = script


LEIN_DEFAULT_JVM_OPTS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"  # /usr/bin/lein's own default


def lein_env(jdk, agent_opts):
    return {"JAVA_CMD": os.path.join(jdk, "bin", "java"),
            "LEIN_JVM_OPTS": " ".join([LEIN_DEFAULT_JVM_OPTS] + agent_opts)}


def workloads(opts):
    def n(default):
        return str(max(1, int(default * opts.scale)))

    cls = opts.classes
    clj = ":".join(os.path.join(opts.clojure_jars, j) for j in CLJ_JARS)
    ws = [
        Workload("getMethod+invoke x1M", "reflection", ["-cp", cls, "MethodInvoke", n(1_000_000)], "MethodInvoke"),
        Workload("Class.forName x3M", "reflection", ["-cp", cls, "ForName", n(3_000_000)], "ForName"),
        Workload("getDeclaredField+Field.get x5M", "reflection", ["-cp", cls, "FieldGet", n(5_000_000)], "FieldGet"),
        Workload("getResource x100k", "resource", ["-cp", cls, "GetResource", n(100_000)], "GetResource"),
        Workload("8 threads reflection x200k", "concurrency", ["-cp", cls, "Threads8", n(200_000)], "Threads8"),
        Workload("clojure startup", "startup", ["-cp", clj, "clojure.main", "-e", "(println 1)"], "1"),
        Workload("clojure unhinted interop x300k", "reflection",
                 ["-cp", clj, "clojure.main", os.path.join(HERE, "clj", "interop.clj"), n(300_000)], "interop"),
    ]
    if shutil.which("lein"):
        ws.append(Workload("leiningen: lein version", "real program", [], "Leiningen",
                           script=(["lein", "version"], lein_env)))
    else:
        print("bench: leiningen is not installed (apt-get install leiningen): 'lein version' skipped",
              file=sys.stderr)
    if opts.lambda_requests > 0:
        ws.append(Workload("lambda fixture x%d requests" % opts.lambda_requests, "real program", None, None,
                           count=opts.lambda_requests))
    return ws


def agent_args(opts, outdir):
    return ["-agentpath:%s=config-output-dir=%s,config-write-period-secs=5" % (opts.agent, outdir)]


def wait_child(proc):
    """Reaps proc with os.wait4: (exit status, user + sys seconds, max RSS in KiB)."""
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def run_java(opts, jdk, w, with_agent, logdir):
    outdir = tempfile.mkdtemp(prefix="nt-agentbench-")
    extra = agent_args(opts, outdir) if with_agent else []
    env = None
    if w.script:
        cmd = w.script[0]
        env = dict(os.environ, **w.script[1](jdk, extra))
    else:
        cmd = [os.path.join(jdk, "bin", "java")] + extra + w.args
    out_path = os.path.join(logdir, "stdout")
    err_path = os.path.join(logdir, "stderr")
    try:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            t0 = time.monotonic()
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            rc, cpu, rss = wait_child(proc)
            wall = time.monotonic() - t0
        text = open(out_path, encoding="utf-8", errors="replace").read()
        if rc != 0 or not text.startswith(w.expect):
            raise RuntimeError("%s (%s) exited %d, stdout %r, stderr tail:\n%s" % (
                " ".join(cmd), "agent" if with_agent else "plain", rc, text[:200],
                open(err_path, encoding="utf-8", errors="replace").read()[-2000:]))
        if with_agent and not os.path.exists(os.path.join(outdir, "reflect-config.json")):
            raise RuntimeError("%s: the agent wrote no reflect-config.json to %s" % (w.name, outdir))
        return wall, cpu, rss
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def lambda_work_dir(opts, jdk):
    """Compiled runtime client + AOT handler, built and cached by fixtures/lambda/run.sh."""
    feature = subprocess.run([os.path.join(jdk, "bin", "java"), "-XshowSettings:properties", "-version"],
                             capture_output=True, text=True).stderr
    feat = [l.split("=", 1)[1].strip() for l in feature.splitlines()
            if l.strip().startswith("java.specification.version =")][0]
    return os.path.join(opts.build, "fixtures", "lambda", "work-javac" + feat)


def run_lambda(opts, jdk, w, with_agent, logdir):
    """Starts the emulator and the runtime client JVM, sends w.count requests (answers checked by
    invoke.py), then SIGKILLs the JVM as Lambda does. Wall: JVM start to the last answer; CPU/RSS:
    the JVM's."""
    work = lambda_work_dir(opts, jdk)
    clj = ":".join(os.path.join(opts.clojure_jars, j) for j in CLJ_JARS + ["data.json.jar"])
    outdir = tempfile.mkdtemp(prefix="nt-agentbench-")
    port_file = os.path.join(logdir, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    emu = subprocess.Popen(["/usr/bin/python3", os.path.join(LAMBDA, "emulator.py"), "--port-file", port_file,
                            "--idle-timeout", "60", "--invoke-timeout", "30"],
                           stdout=subprocess.DEVNULL, stderr=open(os.path.join(logdir, "emulator.err"), "wb"))
    jvm = None
    try:
        for _ in range(100):
            if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
                break
            time.sleep(0.05)
        port = open(port_file).read().strip()
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API="127.0.0.1:" + port)
        cmd = ([os.path.join(jdk, "bin", "java")] + (agent_args(opts, outdir) if with_agent else []) +
               ["-Dfixtures.lambda.native=" + os.path.join(opts.build, "fixtures", "lambda", "libfixturelambda.so"),
                "-cp", ":".join([os.path.join(work, "runtime"), os.path.join(work, "classes"),
                                 os.path.join(LAMBDA, "handler", "resources"), clj]),
                "fixtures.lambda.runtime.Main", "example.handler"])
        t0 = time.monotonic()
        jvm = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(logdir, "jvm.err"), "wb"))
        inv = subprocess.run(["/usr/bin/python3", os.path.join(LAMBDA, "invoke.py"), "--port", port,
                              "--count", str(w.count), "--timeout", "30"], capture_output=True, text=True)
        wall = time.monotonic() - t0
        if inv.returncode != 0:
            raise RuntimeError("lambda (%s): wrong answers:\n%s" % ("agent" if with_agent else "plain",
                                                                    inv.stdout[-2000:]))
        jvm.send_signal(signal.SIGKILL)
        _, cpu, rss = wait_child(jvm)
        jvm = None
        return wall, cpu, rss
    finally:
        if jvm is not None:
            jvm.kill()
            jvm.wait()
        emu.terminate()
        emu.wait()
        shutil.rmtree(outdir, ignore_errors=True)


def measure(opts, jdk_name, jdk, w):
    logdir = tempfile.mkdtemp(prefix="nt-agentbench-log-")
    runner = run_lambda if w.args is None else run_java
    pairs = []
    try:
        for _ in range(opts.pairs):
            a = runner(opts, jdk, w, False, logdir)
            b = runner(opts, jdk, w, True, logdir)
            pairs.append({"without": {"wall_s": a[0], "cpu_s": a[1], "maxrss_kib": a[2]},
                          "with": {"wall_s": b[0], "cpu_s": b[1], "maxrss_kib": b[2]}})
    finally:
        shutil.rmtree(logdir, ignore_errors=True)
    rw = [p["with"]["wall_s"] / p["without"]["wall_s"] for p in pairs]
    rc = [p["with"]["cpu_s"] / p["without"]["cpu_s"] for p in pairs]
    drss = [(p["with"]["maxrss_kib"] - p["without"]["maxrss_kib"]) / 1024.0 for p in pairs]
    return {"workload": w.name, "group": w.group, "jdk": jdk_name, "pairs": len(pairs),
            "median_ratio_wall": statistics.median(rw), "median_ratio_cpu": statistics.median(rc),
            "min_ratio_wall": min(rw), "max_ratio_wall": max(rw),
            "min_ratio_cpu": min(rc), "max_ratio_cpu": max(rc),
            "median_wall_without_s": statistics.median(p["without"]["wall_s"] for p in pairs),
            "median_wall_with_s": statistics.median(p["with"]["wall_s"] for p in pairs),
            "median_rss_without_mib": statistics.median(p["without"]["maxrss_kib"] for p in pairs) / 1024.0,
            "median_rss_overhead_mib": statistics.median(drss),
            "runs": pairs}


HEADER = ("%-32s %-4s %7s %7s %13s %8s %8s %9s" %
          ("workload", "JDK", "wall x", "CPU x", "wall min-max", "A wall s", "B wall s", "dRSS MiB"))


def row_line(r):
    return ("%-32s %-4s %7.3f %7.3f %6.3f-%-6.3f %8.3f %8.3f %+9.1f" %
            (r["workload"], r["jdk"], r["median_ratio_wall"], r["median_ratio_cpu"], r["min_ratio_wall"],
             r["max_ratio_wall"], r["median_wall_without_s"], r["median_wall_with_s"],
             r["median_rss_overhead_mib"]))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="CMake build tree holding agent/libnitrace.so")
    ap.add_argument("--classes", required=True, help="compiled bench/agent/java classes")
    ap.add_argument("--agent", help="libnitrace.so (default BUILD/agent/libnitrace.so)")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--jdk", action="append", choices=sorted(JDKS), help="JDK feature version (repeatable)")
    ap.add_argument("--only", action="append", help="run workloads whose name contains this (repeatable)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every loop count (smoke tests)")
    ap.add_argument("--lambda-requests", type=int, default=1000,
                    help="requests per Lambda run (default 1000, about 10 s per run); 0 skips the Lambda fixture")
    ap.add_argument("--clojure-jars", default="/usr/share/java")
    ap.add_argument("--json", help="write the results here")
    opts = ap.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop the emulator and the JVMs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    opts.agent = opts.agent or os.path.join(opts.build, "agent", "libnitrace.so")
    if opts.pairs < 1:
        ap.error("--pairs must be >= 1")
    jdks = [(k, JDKS[k]) for k in (opts.jdk or sorted(JDKS)) if os.path.exists(os.path.join(JDKS[k], "bin", "java"))]
    if not jdks:
        print("bench: no JDK found", file=sys.stderr)
        return 2
    ws = workloads(opts)
    if opts.only:
        ws = [w for w in ws if any(o in w.name for o in opts.only)]
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "host": platform.node(), "cpus": os.cpu_count(), "kernel": platform.release(),
            "loadavg_start": loadavg(), "pairs": opts.pairs, "scale": opts.scale,
            "agent": opts.agent, "agent_options": "config-output-dir=<tmp>,config-write-period-secs=5",
            "jdks": {k: v for k, v in jdks}}
    print("bench/agent: %d CPUs, load %s, %s, %d pairs (A = without agent, B = with; ratios B/A)"
          % (meta["cpus"], meta["loadavg_start"], meta["date"], opts.pairs), file=sys.stderr)
    rows, failures, loads = [], [], []
    print(HEADER, flush=True)
    for w in ws:
        for jdk_name, jdk in jdks:
            try:
                r = measure(opts, jdk_name, jdk, w)
            except (RuntimeError, OSError, IndexError) as e:
                failures.append({"workload": w.name, "jdk": jdk_name, "error": str(e)})
                print("%-32s %-4s FAILED: %s" % (w.name, jdk_name, str(e).splitlines()[0][:160]), flush=True)
                continue
            loads.append(loadavg())
            rows.append(r)
            print(row_line(r), flush=True)
    meta["loadavg_end"] = loadavg()
    meta["loadavg_after_each_row"] = loads
    print("bench/agent: load at end %s" % meta["loadavg_end"], file=sys.stderr)
    if opts.json:
        os.makedirs(os.path.dirname(os.path.abspath(opts.json)), exist_ok=True)
        with open(opts.json, "w") as f:
            json.dump({"machine": meta, "results": rows, "failures": failures}, f, indent=2, sort_keys=True)
            f.write("\n")
        print("bench/agent: JSON in %s" % opts.json, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
