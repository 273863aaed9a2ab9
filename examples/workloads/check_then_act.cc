// Copyright 2026 The weft Authors.
//
// Check-then-act: an account whose every method takes its lock, used by two
// customers who each check the balance and then withdraw. Each call is atomic
// but the pair is not: both customers can see enough money for their own
// withdrawal before either withdraws, and the account is overdrawn. The fix:
// one method that checks and withdraws under a single hold of the lock.

#include <mutex>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

class Account {
 public:
  explicit Account(int opening_balance) : balance_(opening_balance) {}

  int balance() {
    std::scoped_lock guard(mutex_);
    return balance_;
  }

  // REQUIRES: the balance covers `amount`.
  void withdraw(int amount) {
    std::scoped_lock guard(mutex_);
    WEFT_ASSERT(balance_ >= amount,
                "the account is overdrawn: its balance changed between the "
                "check and the withdrawal");
    balance_ -= amount;
  }

  // Withdraws `amount` if the balance covers it; returns whether it did.
  bool try_withdraw(int amount) {
    std::scoped_lock guard(mutex_);
    if (balance_ < amount) return false;
    balance_ -= amount;
    return true;
  }

 private:
  weft::Mutex mutex_{"account"};
  int balance_;  // Guarded by mutex_.
};

constexpr int kOpeningBalance = 100;
constexpr int kWithdrawal = 70;

void run_customers(bool (*pay)(Account&)) {
  Account account(kOpeningBalance);
  weft::Atomic<int> paid{0, "paid"};
  weft::Thread alice("alice", [&] { paid.fetch_add(pay(account) ? 1 : 0); });
  weft::Thread bob("bob", [&] { paid.fetch_add(pay(account) ? 1 : 0); });
  alice.join();
  bob.join();
  WEFT_ASSERT(paid.load() == 1, "the account covers exactly one withdrawal");
  WEFT_ASSERT(account.balance() == kOpeningBalance - kWithdrawal, "money went missing");
}

bool check_then_withdraw(Account& account) {
  if (account.balance() < kWithdrawal) return false;
  account.withdraw(kWithdrawal);
  return true;
}

bool withdraw_if_covered(Account& account) { return account.try_withdraw(kWithdrawal); }

}  // namespace

void check_then_act_buggy() { run_customers(&check_then_withdraw); }
void check_then_act_fixed() { run_customers(&withdraw_if_covered); }

}  // namespace weft::examples
