#!/usr/bin/python3
"""End-to-end test of the JNI function-table interception (agent/jni_table.c).

  run_jni_test.py --mode probe --agent PROBE.so --nitrace NITRACE --lib LIBNTJNITEST.so
                  --src SRC_DIR --work WORK_DIR [--jdk HOME]...
  run_jni_test.py --mode agent --agent libnitrace.so --lib LIBNTJNITEST.so
                  --src SRC_DIR --work WORK_DIR [--jdk HOME]...

For every JDK found (JAVA_HOME, Debian's JDK 17, Temurin 25, --jdk): compile java/jnitest with
that JDK's javac (--release 17), run jnitest.Main without an agent and with it (probe mode: the
probe, plain and under -Xcheck:jni; agent mode: config-output-dir, trace-output -- GraalVM does
not allow both in one run -- and config-output-dir under -Xcheck:jni). Every run must print
expected/stdout.txt and exit with status 3 (the exceptions the program observes are part of its
output). Then:
  - the config: jni-config.json and reflect-config.json equal expected/ byte for byte
    (probe mode: the probe's trace turned into a config by `nitrace merge`; agent mode: the
    files the agent wrote with config-output-dir, where reflect-config.json may also hold the
    JDK's own accesses and only its jnitest.* entries are compared);
  - the trace (trace-output, GraalVM's format): the JNI events whose caller is jnitest.Native
    are exactly expected/trace-native.json, in that order and without duplicates (plus one
    lookup on a lambda's hidden class, whose name varies: checked by pattern); the
    caller-less events of expected/trace-callerless.json (the launcher's start-up lookups, a
    native thread without Java frames) are present;
  - probe mode: the provenance names the fixture library and the native function that called
    (a static one too: the library keeps its .symtab).
Exit 0 on success, 1 on failure, 77 (CTest skip) when no JDK with javac exists."""
import argparse
import json
import os
import re
import subprocess
import sys

DEFAULT_JDKS = ["/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-25-jdk-amd64"]
EXIT_STATUS = 3  # jnitest.Main ends with System.exit(3)
HIDDEN_NAME = re.compile(r"^jnitest\.Main\$\$Lambda[$0-9]*/0x[0-9a-f]+$")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def find_jdks(extra):
    seen, out = set(), []
    for home in [os.environ.get("JAVA_HOME", "")] + DEFAULT_JDKS + extra:
        if not home or not os.access(os.path.join(home, "bin", "javac"), os.X_OK):
            continue
        real = os.path.realpath(home)
        if real not in seen:
            seen.add(real)
            out.append(real)
    return out


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=300, **kw)


def first_arg(ev):
    args = ev.get("args") or [None]
    return args[0]


def canon(ev):
    return json.dumps(ev, sort_keys=True, separators=(",", ":"))


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: cannot read %s: %s" % (what, path, e))
        return None


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def check_config(label, cfg_dir, src, only_ours_in_reflect):
    for name in ("jni-config.json", "reflect-config.json"):
        want = read_text(os.path.join(src, "expected", name))
        got = read_text(os.path.join(cfg_dir, name))
        if got is None:
            fail("%s: %s was not written in %s" % (label, name, cfg_dir))
        elif name == "reflect-config.json" and only_ours_in_reflect:
            # the full agent also records the JDK's own reflection with accepted callers
            # (e.g. java.util.concurrent.atomic on JDK 25): compare the jnitest entries only
            ours = [t for t in json.loads(got) if t.get("name", "").startswith("jnitest.")]
            if ours != json.loads(want):
                fail("%s: jnitest entries of %s differ from expected/%s:\n%s"
                     % (label, name, name, got))
        elif got != want:
            fail("%s: %s differs from expected/%s:\n%s" % (label, name, name, got))


def check_trace(label, trace_path, src):
    events = load_json(trace_path, label)
    if events is None:
        return
    if not isinstance(events, list):
        fail("%s: the trace is not a JSON array" % label)
        return
    want_native = load_json(os.path.join(src, "expected", "trace-native.json"), "expected")
    got_native = [e for e in events
                  if e.get("tracer") == "jni" and e.get("caller_class") == "jnitest.Native"]
    # a lambda's hidden class: named as Class.getName() does, "jnitest.Main$$Lambda.../0x..."
    hidden = [e for e in got_native if "$$Lambda" in e.get("class", "")]
    got_native = [e for e in got_native if e not in hidden]
    if (len(hidden) != 1 or not HIDDEN_NAME.match(hidden[0]["class"])
            or hidden[0].get("declaring_class") != hidden[0]["class"]
            or hidden[0].get("function") != "GetMethodID"
            or hidden[0].get("args") != ["run", "()V"] or hidden[0].get("result") is not True):
        fail("%s: GetMethodID run()V on the lambda class: %s" % (label, hidden))
    got_c = [canon(e) for e in got_native]
    want_c = [canon(e) for e in want_native]
    if len(set(got_c)) != len(got_c):
        dups = sorted({c for c in got_c if got_c.count(c) > 1})
        fail("%s: duplicate trace events:\n  %s" % (label, "\n  ".join(dups)))
    if got_c != want_c:
        missing = [c for c in want_c if c not in got_c]
        extra = [c for c in got_c if c not in want_c]
        fail("%s: JNI events of jnitest.Native differ from expected/trace-native.json\n"
             "  missing: %s\n  unexpected: %s\n  order ok: %s"
             % (label, missing, extra, not missing and not extra))
    all_c = {canon(e) for e in events}
    for e in load_json(os.path.join(src, "expected", "trace-callerless.json"), "expected"):
        if canon(e) not in all_c:
            fail("%s: caller-less event missing from the trace: %s" % (label, canon(e)))
    # the failed lookups stay result:false; nothing of them reaches the config (checked there)
    for e in got_native:
        if first_arg(e) in ("nope", "jnitest/Nope") and e.get("result") is not False:
            fail("%s: a failed lookup is not result:false: %s" % (label, canon(e)))


def check_provenance(label, prov_path, lib):
    doc = load_json(prov_path, label)
    if doc is None:
        return
    lib_real = os.path.realpath(lib)
    fns = {}
    for item in doc.get("events", []):
        ev, ctxs = item.get("event", {}), item.get("contexts", [])
        if ev.get("tracer") != "jni":
            continue
        if ev.get("caller_class") == "jnitest.Native":
            for c in ctxs:
                if c.get("caller") != "jnitest.Native":
                    fail("%s: context caller %r for %s" % (label, c.get("caller"), canon(ev)))
                if os.path.realpath(c.get("jniLibrary", "")) != lib_real:
                    fail("%s: context library %r for %s" % (label, c.get("jniLibrary"), canon(ev)))
            key = (ev.get("function"), tuple(ev.get("args", [])))
            fns[key] = sorted(c.get("jniFunction", "") for c in ctxs)
        elif first_arg(ev) == "getApplicationClass":
            for c in ctxs:
                if "caller" in c:
                    fail("%s: the launcher's lookup has a caller: %s" % (label, c))
        elif first_arg(ev) == "fromThread":
            # from a static C function of the fixture (named from the library's .symtab);
            # made after the launcher called main
            want_ctx = [{"jniFunction": "native_thread", "jniLibrary": lib_real,
                         "mainPhase": True}]
            got_ctx = [dict(c, jniLibrary=os.path.realpath(c.get("jniLibrary", "")))
                       for c in ctxs]
            if got_ctx != want_ctx:
                fail("%s: contexts of the native thread's lookup: %r" % (label, ctxs))
    want = {
        ("GetMethodID", ("callback", "(I)V")): ["Java_jnitest_Native_lookups"],
        ("GetStaticMethodID", ("twice", "(I)I")):
            ["Java_jnitest_Native_lookups", "Java_jnitest_Native_reflected"],
        ("ThrowNew", ("\u0000",)): ["Java_jnitest_Native_throwCustom"],
        ("AllocObject", ()): ["Java_jnitest_Native_alloc"],
        ("FromReflectedField", ("value",)): ["Java_jnitest_Native_reflected"],
    }
    for key, fn in want.items():
        if fns.get(key) != fn:
            fail("%s: native functions of %s: %r, expected %r" % (label, key, fns.get(key), fn))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["probe", "agent"], required=True)
    ap.add_argument("--agent", required=True)
    ap.add_argument("--nitrace")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--jdk", action="append", default=[])
    a = ap.parse_args()
    if a.mode == "probe" and not a.nitrace:
        ap.error("--mode probe needs --nitrace")

    jdks = find_jdks([j for j in a.jdk if j])
    if not jdks:
        print("SKIP: no JDK with javac found")
        return 77
    expected_out = read_text(os.path.join(a.src, "expected", "stdout.txt"))
    jsrc = os.path.join(a.src, "java", "jnitest")
    sources = sorted(os.path.join(jsrc, f) for f in os.listdir(jsrc) if f.endswith(".java"))
    os.makedirs(a.work, exist_ok=True)

    for jdk in jdks:
        name = os.path.basename(jdk)
        work = os.path.join(a.work, name)
        subprocess.run(["rm", "-rf", work], check=True)
        os.makedirs(work)
        classes = os.path.join(work, "classes")
        r = run([os.path.join(jdk, "bin", "javac"), "--release", "17", "-d", classes] + sources)
        if r.returncode != 0:
            fail("%s: javac failed:\n%s" % (name, r.stderr))
            continue
        java = [os.path.join(jdk, "bin", "java"), "--enable-native-access=ALL-UNNAMED",
                "-Dntjnitest.lib=" + a.lib, "-cp", classes]
        trace = os.path.join(work, "trace.json")
        cfg = os.path.join(work, "config")
        # (label, extra JVM options, what to check afterwards)
        if a.mode == "probe":
            probe = "-agentpath:%s=%s" % (a.agent, trace)
            variants = [("no agent", [], ""), ("probe", [probe], "merge"),
                        ("probe -Xcheck:jni", ["-Xcheck:jni", probe], "merge")]
        else:
            # GraalVM's options: trace-output excludes config-output-dir, so two runs
            to_cfg = "-agentpath:%s=config-output-dir=%s" % (a.agent, cfg)
            to_trace = "-agentpath:%s=trace-output=%s" % (a.agent, trace)
            variants = [("no agent", [], ""), ("agent config-output-dir", [to_cfg], "config"),
                        ("agent trace-output", [to_trace], "trace"),
                        ("agent -Xcheck:jni", ["-Xcheck:jni", to_cfg], "config")]
        for vname, extra, checks in variants:
            label = "%s, %s" % (name, vname)
            for p in (trace, trace + ".prov.json"):
                if os.path.exists(p):
                    os.remove(p)
            subprocess.run(["rm", "-rf", cfg], check=True)
            r = run(java[:1] + extra + java[1:] + ["jnitest.Main"])
            if r.stdout != expected_out or r.returncode != EXIT_STATUS:
                fail("%s: exit %d, stdout differs from expected/stdout.txt:\n%s\nstderr:\n%s"
                     % (label, r.returncode, r.stdout, r.stderr))
            for bad in ("recording stopped", "WARNING in native method", "FATAL", "SIGSEGV"):
                if bad in r.stderr or bad in r.stdout:
                    fail("%s: %r in the output:\n%s" % (label, bad, r.stderr))
            if checks == "merge":
                r = run([a.nitrace, "merge", "-o", cfg, trace])
                if r.returncode != 0:
                    fail("%s: nitrace merge failed:\n%s" % (label, r.stderr))
                check_provenance(label, trace + ".prov.json", a.lib)
            if checks in ("merge", "config"):
                check_config(label, cfg, a.src, a.mode == "agent")
            if checks in ("merge", "trace"):
                check_trace(label, trace, a.src)
        print("%s: %s" % (name, "checked" if not failures else "failures so far: %d" % len(failures)))

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("OK (%s)" % ", ".join(os.path.basename(j) for j in jdks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
