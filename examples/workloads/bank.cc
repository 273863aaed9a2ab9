// Copyright 2026 The weft Authors.
//
// The deadlocking bank: two transfers between the same two accounts, each
// locking its source account first. When each thread has taken its first lock,
// neither can take its second: a lock-order deadlock (one preemption needed).
// The fix: lock both accounts at once, in a global order (std::scoped_lock
// with two mutexes uses a deadlock-avoidance algorithm).

#include <mutex>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

struct Account {
  explicit Account(const char* name) : mutex(name) {}
  weft::Mutex mutex;
  int balance = 100;
};

void transfer_source_first(Account& from, Account& to, int amount) {
  std::unique_lock<weft::Mutex> source(from.mutex);
  std::unique_lock<weft::Mutex> target(to.mutex);
  from.balance -= amount;
  to.balance += amount;
}

void transfer_both_at_once(Account& from, Account& to, int amount) {
  std::scoped_lock both(from.mutex, to.mutex);
  from.balance -= amount;
  to.balance += amount;
}

void run_bank(void (*transfer)(Account&, Account&, int)) {
  Account a("a");
  Account b("b");
  weft::Thread t1("t1", [&] { transfer(a, b, 10); });
  weft::Thread t2("t2", [&] { transfer(b, a, 20); });
  t1.join();
  t2.join();
  WEFT_ASSERT(a.balance + b.balance == 200, "money was created or destroyed");
}

}  // namespace

void bank_deadlock() { run_bank(&transfer_source_first); }
void bank_fixed() { run_bank(&transfer_both_at_once); }

}  // namespace weft::examples
