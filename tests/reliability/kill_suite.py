#!/usr/bin/python3
"""Kill suite: RUNS runs of a JVM that makes new accesses all the time (fixtures/writeerr) under
the agent writing every second, each killed with SIGKILL at a random instant between 0 and
--max-delay seconds after launch. While it runs, the directory is polled every 20 ms and every
distinct version of every config file seen is kept: each one was put there by a completed write
(files are replaced by rename). After the kill:
  - every config file present parses (`nitrace validate`) and validates against GraalVM's schemas,
    and .nitrace/provenance.json is valid JSON;
  - every version seen during the run is covered by what is on disk now (`nitrace subtract OLD NOW`
    leaves no entry): nothing a completed write had put on disk is lost.
Odd runs use a fresh config-output-dir; even runs merge into one config-merge-dir shared by all
runs (so stale locks and temporary files of killed JVMs are met too, and the previous run's final
config must stay covered). Prints one summary line with the counts; exit 1 on any failure.

  kill_suite.py --lib L --nitrace N --java J --cp CP --work DIR --schemas S --validate V
                [--runs 200] [--max-delay 5] [--seed SEED] [--jvm-opt OPT ...]
"""
import argparse
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

CONFIG_NAMES = ["reflect-config.json", "jni-config.json", "resource-config.json",
                "proxy-config.json", "serialization-config.json",
                "predefined-classes-config.json", "reachability-metadata.json"]


def sh(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Suite:
    def __init__(self, a):
        self.a = a
        self.failures = []
        self.counts = dict(runs=0, killed_before_first_write=0, files_checked=0,
                           versions_seen=0, versions_checked=0, leftover_temp_files=0,
                           program_errors=0)
        self.merge_dir = os.path.join(a.work, "merge")
        self.merge_prev = None  # the merge dir's config after the previous merge run

    def fail(self, run, msg):
        self.failures.append("run %d: %s" % (run, msg))
        print("FAIL: run %d: %s" % (run, msg), flush=True)

    def entries_left(self, old_dir, new_dir, scratch):
        """Number of entries of old_dir that new_dir does not cover (nitrace subtract)."""
        shutil.rmtree(scratch, ignore_errors=True)
        r = sh([self.a.nitrace, "subtract", "-o", scratch, old_dir, new_dir])
        if r.returncode != 0:
            return None, r.stderr.strip()
        r = sh([self.a.nitrace, "stats", "--json", scratch])
        if r.returncode != 0:
            return None, r.stderr.strip()
        return sum(json.loads(r.stdout)["categories"].values()), ""

    def run_one(self, i, delay):
        a = self.a
        merge = i % 2 == 0
        if merge:
            out = self.merge_dir
            mode = "config-merge-dir"
        else:
            out = os.path.join(a.work, "out-%d" % i)
            shutil.rmtree(out, ignore_errors=True)
            mode = "config-output-dir"
        os.makedirs(out, exist_ok=True)
        rundir = os.path.join(a.work, "run-%d" % i)
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        cmd = [os.path.join(a.java, "bin", "java")] + a.jvm_opt + [
            "-agentpath:%s=%s=%s,config-write-period-secs=1" % (a.lib, mode, out),
            "-cp", a.cp, "fixtures.writeerr.Main", os.path.join(rundir, "never")]
        stdout = open(os.path.join(rundir, "stdout"), "wb")
        stderr = open(os.path.join(rundir, "stderr"), "wb")
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=stdout, stderr=stderr)
        seen = {}     # name -> last bytes seen
        versions = []  # (name, bytes)
        while True:
            left = t0 + delay - time.monotonic()
            if left <= 0:
                break
            for name in CONFIG_NAMES:
                try:
                    with open(os.path.join(out, name), "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                if seen.get(name) != data:
                    seen[name] = data
                    versions.append((name, data))
            if p.poll() is not None:
                break
            time.sleep(min(0.02, max(left, 0)))
        if p.poll() is not None:
            self.fail(i, "the JVM ended before the kill (exit %s); stderr: %s"
                      % (p.returncode, open(os.path.join(rundir, "stderr")).read()[-2000:]))
            self.counts["program_errors"] += 1
        else:
            p.send_signal(signal.SIGKILL)
        p.wait()
        stdout.close()
        stderr.close()
        self.counts["runs"] += 1
        self.counts["versions_seen"] += len(versions)
        err = open(os.path.join(rundir, "stderr"), errors="replace").read()
        if "nitrace:" in err and "stale lock" not in err:
            self.fail(i, "the agent reported a problem: %s" % err.strip()[:2000])
        self.counts["leftover_temp_files"] += len(glob.glob(os.path.join(out, ".*.tmp.*")))

        present = [n for n in CONFIG_NAMES if os.path.exists(os.path.join(out, n))]
        if not present:
            self.counts["killed_before_first_write"] += 1
            if versions:
                self.fail(i, "files were seen during the run but none is left")
            return
        self.counts["files_checked"] += len(present)
        r = sh([a.nitrace, "validate", out])
        if r.returncode != 0:
            self.fail(i, "nitrace validate %s: %s %s" % (out, r.stdout, r.stderr))
        r = sh([a.python, a.validate, "--schemas", a.schemas] +
               [os.path.join(out, n) for n in present])
        if r.returncode != 0:
            self.fail(i, "schema validation: %s %s" % (r.stdout, r.stderr))
        prov = os.path.join(out, ".nitrace", "provenance.json")
        if os.path.exists(prov):
            try:
                json.load(open(prov))
            except ValueError as e:
                self.fail(i, "provenance.json is not valid JSON: %s" % e)

        # every version seen (and the merge dir's previous final state) is covered by the final one
        olds = []
        for k, (name, data) in enumerate(versions):
            d = os.path.join(rundir, "seen-%d" % k)
            os.makedirs(d)
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            olds.append(d)
        if merge and self.merge_prev:
            olds.append(self.merge_prev)
        for d in olds:
            n, why = self.entries_left(d, out, os.path.join(rundir, "left"))
            self.counts["versions_checked"] += 1
            if n is None:
                self.fail(i, "nitrace subtract/stats failed on %s: %s" % (d, why))
            elif n != 0:
                self.fail(i, "%d entries of %s are missing from %s" % (n, d, out))
        if merge:
            prev = os.path.join(a.work, "merge-prev")
            shutil.rmtree(prev, ignore_errors=True)
            os.makedirs(prev)
            for n in present:
                shutil.copy(os.path.join(out, n), prev)
            self.merge_prev = prev
        if not self.failures or not a.keep_failed:
            shutil.rmtree(rundir, ignore_errors=True)
            if not merge:
                shutil.rmtree(out, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--nitrace", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--cp", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--validate", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--max-delay", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jvm-opt", action="append", default=[])
    ap.add_argument("--keep-failed", action="store_true", default=True)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    s = Suite(a)
    start = time.monotonic()
    for i in range(1, a.runs + 1):
        s.run_one(i, rng.uniform(0, a.max_delay))
        if i % 20 == 0:
            print("kill: %d/%d runs, %d failures" % (i, a.runs, len(s.failures)), flush=True)
    c = s.counts
    print("kill suite: seed=%d runs=%d killed_before_first_write=%d files_checked=%d "
          "versions_seen=%d versions_checked=%d leftover_temp_files=%d failures=%d time=%.0fs"
          % (seed, c["runs"], c["killed_before_first_write"], c["files_checked"],
             c["versions_seen"], c["versions_checked"], c["leftover_temp_files"],
             len(s.failures), time.monotonic() - start), flush=True)
    sys.exit(1 if s.failures else 0)


if __name__ == "__main__":
    main()
