#!/usr/bin/python3
"""Generate benchmark inputs for nitrace: many GraalVM config directories.

    gen_configs.py OUTDIR [--inputs N] [--per-input M] [--single-entries K] [--seed S]

Writes OUTDIR/inputs/in0000 ... (N config directories of M entries each,
default 1000 x 100 = 100 000 entries) and OUTDIR/single/ (one legacy config
directory of K entries, default 10 000, for the write benchmark), plus
OUTDIR/manifest.json with the counts.

An "entry" is what nt_config_entry_count counts: one type per (descriptor,
condition) in each of the reflection, jni, serialization and
lambda-capturing sets, one resource (glob / pattern / exclude), one bundle,
one predefined class. Entries are unique within a directory; across
directories names overlap (class names are drawn with a skewed distribution
from one pool, members of a class come from a per-class universe), so the
union is much smaller than the sum and merging must combine flags and
members of the same type.

Formats are mixed like real classpaths: legacy files with "name" (schema
v1.0) and with "type" (v1.1), resource-config with \\Q..\\E patterns and with
globs, and reachability-metadata.json in the v1.1 shape (jni / serialization
sections) and the v1.2 shape (jniAccessible / serializable flags).
Output is deterministic for a given seed.
"""
import argparse
import json
import os
import random
import string
import sys
import zlib

WORDS = """account action adapter address agent alert api app archive audit auth batch bean billing
binding block buffer builder bundle cache call cart catalog channel check client cluster codec
collector config connection consumer context controller converter core cursor customer data
decoder delivery descriptor device dispatch document domain driver encoder engine entity event
export factory feature field file filter flow format gateway graph handler header health helper
http image index inventory invoice item job json key label layout lease ledger listener loader
lock log mapper market message meta metric model module monitor node notify order output packet
page parser party payment peer plan policy pool portal price printer process producer profile
project provider proxy query queue quota rate reader record region registry report request
resolver resource response retry route rule runtime scheduler schema scope search secret
security segment sender sensor server service session settings shard shipment signal sink slot
snapshot socket source span spec stage state storage store stream subject support sync table
task template tenant token topic trace tracker transaction transform type unit user util value
vault version view visitor wallet watcher worker writer zone""".split()

ROOTS = ["com.acme", "com.example", "org.apache", "io.netty", "org.eclipse", "net.corp",
         "clojure", "io.micronaut", "org.springframework", "com.fasterxml.jackson", "software.amazon",
         "io.grpc", "org.postgresql", "com.zaxxer", "ch.qos.logback", "cheshire", "org.slf4j"]
JDK_PKGS = ["java.lang", "java.util", "java.util.concurrent", "java.io", "java.nio", "java.net",
            "java.time", "java.math", "java.lang.reflect", "java.util.function", "javax.net.ssl",
            "sun.security.provider", "jdk.internal.misc", "sun.nio.ch"]
PRIMS = ["int", "long", "boolean", "byte", "char", "short", "double", "float"]
FLAGS_LEGACY = ["allDeclaredFields", "allPublicFields", "allDeclaredMethods", "allPublicMethods",
                "allDeclaredConstructors", "allPublicConstructors", "allDeclaredClasses",
                "allPublicClasses", "queryAllDeclaredMethods", "queryAllPublicMethods",
                "queryAllDeclaredConstructors", "queryAllPublicConstructors", "unsafeAllocated"]
FLAGS_COMBINED = ["allDeclaredFields", "allPublicFields", "allDeclaredMethods", "allPublicMethods",
                  "allDeclaredConstructors", "allPublicConstructors", "unsafeAllocated"]
FLAG_P = {"allDeclaredFields": 0.15, "allPublicFields": 0.08, "allDeclaredMethods": 0.12,
          "allPublicMethods": 0.15, "allDeclaredConstructors": 0.2, "allPublicConstructors": 0.1,
          "allDeclaredClasses": 0.03, "allPublicClasses": 0.03, "queryAllDeclaredMethods": 0.08,
          "queryAllPublicMethods": 0.05, "queryAllDeclaredConstructors": 0.05,
          "queryAllPublicConstructors": 0.04, "unsafeAllocated": 0.03}

# Per directory (sums to 100 for the default size); scaled for other sizes.
MIX = {"reflection": 52, "proxy": 5, "jni": 9, "resource": 14, "bundle": 4,
       "serialization": 13, "lambda": 2, "predefined": 1}


def camel(rng, n):
    return "".join(rng.choice(WORDS).capitalize() for _ in range(n))


class Pools:
    def __init__(self, seed):
        rng = random.Random(seed)
        pkgs = set()
        while len(pkgs) < 400:
            root = rng.choice(ROOTS)
            pkgs.add(".".join([root] + [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]))
        self.packages = sorted(pkgs)
        rng.shuffle(self.packages)
        classes = set()
        while len(classes) < 30000:
            p = rng.choice(self.packages)
            c = p + "." + camel(rng, rng.randint(1, 3))
            r = rng.random()
            if r < 0.12:
                c += "$" + camel(rng, 1)
            elif r < 0.16:
                c += "$" + str(rng.randint(1, 9))
            elif r < 0.19:
                c = c.rsplit(".", 1)[0] + "." + c.rsplit(".", 1)[1].lower() + "$fn__" + str(rng.randint(100, 9999))
            classes.add(c)
        self.classes = sorted(classes)
        rng.shuffle(self.classes)
        for p in JDK_PKGS:
            for _ in range(40):
                self.classes.insert(rng.randint(0, 2000), p + "." + camel(rng, rng.randint(1, 2)))
        self.interfaces = [c for c in self.classes[:3000] if "$" not in c][:600]
        self.modules = ["java.base", "java.desktop", "java.logging", "jdk.crypto.ec", "java.sql"]

    def skewed(self, rng, n):
        """Index into a pool of n: low indices are much more likely (shared names)."""
        return min(n - 1, int(n * rng.random() ** 2.2))

    def cls(self, rng):
        return self.classes[self.skewed(rng, len(self.classes))]

    def members(self, name):
        """The member universe of a class: the same in every file."""
        r = random.Random(zlib.crc32(name.encode()))
        fields = sorted({rng_word(r) for _ in range(r.randint(2, 10))})
        methods = [("<init>", [])]
        for _ in range(r.randint(3, 14)):
            m = rng_word(r) + camel(r, 1)
            params = [self.param_type(r) for _ in range(r.choice([0, 0, 1, 1, 1, 2, 3]))]
            methods.append((m, params))
        if r.random() < 0.5:
            methods.append(("<init>", [self.param_type(r)]))
        return fields, methods

    def param_type(self, r):
        x = r.random()
        if x < 0.35:
            return r.choice(PRIMS)
        if x < 0.6:
            return r.choice(["java.lang.String", "java.lang.Object", "java.util.Map", "java.util.List",
                             "java.lang.Class", "clojure.lang.IFn", "java.lang.CharSequence"])
        if x < 0.7:
            return r.choice(["java.lang.String[]", "byte[]", "int[]", "java.lang.Object[]"])
        return self.classes[r.randrange(5000)]


def java_regex_of_glob(glob):
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append("\\" + glob[i] if glob[i] in ".$[](){}+?^|\\" else glob[i])
            i += 1
    return "".join(out)


def rng_word(r):
    return r.choice(WORDS) + r.choice(["", "Id", "Name", "Count", "Value", "s"])


class DirGen:
    """One config directory: entries chosen first, then printed in one format."""

    def __init__(self, pools, rng, fmt, mix):
        self.p, self.rng, self.fmt = pools, rng, fmt
        self.refl, self.jni, self.ser, self.lam = {}, {}, {}, {}
        self.proxies, self.resources, self.bundles, self.predef, self.excludes = {}, {}, {}, [], []
        combined = fmt.startswith("combined")
        # Combined files cannot hold lambda-capturing types or predefined classes: those
        # slots go to reflection there.
        n_refl = mix["reflection"] + (mix["lambda"] + mix["predefined"] if combined else 0)
        self.cond_kind = "typeReached" if combined else "typeReachable"
        while len(self.refl) < n_refl:
            self._add_type(self.refl)
        while len(self.proxies) < mix["proxy"]:
            k = self.rng.randint(1, 3)
            ifs = tuple(self.p.interfaces[self.p.skewed(self.rng, len(self.p.interfaces))] for _ in range(k))
            if len(set(ifs)) == k:
                self.proxies[(ifs, None)] = True
        if fmt == "combined-1.2":
            # jni and serialization are flags on reflection entries there; each flag adds
            # one entry to the jni / serialization set.
            keys = sorted(self.refl, key=lambda k: (k[0], k[1] or ""))
            self.rng.shuffle(keys)
            for key in keys[:mix["jni"]]:
                self.jni[key] = {}
            for key in keys[mix["jni"]:mix["jni"] + mix["serialization"]]:
                self.ser[key] = {}
        else:
            while len(self.jni) < mix["jni"]:
                self._add_type(self.jni, jni=True)
            while len(self.ser) < mix["serialization"]:
                name = self.p.cls(self.rng)
                key = (name, self._cond())
                if key not in self.ser:
                    body = {}
                    if self.rng.random() < 0.1:
                        body["customTargetConstructorClass"] = "java.lang.Object"
                    self.ser[key] = body
        if not combined:
            while len(self.lam) < mix["lambda"]:
                self.lam[(self.p.cls(self.rng), None)] = True
            if mix["predefined"]:
                for _ in range(mix["predefined"]):
                    h = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(22))
                    self.predef.append({"hash": h, "nameInfo": self.p.cls(self.rng) + "$$Generated"})
        n_res = mix["resource"]
        while len(self.resources) < n_res:
            self._add_resource()
        while len(self.bundles) < mix["bundle"]:
            pkg = self.p.packages[self.p.skewed(self.rng, len(self.p.packages))]
            name = pkg + "." + self.rng.choice(["Messages", "Strings", "LocalStrings", "Errors"])
            self.bundles[(name, None)] = True

    def count(self):
        return (len(self.refl) + len(self.proxies) + len(self.jni) + len(self.ser) + len(self.lam)
                + len(self.resources) + len(self.bundles) + len(self.predef))

    def _cond(self):
        if self.rng.random() < 0.1:
            return self.p.classes[self.rng.randrange(300)]
        return None

    def _add_type(self, dst, jni=False):
        name = self.p.cls(self.rng)
        key = (name, self._cond())
        if key in dst:
            return
        dst[key] = self._type_body(name, jni=jni)

    def _type_body(self, name, jni=False):
        rng = self.rng
        fields, methods = self.p.members(name)
        body = {}
        flags = FLAGS_COMBINED if self.fmt.startswith("combined") else FLAGS_LEGACY
        for f in flags:
            if rng.random() < FLAG_P[f] * (0.5 if jni else 1.0):
                body[f] = True
        if rng.random() < 0.45:
            body["fields"] = [{"name": f} for f in rng.sample(fields, rng.randint(1, min(3, len(fields))))]
        if rng.random() < 0.7:
            ms = rng.sample(methods, rng.randint(1, min(5, len(methods))))
            body["methods"] = [{"name": m, "parameterTypes": list(ps)} for m, ps in ms]
        if not self.fmt.startswith("combined") and rng.random() < 0.15:
            m, ps = rng.choice(methods)
            body["queriedMethods"] = [{"name": m, "parameterTypes": list(ps)}]
        return body

    def _add_resource(self):
        rng, p = self.rng, self.p
        x = rng.random()
        module = None
        if x < 0.45:
            cls = p.cls(rng)
            value = "META-INF/services/" + cls
        elif x < 0.75:
            pkg = p.packages[p.skewed(rng, len(p.packages))].replace(".", "/")
            value = pkg + "/" + rng.choice(WORDS) + rng.choice([".properties", ".xml", ".json", ".edn", ".clj", ".sql"])
        elif x < 0.9:
            pkg = p.packages[p.skewed(rng, len(p.packages))].replace(".", "/")
            value = pkg + rng.choice(["/**/*.properties", "/*.xml", "/templates/**"])
        else:
            module = rng.choice(p.modules)
            value = "jdk/internal/" + rng.choice(WORDS) + "/" + rng.choice(WORDS) + ".dat"
        self.resources[(module, value)] = True

    # ---- printing -------------------------------------------------------
    def _cond_json(self, cond):
        return {self.cond_kind: cond}

    def _type_entries(self, d, key_name):
        out = []
        for (name, cond), body in sorted(d.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            e = {}
            if cond:
                e["condition"] = self._cond_json(cond)
            e[key_name] = name
            e.update(body)
            out.append(e)
        return out

    def _glob_of(self, value):
        return value  # names above contain no glob metacharacters besides intended wildcards

    def write(self, path):
        os.makedirs(path, exist_ok=True)
        if self.fmt.startswith("legacy"):
            self._write_legacy(path)
        else:
            self._write_combined(path)

    def _dump(self, path, name, obj):
        with open(os.path.join(path, name), "w") as f:
            json.dump(obj, f, indent=2 if self.rng.random() < 0.5 else None)
            f.write("\n")

    def _write_legacy(self, path):
        key = "type" if self.fmt == "legacy-1.1" else "name"
        self._dump(path, "reflect-config.json", self._type_entries(self.refl, key))
        self._dump(path, "jni-config.json", self._type_entries(self.jni, key))
        prox = []
        for (ifs, cond) in sorted(self.proxies):
            prox.append({"interfaces": list(ifs)})
        self._dump(path, "proxy-config.json", prox)
        ser = {"types": self._type_entries(self.ser, key),
               "lambdaCapturingTypes": [{"name": n} for (n, _c) in sorted(self.lam)],
               "proxies": []}
        self._dump(path, "serialization-config.json", ser)
        res = {}
        if self.fmt == "legacy-1.0":
            inc = []
            for (module, value) in sorted(self.resources, key=lambda k: (k[0] or "", k[1])):
                if "*" in value:
                    pat = java_regex_of_glob(value)  # a real regex, as hand-written configs have
                else:
                    pat = "\\Q" + value + "\\E"
                inc.append({"pattern": (module + ":" if module else "") + pat})
            res["resources"] = {"includes": inc}
        else:
            globs = []
            for (module, value) in sorted(self.resources, key=lambda k: (k[0] or "", k[1])):
                g = {"glob": self._glob_of(value)}
                if module:
                    g["module"] = module
                globs.append(g)
            res["globs"] = globs
        res["bundles"] = [{"name": n, "locales": ["", "en-US"]} if i % 2 else {"name": n}
                          for i, (n, _c) in enumerate(sorted(self.bundles))]
        self._dump(path, "resource-config.json", res)
        if self.predef:
            self._dump(path, "predefined-classes-config.json",
                       [{"type": "agent-extracted", "classes": self.predef}])

    def _write_combined(self, path):
        top = {}
        refl = self._type_entries(self.refl, "type")
        if self.fmt == "combined-1.2":
            byname = {(e["type"], (e.get("condition") or {}).get("typeReached")): e for e in refl}
            for k, body in self.jni.items():
                byname[k]["jniAccessible"] = True
            for k in self.ser:
                byname[k]["serializable"] = True
        for (ifs, cond) in sorted(self.proxies):
            refl.append({"type": {"proxy": list(ifs)}})
        top["reflection"] = refl
        if self.fmt == "combined-1.1":
            top["jni"] = self._type_entries(self.jni, "type")
            top["serialization"] = self._type_entries(self.ser, "type")
        res = []
        for (module, value) in sorted(self.resources, key=lambda k: (k[0] or "", k[1])):
            g = {"glob": self._glob_of(value)}
            if module:
                g["module"] = module
            res.append(g)
        for (n, _c) in sorted(self.bundles):
            res.append({"bundle": n})
        top["resources"] = res
        self._dump(path, "reachability-metadata.json", top)


FORMATS = ["legacy-1.0"] * 3 + ["legacy-1.1"] * 3 + ["combined-1.1"] * 3 + ["combined-1.2"]


def scaled_mix(per_input):
    total = sum(MIX.values())
    mix = {k: v * per_input // total for k, v in MIX.items()}
    mix["reflection"] += per_input - sum(mix.values())
    return mix


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--inputs", type=int, default=1000)
    ap.add_argument("--per-input", type=int, default=100)
    ap.add_argument("--single-entries", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261127)
    a = ap.parse_args()
    pools = Pools(a.seed)
    rng = random.Random(a.seed + 1)
    total = 0
    by_fmt = {}
    indir = os.path.join(a.outdir, "inputs")
    mix = scaled_mix(a.per_input)
    for i in range(a.inputs):
        fmt = FORMATS[i % len(FORMATS)]
        g = DirGen(pools, rng, fmt, mix)
        g.write(os.path.join(indir, "in%04d" % i))
        n = g.count()
        total += n
        by_fmt[fmt] = by_fmt.get(fmt, 0) + 1
    single = DirGen(pools, rng, "legacy-1.1", scaled_mix(a.single_entries))
    single.write(os.path.join(a.outdir, "single"))
    manifest = {"seed": a.seed, "inputs": a.inputs, "entries": total,
                "single_entries": single.count(), "formats": by_fmt}
    with open(os.path.join(a.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print("generated %d inputs, %d entries; single config: %d entries -> %s"
          % (a.inputs, total, single.count(), a.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
