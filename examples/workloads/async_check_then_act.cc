// Copyright 2026 The weft Authors.
//
// Check-then-act across a co_await: a withdrawal checks the balance, writes
// an audit record (a co_await: the loop runs other tasks meanwhile), then
// debits. Between two suspension points a task runs alone, but the check and
// the debit are on either side of one, so they are not atomic: when Bob's
// request comes in while Alice's audit write is in flight, both see enough
// money and the account is overdrawn. Whether it goes wrong depends on which
// of the two ready tasks the loop resumes first when Bob arrives just as
// Alice's audit write completes. The fix: hold the account's AsyncMutex from
// the check to the debit.

#include <chrono>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr int kOpeningBalance = 100;
constexpr int kWithdrawal = 80;

struct Account {
  weft::AsyncMutex mutex{"account"};
  int balance = kOpeningBalance;
  int withdrawals = 0;
};

// Writes an audit record: 1 ms of storage latency.
weft::Task<void> audit_log(const char* /*event*/) { co_await weft::sleep_for(1ms); }

weft::Task<void> check_then_withdraw(Account& account, int amount) {
  if (account.balance >= amount) {
    co_await audit_log("withdrawal approved");
    account.balance -= amount;
    ++account.withdrawals;
  }
}

weft::Task<void> withdraw_under_lock(Account& account, int amount) {
  auto guard = co_await account.mutex.lock();
  if (account.balance >= amount) {
    co_await audit_log("withdrawal approved");
    account.balance -= amount;
    ++account.withdrawals;
  }
}

using Withdraw = weft::Task<void> (*)(Account&, int);

weft::Task<void> customer(Withdraw withdraw, Account& account, std::chrono::milliseconds arrives) {
  co_await weft::sleep_for(arrives);
  co_await withdraw(account, kWithdrawal);
}

weft::Task<void> run_customers(Withdraw withdraw) {
  Account account;
  weft::JoinHandle<void> alice = weft::spawn(customer(withdraw, account, 0ms), "alice");
  weft::JoinHandle<void> bob = weft::spawn(customer(withdraw, account, 1ms), "bob");
  co_await alice.join();
  co_await bob.join();
  WEFT_ASSERT(account.balance >= 0,
              "the account is overdrawn: the balance changed between the check and the debit");
  WEFT_ASSERT(account.withdrawals == 1, "the account covers exactly one withdrawal");
}

}  // namespace

void async_check_then_act_buggy() { weft::run(run_customers(&check_then_withdraw)); }
void async_check_then_act_fixed() { weft::run(run_customers(&withdraw_under_lock)); }

}  // namespace weft::examples
