#!/bin/bash
# Real programs unchanged: Debian's clojure, leiningen, groovy, jruby, jython, maven and ant each
# run a small script or a version command twice, through the same `java` wrapper, once without
# and once with the agent (config-merge-dir): stdout, stderr and exit code must be byte-identical,
# and the agent must have written a valid config. The packages are installed with
# scripts/deps.sh (apt-get, as root); a program that is still missing is reported and fails.
#   real_programs.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR [--no-install]
set -u
export LC_ALL=C
lib=${1:?libnitrace.so}
nitrace=${2:?nitrace}
jdk=${3:?JDK home}
work=${4:?work dir}
install=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$jdk/bin/java" ] || { echo "SKIP: no JDK at $jdk"; exit 77; }
failed=0
fail() { echo "FAIL: $*"; failed=1; }

pkgs=(clojure leiningen groovy jruby jython maven ant)
if [ "$install" != --no-install ]; then
    start=$(date +%s)
    "$root/scripts/deps.sh" "${pkgs[@]}" || echo "note: scripts/deps.sh could not install every package"
    echo "packages: $(( $(date +%s) - start )) s to check/install ${pkgs[*]}"
fi

rm -rf "$work"
mkdir -p "$work/home" "$work/jdk/bin" "$work/scripts"
# A JAVA_HOME whose bin/java adds the agent when NT_AGENT_OPTS is set; everything else is the
# real JDK's. Launchers find it through JAVA_HOME or PATH.
for e in "$jdk"/*; do
    [ "$(basename "$e")" = bin ] || ln -s "$e" "$work/jdk/$(basename "$e")"
done
for e in "$jdk"/bin/*; do
    ln -s "$e" "$work/jdk/bin/$(basename "$e")"
done
rm "$work/jdk/bin/java"
cat >"$work/jdk/bin/java" <<JAVA
#!/bin/sh
if [ -n "\${NT_AGENT_OPTS:-}" ]; then
    exec "$jdk/bin/java" "-agentpath:$lib=\$NT_AGENT_OPTS" "\$@"
fi
exec "$jdk/bin/java" "\$@"
JAVA
chmod +x "$work/jdk/bin/java"

cat >"$work/scripts/hello.clj" <<'CLJ'
(require '[clojure.string :as s])
(println (s/upper-case "hello") (reduce + (range 10)) (.getName (class (java.util.ArrayList.))))
CLJ
cat >"$work/scripts/hello.groovy" <<'GROOVY'
def m = [a: 1, b: 2]
println "hello ${m.collect { k, v -> k + v }.join(',')} ${String.class.getMethod('length').name}"
GROOVY
cat >"$work/scripts/hello.rb" <<'RUBY'
puts "hello #{[1, 2, 3].map { |x| x * 2 }.inspect} #{java.lang.String.new('j').length}"
RUBY
cat >"$work/scripts/hello.py" <<'PY'
from java.util import ArrayList
l = ArrayList()
l.add(3)
print "hello", sum([1, 2, 3]), l.size()
PY
cat >"$work/scripts/build.xml" <<'XML'
<project name="hello" default="hello">
  <target name="hello">
    <echo message="hello from ant"/>
    <length string="nitrace" property="len"/>
    <echo message="length ${len}"/>
  </target>
</project>
XML

# prog NAME COMMAND...: run twice, compare.
n_ok=0
n_norun=0
n_prog=0
prog() {
    local name=$1
    shift
    n_prog=$((n_prog + 1))
    if ! command -v "$1" >/dev/null 2>&1; then
        fail "$name: $1 is not installed (package could not be installed)"
        return
    fi
    local cfg="$work/config-$name"
    mkdir -p "$cfg"
    for mode in plain agent; do
        local opts=""
        [ $mode = agent ] && opts="config-merge-dir=$cfg"
        (cd "$work/scripts" && HOME="$work/home" JAVA_HOME="$work/jdk" PATH="$work/jdk/bin:$PATH" \
            JAVA_CMD="$work/jdk/bin/java" NT_AGENT_OPTS="$opts" timeout 600 "$@" \
            >"$work/$name.$mode.out" 2>"$work/$name.$mode.err" </dev/null)
        echo $? >"$work/$name.$mode.rc"
    done
    local bad=0
    for s in out err rc; do
        if ! cmp -s "$work/$name.plain.$s" "$work/$name.agent.$s"; then
            fail "$name: $s differs with the agent:"
            diff -u "$work/$name.plain.$s" "$work/$name.agent.$s" | head -n 30 | sed 's/^/    /'
            bad=1
        fi
    done
    if [ "$(cat "$work/$name.plain.rc")" != 0 ]; then
        # e.g. Debian's ant 1.10.13 enables the Security Manager, which JDK 24+ refuses: the
        # program does not run on this JDK at all (identically with the agent, checked above).
        echo "note: $name does not run on this JDK even without the agent (exit $(cat "$work/$name.plain.rc")): $(grep -m1 '[A-Za-z]' "$work/$name.plain.err" | cut -c1-160)"
        [ $bad = 0 ] && n_norun=$((n_norun + 1))
        return
    fi
    if ! ls "$cfg"/*.json >/dev/null 2>&1 || ! "$nitrace" validate "$cfg" >"$work/$name.validate" 2>&1; then
        fail "$name: the agent wrote no valid config in $cfg:"
        sed 's/^/    /' "$work/$name.validate" 2>/dev/null | head
        bad=1
    fi
    if [ $bad = 0 ]; then
        n_ok=$((n_ok + 1))
        echo "ok: $name ($("$nitrace" stats --json "$cfg" 2>/dev/null | /usr/bin/python3 -c \
            'import json,sys; print(sum(json.load(sys.stdin)["categories"].values()))') entries recorded)"
    fi
}
prog clojure clojure "$work/scripts/hello.clj"
prog leiningen lein version
prog groovy groovy "$work/scripts/hello.groovy"
prog jruby jruby "$work/scripts/hello.rb"
prog jython jython "$work/scripts/hello.py"
prog maven mvn --version
prog ant ant -f "$work/scripts/build.xml" -S
echo "real programs: $n_ok of $n_prog unchanged under the agent ($n_norun identical but not runnable on this JDK) on $("$jdk/bin/java" -version 2>&1 | head -n 1)"
[ $failed = 0 ] && echo PASS
exit $failed
