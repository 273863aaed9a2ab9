// Copyright 2026 The weft Authors.
//
// Goal: weft::MessageChannel<T> carries whole values between processes on
// both runtimes, through weft::Codec (built in for scalars, strings,
// vectors, pairs, optionals; specialised by the user for their own types);
// ends with nullopt when the sender closes; reports malformed frames as
// errors; and a type without a codec is rejected at compile time.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft_test_types {

struct Job {
  std::string name;
  int priority = 0;
  std::vector<std::pair<std::string, double>> arguments;
  std::optional<int64_t> deadline;
  friend bool operator==(const Job&, const Job&) = default;
};

struct NoCodec {};

}  // namespace weft_test_types

template <>
struct weft::Codec<weft_test_types::Job> {
  using Job = weft_test_types::Job;
  static void encode(const Job& job, std::string& out) {
    Codec<std::string>::encode(job.name, out);
    Codec<int>::encode(job.priority, out);
    Codec<decltype(job.arguments)>::encode(job.arguments, out);
    Codec<decltype(job.deadline)>::encode(job.deadline, out);
  }
  static bool decode(std::string_view& in, Job& job) {
    return Codec<std::string>::decode(in, job.name) && Codec<int>::decode(in, job.priority) &&
           Codec<decltype(job.arguments)>::decode(in, job.arguments) &&
           Codec<decltype(job.deadline)>::decode(in, job.deadline);
  }
};

namespace weft {
namespace {

using weft_test_types::Job;

// What makes MessageChannel<NoCodec> a compile-time error.
static_assert(!Encodable<weft_test_types::NoCodec>);
static_assert(Encodable<Job> && Encodable<std::vector<std::optional<std::string>>>);

std::vector<Job> jobs() {
  return {
      Job{"compile", 2, {{"opt", 2.0}, {"jobs", 8.5}}, std::nullopt},
      Job{"", -1, {}, int64_t{1} << 40},
      Job{std::string(100'000, 'x'), 7, {{"big", 1e300}}, 3},  // Over a pipe's capacity.
  };
}

// A worker receives jobs until the channel closes and sends back their
// names' lengths; the parent checks every value arrived whole and in order.
void round_trip() {
  MessageChannel<Job> to_worker = MessageChannel<Job>::create();
  MessageChannel<std::pair<std::string, uint64_t>> from_worker =
      MessageChannel<std::pair<std::string, uint64_t>>::create();
  Process worker = Process::spawn(
      [in = std::move(to_worker.receiver), out = std::move(from_worker.sender)]() mutable {
        int received = 0;
        while (std::optional<Job> job = in.receive().value()) {
          const std::string head = job->name.substr(0, 8);
          if (!out.send({head, job->name.size()}).ok()) return 1;
          if (!(*job == jobs()[received++])) return 2;
        }
        return received == 3 ? 0 : 3;
      },
      {.name = "worker"});
  for (const Job& job : jobs()) WEFT_ASSERT(to_worker.sender.send(job).ok(), "send");
  to_worker.sender.close();
  for (const Job& job : jobs()) {
    const std::optional<std::pair<std::string, uint64_t>> reply =
        from_worker.receiver.receive().value();
    WEFT_ASSERT(reply && reply->second == job.name.size() && reply->first == job.name.substr(0, 8),
                "a reply per job, in order");
  }
  WEFT_ASSERT(!from_worker.receiver.receive().value().has_value(), "then the end");
  const ExitStatus status = worker.wait();
  WEFT_ASSERT(status.success(), status.to_string());
}

TEST(MessageChannel, RoundTrip_Sim) {
  const Report report = testing::explore_with(round_trip, 50);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(MessageChannel, RoundTrip_RealRuntime) {
  const Report report = testing::run_real_times(round_trip, 3);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(MessageChannel, MalformedFramesAreDataLoss) {
  const Report report = run_real([] {
    Pipe pipe = Pipe::create();
    MessageReceiver<int> receiver(std::move(pipe.reader));
    // A frame of 2 bytes where an int needs 4.
    WEFT_ASSERT(pipe.writer.write(std::string("\x02\x00\x00\x00\x01\x02", 6)).ok(), "write");
    WEFT_ASSERT(absl::IsDataLoss(receiver.receive().status()), "short int");
    // A frame cut short by the end of the channel.
    WEFT_ASSERT(pipe.writer.write(std::string("\x08\x00\x00\x00\x01", 5)).ok(), "write");
    pipe.writer.close();
    WEFT_ASSERT(absl::IsDataLoss(receiver.receive().status()), "cut short");
  });
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft
