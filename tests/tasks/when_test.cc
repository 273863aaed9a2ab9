// Copyright 2026 The weft Authors.
//
// Goal: when_all, when_any and timeout compose tasks like asyncio's gather,
// wait(FIRST_COMPLETED) and wait_for: values in order, the first failure
// cancels the siblings, the loser of a race is cancelled and cleaned up, a
// timeout cancels its task and throws weft::TimedOut, and cancelling the
// awaiting task cancels every child.
// Method: each workload runs on the real loop and is explored under the
// simulator (random and PCT), asserting the same outcome in every schedule.

#include <chrono>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

using testing::on_both_runtimes;

Task<int> value_after(int value, milliseconds delay) {
  co_await sleep_for(delay);
  co_return value;
}

Task<void> nothing_after(milliseconds delay, int& done) {
  co_await sleep_for(delay);
  ++done;
}

Task<std::string> text() { co_return "text"; }

Task<void> fail_after(milliseconds delay) {
  co_await sleep_for(delay);
  throw std::runtime_error("child failed");
}

struct Cleanup {
  int& count;
  ~Cleanup() { ++count; }
};

Task<int> slow(int& cleanups, bool& finished) {
  Cleanup cleanup{cleanups};
  co_await sleep_for(hours(1));
  finished = true;
  co_return 0;
}

TEST(WhenAll, ReturnsEveryValueInOrder) {
  on_both_runtimes([] {
    int done = 0;
    auto [a, b, nothing, s] =
        run([](int& done) -> Task<std::tuple<int, int, std::monostate, std::string>> {
          co_return co_await when_all(value_after(1, milliseconds(30)),
                                      value_after(2, milliseconds(10)),
                                      nothing_after(milliseconds(20), done), text());
        }(done));
    WEFT_ASSERT(a == 1 && b == 2 && s == "text" && done == 1);
    (void)nothing;
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 5; ++i) tasks.push_back(value_after(i, milliseconds(5 - i)));
    const std::vector<int> values = run(when_all(std::move(tasks)));
    WEFT_ASSERT(values == (std::vector<int>{0, 1, 2, 3, 4}));
  });
}

TEST(WhenAll, TheFirstFailureCancelsTheSiblingsAndIsRethrown) {
  on_both_runtimes([] {
    int cleanups = 0;
    bool finished = false;
    bool caught = false;
    const auto start = now();
    try {
      run([](int& cleanups, bool& finished) -> Task<void> {
        co_await when_all(slow(cleanups, finished), fail_after(milliseconds(5)),
                          slow(cleanups, finished));
      }(cleanups, finished));
    } catch (const std::runtime_error& error) {
      caught = std::string(error.what()) == "child failed";
    }
    WEFT_ASSERT(caught);
    WEFT_ASSERT(cleanups == 2 && !finished);
    // Under simulation: the siblings were cancelled at once, not after an hour.
    if (internal::active_backend() != nullptr) WEFT_ASSERT(now() - start == milliseconds(5));
  });
}

TEST(WhenAll, CancellingTheAwaiterCancelsEveryChild) {
  on_both_runtimes([] {
    int cleanups = 0;
    bool finished = false;
    const bool cancelled = run([](int& cleanups, bool& finished) -> Task<bool> {
      auto gather = spawn(when_all(slow(cleanups, finished), slow(cleanups, finished)));
      co_await sleep_for(milliseconds(1));
      gather.cancel();
      try {
        co_await gather;
      } catch (const Cancelled&) {
        co_return true;
      }
      co_return false;
    }(cleanups, finished));
    WEFT_ASSERT(cancelled && cleanups == 2 && !finished);
  });
}

TEST(WhenAny, ReturnsTheFirstToFinishAndCancelsTheRest) {
  on_both_runtimes([] {
    int cleanups = 0;
    bool finished = false;
    const auto [index, value] =
        run([](int& cleanups, bool& finished) -> Task<std::pair<size_t, int>> {
          co_return co_await when_any(slow(cleanups, finished), value_after(42, milliseconds(3)),
                                      slow(cleanups, finished));
        }(cleanups, finished));
    WEFT_ASSERT(index == 1 && value == 42);
    WEFT_ASSERT(cleanups == 2 && !finished);
  });
}

TEST(WhenAny, RethrowsTheFirstFinishersException) {
  on_both_runtimes([] {
    bool caught = false;
    try {
      run([]() -> Task<std::pair<size_t, std::monostate>> {
        co_return co_await when_any(fail_after(milliseconds(1)), fail_after(milliseconds(50)));
      }());
    } catch (const std::runtime_error&) {
      caught = true;
    }
    WEFT_ASSERT(caught);
  });
}

TEST(Timeout, ReturnsTheValueInTime) {
  on_both_runtimes(
      [] { WEFT_ASSERT(run(timeout(milliseconds(50), value_after(5, milliseconds(10)))) == 5); });
}

TEST(Timeout, CancelsTheTaskAndThrowsTimedOut) {
  on_both_runtimes([] {
    int cleanups = 0;
    bool finished = false;
    bool timed_out = false;
    const auto start = now();
    try {
      run(timeout(milliseconds(20), slow(cleanups, finished)));
    } catch (const TimedOut&) {
      timed_out = true;
    }
    WEFT_ASSERT(timed_out && cleanups == 1 && !finished);
    if (internal::active_backend() != nullptr) WEFT_ASSERT(now() - start == milliseconds(20));
  });
}

TEST(Timeout, CancellingTheAwaiterCancelsTheTask) {
  on_both_runtimes([] {
    int cleanups = 0;
    bool finished = false;
    const bool cancelled = run([](int& cleanups, bool& finished) -> Task<bool> {
      auto limited = spawn(timeout(hours(2), slow(cleanups, finished)));
      co_await sleep_for(milliseconds(1));
      limited.cancel();
      try {
        co_await limited;
      } catch (const Cancelled&) {
        co_return true;
      }
      co_return false;
    }(cleanups, finished));
    WEFT_ASSERT(cancelled && cleanups == 1 && !finished);
  });
}

}  // namespace
}  // namespace weft
