// Copyright 2026 The weft Authors.
//
// The async lock-order deadlock: the bank of bank.cc as coroutine tasks. Each
// transfer takes its source account's AsyncMutex, reads the source balance
// from storage (a co_await, so the loop runs the other transfer meanwhile),
// then takes the target account's AsyncMutex. Tasks do not preempt each other,
// but a co_await while holding a lock is all it takes: each transfer holds one
// account and waits for the other, and the loop has nothing left to run. The
// fix, as for threads: take the two locks in one global order (by account
// number), whichever way the money goes.

#include <chrono>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

struct Account {
  Account(int account_number, const char* name) : number(account_number), mutex(name) {}
  int number;
  weft::AsyncMutex mutex;
  int balance = 100;
};

// Reading a balance from storage: a suspension point.
weft::Task<int> read_balance(const Account& account) {
  co_await weft::sleep_for(0ms);
  co_return account.balance;
}

weft::Task<void> transfer_source_first(Account& from, Account& to, int amount) {
  auto source = co_await from.mutex.lock();
  if (co_await read_balance(from) < amount) co_return;
  auto target = co_await to.mutex.lock();
  from.balance -= amount;
  to.balance += amount;
}

weft::Task<void> transfer_in_account_order(Account& from, Account& to, int amount) {
  Account& first = from.number < to.number ? from : to;
  Account& second = from.number < to.number ? to : from;
  auto first_guard = co_await first.mutex.lock();
  auto second_guard = co_await second.mutex.lock();
  if (co_await read_balance(from) < amount) co_return;
  from.balance -= amount;
  to.balance += amount;
}

using Transfer = weft::Task<void> (*)(Account&, Account&, int);

weft::Task<void> run_bank(Transfer transfer) {
  Account a(1, "a");
  Account b(2, "b");
  weft::JoinHandle<void> t1 = weft::spawn(transfer(a, b, 10), "t1");
  weft::JoinHandle<void> t2 = weft::spawn(transfer(b, a, 20), "t2");
  co_await t1.join();
  co_await t2.join();
  WEFT_ASSERT(a.balance + b.balance == 200, "money was created or destroyed");
}

}  // namespace

void async_lock_order_deadlock() { weft::run(run_bank(&transfer_source_first)); }
void async_lock_order_fixed() { weft::run(run_bank(&transfer_in_account_order)); }

}  // namespace weft::examples
