// Copyright 2026 The weft Authors.
//
// Dining philosophers: five philosophers sit round a table with one fork
// between each pair of neighbours. To eat, a philosopher takes the fork on
// their left, then the one on their right. If all five pick up their left
// fork before any picks up a right one, each waits for a fork their
// neighbour holds and nobody ever eats: a five-thread lock-order deadlock.
// The fix: number the forks and always take the lower-numbered one first
// (a global lock order), so the wait-for graph can never close a cycle.

#include <array>
#include <mutex>
#include <utility>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr int kPhilosophers = 5;

struct Table {
  std::array<weft::Mutex, kPhilosophers> forks{weft::Mutex("fork 0"), weft::Mutex("fork 1"),
                                               weft::Mutex("fork 2"), weft::Mutex("fork 3"),
                                               weft::Mutex("fork 4")};
  weft::Atomic<int> meals{0, "meals"};
};

// Philosopher `seat` has fork `seat` on their left and fork `seat + 1` on
// their right.
void dine(Table& table, int seat, bool lower_fork_first) {
  int first = seat;
  int second = (seat + 1) % kPhilosophers;
  if (lower_fork_first && second < first) std::swap(first, second);
  std::scoped_lock hold_first(table.forks[first]);
  std::scoped_lock hold_second(table.forks[second]);
  table.meals.fetch_add(1);
}

void run_dinner(bool lower_fork_first) {
  static constexpr std::array<const char*, kPhilosophers> kNames = {"Aristotle", "Kant", "Spinoza",
                                                                    "Marx", "Russell"};
  Table table;
  std::array<weft::Thread, kPhilosophers> philosophers;
  for (int seat = 0; seat < kPhilosophers; ++seat) {
    philosophers[seat] = weft::Thread(
        kNames[seat], [&table, seat, lower_fork_first] { dine(table, seat, lower_fork_first); });
  }
  for (weft::Thread& philosopher : philosophers) philosopher.join();
  WEFT_ASSERT(table.meals.load() == kPhilosophers, "a philosopher went hungry");
}

}  // namespace

void philosophers_deadlock() { run_dinner(/*lower_fork_first=*/false); }
void philosophers_fixed() { run_dinner(/*lower_fork_first=*/true); }

}  // namespace weft::examples
