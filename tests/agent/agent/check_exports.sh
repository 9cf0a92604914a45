#!/bin/sh
# libnitrace.so must export exactly Agent_OnLoad, Agent_OnAttach and Agent_OnUnload.
#   check_exports.sh LIBNITRACE_SO
lib=$1
got=$(nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort | tr '\n' ' ')
want="Agent_OnAttach Agent_OnLoad Agent_OnUnload "
if [ "$got" != "$want" ]; then
    echo "FAIL: exported symbols of $lib: '$got' (want '$want')"
    exit 1
fi
echo "ok: $lib exports only $want"
