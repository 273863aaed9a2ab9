// Copyright 2026 The weft Authors.
//
// Goal: the determinism contract. The same token gives the same schedule,
// the same failure and the same hash — for 200 seeds over every catalogue
// workload (buggy and fixed, both strategies), and for one execution of more
// than 100,000 scheduling decisions (peers are known to fail to replay large
// schedules). Method: run each execution twice through replay() from a token
// and compare traces, hashes and failures.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "examples/workloads/catalogue.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr uint64_t kSeeds = 200;

void expect_identical(const Report& first, const Report& second, const std::string& what) {
  ASSERT_EQ(first.ok(), second.ok()) << what;
  if (!first.ok()) {
    EXPECT_EQ(first.failure()->kind, second.failure()->kind) << what;
    EXPECT_EQ(first.failure()->message, second.failure()->message) << what;
    EXPECT_EQ(first.failure()->step, second.failure()->step) << what;
  }
  EXPECT_EQ(first.schedule_hash(), second.schedule_hash()) << what;
  EXPECT_EQ(first.trace(), second.trace()) << what;
}

TEST(Determinism, EverySeedOfEveryWorkloadReplaysIdentically) {
  ASSERT_FALSE(examples::catalogue().empty());
  uint64_t executions = 0;
  uint64_t distinct_traces = 0;
  for (const examples::Workload& workload : examples::catalogue()) {
    for (void (*body)() : {workload.buggy, workload.fixed}) {
      std::vector<uint64_t> hashes;
      for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
        ExecutionSpec spec;
        spec.strategy = seed % 2 == 0 ? Strategy::kPct : Strategy::kRandom;
        spec.seed = seed;
        spec.execution = seed % 5;
        spec.pct_steps_estimate = 20;
        const std::string token = encode_repro_token(spec);
        const Report first = replay(token, body);
        const Report second = replay(token, body);
        expect_identical(first, second, std::string(workload.name) + " " + token);
        ASSERT_FALSE(first.trace().empty());
        hashes.push_back(first.schedule_hash());
        executions += 2;
      }
      std::sort(hashes.begin(), hashes.end());
      distinct_traces += std::unique(hashes.begin(), hashes.end()) - hashes.begin();
    }
  }
  // The seeds must actually explore: identical traces everywhere would pass
  // the comparison above trivially.
  EXPECT_GT(distinct_traces, examples::catalogue().size() * 2 * 5);
  RecordProperty("executions", static_cast<int>(executions));
}

// Four threads, each 30,000 atomic increments, then an assertion that fails:
// one execution of 120,000+ decisions with a token.
void long_execution() {
  Atomic<int> counter{0, "counter"};
  std::vector<Thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back("adder", [&] {
      for (int i = 0; i < 30'000; ++i) counter.fetch_add(1);
    });
  }
  for (Thread& thread : threads) thread.join();
  WEFT_ASSERT(counter.load() != 120'000, "reached the end (the failure gives us a token)");
}

TEST(Determinism, LongScheduleReplaysExactly) {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    ExploreOptions options;
    options.iterations = 1;
    options.strategy = strategy;
    options.seed = 99;
    options.shrink = false;  // The seeded execution itself must replay.
    const Report found = explore(options, &long_execution);
    ASSERT_FALSE(found.ok());
    ASSERT_EQ(found.failure()->kind, FailureKind::kAssertion) << found.to_string();
    ASSERT_GE(found.trace().size(), 100'000u);
    if (strategy == Strategy::kRandom) {
      EXPECT_GT(found.preemptions(), 1000u);  // Threads really interleaved.
    } else {
      // PCT preempts at its d - 1 = 2 change points and when a new thread
      // outranks its creator (4 spawns), nowhere else.
      EXPECT_LE(found.preemptions(), 6u);
    }
    const Report replayed = replay(found.repro(), &long_execution);
    expect_identical(found, replayed, found.repro());
  }
}

}  // namespace
}  // namespace weft
