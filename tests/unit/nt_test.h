/* Minimal unit-test helpers. Each test file defines its tests as functions and
 * lists them in main() with NT_RUN. On exit the runner prints
 * "N passed, N failed" and returns non-zero if anything failed. */
#ifndef NT_TEST_H
#define NT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nt_t_failed_checks;
static int nt_t_passed, nt_t_failed;

#define NT_CHECK(cond)                                                              \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            nt_t_failed_checks++;                                                   \
        }                                                                           \
    } while (0)

#define NT_CHECK_STR(a, b)                                                               \
    do {                                                                                 \
        const char *nt_a_ = (a), *nt_b_ = (b);                                           \
        if (!nt_a_ || !nt_b_ || strcmp(nt_a_, nt_b_) != 0) {                             \
            fprintf(stderr, "%s:%d: %s == %s failed:\n  got:      %s\n  expected: %s\n", \
                    __FILE__, __LINE__, #a, #b, nt_a_ ? nt_a_ : "(null)",               \
                    nt_b_ ? nt_b_ : "(null)");                                           \
            nt_t_failed_checks++;                                                        \
        }                                                                                \
    } while (0)

#define NT_RUN(fn)                                                     \
    do {                                                               \
        int nt_before_ = nt_t_failed_checks;                           \
        fn();                                                          \
        if (nt_t_failed_checks == nt_before_) {                        \
            nt_t_passed++;                                             \
        } else {                                                       \
            nt_t_failed++;                                             \
            fprintf(stderr, "FAIL %s\n", #fn);                         \
        }                                                              \
    } while (0)

#define NT_DONE()                                                      \
    do {                                                               \
        printf("%d passed, %d failed\n", nt_t_passed, nt_t_failed);    \
        return nt_t_failed ? 1 : 0;                                    \
    } while (0)

#endif
