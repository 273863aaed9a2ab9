// Copyright 2026 The weft Authors.
//
// Goal: the coroutine example in README.md compiles and does what it says on
// both runtimes. Method: the README's code, verbatim, run by weft::run and
// explored under the simulator.

#include <chrono>
#include <optional>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace {

// ---- README.md, "Coroutine tasks" ----
weft::Task<int> fetch(weft::Channel<int>& replies) {
  co_await weft::sleep_for(std::chrono::milliseconds(5));  // virtual under the simulator
  std::optional<int> reply = co_await replies.recv();
  co_return reply.value_or(-1);
}

weft::Task<void> serve(weft::Channel<int>& replies) { co_await replies.send(42); }

weft::Task<int> client() {
  weft::Channel<int> replies(1, "replies");
  weft::JoinHandle<void> server = weft::spawn(serve(replies), "server");  // create_task
  int value = co_await weft::timeout(std::chrono::seconds(1), fetch(replies));
  co_await server;
  co_return value;
}
// ---- end of the README's code ----

TEST(ReadmeExample, RunsOnTheRealLoopAndUnderTheSimulator) {
  EXPECT_EQ(weft::run(client()), 42);
  for (weft::Strategy strategy : {weft::Strategy::kRandom, weft::Strategy::kPct}) {
    const weft::Report report =
        weft::testing::explore_with([] { WEFT_ASSERT(weft::run(client()) == 42); }, 300, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
}

}  // namespace
