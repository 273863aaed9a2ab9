// Copyright 2026 The weft Authors.
//
// A global operator new that counts allocations, for benchmarks that report
// allocations per execution or per round trip beside their times.
//
// It replaces the global operator new and delete, so include it in exactly
// one translation unit of a benchmark binary (each bench/*_benchmark.cc is
// one): a second definition fails to link, and including it anywhere else
// (bench_common) would replace them in every benchmark. task_benchmark.cc
// has its own, which also tracks live bytes.
//
// The count is a relaxed load + store, not a locked increment, so it is
// nearly free; read it only around single-threaded passes, as differences:
//
//   const uint64_t before = weft::bench::allocation_count();
//   run_the_pass();
//   const uint64_t allocations = weft::bench::allocation_count() - before;

#ifndef WEFT_BENCH_COUNTING_ALLOCATION_H_
#define WEFT_BENCH_COUNTING_ALLOCATION_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace weft::bench {

inline std::atomic<uint64_t> allocations_counted{0};

inline uint64_t allocation_count() { return allocations_counted.load(std::memory_order_relaxed); }

inline void* counted_allocation(std::size_t bytes) {
  allocations_counted.store(allocation_count() + 1, std::memory_order_relaxed);
  if (void* memory = std::malloc(bytes == 0 ? 1 : bytes)) return memory;
  throw std::bad_alloc();
}

}  // namespace weft::bench

// NOLINTBEGIN(misc-definitions-in-headers): one includer per binary (above).
void* operator new(std::size_t bytes) { return weft::bench::counted_allocation(bytes); }
void* operator new[](std::size_t bytes) { return weft::bench::counted_allocation(bytes); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
// NOLINTEND(misc-definitions-in-headers)

#endif  // WEFT_BENCH_COUNTING_ALLOCATION_H_
