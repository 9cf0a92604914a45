/* ELF symbols with libelf: see include/nitrace/elfsym.h.
 *
 * nt_elf_file keeps the function symbols of .symtab and .dynsym sorted by
 * address, the exported names sorted by name, and copies of the executable
 * sections' bytes (for nt_elf_calls_slot).
 *
 * The process-level cache: an open-addressed table of CACHE_SLOTS pointers
 * to immutable nodes {address, library, function}, published with a
 * compare-and-swap and read with acquire loads (no lock on a hit). Nodes
 * live until the process ends; when the probe window is full a result is
 * computed but not cached. Loaded objects are read from disk once each
 * (list under `files_mu`, taken on misses only). */
#include "nitrace/elfsym.h"
#include "nitrace/trace.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fsym {
    uint64_t addr, size;
    const char *name;  /* into f->names */
    int exported;
} fsym;

typedef struct xsec {
    unsigned char *bytes;
    size_t n;
} xsec;

struct nt_elf_file {
    unsigned machine;
    int has_symtab;
    fsym *syms;        /* functions, by address (then exported first, then name) */
    size_t n_syms;
    const char **exports; /* sorted by name, unique */
    size_t n_exports;
    char *names;       /* all names, NUL-separated */
    xsec *xs;          /* executable sections (read by nt_elf_calls_slot) */
    size_t n_xs;
    int want_code;     /* read executable sections too */
    char *path;
};

static pthread_once_t elf_once = PTHREAD_ONCE_INIT;
static int elf_ok;

static void elf_init(void)
{
    elf_ok = elf_version(EV_CURRENT) != EV_NONE;
}

void nt_elf_close(nt_elf_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_xs; i++)
        free(f->xs[i].bytes);
    free(f->xs);
    free(f->syms);
    free(f->exports);
    free(f->names);
    free(f->path);
    free(f);
}

int nt_elf_has_symtab(const nt_elf_file *f)
{
    return f->has_symtab;
}

unsigned nt_elf_machine(const nt_elf_file *f)
{
    return f->machine;
}

static int cmp_sym(const void *a, const void *b)
{
    const fsym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->exported != y->exported)
        return y->exported - x->exported; /* exported first */
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1; /* larger extent first */
    return strcmp(x->name, y->name);
}

/* address, name, exported first: duplicates side by side */
static int cmp_sym_dedup(const void *a, const void *b)
{
    const fsym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : y->exported - x->exported;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Raw symbols collected before the names are packed. */
typedef struct rawsym {
    uint64_t addr, size;
    size_t name_off;
    int exported;
} rawsym;

typedef struct collect {
    rawsym *v;
    size_t n, cap;
    char *names;
    size_t names_n, names_cap;
} collect;

static int add_name(collect *c, const char *s, size_t *off)
{
    size_t len = strlen(s) + 1;
    if (c->names_n + len > c->names_cap) {
        size_t nc = c->names_cap ? c->names_cap : 4096;
        while (nc < c->names_n + len)
            nc *= 2;
        char *np = realloc(c->names, nc);
        if (!np)
            return -1;
        c->names = np;
        c->names_cap = nc;
    }
    memcpy(c->names + c->names_n, s, len);
    *off = c->names_n;
    c->names_n += len;
    return 0;
}

static int add_sym(collect *c, uint64_t addr, uint64_t size, const char *name, int exported)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        rawsym *nv = realloc(c->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        c->v = nv;
        c->cap = nc;
    }
    rawsym *r = &c->v[c->n];
    if (add_name(c, name, &r->name_off) != 0)
        return -1;
    r->addr = addr;
    r->size = size;
    r->exported = exported;
    c->n++;
    return 0;
}

/* Function symbols of one symbol table section. Returns 0 or -1 (NOMEM). */
static int read_symtab(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, int dynamic, collect *c)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || sh->sh_entsize == 0)
        return 0;
    size_t count = sh->sh_size / sh->sh_entsize;
    for (size_t i = 1; i < count; i++) {
        GElf_Sym s;
        if (!gelf_getsym(data, (int)i, &s))
            break;
        int type = GELF_ST_TYPE(s.st_info);
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF ||
            s.st_value == 0)
            continue;
        const char *name = elf_strptr(e, sh->sh_link, s.st_name);
        if (!name || !*name)
            continue;
        int bind = GELF_ST_BIND(s.st_info), vis = GELF_ST_VISIBILITY(s.st_other);
        int exported = dynamic && (bind == STB_GLOBAL || bind == STB_WEAK) &&
                       (vis == STV_DEFAULT || vis == STV_PROTECTED);
        if (add_sym(c, s.st_value, s.st_size, name, exported) != 0)
            return -1;
    }
    return 0;
}

static nt_status read_file(Elf *e, const char *path, nt_elf_file *f, nt_diags *d)
{
    GElf_Ehdr eh;
    if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh))
        return nt_diag_add(d, NT_ERR_PARSE, path, 0, 0, "give a shared library (.so) or executable",
                           "not an ELF file");
    f->machine = eh.e_machine;
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        return nt_diag_add(d, NT_ERR_PARSE, path, 0, 0, NULL, "cannot read the ELF sections: %s",
                           elf_errmsg(-1));
    collect c = {0};
    nt_status st = NT_OK;
    for (Elf_Scn *scn = elf_nextscn(e, NULL); scn && st == NT_OK; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
            if (sh.sh_type == SHT_SYMTAB)
                f->has_symtab = 1;
            if (read_symtab(e, scn, &sh, sh.sh_type == SHT_DYNSYM, &c) != 0)
                st = NT_ERR_NOMEM;
        } else if (f->want_code && sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR) &&
                   sh.sh_size) {
            Elf_Data *data = elf_getdata(scn, NULL);
            if (!data || !data->d_buf || !data->d_size)
                continue;
            xsec *nv = realloc(f->xs, (f->n_xs + 1) * sizeof *nv);
            if (!nv) {
                st = NT_ERR_NOMEM;
                break;
            }
            f->xs = nv;
            unsigned char *b = malloc(data->d_size);
            if (!b) {
                st = NT_ERR_NOMEM;
                break;
            }
            memcpy(b, data->d_buf, data->d_size);
            f->xs[f->n_xs].bytes = b;
            f->xs[f->n_xs].n = data->d_size;
            f->n_xs++;
        }
    }
    if (st == NT_OK && c.n) {
        f->names = c.names;
        c.names = NULL;
        f->syms = malloc(c.n * sizeof *f->syms);
        f->exports = malloc(c.n * sizeof *f->exports);
        if (!f->syms || !f->exports) {
            st = NT_ERR_NOMEM;
        } else {
            for (size_t i = 0; i < c.n; i++) {
                f->syms[i].addr = c.v[i].addr;
                f->syms[i].size = c.v[i].size;
                f->syms[i].name = f->names + c.v[i].name_off;
                f->syms[i].exported = c.v[i].exported;
                if (c.v[i].exported)
                    f->exports[f->n_exports++] = f->syms[i].name;
            }
            /* the same symbol from .symtab and .dynsym: keep one (the exported) */
            qsort(f->syms, c.n, sizeof *f->syms, cmp_sym_dedup);
            size_t w = 0;
            for (size_t i = 0; i < c.n; i++) {
                if (w && f->syms[w - 1].addr == f->syms[i].addr &&
                    strcmp(f->syms[w - 1].name, f->syms[i].name) == 0)
                    continue;
                f->syms[w++] = f->syms[i];
            }
            f->n_syms = w;
            qsort(f->syms, w, sizeof *f->syms, cmp_sym);
            qsort(f->exports, f->n_exports, sizeof *f->exports, cmp_name);
            w = 0;
            for (size_t i = 0; i < f->n_exports; i++)
                if (!w || strcmp(f->exports[w - 1], f->exports[i]) != 0)
                    f->exports[w++] = f->exports[i];
            f->n_exports = w;
        }
    }
    free(c.v);
    free(c.names);
    if (st == NT_ERR_NOMEM)
        return nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    return st;
}

static nt_status elf_load(const char *path, int want_code, nt_elf_file **out, nt_diags *d);

nt_status nt_elf_open(const char *path, nt_elf_file **out, nt_diags *d)
{
    return elf_load(path, 0, out, d);
}

static nt_status elf_load(const char *path, int want_code, nt_elf_file **out, nt_diags *d)
{
    *out = NULL;
    pthread_once(&elf_once, elf_init);
    if (!elf_ok)
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "libelf cannot be initialised");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    nt_status st;
    nt_elf_file *f = calloc(1, sizeof *f);
    if (!f) {
        st = nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    } else if (!e) {
        st = nt_diag_add(d, NT_ERR_PARSE, path, 0, 0, NULL, "not readable as ELF: %s",
                         elf_errmsg(-1));
    } else if (!(f->path = strdup(path))) {
        st = nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    } else {
        f->want_code = want_code;
        st = read_file(e, path, f, d);
    }
    if (e)
        elf_end(e);
    close(fd);
    if (st != NT_OK) {
        nt_elf_close(f);
        return st;
    }
    *out = f;
    return NT_OK;
}

int nt_elf_symbolize(const nt_elf_file *f, uint64_t vaddr, int exported_only, char *out,
                     size_t n)
{
    if (n)
        out[0] = '\0';
    /* last symbol starting at or before vaddr */
    size_t lo = 0, hi = f->n_syms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->syms[mid].addr <= vaddr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* lo = number of symbols starting at or before vaddr: the nearest usable
     * one before it, then every usable symbol at that address in preference
     * order (exported first, larger first, by name) */
    const fsym *near = NULL;
    size_t i = lo;
    while (i-- > 0)
        if (!exported_only || f->syms[i].exported) {
            near = &f->syms[i];
            break;
        }
    if (!near)
        return -1;
    while (i > 0 && f->syms[i - 1].addr == near->addr)
        i--;
    const fsym *best = NULL;
    for (; i < f->n_syms && f->syms[i].addr == near->addr; i++) {
        const fsym *s = &f->syms[i];
        if (exported_only && !s->exported)
            continue;
        if (!best)
            best = s;
        if (vaddr < s->addr + s->size) {
            snprintf(out, n, "%s", s->name);
            return 1;
        }
    }
    snprintf(out, n, "%s+0x%llx", best->name, (unsigned long long)(vaddr - best->addr));
    return 0;
}

size_t nt_elf_exports(const nt_elf_file *f, const char *const **names)
{
    *names = f->exports;
    return f->n_exports;
}

/* Is there a "call *%R" or "jmp *%R" (R = 0..15) in the first bytes of b? */
static int indirect_through(const unsigned char *b, size_t n, unsigned r)
{
    enum { WINDOW = 48 };
    unsigned low = r & 7;
    for (size_t i = 1; i < n && i < WINDOW; i++) {
        if (b[i - 1] != 0xff || (b[i] != 0xd0 + low && b[i] != 0xe0 + low))
            continue;
        int rex_b = i >= 2 && b[i - 2] == 0x41;
        if (rex_b == (r >= 8))
            return 1;
    }
    return 0;
}

static int scan_slot(const nt_elf_file *f, uint32_t slot);

/* Is register r (0..15) loaded by "mov (%X),%r" (REX.W 8B, ModRM.mod = 00,
 * no SIB, not RIP-relative) in the bytes before b[end]? */
static int loaded_from_pointer(const unsigned char *b, size_t end, unsigned r)
{
    enum { WINDOW = 64 };
    size_t start = end > WINDOW ? end - WINDOW : 0;
    for (size_t i = start; i + 3 <= end; i++) {
        unsigned rex = b[i], modrm = b[i + 2];
        if ((rex & 0xf8) != 0x48 || b[i + 1] != 0x8b || (modrm >> 6) != 0 ||
            (modrm & 7) == 4 || (modrm & 7) == 5)
            continue;
        if (((modrm >> 3) & 7) + ((rex & 4) ? 8u : 0u) == r)
            return 1;
    }
    return 0;
}

int nt_elf_calls_slot(const nt_elf_file *file, uint32_t slot)
{
    if (file->machine != EM_X86_64)
        return -1;
    nt_elf_file *f = NULL; /* the file again, with its code */
    if (elf_load(file->path, 1, &f, NULL) != NT_OK)
        return -1;
    int found = scan_slot(f, slot);
    nt_elf_close(f);
    return found;
}

static int scan_slot(const nt_elf_file *f, uint32_t slot)
{
    unsigned char disp[4] = {(unsigned char)slot, (unsigned char)(slot >> 8),
                             (unsigned char)(slot >> 16), (unsigned char)(slot >> 24)};
    for (size_t k = 0; k < f->n_xs; k++) {
        const unsigned char *b = f->xs[k].bytes;
        size_t n = f->xs[k].n;
        for (size_t i = 3; i + 4 <= n; i++) {
            if (memcmp(b + i, disp, 4) != 0)
                continue;
            /* [REX] opcode ModRM disp32, ModRM.mod = 10 (register + disp32),
             * the register loaded just before from a pointer (the JNIEnv) */
            size_t m = i - 1;
            unsigned modrm = b[m], op = b[m - 1], reg = (modrm >> 3) & 7;
            if ((modrm >> 6) != 2 || (modrm & 7) == 4)
                continue;
            unsigned rex = (b[m - 2] & 0xf0) == 0x40 ? b[m - 2] : 0;
            if (!loaded_from_pointer(b, m - 1 - (rex != 0), (modrm & 7) + ((rex & 1) ? 8u : 0u)))
                continue;
            if (op == 0xff && (reg == 2 || reg == 4)) /* call / jmp *disp(%r) */
                return 1;
            /* mov disp(%r),%R then, within a few instructions, call/jmp *%R */
            if (op == 0x8b && (rex & 0x08) &&
                indirect_through(b + i + 4, n - i - 4, reg + ((rex & 4) ? 8u : 0u)))
                return 1;
        }
    }
    return 0;
}

/* ---- addresses of the running process ------------------------------------- */

typedef struct loaded {
    struct loaded *next;
    uintptr_t bias;         /* link_map l_addr */
    char *name;             /* l_name as loaded ("" for the main program) */
    char path[PATH_MAX];    /* real path */
    nt_elf_file *elf;       /* NULL when the file could not be read */
} loaded;

static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;
static loaded *files;

typedef struct node {
    uintptr_t addr;
    int ra;
    char *library;          /* owned: the loaded object's real path */
    char *function;         /* owned */
} node;

enum { CACHE_SLOTS = 8192, CACHE_PROBES = 16 };
static node *cache[CACHE_SLOTS];
static unsigned long n_hits, n_misses;

void nt_elfsym_stats(unsigned long *hits, unsigned long *misses)
{
    if (hits)
        *hits = __atomic_load_n(&n_hits, __ATOMIC_RELAXED);
    if (misses)
        *misses = __atomic_load_n(&n_misses, __ATOMIC_RELAXED);
}

/* The loaded object of link map lm (read from disk on first use). Called
 * with files_mu held. NULL on NOMEM. */
static loaded *loaded_get(const struct link_map *lm)
{
    const char *lname = lm->l_name ? lm->l_name : "";
    for (loaded *l = files; l; l = l->next)
        if (l->bias == (uintptr_t)lm->l_addr && strcmp(l->name, lname) == 0)
            return l;
    loaded *l = calloc(1, sizeof *l);
    if (!l || !(l->name = strdup(lname))) {
        free(l);
        return NULL;
    }
    l->bias = (uintptr_t)lm->l_addr;
    const char *file = lname[0] ? lname : "/proc/self/exe";
    if (!realpath(file, l->path))
        snprintf(l->path, sizeof l->path, "%s", file);
    /* unreadable: library known, no function. The JDK's own libraries (a home
     * registered with nt_native_home_add) are not read: their JNI accesses are
     * dropped by library, and naming one function of libjvm.so meant reading
     * and sorting 58 000 symbols (40-100 ms of the JVM's start-up). */
    if (!nt_native_home_contains(l->path))
        nt_elf_open(l->path, &l->elf, NULL);
    l->next = files;
    files = l;
    return l;
}

/* The target of the direct call that ends at return address ra, through a
 * PLT stub when there is one; 0 when the instruction before ra is not a
 * direct call (x86-64 only). */
static uintptr_t direct_call_target(uintptr_t ra)
{
#if defined(__x86_64__)
    const unsigned char *p = (const unsigned char *)ra;
    if (p[-5] != 0xe8)
        return 0;
    /* an indirect call ending at ra (call *disp32(%r), call *disp8(%r),
     * call *%r) is what a JNI call compiles to: prefer that reading */
    if ((p[-3] == 0xff && (p[-2] & 0xf8) == 0x50) || (p[-2] == 0xff && (p[-1] & 0xf8) == 0xd0) ||
        (p[-7] == 0xff && p[-6] == 0x94) || (p[-4] == 0xff && p[-3] == 0x54))
        return 0;
    int32_t rel;
    memcpy(&rel, p - 4, 4);
    uintptr_t t = ra + (uintptr_t)(intptr_t)rel;
    const unsigned char *q = (const unsigned char *)t;
    Dl_info di;
    if (!dladdr(q, &di) || !dladdr(q + 10, &di))
        return 0; /* not mapped code of a loaded object: do not read it */
    if (q[0] == 0xf3 && q[1] == 0x0f && q[2] == 0x1e && q[3] == 0xfa)
        q += 4; /* endbr64 */
    if (q[0] == 0xf2)
        q++; /* bnd */
    if (q[0] == 0xff && q[1] == 0x25) { /* PLT stub: jmp *GOT(%rip) */
        int32_t g;
        memcpy(&g, q + 2, 4);
        uintptr_t slot = (uintptr_t)(q + 6) + (uintptr_t)(intptr_t)g;
        if (!dladdr((const void *)slot, &di))
            return 0;
        uintptr_t dest;
        memcpy(&dest, (const void *)slot, sizeof dest);
        return dest;
    }
    return t;
#else
    (void)ra;
    return 0;
#endif
}

/* Compute the result for addr (no cache). Returns 1/0 as nt_elfsym_lookup,
 * -1 on NOMEM. */
static int resolve(uintptr_t addr, int ra, char *library, size_t lib_n, char *function,
                   size_t fn_n)
{
    library[0] = function[0] = '\0';
    uintptr_t at = ra ? addr - 1 : addr;
    Dl_info di;
    struct link_map *lm = NULL;
    if (!dladdr1((const void *)at, &di, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
        return 0;
    if (ra) {
        uintptr_t t = direct_call_target(addr);
        struct link_map *tlm = NULL;
        if (t && dladdr1((const void *)t, &di, (void **)&tlm, RTLD_DL_LINKMAP) && tlm) {
            at = t;
            lm = tlm;
        }
    }
    pthread_mutex_lock(&files_mu);
    loaded *l = loaded_get(lm);
    if (l) {
        snprintf(library, lib_n, "%s", l->path);
        if (l->elf)
            nt_elf_symbolize(l->elf, (uint64_t)(at - l->bias), 0, function, fn_n);
    }
    pthread_mutex_unlock(&files_mu);
    return l ? 1 : -1;
}

static size_t slot_of(uintptr_t addr)
{
    uint64_t h = (uint64_t)addr * 0x9e3779b97f4a7c15ULL;
    return (size_t)(h >> 40) % CACHE_SLOTS;
}

int nt_elfsym_lookup(const void *addr, int ra_of_call, char *library, size_t lib_n,
                     char *function, size_t fn_n)
{
    uintptr_t a = (uintptr_t)addr;
    int ra = ra_of_call != 0;
    size_t s0 = slot_of(a);
    for (size_t k = 0; k < CACHE_PROBES; k++) {
        node *nd = __atomic_load_n(&cache[(s0 + k) % CACHE_SLOTS], __ATOMIC_ACQUIRE);
        if (!nd)
            break;
        if (nd->addr == a && nd->ra == ra) {
            __atomic_add_fetch(&n_hits, 1, __ATOMIC_RELAXED);
            snprintf(library, lib_n, "%s", nd->library);
            snprintf(function, fn_n, "%s", nd->function);
            return nd->library[0] != '\0';
        }
    }
    __atomic_add_fetch(&n_misses, 1, __ATOMIC_RELAXED);
    char lib[PATH_MAX], fn[1024];
    int r = resolve(a, ra, lib, sizeof lib, fn, sizeof fn);
    if (r < 0)
        return -1;
    snprintf(library, lib_n, "%s", lib);
    snprintf(function, fn_n, "%s", fn);

    node *nd = malloc(sizeof *nd);
    char *lcopy = nd ? strdup(lib) : NULL, *fcopy = lcopy ? strdup(fn) : NULL;
    if (!fcopy) {
        free(nd);
        free(lcopy);
        return r; /* not cached */
    }
    nd->addr = a;
    nd->ra = ra;
    nd->library = lcopy;
    nd->function = fcopy;
    for (size_t k = 0; k < CACHE_PROBES; k++) {
        node **slot = &cache[(s0 + k) % CACHE_SLOTS];
        node *cur = NULL;
        if (__atomic_compare_exchange_n(slot, &cur, nd, 0, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
            return r;
        if (cur->addr == a && cur->ra == ra)
            break; /* another thread cached it first */
    }
    free(lcopy);
    free(fcopy);
    free(nd);
    return r;
}
