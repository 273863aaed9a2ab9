// Copyright 2026 The weft Authors.
//
// The lost update: two threads count page hits on a shared counter by reading
// it and writing back the value plus one. Each read and each write is atomic,
// but the pair is not: if both threads read the same value before either
// writes, one increment overwrites the other and a hit is lost. The fix: one
// indivisible read-modify-write (fetch_add).

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr int kThreads = 2;
constexpr int kHitsPerThread = 2;

void count_hits(void (*record_hit)(weft::Atomic<int>&)) {
  weft::Atomic<int> hits{0, "hits"};
  weft::Thread first("counter 1", [&] {
    for (int i = 0; i < kHitsPerThread; ++i) record_hit(hits);
  });
  weft::Thread second("counter 2", [&] {
    for (int i = 0; i < kHitsPerThread; ++i) record_hit(hits);
  });
  first.join();
  second.join();
  WEFT_ASSERT(hits.load() == kThreads * kHitsPerThread, "a hit was lost");
}

void record_hit_load_then_store(weft::Atomic<int>& hits) {
  const int seen = hits.load();
  hits.store(seen + 1);
}

void record_hit_fetch_add(weft::Atomic<int>& hits) { hits.fetch_add(1); }

}  // namespace

void lost_update_buggy() { count_hits(&record_hit_load_then_store); }
void lost_update_fixed() { count_hits(&record_hit_fetch_add); }

}  // namespace weft::examples
