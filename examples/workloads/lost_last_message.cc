// Copyright 2026 The weft Authors.
//
// The lost last message: a producer prepares orders (1 ms each) and sends
// them into a Channel, then closes it; the consumer ships them (1 ms each) in
// a loop `while (!orders.closed())`. But close() ends the stream only for what
// comes after it: the orders still buffered in the channel are there to be
// received. When the producer sends its last order and closes the channel
// before the consumer, done shipping the one before, looks again (both wake at
// the same virtual time; the loop may resume either first), the consumer sees
// "closed" and stops with the last order in the buffer. The fix: receive
// until recv() returns std::nullopt, which it does only once the channel is
// closed and drained.

#include <chrono>
#include <optional>
#include <vector>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr int kOrders = 3;
constexpr size_t kCapacity = 2;

weft::Task<void> produce(weft::Channel<int>& orders) {
  for (int order = 1; order <= kOrders; ++order) {
    co_await weft::sleep_for(1ms);  // Preparing the order.
    co_await orders.send(order);
  }
  orders.close();
}

// Shipping an order: 1 ms.
weft::Task<void> ship(int order, std::vector<int>& shipped) {
  co_await weft::sleep_for(1ms);
  shipped.push_back(order);
}

weft::Task<void> consume_while_open(weft::Channel<int>& orders, std::vector<int>& shipped) {
  while (!orders.closed()) {
    std::optional<int> order = co_await orders.recv();
    if (!order) break;
    co_await ship(*order, shipped);
  }
}

weft::Task<void> consume_until_drained(weft::Channel<int>& orders, std::vector<int>& shipped) {
  while (std::optional<int> order = co_await orders.recv()) co_await ship(*order, shipped);
}

using Consume = weft::Task<void> (*)(weft::Channel<int>&, std::vector<int>&);

weft::Task<void> run_shop(Consume consume) {
  weft::Channel<int> orders(kCapacity, "orders");
  std::vector<int> shipped;
  weft::JoinHandle<void> producer = weft::spawn(produce(orders), "producer");
  weft::JoinHandle<void> consumer = weft::spawn(consume(orders, shipped), "consumer");
  co_await producer.join();
  co_await consumer.join();
  WEFT_ASSERT(shipped.size() == kOrders, "an order was lost: the consumer stopped at close()");
}

}  // namespace

void lost_last_message_buggy() { weft::run(run_shop(&consume_while_open)); }
void lost_last_message_fixed() { weft::run(run_shop(&consume_until_drained)); }

}  // namespace weft::examples
