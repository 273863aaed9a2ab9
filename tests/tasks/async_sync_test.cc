// Copyright 2026 The weft Authors.
//
// Goal: the async primitives for tasks (AsyncMutex, AsyncSemaphore, Event,
// Channel) behave like asyncio's Lock, Semaphore, Event and a bounded Queue
// with close(): mutual exclusion across co_await, FIFO hand-off, bounded
// concurrency, broadcast wake-up, ordered bounded delivery, close semantics,
// and cancellation that neither takes nor leaks a resource; an async
// lock-order deadlock is reported with its wait-for cycle.
// Method: each workload runs on the real loop (weft::run on this thread) and
// under the simulator, explored with the random and the PCT strategies, so
// many orders of ready tasks are tried.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kExecutions = 300;

// Runs `scenario` (which calls weft::run and checks with WEFT_ASSERT) once on
// the real loop and kExecutions times under each exploring strategy.
void run_everywhere(absl::FunctionRef<void()> scenario) {
  EXPECT_NO_THROW(scenario()) << "on the real loop";
  for (const Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = testing::explore_with(scenario, kExecutions, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
}

// Awaits `handle`; returns whether the task ended in weft::Cancelled.
template <typename T>
Task<bool> ended_cancelled(JoinHandle<T>& handle) {
  try {
    co_await handle;
  } catch (const Cancelled&) {
    co_return true;
  }
  co_return false;
}

// Lets every ready task run until it blocks (a timer fires only then, on the
// real loop and in virtual time alike).
Sleep settle() { return sleep_for(1ms); }

// ---- AsyncMutex -------------------------------------------------------------

struct Shared {
  int counter = 0;
  int inside = 0;
  int max_inside = 0;
};

Task<void> increment(AsyncMutex& mutex, Shared& shared, int times) {
  for (int i = 0; i < times; ++i) {
    auto guard = co_await mutex.lock();
    shared.max_inside = std::max(shared.max_inside, ++shared.inside);
    const int read = shared.counter;
    co_await sleep_for(0ms);  // Others run here; they must not get in.
    shared.counter = read + 1;
    --shared.inside;
  }
}

Task<void> unlocked_increment(Shared& shared, int times) {
  for (int i = 0; i < times; ++i) {
    const int read = shared.counter;
    co_await sleep_for(0ms);
    shared.counter = read + 1;
  }
}

void mutex_counter_scenario() {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("counter");
    Shared shared;
    std::vector<JoinHandle<void>> workers;
    for (int i = 0; i < 4; ++i) workers.push_back(spawn(increment(mutex, shared, 5)));
    for (auto& worker : workers) co_await worker;
    WEFT_ASSERT(shared.counter == 20);
    WEFT_ASSERT(shared.max_inside == 1);
    WEFT_ASSERT(!mutex.locked());
  };
  run(body());
}

TEST(AsyncMutex, ExcludesAcrossCoAwait) { run_everywhere(mutex_counter_scenario); }

// The control: without the mutex the simulator finds the lost update, so the
// test above would notice a mutex that does not exclude.
TEST(AsyncMutex, WithoutItTheSimulatorFindsTheLostUpdate) {
  const Report report = testing::explore_with(
      [] {
        auto body = []() -> Task<void> {
          Shared shared;
          auto a = spawn(unlocked_increment(shared, 2));
          auto b = spawn(unlocked_increment(shared, 2));
          co_await a;
          co_await b;
          WEFT_ASSERT(shared.counter == 4);
        };
        run(body());
      },
      kExecutions);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion) << report.to_string();
}

// Each task announces itself (semaphore) and queues on the mutex with no
// suspension in between, so arrival order is queue order; unlock must serve
// them in that order.
Task<void> queue_for(AsyncMutex& mutex, AsyncSemaphore& arrived, int id, std::vector<int>& arrivals,
                     std::vector<int>& order) {
  arrivals.push_back(id);
  arrived.release();
  auto guard = co_await mutex.lock();
  order.push_back(id);
  co_await sleep_for(0ms);
}

void mutex_fifo_scenario() {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("fifo");
    AsyncSemaphore arrived(0, "arrived");
    std::vector<int> arrivals;
    std::vector<int> order;
    auto guard = co_await mutex.lock();
    std::vector<JoinHandle<void>> tasks;
    for (int id = 0; id < 4; ++id)
      tasks.push_back(spawn(queue_for(mutex, arrived, id, arrivals, order)));
    for (int i = 0; i < 4; ++i) co_await arrived.acquire();
    WEFT_ASSERT(order.empty());
    guard.unlock();
    for (auto& task : tasks) co_await task;
    WEFT_ASSERT(arrivals.size() == 4);
    WEFT_ASSERT(order == arrivals);
  };
  run(body());
}

TEST(AsyncMutex, HandsOffInArrivalOrder) { run_everywhere(mutex_fifo_scenario); }

Task<void> take_turn(AsyncMutex& mutex, std::vector<int>& turns, int id) {
  auto guard = co_await mutex.lock();
  turns.push_back(id);
}

// Unlocking and relocking at once does not jump the queue: the waiter goes
// first, so a task that keeps relocking cannot starve the others.
void mutex_no_barging_scenario() {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("turns");
    std::vector<int> turns;
    auto guard = co_await mutex.lock();
    auto other = spawn(take_turn(mutex, turns, 1));
    co_await settle();
    guard.unlock();
    guard = co_await mutex.lock();
    turns.push_back(0);
    guard.unlock();
    co_await other;
    WEFT_ASSERT(turns == (std::vector<int>{1, 0}));
  };
  run(body());
}

TEST(AsyncMutex, RelockingDoesNotBarge) { run_everywhere(mutex_no_barging_scenario); }

TEST(AsyncMutex, TryLockAndUnlock) {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("m");
    WEFT_ASSERT(mutex.try_lock());
    WEFT_ASSERT(mutex.locked());
    WEFT_ASSERT(!mutex.try_lock());
    mutex.unlock();
    WEFT_ASSERT(!mutex.locked());
    {
      auto guard = co_await mutex.lock();
      WEFT_ASSERT(guard.owns_lock() && guard.mutex() == &mutex);
      WEFT_ASSERT(!mutex.try_lock());
      AsyncMutex::Guard moved = std::move(guard);
      WEFT_ASSERT(!guard.owns_lock() && moved.owns_lock());
    }
    WEFT_ASSERT(!mutex.locked());
    co_return;
  };
  run_everywhere([&] { run(body()); });
}

TEST(AsyncMutex, UnlockingAnUnlockedMutexThrows) {
  AsyncMutex mutex("lonely");
  try {
    mutex.unlock();
    FAIL() << "no exception";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("AsyncMutex \"lonely\" is not locked"),
              std::string::npos)
        << error.what();
  }
  AsyncMutex::Guard empty;
  EXPECT_THROW(empty.unlock(), std::logic_error);
}

TEST(AsyncMutex, LockOutsideATaskThrows) {
  AsyncMutex mutex;
  auto awaiter = mutex.lock();
  EXPECT_THROW((void)awaiter.await_ready(), std::logic_error);
}

// ---- AsyncSemaphore ---------------------------------------------------------

Task<void> bounded_worker(AsyncSemaphore& slots, Shared& shared) {
  co_await slots.acquire();
  shared.max_inside = std::max(shared.max_inside, ++shared.inside);
  co_await sleep_for(0ms);
  co_await sleep_for(0ms);
  --shared.inside;
  ++shared.counter;
  slots.release();
}

void semaphore_bound_scenario() {
  auto body = []() -> Task<void> {
    AsyncSemaphore slots(2, "slots");
    Shared shared;
    std::vector<JoinHandle<void>> workers;
    for (int i = 0; i < 6; ++i) workers.push_back(spawn(bounded_worker(slots, shared)));
    for (auto& worker : workers) co_await worker;
    WEFT_ASSERT(shared.counter == 6);
    WEFT_ASSERT(shared.max_inside >= 1 && shared.max_inside <= 2);
    WEFT_ASSERT(slots.count() == 2);
  };
  run(body());
}

TEST(AsyncSemaphore, BoundsConcurrency) { run_everywhere(semaphore_bound_scenario); }

TEST(AsyncSemaphore, ReachesItsBoundOnTheRealLoop) {
  // The real loop runs ready tasks in FIFO order, so two workers overlap.
  auto body = []() -> Task<int> {
    AsyncSemaphore slots(2);
    Shared shared;
    std::vector<JoinHandle<void>> workers;
    for (int i = 0; i < 6; ++i) workers.push_back(spawn(bounded_worker(slots, shared)));
    for (auto& worker : workers) co_await worker;
    co_return shared.max_inside;
  };
  EXPECT_EQ(run(body()), 2);
}

TEST(AsyncSemaphore, TryAcquireReleaseAndArguments) {
  auto body = []() -> Task<void> {
    AsyncSemaphore semaphore(1, "s");
    WEFT_ASSERT(semaphore.try_acquire());
    WEFT_ASSERT(!semaphore.try_acquire());
    WEFT_ASSERT(semaphore.count() == 0);
    semaphore.release(3);
    WEFT_ASSERT(semaphore.count() == 3);
    co_await semaphore.acquire();
    WEFT_ASSERT(semaphore.count() == 2);
  };
  run_everywhere([&] { run(body()); });
  EXPECT_THROW(AsyncSemaphore(-1, "negative"), std::invalid_argument);
  AsyncSemaphore semaphore(0);
  EXPECT_THROW(semaphore.release(-1), std::invalid_argument);
}

// ---- Event ------------------------------------------------------------------

Task<void> event_waiter(Event& event, int& woken) {
  co_await event.wait();
  ++woken;
}

void event_scenario() {
  auto body = []() -> Task<void> {
    Event event("go");
    int woken = 0;
    std::vector<JoinHandle<void>> waiters;
    for (int i = 0; i < 5; ++i) waiters.push_back(spawn(event_waiter(event, woken)));
    co_await settle();
    WEFT_ASSERT(woken == 0);
    WEFT_ASSERT(!event.is_set());
    event.set();
    // Woken tasks saw the event happen: clearing it now does not strand them.
    event.clear();
    WEFT_ASSERT(!event.is_set());
    for (auto& waiter : waiters) co_await waiter;
    WEFT_ASSERT(woken == 5);
    // Set: wait() returns at once. Cleared again: it blocks until the next set().
    event.set();
    co_await event.wait();
    event.clear();
    auto late = spawn(event_waiter(event, woken));
    co_await settle();
    WEFT_ASSERT(woken == 5);
    event.set();
    co_await late;
    WEFT_ASSERT(woken == 6);
  };
  run(body());
}

TEST(Event, SetWakesEveryWaiter) { run_everywhere(event_scenario); }

// ---- Channel ----------------------------------------------------------------

Task<void> produce(Channel<int>& channel, int first, int count, bool close_after) {
  for (int i = first; i < first + count; ++i) co_await channel.send(i);
  if (close_after) channel.close();
}

Task<std::vector<int>> consume(Channel<int>& channel) {
  std::vector<int> received;
  while (std::optional<int> item = co_await channel.recv()) received.push_back(*item);
  co_return received;
}

void channel_order_scenario() {
  auto body = []() -> Task<void> {
    Channel<int> channel(3, "numbers");
    auto producer = spawn(produce(channel, 0, 20, /*close_after=*/true));
    auto consumer = spawn(consume(channel));
    co_await producer;
    const std::vector<int> received = co_await consumer;
    std::vector<int> expected(20);
    for (int i = 0; i < 20; ++i) expected[i] = i;
    WEFT_ASSERT(received == expected);
    WEFT_ASSERT(channel.size() == 0 && channel.closed());
  };
  run(body());
}

TEST(Channel, DeliversEveryItemInOrder) { run_everywhere(channel_order_scenario); }

// Several producers and consumers: every item is delivered exactly once, and
// each consumer sees each producer's items in the order they were sent.
void channel_many_scenario() {
  auto body = []() -> Task<void> {
    Channel<int> channel(2, "many");
    auto p1 = spawn(produce(channel, 0, 8, false));
    auto p2 = spawn(produce(channel, 100, 8, false));
    auto c1 = spawn(consume(channel));
    auto c2 = spawn(consume(channel));
    co_await p1;
    co_await p2;
    channel.close();
    std::vector<int> first = co_await c1;
    std::vector<int> second = co_await c2;
    for (const std::vector<int>* received : {&first, &second}) {
      for (int producer_base : {0, 100}) {
        int last = -1;
        for (int item : *received) {
          if (item / 100 != producer_base / 100) continue;
          WEFT_ASSERT(item > last);
          last = item;
        }
      }
    }
    std::vector<int> all = first;
    all.insert(all.end(), second.begin(), second.end());
    std::sort(all.begin(), all.end());
    std::vector<int> expected;
    for (int i = 0; i < 8; ++i) expected.push_back(i);
    for (int i = 100; i < 108; ++i) expected.push_back(i);
    WEFT_ASSERT(all == expected);
  };
  run(body());
}

TEST(Channel, ManyProducersAndConsumers) { run_everywhere(channel_many_scenario); }

Task<void> count_sends(Channel<int>& channel, int count, int& sent) {
  for (int i = 0; i < count; ++i) {
    co_await channel.send(i);
    ++sent;
    WEFT_ASSERT(channel.size() <= channel.capacity());
  }
}

void channel_capacity_scenario() {
  auto body = []() -> Task<void> {
    Channel<int> channel(2, "bounded");
    WEFT_ASSERT(channel.capacity() == 2);
    int sent = 0;
    auto producer = spawn(count_sends(channel, 5, sent));
    co_await settle();
    WEFT_ASSERT(sent == 2);  // Full: the third send waits.
    WEFT_ASSERT(channel.size() == 2);
    int v = 99;
    WEFT_ASSERT(!channel.try_send(v) && v == 99);
    WEFT_ASSERT(co_await channel.recv() == 0);
    co_await settle();
    WEFT_ASSERT(sent == 3);
    WEFT_ASSERT(channel.size() == 2);
    WEFT_ASSERT(channel.try_recv() == 1);
    WEFT_ASSERT(co_await channel.recv() == 2);
    co_await settle();
    WEFT_ASSERT(sent == 5);
    co_await producer;
    WEFT_ASSERT(channel.try_recv() == 3);
    WEFT_ASSERT(channel.try_recv() == 4);
    WEFT_ASSERT(channel.try_recv() == std::nullopt);
  };
  run(body());
}

TEST(Channel, SendWaitsWhileFull) { run_everywhere(channel_capacity_scenario); }

Task<void> send_one(Channel<int>& channel, int value) { co_await channel.send(value); }

Task<std::optional<int>> recv_one(Channel<int>& channel) { co_return co_await channel.recv(); }

// Awaits `handle`; returns whether the task ended in ChannelClosed.
Task<bool> ended_closed(JoinHandle<void>& handle) {
  try {
    co_await handle;
  } catch (const ChannelClosed&) {
    co_return true;
  }
  co_return false;
}

void channel_close_scenario() {
  auto body = []() -> Task<void> {
    // Receivers drain what was sent before close(), then get nullopt.
    Channel<int> channel(4, "jobs");
    co_await channel.send(1);
    co_await channel.send(2);
    WEFT_ASSERT(channel.try_send(3));
    channel.close();
    channel.close();  // Idempotent.
    WEFT_ASSERT(channel.closed());
    WEFT_ASSERT(co_await channel.recv() == 1);
    WEFT_ASSERT(channel.try_recv() == 2);
    WEFT_ASSERT(co_await channel.recv() == 3);
    WEFT_ASSERT(co_await channel.recv() == std::nullopt);
    WEFT_ASSERT(co_await channel.recv() == std::nullopt);
    // Sending on a closed channel throws, naming it.
    bool threw = false;
    try {
      co_await channel.send(4);
    } catch (const ChannelClosed& error) {
      threw = std::string(error.what()).find("\"jobs\"") != std::string::npos;
    }
    WEFT_ASSERT(threw);
    threw = false;
    try {
      channel.try_send(5);
    } catch (const ChannelClosed&) {
      threw = true;
    }
    WEFT_ASSERT(threw);

    // Blocked senders get ChannelClosed, their values unsent; what was in is
    // still delivered.
    Channel<int> full(1, "full");
    co_await full.send(10);
    auto s1 = spawn(send_one(full, 11));
    auto s2 = spawn(send_one(full, 12));
    co_await settle();
    full.close();
    WEFT_ASSERT(co_await ended_closed(s1));
    WEFT_ASSERT(co_await ended_closed(s2));
    WEFT_ASSERT(co_await full.recv() == 10);
    WEFT_ASSERT(co_await full.recv() == std::nullopt);

    // A sender given room but closed on before it ran: not sent either.
    Channel<int> closing(1, "closing");
    WEFT_ASSERT(closing.try_send(20));
    auto late_sender = spawn(send_one(closing, 21));
    co_await settle();
    WEFT_ASSERT(closing.try_recv() == 20);  // Room for late_sender...
    closing.close();                        // ...closed before it runs.
    WEFT_ASSERT(co_await ended_closed(late_sender));
    WEFT_ASSERT(closing.size() == 0);
    WEFT_ASSERT(co_await closing.recv() == std::nullopt);

    // A receiver handed an item before close() still gets it.
    Channel<int> handed(1, "handed");
    auto early_receiver = spawn(recv_one(handed));
    co_await settle();
    WEFT_ASSERT(handed.try_send(30));
    handed.close();
    WEFT_ASSERT(co_await early_receiver == 30);

    // Blocked receivers get nullopt.
    Channel<int> empty(1, "empty");
    auto r1 = spawn(recv_one(empty));
    auto r2 = spawn(recv_one(empty));
    co_await settle();
    empty.close();
    WEFT_ASSERT(co_await r1 == std::nullopt);
    WEFT_ASSERT(co_await r2 == std::nullopt);
  };
  run(body());
}

TEST(Channel, CloseSemantics) { run_everywhere(channel_close_scenario); }

TEST(Channel, ZeroCapacityIsRefused) {
  try {
    Channel<int> channel(0, "nothing");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("Channel \"nothing\" has capacity 0"),
              std::string::npos)
        << error.what();
  }
}

struct MoveOnly {
  explicit MoveOnly(int v) : value(v) {}
  MoveOnly(MoveOnly&&) = default;
  MoveOnly& operator=(MoveOnly&&) = default;
  int value;
};

TEST(Channel, CarriesMoveOnlyValues) {
  auto body = []() -> Task<int> {
    Channel<MoveOnly> channel(1);
    co_await channel.send(MoveOnly(7));
    std::optional<MoveOnly> item = co_await channel.recv();
    co_return item->value;
  };
  EXPECT_EQ(run(body()), 7);
}

// ---- cancellation while blocked ---------------------------------------------

Task<void> lock_and_note(AsyncMutex& mutex, std::vector<int>& got, int id) {
  auto guard = co_await mutex.lock();
  got.push_back(id);
}

void cancel_blocked_lock_scenario() {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("m");
    std::vector<int> got;
    auto guard = co_await mutex.lock();
    auto first = spawn(lock_and_note(mutex, got, 1));
    co_await settle();
    auto middle = spawn(lock_and_note(mutex, got, 2));
    co_await settle();
    auto last = spawn(lock_and_note(mutex, got, 3));
    co_await settle();
    middle.cancel();
    WEFT_ASSERT(co_await ended_cancelled(middle));
    WEFT_ASSERT(mutex.locked());  // Still ours.
    guard.unlock();
    co_await first;
    co_await last;
    WEFT_ASSERT(got == (std::vector<int>{1, 3}));
    WEFT_ASSERT(!mutex.locked());
  };
  run(body());
}

TEST(Cancellation, OfABlockedLockTakesNothing) { run_everywhere(cancel_blocked_lock_scenario); }

Task<void> acquire_and_note(AsyncSemaphore& semaphore, int& got) {
  co_await semaphore.acquire();
  ++got;
}

Task<void> wait_and_note(Event& event, int& got) {
  co_await event.wait();
  ++got;
}

void cancel_blocked_others_scenario() {
  auto body = []() -> Task<void> {
    // acquire()
    AsyncSemaphore semaphore(0, "s");
    int acquired = 0;
    auto doomed = spawn(acquire_and_note(semaphore, acquired));
    auto patient = spawn(acquire_and_note(semaphore, acquired));
    co_await settle();
    doomed.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed));
    semaphore.release(2);
    co_await patient;
    WEFT_ASSERT(acquired == 1);
    WEFT_ASSERT(semaphore.count() == 1);  // The cancelled task took none.

    // wait()
    Event event("e");
    int woken = 0;
    auto doomed_waiter = spawn(wait_and_note(event, woken));
    auto other_waiter = spawn(wait_and_note(event, woken));
    co_await settle();
    doomed_waiter.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed_waiter));
    WEFT_ASSERT(!event.is_set());
    event.set();
    co_await other_waiter;
    WEFT_ASSERT(woken == 1);

    // recv()
    Channel<int> channel(1, "c");
    auto doomed_receiver = spawn(recv_one(channel));
    co_await settle();
    doomed_receiver.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed_receiver));
    WEFT_ASSERT(channel.try_send(5));
    auto receiver = spawn(recv_one(channel));
    WEFT_ASSERT(co_await receiver == 5);  // Nothing was taken by the cancelled one.

    // send()
    co_await channel.send(1);  // Full now.
    auto doomed_sender = spawn(send_one(channel, 2));
    co_await settle();
    doomed_sender.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed_sender));
    WEFT_ASSERT(channel.size() == 1);
    auto sender = spawn(send_one(channel, 3));
    WEFT_ASSERT(co_await channel.recv() == 1);
    co_await sender;
    WEFT_ASSERT(co_await channel.recv() == 3);  // 2 was never sent.
    WEFT_ASSERT(channel.try_recv() == std::nullopt);
  };
  run(body());
}

TEST(Cancellation, OfABlockedAcquireWaitRecvOrSendTakesNothing) {
  run_everywhere(cancel_blocked_others_scenario);
}

// A task cancelled while it runs (here: by itself) gets Cancelled at its next
// suspension point even when the primitive could serve it at once, and takes
// nothing.
Task<void> self_cancelling(JoinHandle<void>* self, AsyncMutex& mutex, AsyncSemaphore& semaphore,
                           Event& event, Channel<int>& channel, int& cancelled) {
  self->cancel();
  try {
    (void)co_await mutex.lock();
  } catch (const Cancelled&) {
    ++cancelled;
  }
  self->cancel();
  try {
    co_await semaphore.acquire();
  } catch (const Cancelled&) {
    ++cancelled;
  }
  self->cancel();
  try {
    co_await event.wait();
  } catch (const Cancelled&) {
    ++cancelled;
  }
  self->cancel();
  try {
    (void)co_await channel.recv();
  } catch (const Cancelled&) {
    ++cancelled;
  }
  self->cancel();
  try {
    co_await channel.send(9);
  } catch (const Cancelled&) {
    ++cancelled;
  }
}

TEST(Cancellation, APendingCancelStopsAtAReadyPrimitive) {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("m");
    AsyncSemaphore semaphore(5, "s");
    Event event("e");
    event.set();
    Channel<int> channel(2, "c");
    WEFT_ASSERT(channel.try_send(1));
    int cancelled = 0;
    JoinHandle<void> task;
    task = spawn(self_cancelling(&task, mutex, semaphore, event, channel, cancelled));
    co_await task;
    WEFT_ASSERT(cancelled == 5);
    WEFT_ASSERT(!mutex.locked());
    WEFT_ASSERT(semaphore.count() == 5);
    WEFT_ASSERT(channel.size() == 1);
    WEFT_ASSERT(channel.try_recv() == 1);
  };
  run_everywhere([&] { run(body()); });
}

// weft::run cancels the tasks left waiting when the main task returns (as
// asyncio.run does), even when the primitives they wait on were locals of the
// main task and are gone already.
void leftover_waiters_scenario() {
  auto body = []() -> Task<void> {
    AsyncMutex mutex("m");
    AsyncSemaphore semaphore(0, "s");
    Event event("e");
    Channel<int> channel(1, "c");
    std::vector<int> got;
    int count = 0;
    (void)co_await mutex.lock();
    WEFT_ASSERT(mutex.try_lock());
    spawn(lock_and_note(mutex, got, 1)).detach();
    spawn(acquire_and_note(semaphore, count)).detach();
    spawn(wait_and_note(event, count)).detach();
    spawn(recv_one(channel)).detach();
    WEFT_ASSERT(channel.try_send(1));
    spawn(send_one(channel, 2)).detach();
    co_await settle();
    WEFT_ASSERT(got.empty() && count == 0);
  };
  run(body());
}

TEST(Cancellation, RunCancelsTasksLeftWaiting) { run_everywhere(leftover_waiters_scenario); }

// ---- cancellation after the grant -------------------------------------------

void cancel_after_grant_scenario() {
  auto body = []() -> Task<void> {
    // AsyncMutex: the lock goes to the next waiter.
    AsyncMutex mutex("m");
    std::vector<int> got;
    auto guard = co_await mutex.lock();
    auto granted = spawn(lock_and_note(mutex, got, 1));
    co_await settle();
    auto next = spawn(lock_and_note(mutex, got, 2));
    co_await settle();
    guard.unlock();    // Hands the mutex to `granted`...
    granted.cancel();  // ...which is cancelled before it runs.
    WEFT_ASSERT(co_await ended_cancelled(granted));
    co_await next;
    WEFT_ASSERT(got == (std::vector<int>{2}));
    WEFT_ASSERT(!mutex.locked());

    // AsyncMutex with nobody else waiting: it ends up free.
    auto lone = spawn(lock_and_note(mutex, got, 3));
    WEFT_ASSERT(mutex.try_lock());
    co_await settle();
    mutex.unlock();
    lone.cancel();
    WEFT_ASSERT(co_await ended_cancelled(lone));
    WEFT_ASSERT(!mutex.locked());

    // AsyncSemaphore: the permit comes back.
    AsyncSemaphore semaphore(0, "s");
    int acquired = 0;
    auto permit_holder = spawn(acquire_and_note(semaphore, acquired));
    co_await settle();
    semaphore.release();
    WEFT_ASSERT(semaphore.count() == 0);  // Handed over...
    permit_holder.cancel();
    WEFT_ASSERT(co_await ended_cancelled(permit_holder));
    WEFT_ASSERT(acquired == 0);
    WEFT_ASSERT(semaphore.count() == 1);  // ...and given back.

    // Channel::recv: the item stays in the channel, for the next receiver.
    Channel<int> channel(1, "c");
    auto receiver = spawn(recv_one(channel));
    co_await settle();
    WEFT_ASSERT(channel.try_send(42));
    receiver.cancel();
    WEFT_ASSERT(co_await ended_cancelled(receiver));
    WEFT_ASSERT(channel.size() == 1);
    WEFT_ASSERT(channel.try_recv() == 42);
    auto doomed_receiver = spawn(recv_one(channel));
    co_await settle();
    auto next_receiver = spawn(recv_one(channel));
    co_await settle();
    WEFT_ASSERT(channel.try_send(43));
    doomed_receiver.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed_receiver));
    WEFT_ASSERT(co_await next_receiver == 43);

    // Channel::send: the slot goes back (to the next sender); the value was
    // not sent.
    WEFT_ASSERT(channel.try_send(1));
    auto sender = spawn(send_one(channel, 2));
    co_await settle();
    WEFT_ASSERT(channel.try_recv() == 1);  // Room for `sender`...
    sender.cancel();                       // ...cancelled before it runs.
    WEFT_ASSERT(co_await ended_cancelled(sender));
    WEFT_ASSERT(channel.size() == 0);
    WEFT_ASSERT(channel.try_send(3));
    auto doomed_sender = spawn(send_one(channel, 4));
    co_await settle();
    auto next_sender = spawn(send_one(channel, 5));
    co_await settle();
    WEFT_ASSERT(channel.try_recv() == 3);
    doomed_sender.cancel();
    WEFT_ASSERT(co_await ended_cancelled(doomed_sender));
    co_await next_sender;
    WEFT_ASSERT(channel.try_recv() == 5);
    WEFT_ASSERT(channel.try_recv() == std::nullopt);

    // Event: nothing to give back, the waiter is cancelled all the same.
    Event event("e");
    int woken = 0;
    auto waiter = spawn(wait_and_note(event, woken));
    co_await settle();
    event.set();
    waiter.cancel();
    WEFT_ASSERT(co_await ended_cancelled(waiter));
    WEFT_ASSERT(woken == 0 && event.is_set());
  };
  run(body());
}

TEST(Cancellation, AfterTheGrantGivesTheResourceBack) {
  run_everywhere(cancel_after_grant_scenario);
}

// Cancellations at schedule-dependent points: whatever the order, a send that
// returned delivered its item exactly once and a cancelled one delivered
// nothing; permits and the lock are never leaked.
Task<void> sending(Channel<int>& channel, int first, std::vector<int>& sent) {
  for (int i = first; i < first + 6; ++i) {
    co_await channel.send(i);
    sent.push_back(i);
  }
}

Task<void> receiving(Channel<int>& channel, std::vector<int>& received) {
  while (std::optional<int> item = co_await channel.recv()) received.push_back(*item);
}

// Leaves its section even when Cancelled unwinds through it.
struct Inside {
  explicit Inside(Shared& shared) : shared(shared) {
    shared.max_inside = std::max(shared.max_inside, ++shared.inside);
  }
  ~Inside() { --shared.inside; }
  Shared& shared;
};

struct Permit {
  ~Permit() { semaphore.release(); }
  AsyncSemaphore& semaphore;
};

Task<void> churn(AsyncMutex& mutex, AsyncSemaphore& semaphore, Shared& shared) {
  for (int i = 0; i < 3; ++i) {
    co_await semaphore.acquire();
    Permit permit{semaphore};
    auto guard = co_await mutex.lock();
    Inside inside(shared);
    co_await sleep_for(0ms);
  }
}

Task<void> cancel_later(std::vector<JoinHandle<void>*> victims, int delay) {
  for (int i = 0; i < delay; ++i) co_await sleep_for(0ms);
  for (JoinHandle<void>* victim : victims) victim->cancel();
}

void cancel_anywhere_scenario() {
  auto body = []() -> Task<void> {
    Channel<int> channel(2, "c");
    std::vector<int> sent;
    std::vector<int> received;
    auto p1 = spawn(sending(channel, 0, sent));
    auto p2 = spawn(sending(channel, 100, sent));
    auto c1 = spawn(receiving(channel, received));
    auto c2 = spawn(receiving(channel, received));
    AsyncMutex mutex("m");
    AsyncSemaphore semaphore(2, "s");
    Shared shared;
    auto w1 = spawn(churn(mutex, semaphore, shared));
    auto w2 = spawn(churn(mutex, semaphore, shared));
    auto w3 = spawn(churn(mutex, semaphore, shared));
    auto canceller = spawn(cancel_later({&p1, &c1, &w1}, 3));
    co_await canceller;
    (void)co_await ended_cancelled(p1);
    (void)co_await ended_cancelled(p2);
    channel.close();
    (void)co_await ended_cancelled(c1);
    (void)co_await ended_cancelled(c2);
    while (std::optional<int> item = channel.try_recv()) received.push_back(*item);
    std::sort(sent.begin(), sent.end());
    std::sort(received.begin(), received.end());
    WEFT_ASSERT(sent == received);
    (void)co_await ended_cancelled(w1);
    co_await w2;
    co_await w3;
    WEFT_ASSERT(shared.max_inside == 1);
    WEFT_ASSERT(!mutex.locked());
    WEFT_ASSERT(semaphore.count() == 2);
  };
  run(body());
}

TEST(Cancellation, AtAnyPointLeaksNothing) { run_everywhere(cancel_anywhere_scenario); }

// ---- deadlock ---------------------------------------------------------------

Task<void> take_both(AsyncMutex& first, AsyncMutex& second) {
  auto hold_first = co_await first.lock();
  co_await sleep_for(0ms);
  auto hold_second = co_await second.lock();
}

Task<void> opposite_orders() {
  AsyncMutex a("a");
  AsyncMutex b("b");
  auto ab = spawn(take_both(a, b), "ab");
  auto ba = spawn(take_both(b, a), "ba");
  co_await ab;
  co_await ba;
}

TEST(AsyncMutexDeadlock, IsAWaitForCycleUnderSimulation) {
  for (const Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report =
        testing::explore_with([] { run(opposite_orders()); }, kExecutions, strategy);
    ASSERT_FALSE(report.ok());
    const Failure& failure = *report.failure();
    EXPECT_EQ(failure.kind, FailureKind::kDeadlock) << report.to_string();
    EXPECT_NE(failure.message.find("wait-for cycle"), std::string::npos) << report.to_string();
    EXPECT_NE(failure.details.find("AsyncMutex a"), std::string::npos) << report.to_string();
    EXPECT_NE(failure.details.find("AsyncMutex b"), std::string::npos) << report.to_string();
    EXPECT_NE(failure.details.find("\"ab\""), std::string::npos) << report.to_string();
    EXPECT_NE(failure.details.find("\"ba\""), std::string::npos) << report.to_string();
  }
}

TEST(AsyncMutexDeadlock, IsALoopDeadlockOnTheRealLoop) {
  try {
    run(opposite_orders());
    FAIL() << "no exception";
  } catch (const LoopDeadlock& error) {
    EXPECT_NE(std::string(error.what()).find("AsyncMutex"), std::string::npos) << error.what();
  }
}

// After a hand-off the remaining waiters wait for the new holder: the cycle
// is x <-> y, not one through "main" (which held m when y queued).
Task<void> lock_then(AsyncMutex& first, AsyncMutex& second) {
  auto hold_first = co_await first.lock();
  auto hold_second = co_await second.lock();
}

Task<void> hand_off_deadlock() {
  AsyncMutex m("m");
  AsyncMutex n("n");
  auto guard = co_await m.lock();
  auto x = spawn(lock_then(m, n), "x");  // Queues on m.
  co_await settle();
  auto y = spawn(lock_then(n, m), "y");  // Takes n, queues on m behind x.
  co_await settle();
  guard.unlock();  // m goes to x, which then waits for n, held by y.
  co_await x;
  co_await y;
}

TEST(AsyncMutexDeadlock, HandOffKeepsTheWaitForEdgesTrue) {
  for (const Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = testing::explore_with([] { run(hand_off_deadlock()); }, 20, strategy);
    ASSERT_FALSE(report.ok());
    const Failure& failure = *report.failure();
    EXPECT_EQ(failure.kind, FailureKind::kDeadlock) << report.to_string();
    EXPECT_NE(failure.message.find("wait-for cycle"), std::string::npos) << report.to_string();
    EXPECT_NE(failure.message.find("\"x\""), std::string::npos) << report.to_string();
    EXPECT_NE(failure.message.find("\"y\""), std::string::npos) << report.to_string();
    EXPECT_EQ(failure.message.find("\"main\""), std::string::npos) << report.to_string();
    EXPECT_NE(failure.details.find("AsyncMutex m, held by task 2 \"x\""), std::string::npos)
        << report.to_string();
  }
  EXPECT_THROW(run(hand_off_deadlock()), LoopDeadlock);
}

}  // namespace
}  // namespace weft
