/* nitrace core: ELF symbols with libelf — which function of which library a
 * code address belongs to, and what a native library exports.
 *
 * Two levels:
 *   - nt_elf_file: one ELF file read from disk (function symbols of .symtab
 *     and .dynsym, exported functions, executable sections). Used by
 *     `nitrace jni-scan` and by the process-level lookup below.
 *   - nt_elfsym_lookup: a code address of the running process -> the real
 *     path of the loaded object that holds it (dladdr1 / link_map) and the
 *     function: the symbol whose extent contains it (static functions too
 *     when the file keeps its .symtab), else the nearest symbol before it as
 *     "name+0xOFF" (a stripped library: the nearest exported function).
 *     Results are cached per address (lock-free reads); each file is read
 *     once.
 *
 * Function names are ELF symbol names as written (C++ names stay mangled;
 * GCC's clone suffixes such as ".constprop.0" are kept).
 * Pure C (libc, libelf, pthreads): no JVM headers. */
#ifndef NITRACE_ELFSYM_H
#define NITRACE_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

#include "nitrace/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- one ELF file -------------------------------------------------------- */

typedef struct nt_elf_file nt_elf_file;

/* Read the ELF file at path. Errors (reported against path): NT_ERR_IO
 * (cannot open/read), NT_ERR_PARSE (not an ELF file, or an ELF file libelf
 * cannot read), NT_ERR_NOMEM. *out stays NULL on error; free with
 * nt_elf_close. Thread-safe (libelf is initialised once). */
nt_status nt_elf_open(const char *path, nt_elf_file **out, nt_diags *d);
void nt_elf_close(nt_elf_file *f);

/* 1 when the file has a .symtab (not stripped): static functions are known. */
int nt_elf_has_symtab(const nt_elf_file *f);
/* e_machine (EM_X86_64 = 62, EM_AARCH64 = 183, ...). */
unsigned nt_elf_machine(const nt_elf_file *f);

/* Symbolize link-time address vaddr (the file's own addresses: a run-time
 * address minus the object's load bias) among function symbols (exported_only:
 * only the exported ones, as if the file were stripped). Writes into out (n
 * bytes, truncated) the containing function's name, or "name+0xOFF" (OFF =
 * vaddr - the symbol's start) for the nearest function before vaddr that
 * does not contain it. Returns 1 when the name is exact (contained), 0 when
 * nearest, -1 when no function symbol starts at or before vaddr (out ""). */
int nt_elf_symbolize(const nt_elf_file *f, uint64_t vaddr, int exported_only, char *out,
                     size_t n);

/* Exported functions (defined in .dynsym, global or weak, default or
 * protected visibility), sorted by name (strcmp), without duplicates.
 * *names borrows the file's strings (valid until nt_elf_close). */
size_t nt_elf_exports(const nt_elf_file *f, const char *const **names);

/* x86-64 code scan: does an executable section call or jump through a
 * register plus displacement `slot` (e.g. offsetof(struct
 * JNINativeInterface_, RegisterNatives) = 0x6b8: the compiled form of
 * (*env)->RegisterNatives(...)), either directly ("call *0x6b8(%rax)") or by
 * a 64-bit load followed within 48 bytes by a call or jump through the loaded
 * register ("mov 0x6b8(%rax),%rax; ...; jmp *%rax")? Heuristic: it matches
 * instruction bytes, not decoded instructions. The code is read from the
 * file's path again (nt_elf_open keeps symbols only). Returns 1 found, 0 not
 * found, -1 unknown (not x86-64, or the file cannot be read again). */
int nt_elf_calls_slot(const nt_elf_file *f, uint32_t slot);

/* ---- addresses of the running process ------------------------------------- */

/* Library and function of code address addr in this process: library
 * receives the real path of the loaded object (the main program's through
 * /proc/self/exe), function its symbol as nt_elf_symbolize gives it with the
 * file's own tables ("" when there is none). Both are truncated to their
 * buffer sizes (lib_n, fn_n >= 1).
 *
 * ra_of_call: addr is a return address (the call instruction is just before
 * it). Then the lookup uses addr - 1, and, on x86-64, when the instruction
 * ending at addr is a direct call (E8 rel32, possibly through a PLT stub),
 * the function is the call's target: code calls JNI functions only
 * indirectly (through the JNIEnv table), so a return address after a direct
 * call means the callee reached the JNI function by a tail jump, and the
 * callee is the function that made the JNI call (or the first of a chain of
 * tail calls).
 *
 * Code inside a JDK home registered with nt_native_home_add (the running
 * JVM's own libraries) gets its library only: function is "".
 *
 * Returns 1 when addr lies in a loaded object, 0 otherwise (both ""), -1
 * on NOMEM. Thread-safe; results are cached per address (a lock-free table;
 * a miss reads the ELF file once per loaded object under a mutex). Cached
 * results assume a library is not unloaded and another loaded at its
 * address. */
int nt_elfsym_lookup(const void *addr, int ra_of_call, char *library, size_t lib_n,
                     char *function, size_t fn_n);

/* Number of nt_elfsym_lookup calls answered from the cache, and the number
 * that were not (for tests and benchmarks). */
void nt_elfsym_stats(unsigned long *hits, unsigned long *misses);

#ifdef __cplusplus
}
#endif
#endif
