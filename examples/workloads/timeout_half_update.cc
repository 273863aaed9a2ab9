// Copyright 2026 The weft Authors.
//
// A timeout that leaks a half-done update: a transfer debits one account,
// appends the transfer to the bank's journal (one writer at a time, 1 ms per
// record), then credits the other account. Two transfers run at once, each
// under weft::timeout: a sweep from checking into savings with a generous
// deadline, and a top-up of checking from savings that a user is waiting
// for, with 1.5 ms. When the top-up's journal write queues behind the
// sweep's, its deadline passes while it waits, weft::timeout cancels it
// between the debit and the credit, and the debited money is gone. Whether it
// goes wrong depends on which transfer the loop lets reach the journal first.
// The fix: make the transfer cancellation-safe -- a guard that refunds the
// debit unless the transfer completes, so weft::Cancelled unwinding the
// coroutine undoes the half-done update.

#include <chrono>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr int kOpeningBalance = 100;

struct Bank {
  int checking = kOpeningBalance;
  int savings = kOpeningBalance;
  weft::AsyncMutex journal{"journal"};
  int timed_out = 0;
};

// Appends a record to the journal: one writer at a time, 1 ms each.
weft::Task<void> append_to_journal(Bank& bank) {
  auto writer = co_await bank.journal.lock();
  co_await weft::sleep_for(1ms);
}

weft::Task<void> transfer_in_two_steps(Bank& bank, int& from, int& to, int amount) {
  from -= amount;
  co_await append_to_journal(bank);
  to += amount;
}

// Refunds a debit when destroyed, unless the transfer was completed.
class Refund {
 public:
  Refund(int& account, int amount) : account_(account), amount_(amount) {}
  Refund(const Refund&) = delete;
  Refund& operator=(const Refund&) = delete;
  ~Refund() {
    if (!completed_) account_ += amount_;
  }
  void complete() { completed_ = true; }

 private:
  int& account_;
  int amount_;
  bool completed_ = false;
};

weft::Task<void> transfer_or_refund(Bank& bank, int& from, int& to, int amount) {
  from -= amount;
  Refund refund(from, amount);  // A cancelled transfer gives the money back.
  co_await append_to_journal(bank);
  to += amount;
  refund.complete();
}

using Transfer = weft::Task<void> (*)(Bank&, int&, int&, int);

weft::Task<void> transfer_within(std::chrono::microseconds limit, Transfer transfer, Bank& bank,
                                 int& from, int& to, int amount) {
  try {
    co_await weft::timeout(limit, transfer(bank, from, to, amount));
  } catch (const weft::TimedOut&) {
    ++bank.timed_out;  // The caller gives up; the accounts must be as before.
  }
}

weft::Task<void> run_bank(Transfer transfer) {
  Bank bank;
  weft::JoinHandle<void> sweep =
      weft::spawn(transfer_within(10ms, transfer, bank, bank.checking, bank.savings, 30), "sweep");
  weft::JoinHandle<void> top_up = weft::spawn(
      transfer_within(1500us, transfer, bank, bank.savings, bank.checking, 20), "top-up");
  co_await sweep.join();
  co_await top_up.join();
  WEFT_ASSERT(bank.checking + bank.savings == 2 * kOpeningBalance,
              "money vanished: a transfer timed out between its debit and its credit");
}

}  // namespace

void timeout_half_update_buggy() { weft::run(run_bank(&transfer_in_two_steps)); }
void timeout_half_update_fixed() { weft::run(run_bank(&transfer_or_refund)); }

}  // namespace weft::examples
