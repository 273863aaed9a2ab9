// Copyright 2026 The weft Authors.
//
// Goal: with Faults::crash set, the explorer kills processes spawned with
// ProcessOptions::crashes at random scheduling points and restarts them as
// new processes: a new pid, a fresh copy of the function (what the node held
// in memory is gone), while what it sent elsewhere survives; wait() follows
// the node to its last incarnation; kill() ends it for good; a failure that
// needs a crash replays from its token with the same crash. Method: a node
// counts heartbeats in memory and sends them to the parent, which checks
// what each heartbeat says about the node's pid and memory.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr int kBeats = 40;

struct Beat {
  int pid = 0;
  int count = 0;
};

Beat parse(const std::string& payload) {
  std::vector<std::string> parts = absl::StrSplit(payload, ' ');
  Beat beat;
  WEFT_ASSERT(parts.size() == 2 && absl::SimpleAtoi(parts[0], &beat.pid) &&
                  absl::SimpleAtoi(parts[1], &beat.count),
              payload);
  return beat;
}

// Spawns the heartbeat node; returns the restarts the parent saw.
int watch_heartbeats(double crash) {
  set_faults({.crash = crash});
  net::DatagramSocket inbox = net::DatagramSocket::bind("main:1").value();
  Process node = Process::spawn(
      [] {
        net::DatagramSocket out = net::DatagramSocket::bind("node:1").value();
        for (int count = 0; count < kBeats; ++count) {  // `count` lives in the node's memory.
          (void)out.send_to("main:1", absl::StrCat(this_process::pid(), " ", count));
          sleep_for(1ms);
        }
        (void)out.send_to("main:1", "done");
        return 0;
      },
      {.name = "node", .crashes = true, .restart_delay = 5ms});
  int restarts = 0;
  Beat last;
  for (;;) {
    absl::StatusOr<net::Datagram> got = inbox.receive_for(1s);
    WEFT_ASSERT(got.ok(), "the node went quiet");
    if (got->payload == "done") break;
    const Beat beat = parse(got->payload);
    if (last.pid != 0 && beat.pid != last.pid) {
      ++restarts;
      WEFT_ASSERT(beat.pid > last.pid, "a restart has a new pid");
      WEFT_ASSERT(beat.count == 0, "a restarted node remembered its count");
    } else if (last.pid != 0) {
      WEFT_ASSERT(beat.count == last.count + 1, "beats of one incarnation are in order");
    }
    WEFT_ASSERT(beat.pid != node.pid() || restarts == 0, "the first pid is the handle's");
    last = beat;
  }
  const ExitStatus status = node.wait();
  WEFT_ASSERT(status.success(), "the last incarnation finished: " + status.to_string());
  return restarts;
}

TEST(CrashRestart, NodesRestartWithNewPidsAndFreshMemory) {
  int executions_with_restart = 0;
  int most_restarts = 0;
  ExploreOptions options;
  options.iterations = 1;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    options.seed = seed;
    int restarts = 0;
    const Report report = explore(options, [&] { restarts = watch_heartbeats(0.01); });
    ASSERT_TRUE(report.ok()) << report.to_string();
    executions_with_restart += restarts > 0;
    most_restarts = std::max(most_restarts, restarts);
  }
  // ~120 decisions an execution at 1%: about 70% of executions crash.
  EXPECT_GE(executions_with_restart, 10);
  EXPECT_LE(executions_with_restart, 39);
  EXPECT_GE(most_restarts, 2);
}

TEST(CrashRestart, NoCrashesWithoutTheFaultOrOnTheRealRuntime) {
  int restarts = -1;
  ExploreOptions options;
  options.iterations = 20;
  EXPECT_TRUE(explore(options, [&] { restarts = watch_heartbeats(0.0); }).ok());
  EXPECT_EQ(restarts, 0);
  const Report real = run_real([&] { restarts = watch_heartbeats(0.5); });
  EXPECT_TRUE(real.ok()) << real.to_string();
  EXPECT_EQ(restarts, 0);
}

TEST(CrashRestart, KillEndsTheNodeForGood) {
  const Report report = testing::explore_with(
      [] {
        set_faults({.crash = 0.05});
        Process node = Process::spawn(
            [] {
              for (;;) sleep_for(1ms);
            },
            {.name = "forever", .crashes = true});
        sleep_for(50ms);
        node.kill();
        const ExitStatus status = node.wait();
        WEFT_ASSERT(status.signaled(), status.to_string());
      },
      100);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(CrashRestart, AFailureThatNeedsACrashReplaysWithIt) {
  auto never_restarts = [] { WEFT_ASSERT(watch_heartbeats(0.01) == 0, "the node restarted"); };
  const Report report = testing::explore_with(never_restarts, 100);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.failure()->message, HasSubstr("the node restarted"));
  const Report again = replay(report.repro(), never_restarts);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->message, report.failure()->message);
  EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
}

TEST(CrashRestart, ACrashableFunctionMustBeCopyable) {
  EXPECT_THROW(Process::spawn([owned = std::make_unique<int>(1)] { return *owned; },
                              {.name = "unique", .crashes = true}),
               std::invalid_argument);
}

}  // namespace
}  // namespace weft
