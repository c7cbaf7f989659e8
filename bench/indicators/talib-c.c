/*
 * TA-Lib C's batch throughput, the ceiling the issue names: the TA-Lib 0.6 C library that talib@1.1.6 builds
 * (node_modules/talib/src/lib), called directly with no binding in between. Reads the benchmark's series from a
 * binary file (n, then n doubles each of high, low, close), runs SMA 20, EMA 20, RSI 14, MACD 12/26/9 and
 * BBANDS 20/2/2 over all of it (best of `runs`), and prints JSON: nanoseconds per bar for each.
 *
 *   gcc -O2 -I…/talib/src/lib/include talib-c.c …/talib/src/lib/lib/libta_libc_csr.a -lm -o talib-c
 *   ./talib-c series.bin [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ta_libc.h"

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 3;
  double count;
  if (fread(&count, sizeof count, 1, f) != 1) return 4;
  int n = (int)count;
  double *high = malloc(n * sizeof(double)), *low = malloc(n * sizeof(double)), *close = malloc(n * sizeof(double));
  double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double)), *c = malloc(n * sizeof(double));
  if (fread(high, sizeof(double), n, f) != (size_t)n || fread(low, sizeof(double), n, f) != (size_t)n ||
      fread(close, sizeof(double), n, f) != (size_t)n)
    return 5;
  fclose(f);
  if (TA_Initialize() != TA_SUCCESS) return 6;
  const char *names[] = {"SMA", "EMA", "RSI", "MACD", "BBANDS"};
  printf("{");
  for (int k = 0; k < 5; k++) {
    double best = 1e300;
    for (int r = 0; r < runs; r++) {
      int begin, size;
      TA_RetCode rc = TA_SUCCESS;
      double start = now_ns();
      switch (k) {
        case 0: rc = TA_SMA(0, n - 1, close, 20, &begin, &size, a); break;
        case 1: rc = TA_EMA(0, n - 1, close, 20, &begin, &size, a); break;
        case 2: rc = TA_RSI(0, n - 1, close, 14, &begin, &size, a); break;
        case 3: rc = TA_MACD(0, n - 1, close, 12, 26, 9, &begin, &size, a, b, c); break;
        case 4: rc = TA_BBANDS(0, n - 1, close, 20, 2.0, 2.0, TA_MAType_SMA, &begin, &size, a, b, c); break;
      }
      double elapsed = now_ns() - start;
      if (rc != TA_SUCCESS || size <= 0) return 10 + k;
      if (elapsed < best) best = elapsed;
    }
    printf("%s\"%s\":%.3f", k ? "," : "", names[k], best / n);
  }
  printf("}\n");
  TA_Shutdown();
  (void)high;
  (void)low;
  return 0;
}
