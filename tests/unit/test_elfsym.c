/* Unit tests of lib/elfsym.c (ELF symbols with libelf) and of the JDK-home
 * library heuristic (nt_native_home_*, nt_event.native_library in
 * nt_process_event and nt_recorder_build).
 *
 * ELF files are written here with libelf: a small x86-64 shared object with
 * exported functions, a static helper (.symtab only) and code bytes, once
 * with its .symtab and once without (stripped). */
#include "nitrace/elfsym.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

#include "nitrace/recorder.h"
#include "nitrace/trace.h"
#include "nt_test.h"
#include "trace_priv.h"

/* ---- writing a test ELF file ------------------------------------------------ */

typedef struct tsym {
    const char *name;
    uint64_t addr, size;
    int bind, vis, dynamic; /* dynamic: also in .dynsym */
} tsym;

/* The symbols of the test object: .text is [0x1000, 0x1200). */
static const tsym syms[] = {
    {"helper", 0x1040, 0x30, STB_LOCAL, STV_DEFAULT, 0},
    {"Java_p_C_a", 0x1000, 0x40, STB_GLOBAL, STV_DEFAULT, 1},
    {"internal", 0x1080, 0x10, STB_GLOBAL, STV_HIDDEN, 0},
    {"Java_p_C_b", 0x1100, 0x20, STB_GLOBAL, STV_DEFAULT, 1},
    {"JNI_OnLoad", 0x1180, 0x10, STB_GLOBAL, STV_DEFAULT, 1},
    {"weak_alias", 0x1100, 0x20, STB_WEAK, STV_DEFAULT, 1},
};
#define N_SYMS (sizeof syms / sizeof *syms)

typedef struct strtab {
    char buf[512];
    size_t n;
} strtab;

static size_t st_add(strtab *t, const char *s)
{
    size_t off = t->n;
    size_t len = strlen(s) + 1;
    memcpy(t->buf + t->n, s, len);
    t->n += len;
    return off;
}

static Elf_Scn *add_section(Elf *e, const char *name, strtab *shstr, unsigned type, uint64_t flags,
                            uint64_t addr, void *data, size_t size, Elf_Type dtype, size_t entsize)
{
    Elf_Scn *scn = elf_newscn(e);
    Elf_Data *d = elf_newdata(scn);
    d->d_buf = data;
    d->d_size = size;
    d->d_type = dtype;
    d->d_align = dtype == ELF_T_BYTE ? 1 : 8;
    d->d_version = EV_CURRENT;
    Elf64_Shdr *sh = elf64_getshdr(scn);
    sh->sh_name = (Elf64_Word)st_add(shstr, name);
    sh->sh_type = type;
    sh->sh_flags = flags;
    sh->sh_addr = addr;
    sh->sh_entsize = entsize;
    return scn;
}

/* Write the test object to path. with_symtab: keep .symtab; code: the
 * .text bytes (512); machine: e_machine. Returns 0 or -1. */
static int write_elf(const char *path, int with_symtab, const unsigned char *code, int machine)
{
    static unsigned char text[512];
    memcpy(text, code, sizeof text);
    static strtab shstr, dynstr, str;
    static Elf64_Sym dynsym[N_SYMS + 1], symtab[N_SYMS + 1];
    memset(&shstr, 0, sizeof shstr);
    memset(&dynstr, 0, sizeof dynstr);
    memset(&str, 0, sizeof str);
    memset(dynsym, 0, sizeof dynsym);
    memset(symtab, 0, sizeof symtab);
    st_add(&shstr, "");
    st_add(&dynstr, "");
    st_add(&str, "");
    size_t nd = 1, ns = 1;
    for (size_t i = 0; i < N_SYMS; i++) { /* locals first (sh_info) */
        Elf64_Sym s = {0};
        s.st_value = syms[i].addr;
        s.st_size = syms[i].size;
        s.st_info = ELF64_ST_INFO(syms[i].bind, STT_FUNC);
        s.st_other = (unsigned char)syms[i].vis;
        s.st_shndx = 1; /* .text */
        s.st_name = (Elf64_Word)st_add(&str, syms[i].name);
        symtab[ns++] = s;
        if (syms[i].dynamic) {
            s.st_name = (Elf64_Word)st_add(&dynstr, syms[i].name);
            dynsym[nd++] = s;
        }
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
    if (!e) {
        close(fd);
        return -1;
    }
    Elf64_Ehdr *eh = elf64_newehdr(e);
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_type = ET_DYN;
    eh->e_machine = (Elf64_Half)machine;
    eh->e_version = EV_CURRENT;
    add_section(e, ".text", &shstr, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x1000, text,
                sizeof text, ELF_T_BYTE, 0);
    Elf_Scn *ds = add_section(e, ".dynstr", &shstr, SHT_STRTAB, SHF_ALLOC, 0, dynstr.buf,
                              dynstr.n, ELF_T_BYTE, 0);
    Elf_Scn *dy = add_section(e, ".dynsym", &shstr, SHT_DYNSYM, SHF_ALLOC, 0, dynsym,
                              nd * sizeof *dynsym, ELF_T_SYM, sizeof *dynsym);
    elf64_getshdr(dy)->sh_link = (Elf64_Word)elf_ndxscn(ds);
    elf64_getshdr(dy)->sh_info = 1;
    if (with_symtab) {
        Elf_Scn *ss = add_section(e, ".strtab", &shstr, SHT_STRTAB, 0, 0, str.buf, str.n,
                                  ELF_T_BYTE, 0);
        Elf_Scn *sy = add_section(e, ".symtab", &shstr, SHT_SYMTAB, 0, 0, symtab,
                                  ns * sizeof *symtab, ELF_T_SYM, sizeof *symtab);
        elf64_getshdr(sy)->sh_link = (Elf64_Word)elf_ndxscn(ss);
        elf64_getshdr(sy)->sh_info = 2; /* one local symbol */
    }
    Elf_Scn *sh = add_section(e, ".shstrtab", &shstr, SHT_STRTAB, 0, 0, shstr.buf, 0,
                              ELF_T_BYTE, 0);
    elf_getdata(sh, NULL)->d_size = shstr.n; /* now that its own name is in it */
    eh->e_shstrndx = (Elf64_Half)elf_ndxscn(sh);
    int ok = elf_update(e, ELF_C_WRITE) >= 0;
    elf_end(e);
    close(fd);
    return ok ? 0 : -1;
}

/* "mov (%rdi),%rax; ...; call *0x6b8(%rax)" at 0x20 of the code */
static void code_with_call(unsigned char code[512])
{
    static const unsigned char seq[] = {0x48, 0x8b, 0x07,                    /* mov (%rdi),%rax */
                                        0xb9, 0x01, 0x00, 0x00, 0x00,        /* mov $1,%ecx */
                                        0xff, 0x90, 0xb8, 0x06, 0x00, 0x00}; /* call *0x6b8(%rax) */
    memset(code, 0x90, 512);
    memcpy(code + 0x20, seq, sizeof seq);
}

/* "mov (%rdi),%rax; mov 0x6b8(%rax),%rax; jmp *%rax" (-O2 with indirect-branch thunks off) */
static void code_with_load_jump(unsigned char code[512])
{
    static const unsigned char seq[] = {0x48, 0x8b, 0x07,                   /* mov (%rdi),%rax */
                                        0x48, 0x8b, 0x80, 0xb8, 0x06, 0x00, 0x00, /* mov 0x6b8(%rax),%rax */
                                        0xff, 0xe0};                        /* jmp *%rax */
    memset(code, 0x90, 512);
    memcpy(code + 0x40, seq, sizeof seq);
}

/* decoys: a struct field at 0x6b8 read into a register that is never called, an immediate
 * 0x6b8, and "call *0x6b8(%rbx)" whose %rbx was not loaded from a pointer */
static void code_with_decoys(unsigned char code[512])
{
    static const unsigned char seq[] = {0x48, 0x8b, 0x83, 0xb8, 0x06, 0x00, 0x00, /* mov 0x6b8(%rbx),%rax */
                                        0x48, 0x85, 0xc0,                         /* test %rax,%rax */
                                        0xb8, 0xb8, 0x06, 0x00, 0x00,             /* mov $0x6b8,%eax */
                                        0xff, 0x93, 0xb8, 0x06, 0x00, 0x00};      /* call *0x6b8(%rbx) */
    memset(code, 0x90, 512);
    memcpy(code + 0x60, seq, sizeof seq);
}

static char dir[] = "/tmp/nitrace-test-elfsym.XXXXXX";
static char path_full[PATH_MAX], path_stripped[PATH_MAX], path_decoy[PATH_MAX],
    path_arm[PATH_MAX], path_text[PATH_MAX], path_loadjump[PATH_MAX];

static int setup(void)
{
    if (elf_version(EV_CURRENT) == EV_NONE || !mkdtemp(dir))
        return -1;
    snprintf(path_full, sizeof path_full, "%s/full.so", dir);
    snprintf(path_stripped, sizeof path_stripped, "%s/stripped.so", dir);
    snprintf(path_decoy, sizeof path_decoy, "%s/decoy.so", dir);
    snprintf(path_arm, sizeof path_arm, "%s/arm.so", dir);
    snprintf(path_text, sizeof path_text, "%s/text.so", dir);
    snprintf(path_loadjump, sizeof path_loadjump, "%s/loadjump.so", dir);
    unsigned char code[512];
    code_with_call(code);
    if (write_elf(path_full, 1, code, EM_X86_64) || write_elf(path_stripped, 0, code, EM_X86_64) ||
        write_elf(path_arm, 1, code, EM_AARCH64))
        return -1;
    code_with_decoys(code);
    if (write_elf(path_decoy, 1, code, EM_X86_64))
        return -1;
    code_with_load_jump(code);
    if (write_elf(path_loadjump, 0, code, EM_X86_64))
        return -1;
    FILE *f = fopen(path_text, "w");
    if (!f)
        return -1;
    fputs("not an ELF file\n", f);
    fclose(f);
    return 0;
}

static void cleanup(void)
{
    const char *paths[] = {path_full, path_stripped, path_decoy, path_arm, path_text,
                           path_loadjump};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        unlink(paths[i]);
    rmdir(dir);
}

static nt_elf_file *open_ok(const char *path)
{
    nt_elf_file *f = NULL;
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_elf_open(path, &f, &d) == NT_OK);
    NT_CHECK(d.count == 0);
    nt_diags_free(&d);
    return f;
}

/* ---- nt_elf_file ------------------------------------------------------------- */

static void test_symbolize_unstripped(void)
{
    nt_elf_file *f = open_ok(path_full);
    if (!f)
        return;
    char out[128];
    NT_CHECK(nt_elf_has_symtab(f) == 1);
    NT_CHECK(nt_elf_machine(f) == EM_X86_64);
    NT_CHECK(nt_elf_symbolize(f, 0x1045, 0, out, sizeof out) == 1); /* the static helper */
    NT_CHECK_STR(out, "helper");
    NT_CHECK(nt_elf_symbolize(f, 0x1000, 0, out, sizeof out) == 1);
    NT_CHECK_STR(out, "Java_p_C_a");
    NT_CHECK(nt_elf_symbolize(f, 0x103f, 0, out, sizeof out) == 1);
    NT_CHECK_STR(out, "Java_p_C_a");
    NT_CHECK(nt_elf_symbolize(f, 0x1085, 0, out, sizeof out) == 1); /* hidden: .symtab only */
    NT_CHECK_STR(out, "internal");
    /* in a gap after a function: the nearest one before, with the offset */
    NT_CHECK(nt_elf_symbolize(f, 0x1075, 0, out, sizeof out) == 0);
    NT_CHECK_STR(out, "helper+0x35");
    /* two names for one function: the exported one with the larger extent, then by name */
    NT_CHECK(nt_elf_symbolize(f, 0x1110, 0, out, sizeof out) == 1);
    NT_CHECK_STR(out, "Java_p_C_b");
    NT_CHECK(nt_elf_symbolize(f, 0x11f0, 0, out, sizeof out) == 0);
    NT_CHECK_STR(out, "JNI_OnLoad+0x70");
    NT_CHECK(nt_elf_symbolize(f, 0x0fff, 0, out, sizeof out) == -1);
    NT_CHECK_STR(out, "");
    /* exported only: as if stripped */
    NT_CHECK(nt_elf_symbolize(f, 0x1045, 1, out, sizeof out) == 0);
    NT_CHECK_STR(out, "Java_p_C_a+0x45");
    /* truncation */
    NT_CHECK(nt_elf_symbolize(f, 0x1045, 1, out, 8) == 0);
    NT_CHECK_STR(out, "Java_p_");
    nt_elf_close(f);
}

static void test_symbolize_stripped(void)
{
    nt_elf_file *f = open_ok(path_stripped);
    if (!f)
        return;
    char out[128];
    NT_CHECK(nt_elf_has_symtab(f) == 0);
    NT_CHECK(nt_elf_symbolize(f, 0x1045, 0, out, sizeof out) == 0);
    NT_CHECK_STR(out, "Java_p_C_a+0x45");
    NT_CHECK(nt_elf_symbolize(f, 0x1085, 0, out, sizeof out) == 0);
    NT_CHECK_STR(out, "Java_p_C_a+0x85");
    NT_CHECK(nt_elf_symbolize(f, 0x1101, 0, out, sizeof out) == 1);
    NT_CHECK_STR(out, "Java_p_C_b");
    nt_elf_close(f);
}

static void test_exports(void)
{
    const char *want[] = {"JNI_OnLoad", "Java_p_C_a", "Java_p_C_b", "weak_alias"};
    const char *paths[] = {path_full, path_stripped};
    for (size_t k = 0; k < 2; k++) {
        nt_elf_file *f = open_ok(paths[k]);
        if (!f)
            return;
        const char *const *names;
        size_t n = nt_elf_exports(f, &names);
        NT_CHECK(n == 4);
        for (size_t i = 0; i < n && i < 4; i++)
            NT_CHECK_STR(names[i], want[i]);
        nt_elf_close(f);
    }
}

static void test_calls_slot(void)
{
    nt_elf_file *f = open_ok(path_full);
    if (f) {
        NT_CHECK(nt_elf_calls_slot(f, 0x6b8) == 1);
        NT_CHECK(nt_elf_calls_slot(f, 0x6c0) == 0);
        nt_elf_close(f);
    }
    if ((f = open_ok(path_loadjump))) {
        NT_CHECK(nt_elf_calls_slot(f, 0x6b8) == 1);
        nt_elf_close(f);
    }
    if ((f = open_ok(path_decoy))) {
        NT_CHECK(nt_elf_calls_slot(f, 0x6b8) == 0);
        nt_elf_close(f);
    }
    if ((f = open_ok(path_arm))) {
        NT_CHECK(nt_elf_calls_slot(f, 0x6b8) == -1);
        nt_elf_close(f);
    }
}

static void test_open_errors(void)
{
    nt_elf_file *f = (nt_elf_file *)1;
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_elf_open(path_text, &f, &d) == NT_ERR_PARSE);
    NT_CHECK(f == NULL);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "not an ELF file"));
    NT_CHECK(d.count == 1 && strcmp(d.items[0].file, path_text) == 0);
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_elf_open("/nonexistent/lib.so", &f, &d) == NT_ERR_IO);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "cannot open"));
    nt_diags_free(&d);
}

/* ---- addresses of this process ---------------------------------------------- */

static void *volatile captured;

static __attribute__((noinline)) void capture(void)
{
    captured = __builtin_return_address(0);
    __asm__ volatile("" ::: "memory");
}

static void (*volatile capture_ptr)(void) = capture;
static void *volatile captured_direct;

/* a static function of this executable (named from its .symtab) that calls
 * capture() indirectly, as code calls JNI functions */
static __attribute__((noinline, noclone, used)) void probe_static(void)
{
    capture_ptr();
    __asm__ volatile("" ::: "memory"); /* keep the call above a call, not a jump */
}

/* calls capture() directly: a return address after a direct call */
static __attribute__((noinline, noclone, used)) void probe_direct(void)
{
    capture();
    __asm__ volatile("" ::: "memory");
    captured_direct = captured;
}

static void test_lookup_static_function(void)
{
    probe_static();
    char lib[PATH_MAX], fn[256], exe[PATH_MAX];
    NT_CHECK(realpath("/proc/self/exe", exe) != NULL);
    NT_CHECK(nt_elfsym_lookup(captured, 1, lib, sizeof lib, fn, sizeof fn) == 1);
    NT_CHECK_STR(lib, exe);
    NT_CHECK_STR(fn, "probe_static");

    /* the second lookup of the same address comes from the cache */
    unsigned long h0, m0, h1, m1;
    nt_elfsym_stats(&h0, &m0);
    NT_CHECK(nt_elfsym_lookup(captured, 1, lib, sizeof lib, fn, sizeof fn) == 1);
    nt_elfsym_stats(&h1, &m1);
    NT_CHECK(h1 == h0 + 1 && m1 == m0);
    NT_CHECK_STR(fn, "probe_static");
    /* truncated to the buffers */
    char small[5];
    NT_CHECK(nt_elfsym_lookup(captured, 1, lib, sizeof lib, small, sizeof small) == 1);
    NT_CHECK_STR(small, "prob");
}

/* A return address after a direct call: the call's target is named (what a
 * JNI function reached by a tail jump from the callee needs); as a plain
 * address it is the caller. */
static void test_lookup_direct_call(void)
{
    probe_direct();
    char lib[PATH_MAX], fn[256];
    NT_CHECK(nt_elfsym_lookup(captured_direct, 1, lib, sizeof lib, fn, sizeof fn) == 1);
    NT_CHECK_STR(fn, "capture");
    NT_CHECK(nt_elfsym_lookup(captured_direct, 0, lib, sizeof lib, fn, sizeof fn) == 1);
    NT_CHECK_STR(fn, "probe_direct");
}

static void test_lookup_shared_library(void)
{
    void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    NT_CHECK(h != NULL);
    if (!h)
        return;
    void *fp = dlsym(h, "strverscmp");
    NT_CHECK(fp != NULL);
    Dl_info di;
    char lib[PATH_MAX], fn[256], want[PATH_MAX];
    if (fp && dladdr(fp, &di) && realpath(di.dli_fname, want)) {
        NT_CHECK(nt_elfsym_lookup(fp, 0, lib, sizeof lib, fn, sizeof fn) == 1);
        NT_CHECK_STR(lib, want);
        size_t n = strlen(fn);
        NT_CHECK(n >= 10 && strcmp(fn + n - 10, "strverscmp") == 0);
    }
    dlclose(h);
    /* heap memory belongs to no loaded object */
    char *heap = malloc(64);
    NT_CHECK(nt_elfsym_lookup(heap, 0, lib, sizeof lib, fn, sizeof fn) == 0);
    NT_CHECK_STR(lib, "");
    NT_CHECK_STR(fn, "");
    free(heap);
}

enum { N_THREADS = 4, ROUNDS = 2000 };

static void *lookup_thread(void *arg)
{
    (void)arg;
    static const char *const want = "probe_static";
    long bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        char lib[PATH_MAX], fn[64];
        /* the captured return address, and nearby addresses inside probe_static */
        const char *a = (const char *)captured - (i % 2);
        if (nt_elfsym_lookup(a, i % 2 == 0, lib, sizeof lib, fn, sizeof fn) != 1 ||
            strcmp(fn, want) != 0)
            bad++;
    }
    return (void *)bad;
}

static void test_lookup_threads(void)
{
    probe_static();
    pthread_t th[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        NT_CHECK(pthread_create(&th[i], NULL, lookup_thread, NULL) == 0);
    for (int i = 0; i < N_THREADS; i++) {
        void *r = NULL;
        pthread_join(th[i], &r);
        NT_CHECK(r == NULL);
    }
}

/* ---- the JDK-home library heuristic ---------------------------------------- */

static void test_native_homes(void)
{
    NT_CHECK(nt_native_home_add("relative/jdk") == NT_ERR_INVAL);
    NT_CHECK(nt_native_home_add(NULL) == NT_ERR_INVAL);
    NT_CHECK(nt_native_home_add("/opt/test-jdk/") == NT_OK);
    NT_CHECK(nt_native_home_add("/opt/test-jdk/") == NT_OK); /* again: no-op */
    NT_CHECK(nt_native_home_contains("/opt/test-jdk/lib/libjava.so") == 1);
    NT_CHECK(nt_native_home_contains("/opt/test-jdk/bin/java") == 1);
    NT_CHECK(nt_native_home_contains("/opt/test-jdk2/lib/libx.so") == 0);
    NT_CHECK(nt_native_home_contains("/opt/test-jd") == 0);
    NT_CHECK(nt_native_home_contains("/app/libuser.so") == 0);
    NT_CHECK(nt_native_home_contains(NULL) == 0);
}

static nt_event jni_field(const char *cls, const char *field, nt_arg args[2])
{
    nt_event e;
    memset(&e, 0, sizeof e);
    e.tracer = "jni";
    e.function = "GetFieldID";
    e.class_name = cls;
    e.declaring_class = cls;
    e.caller_class = "p.Native";
    e.result = 1;
    args[0].kind = NT_ARG_STRING;
    args[0].str = field;
    args[1].kind = NT_ARG_STRING;
    args[1].str = "I";
    e.has_args = 1;
    e.args = args;
    e.n_args = 2;
    return e;
}

static void test_process_event_library(void)
{
    NT_CHECK(nt_native_home_add("/opt/test-jdk") == NT_OK);
    nt_filter_set *heur = nt_filter_set_new(1, 1), *noheur = nt_filter_set_new(1, 0);
    nt_config *c1 = nt_config_new(), *c2 = nt_config_new();
    if (!heur || !noheur || !c1 || !c2)
        return;
    nt_trace_state st1, st2;
    nt_trace_state_init(&st1);
    nt_trace_state_init(&st2);
    st1.live = st2.live = 1;
    st1.jni_launch = st2.jni_launch = NT_JNI_LAUNCH_DONE;
    nt_arg a[2];
    nt_event e = jni_field("p.Target", "internal", a);
    e.native_library = "/opt/test-jdk/lib/libmanagement.so";
    NT_CHECK(nt_process_event(c1, &st1, &e, heur, NULL) == NT_OK);
    NT_CHECK(nt_process_event(c2, &st2, &e, noheur, NULL) == NT_OK);
    nt_event u = jni_field("p.Target", "user", a);
    u.native_library = "/app/libuser.so";
    NT_CHECK(nt_process_event(c1, &st1, &u, heur, NULL) == NT_OK);
    nt_type *t1 = nt_typeset_get_class(&c1->jni, "p.Target", NULL, 0);
    nt_type *t2 = nt_typeset_get_class(&c2->jni, "p.Target", NULL, 0);
    NT_CHECK(t1 && nt_type_find_field(t1, "user") && !nt_type_find_field(t1, "internal"));
    NT_CHECK(t2 && nt_type_find_field(t2, "internal")); /* heuristic off: kept */
    nt_trace_state_free(&st1);
    nt_trace_state_free(&st2);
    nt_config_free(c1);
    nt_config_free(c2);
    nt_filter_set_free(heur);
    nt_filter_set_free(noheur);
}

static void add_meta(nt_recorder *r, const char *event, const char *phase)
{
    nt_event e;
    memset(&e, 0, sizeof e);
    e.tracer = "meta";
    e.event = event;
    e.phase = phase;
    e.version = phase ? NULL : "1";
    e.result = -1;
    e.track = -1;
    NT_CHECK(nt_recorder_add(r, &e, NULL) >= 0);
}

static void add_jni(nt_recorder *r, const char *field, const char *lib)
{
    nt_arg a[2];
    nt_event e = jni_field("p.Target", field, a);
    nt_rec_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.caller_class = "p.Native";
    ctx.main_phase = 1;
    ctx.jni_library = lib;
    ctx.jni_function = lib ? "f" : NULL;
    NT_CHECK(nt_recorder_add(r, &e, &ctx) == 1);
}

static void test_recorder_build_library(void)
{
    NT_CHECK(nt_native_home_add("/opt/test-jdk") == NT_OK);
    nt_recorder *r = nt_recorder_new();
    if (!r)
        return;
    add_meta(r, "initialization", NULL);
    add_meta(r, "phase_change", "live");
    /* the launcher's main lookup, from libjli in the JDK (not in the launch sequence's
     * order: only the library drops it) */
    nt_arg ma[2] = {{.kind = NT_ARG_STRING, .str = "main"},
                    {.kind = NT_ARG_STRING, .str = "([Ljava/lang/String;)V"}};
    nt_event m;
    memset(&m, 0, sizeof m);
    m.tracer = "jni";
    m.function = "GetStaticMethodID";
    m.class_name = m.declaring_class = "p.Main";
    m.result = 1;
    m.has_args = 1;
    m.args = ma;
    m.n_args = 2;
    nt_rec_context mc;
    memset(&mc, 0, sizeof mc);
    mc.jni_library = "/opt/test-jdk/lib/libjli.so";
    mc.jni_function = "JavaMain";
    NT_CHECK(nt_recorder_add(r, &m, &mc) == 1);
    add_jni(r, "jdkOnly", "/opt/test-jdk/lib/libmanagement.so");
    add_jni(r, "jdkOnly", "/opt/test-jdk/lib/libnio.so");
    add_jni(r, "userOnly", "/app/libuser.so");
    add_jni(r, "both", "/opt/test-jdk/lib/libjava.so");
    add_jni(r, "both", "/app/libuser.so");
    add_jni(r, "unknownLib", NULL);

    nt_filter_set *heur = nt_filter_set_new(1, 1), *noheur = nt_filter_set_new(1, 0);
    nt_config *c1 = nt_config_new(), *c2 = nt_config_new();
    if (!heur || !noheur || !c1 || !c2)
        return;
    NT_CHECK(nt_recorder_build(r, c1, heur, NULL) == NT_OK);
    NT_CHECK(nt_recorder_build(r, c2, noheur, NULL) == NT_OK);
    nt_type *t1 = nt_typeset_get_class(&c1->jni, "p.Target", NULL, 0);
    NT_CHECK(t1 && t1->n_fields == 3 && nt_type_find_field(t1, "userOnly") &&
             nt_type_find_field(t1, "both") && nt_type_find_field(t1, "unknownLib"));
    NT_CHECK(nt_typeset_get_class(&c1->jni, "p.Main", NULL, 0) == NULL);
    nt_type *t2 = nt_typeset_get_class(&c2->jni, "p.Target", NULL, 0);
    NT_CHECK(t2 && t2->n_fields == 4 && nt_type_find_field(t2, "jdkOnly"));
    NT_CHECK(nt_typeset_get_class(&c2->jni, "p.Main", NULL, 0) != NULL);
    /* the provenance keeps everything, with library and function */
    char *prov = nt_recorder_provenance_json(r);
    NT_CHECK(prov && strstr(prov, "\"jniLibrary\": \"/opt/test-jdk/lib/libjli.so\"") &&
             strstr(prov, "\"jniFunction\": \"JavaMain\"") && strstr(prov, "jdkOnly"));
    free(prov);
    nt_config_free(c1);
    nt_config_free(c2);
    nt_filter_set_free(heur);
    nt_filter_set_free(noheur);
    nt_recorder_free(r);
}

int main(void)
{
    if (setup() != 0) {
        fprintf(stderr, "cannot write the test ELF files in %s\n", dir);
        return 1;
    }
    NT_RUN(test_symbolize_unstripped);
    NT_RUN(test_symbolize_stripped);
    NT_RUN(test_exports);
    NT_RUN(test_calls_slot);
    NT_RUN(test_open_errors);
    NT_RUN(test_lookup_static_function);
    NT_RUN(test_lookup_direct_call);
    NT_RUN(test_lookup_shared_library);
    NT_RUN(test_lookup_threads);
    NT_RUN(test_native_homes);
    NT_RUN(test_process_event_library);
    NT_RUN(test_recorder_build_library);
    cleanup();
    NT_DONE();
}
