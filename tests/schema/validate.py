#!/usr/bin/python3
"""Validate GraalVM config files against GraalVM's published JSON schemas.

usage: validate.py --schemas DIR [KIND=]FILE...

KIND is the standard file name of the file's kind (reflect-config.json,
reachability-metadata.json, ...); without it, the kind comes from FILE's base
name. Legacy files are validated against the newest legacy schema of their kind
and reachability-metadata.json against v1.2.0. $refs to the condition and type
schemas resolve to DIR/fixed/ (GraalVM's published copies are not valid JSON
Schema, see DIR/SOURCES.md); every other $ref resolves inside DIR.

Prints one line per failing file and a final "N passed, N failed"; exits 1
when anything failed, 2 on a usage or setup problem.

Needs Debian's python3-jsonschema (run with /usr/bin/python3).
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("validate.py: cannot import jsonschema "
                     "(run with /usr/bin/python3; apt-get install python3-jsonschema)\n")
    sys.exit(2)

SCHEMA_FOR_KIND = {
    "reflect-config.json": "reflect-config-schema-v1.2.0.json",
    "jni-config.json": "jni-config-schema-v1.2.0.json",
    "resource-config.json": "resource-config-schema-v1.1.0.json",
    "proxy-config.json": "proxy-config-schema-v1.1.0.json",
    "serialization-config.json": "serialization-config-schema-v1.2.0.json",
    "predefined-classes-config.json": "predefined-classes-config-schema-v1.0.0.json",
    "reachability-metadata.json": "reachability-metadata-schema-v1.2.0.json",
}

# $id values use either of these bases; relative $refs resolve against them.
BASES = (
    "https://github.com/oracle/graal/blob/master/docs/reference-manual/native-image/assets/",
    "https://raw.githubusercontent.com/oracle/graal/master/docs/reference-manual/native-image/assets/",
)
FIXED = ("config-condition-schema-v1.0.0.json", "config-type-schema-v1.0.0.json")


# The one documented deviation from the published schemas: legacy field
# entries may carry "allowWrite"/"allowUnsafeAccess": true. GraalVM's
# reflect-config parser still accepts them, and nitrace keeps them when a user
# config has them instead of dropping user data (graal #1599, #3192). The
# schemas never listed them, so they are set aside before validation, and only
# there: anywhere else they are still errors.
LEGACY_FIELD_FLAGS = ("allowWrite", "allowUnsafeAccess")


def strip_legacy_field_flags(kind, doc):
    if kind not in ("reflect-config.json", "jni-config.json") or not isinstance(doc, list):
        return 0
    n = 0
    for entry in doc:
        for field in (entry.get("fields") or []) if isinstance(entry, dict) else []:
            if isinstance(field, dict):
                for key in LEGACY_FIELD_FLAGS:
                    if field.get(key) is True:
                        del field[key]
                        n += 1
    return n


def load_store(schema_dir):
    store = {}
    names = [n for n in os.listdir(schema_dir) if n.endswith(".json")]
    for name in names:
        path = os.path.join(schema_dir, name)
        if name in FIXED:
            path = os.path.join(schema_dir, "fixed", name)
            if not os.path.isfile(path):
                raise FileNotFoundError(path + " is missing (see SOURCES.md, fixed/)")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for base in BASES:
            store[base + name] = doc
    return store


def validator_for(schema_name, store):
    schema = store[BASES[0] + schema_name]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver(schema.get("$id", BASES[0] + schema_name), schema,
                                      store=store)
    return cls(schema, resolver=resolver)


def main(argv):
    args = argv[1:]
    if len(args) < 2 or args[0] != "--schemas":
        sys.stderr.write(__doc__)
        return 2
    schema_dir = args[1]
    files = args[2:]
    if not os.path.isdir(schema_dir):
        sys.stderr.write("validate.py: schema directory %s not found\n" % schema_dir)
        return 2
    try:
        store = load_store(schema_dir)
    except (OSError, ValueError) as e:
        sys.stderr.write("validate.py: cannot load schemas: %s\n" % e)
        return 2
    validators = {}
    passed = failed = 0
    for spec in files:
        kind, sep, path = spec.partition("=")
        if not sep:
            kind, path = os.path.basename(spec), spec
        schema_name = SCHEMA_FOR_KIND.get(kind)
        if schema_name is None:
            print("FAIL %s: no schema for file kind %r" % (path, kind))
            failed += 1
            continue
        try:
            if schema_name not in validators:
                validators[schema_name] = validator_for(schema_name, store)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            strip_legacy_field_flags(kind, doc)
            errors = sorted(validators[schema_name].iter_errors(doc),
                            key=lambda e: list(e.absolute_path))
        except Exception as e:  # a crash of the validator is a failure too
            print("FAIL %s: %s: %s" % (path, type(e).__name__, e))
            failed += 1
            continue
        if errors:
            failed += 1
            for e in errors[:10]:
                where = "/".join(str(p) for p in e.absolute_path) or "(root)"
                print("FAIL %s (%s): at %s: %s" % (path, schema_name, where, e.message))
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
