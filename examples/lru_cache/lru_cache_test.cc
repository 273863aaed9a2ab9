// Copyright 2026 The weft Authors.
//
// A property test of the LRU cache (lru_cache.h), the way the README walks
// a newcomer through it: two clients run generated operations on one cache
// while weft explores their interleavings; every call is recorded, and the
// history must be linearizable against a plain sequential LRU model.
//
//   build/lru_cache_test                  # the properties pass; the bug is caught
//   build/lru_cache_test --gtest_also_run_disabled_tests --gtest_filter='*Racy*'
//                                         # the racy cache's property, failing
//
// LruCache passes. RacyLruCache fails, and the report shows a small input
// (a few operations), a shrunk schedule, a trace file and one replay line.

#include "examples/lru_cache/lru_cache.h"

#include <cstdint>
#include <iostream>
#include <list>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "weft/gtest.h"
#include "weft/linearizability.h"
#include "weft/weft.h"

namespace weft::examples {

// One call a client makes.
struct CacheOp {
  enum Kind { kGet, kPut, kSize } kind = kGet;
  int key = 0;
  int value = 0;
};

std::string describe(const CacheOp& op) {
  switch (op.kind) {
    case CacheOp::kGet:
      return absl::StrCat("get(", op.key, ")");
    case CacheOp::kPut:
      return absl::StrCat("put(", op.key, ", ", op.value, ")");
    case CacheOp::kSize:
      return "size()";
  }
  return "?";
}

// For rapidcheck's counterexamples.
inline std::ostream& operator<<(std::ostream& out, const CacheOp& op) {
  return out << describe(op);
}

}  // namespace weft::examples

namespace rc {

// Small keys and values, so clients collide on the same keys.
template <>
struct Arbitrary<weft::examples::CacheOp> {
  static Gen<weft::examples::CacheOp> arbitrary() {
    using weft::examples::CacheOp;
    return gen::build<CacheOp>(
        gen::set(&CacheOp::kind, gen::element(CacheOp::kGet, CacheOp::kPut, CacheOp::kSize)),
        gen::set(&CacheOp::key, gen::inRange(0, 3)), gen::set(&CacheOp::value, gen::inRange(0, 9)));
  }
};

}  // namespace rc

namespace weft::examples {

// get: the value or nullopt; size: the size; put: nothing (nullopt).
using CacheResult = std::optional<int>;

// The specification: an LRU cache on one thread, most recent first.
struct LruModel {
  using Op = CacheOp;
  using Result = CacheResult;
  static constexpr std::string_view kName = "LruModel";

  size_t capacity = 2;
  std::list<std::pair<int, int>> items;

  Result apply(const Op& op) {
    auto found = items.begin();
    while (found != items.end() && found->first != op.key) ++found;
    switch (op.kind) {
      case CacheOp::kGet:
        if (found == items.end()) return std::nullopt;
        items.splice(items.begin(), items, found);
        return found->second;
      case CacheOp::kPut:
        if (found != items.end()) {
          found->second = op.value;
          items.splice(items.begin(), items, found);
        } else {
          if (items.size() == capacity) items.pop_back();
          items.emplace_front(op.key, op.value);
        }
        return std::nullopt;
      case CacheOp::kSize:
        return static_cast<int>(items.size());
    }
    return std::nullopt;
  }
  friend bool operator==(const LruModel&, const LruModel&) = default;
  template <class H>
  friend H AbslHashValue(H hash, const LruModel& model) {
    return H::combine(std::move(hash), model.capacity, model.items);
  }
};

template <class Cache>
CacheResult execute(Cache& cache, const CacheOp& op) {
  switch (op.kind) {
    case CacheOp::kGet:
      return cache.get(op.key);
    case CacheOp::kPut:
      cache.put(op.key, op.value);
      return std::nullopt;
    case CacheOp::kSize:
      return static_cast<int>(cache.size());
  }
  return std::nullopt;
}

// Two clients, each running its operations in order on one cache of
// capacity 2; then the recorded history must be linearizable.
template <class Cache>
void two_clients(const std::vector<CacheOp>& first, const std::vector<CacheOp>& second) {
  Cache cache(2);
  lin::History<LruModel> history;
  auto client = [&](uint32_t id, const std::vector<CacheOp>& ops) {
    for (const CacheOp& op : ops) {
      lin::Call call = history.invoke(id, op);
      history.respond(call, execute(cache, op));
    }
  };
  Thread a("client 0", [&] { client(0, first); });
  Thread b("client 1", [&] { client(1, second); });
  a.join();
  b.join();
  const lin::LinearizabilityResult result = lin::check(history, LruModel{});
  WEFT_ASSERT(result.linearizable, result.to_string());
}

WEFT_PROP(LruCache, IsLinearizable, (std::vector<CacheOp> first, std::vector<CacheOp> second)) {
  two_clients<LruCache>(first, second);
}

// The racy cache: run with --gtest_also_run_disabled_tests to see its report.
WEFT_PROP(LruCache, DISABLED_RacyIsLinearizable,
          (std::vector<CacheOp> first, std::vector<CacheOp> second)) {
  two_clients<RacyLruCache>(first, second);
}

// What the disabled property shows, asserted: the bug is found within the
// default budget (100 inputs x 100 executions), with a small input.
TEST(LruCache, RacyPutIsCaught) {
  PropertyOptions options;
  options.rapidcheck_params = "seed=1";
  const PropertyReport report =
      check(options, [](std::vector<CacheOp> first, std::vector<CacheOp> second) {
        two_clients<RacyLruCache>(first, second);
      });
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.error.empty()) << report.error;
  EXPECT_THAT(report.report.failure()->message, ::testing::HasSubstr("NOT linearizable"))
      << report.to_string();
  // One preemption: between put's lookup and its insert.
  EXPECT_EQ(report.report.preemptions(), 1u) << report.to_string();
  std::cout << report.to_string();
}

}  // namespace weft::examples
