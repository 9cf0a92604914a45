/* Standalone driver for the fuzz targets: replays files through
 * LLVMFuzzerTestOneInput without libFuzzer, so every compiler (gcc too) runs
 * the seed corpora and the saved regression inputs in each CTest run.
 *
 * Usage: replay_<target> PATH...   (a PATH is a file or a directory whose
 * regular files are replayed in name order; dot files are skipped).
 * Each input is copied into a buffer of exactly its size, as libFuzzer does,
 * so a sanitized build catches reads past the end. Exits non-zero when no
 * input was found or a path cannot be read; a target that finds a bug
 * aborts. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_verbose;

static int replay_file(const char *path, size_t *n_done)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "replay: %s: read error\n", path);
        free(buf);
        return -1;
    }
    /* Exact-size copy: no slack after the last byte. */
    unsigned char *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return -1;
    }
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    if (replay_verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* Name the input before running it, so a crash can be traced to it. */
    else
        fprintf(stderr, "%s\n", path);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    (*n_done)++;
    return 0;
}

static int replay_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, size_t *n_done)
{
    DIR *dp = opendir(dir);
    if (dp == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (nn == NULL) {
                rc = -1;
                break;
            }
            names = nn;
            cap = nc;
        }
        size_t need = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = malloc(need);
        if (names[n] == NULL) {
            rc = -1;
            break;
        }
        snprintf(names[n], need, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(dp);
    if (n > 1)
        qsort(names, n, sizeof *names, replay_name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat sb;
        if (stat(names[i], &sb) != 0) {
            fprintf(stderr, "replay: %s: %s\n", names[i], strerror(errno));
            rc = -1;
        } else if (S_ISREG(sb.st_mode)) {
            rc = replay_file(names[i], n_done);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t n_done = 0;
    int rc = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        replay_verbose = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-v] FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
            continue;
        }
        int r = S_ISDIR(sb.st_mode) ? replay_dir(argv[i], &n_done) : replay_file(argv[i], &n_done);
        if (r != 0)
            rc = 1;
    }
    if (n_done == 0) {
        fprintf(stderr, "replay: no input files found\n");
        return 1;
    }
    printf("replayed %zu input(s)%s\n", n_done, rc ? " (with errors)" : "");
    return rc;
}
