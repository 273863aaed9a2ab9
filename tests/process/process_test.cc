// Copyright 2026 The weft Authors.
//
// Goal: weft::Process and weft::Pipe keep one contract on both runtimes:
// exit codes and signals reach wait(), bytes and EOF cross pipes between
// processes, kill() ends a process wherever it is and its pipe peers see EOF,
// failures inside a child reach the parent's report, an unreaped child is
// reported. Method: each workload checks itself with WEFT_ASSERT and runs
// explored under the simulator and on real processes (fork), as the _Sim and
// _Real tests. What only one runtime can show (a deadlock cycle across
// pipes, /proc/self/fd, zombies) has its own tests below.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/common/go_signal.h"
#include "tests/common/open_fds.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using testing::explore_with;
using ::testing::HasSubstr;
using testing::run_real_times;

constexpr uint64_t kSimIterations = 200;
constexpr int kRealRepeats = 5;

std::string read_everything(PipeReader& reader) {
  absl::StatusOr<std::string> all = reader.read_all();
  WEFT_ASSERT(all.ok(), all.status().ToString());
  return *all;
}

// A child's exit code reaches wait(); wait() twice gives the same status.
void exit_code_reaches_wait() {
  Process child = Process::spawn([] { return 3; }, {.name = "three"});
  WEFT_ASSERT(child.pid() > 0 && child.pid() != this_process::pid(), "a fresh pid");
  const ExitStatus status = child.wait();
  WEFT_ASSERT(status.exited() && status.code() == 3, status.to_string());
  WEFT_ASSERT(child.wait() == status, "a second wait() changed the status");
  Process quiet = Process::spawn([] {});
  WEFT_ASSERT(quiet.join().success(), "a void function exits with 0");
}

// Bytes written by a child arrive in order, then EOF: the parent's copy of
// the write end went with the child's function.
void child_writes_parent_reads() {
  Pipe pipe = Pipe::create();
  Process child = Process::spawn(
      [out = std::move(pipe.writer)]() mutable {
        for (const char* part : {"hel", "lo ", "wor", "ld"}) {
          if (!out.write(part).ok()) return 1;
        }
        return 0;
      },
      {.name = "writer"});
  WEFT_ASSERT(!pipe.writer.is_open(), "the captured end left the parent's object");
  const std::string got = read_everything(pipe.reader);
  WEFT_ASSERT(got == "hello world", got);
  WEFT_ASSERT(child.join().success(), "the writer failed");
}

// The parent writes more than a pipe holds; the child counts until EOF and
// returns the count modulo 256 and a checksum agreement as its exit code.
void parent_streams_to_child() {
  constexpr size_t kBytes = 200'000;  // ~3 pipe buffers
  Pipe pipe = Pipe::create();
  Process child = Process::spawn(
      [in = std::move(pipe.reader)]() mutable {
        std::string all = in.read_all().value();
        if (all.size() != kBytes) return 1;
        for (size_t i = 0; i < all.size(); ++i) {
          if (all[i] != static_cast<char>('a' + i % 26)) return 2;
        }
        return 0;
      },
      {.name = "counter"});
  std::string data(kBytes, '\0');
  for (size_t i = 0; i < kBytes; ++i) data[i] = static_cast<char>('a' + i % 26);
  const absl::Status wrote = pipe.writer.write(data);
  WEFT_ASSERT(wrote.ok(), wrote.ToString());
  pipe.writer.close();
  const ExitStatus status = child.wait();
  WEFT_ASSERT(status == ExitStatus::from_code(0), status.to_string());
}

// kill() ends a child blocked in a read that would never return; the pipe it
// held the write end of reports EOF to the parent; join() accepts the kill.
void kill_ends_a_blocked_child() {
  Pipe never = Pipe::create();  // The parent keeps its write end open.
  Pipe back = Pipe::create();
  Process child = Process::spawn(
      [in = std::move(never.reader), out = std::move(back.writer)]() mutable {
        std::byte byte[1];
        (void)in.read(byte);  // Blocks for good.
        (void)out.write("unreachable");
      },
      {.name = "stuck"});
  child.kill();
  const ExitStatus status = child.join();
  WEFT_ASSERT(status.signaled() && status.signal() == SIGKILL, status.to_string());
  WEFT_ASSERT(read_everything(back.reader).empty(), "the killed child wrote");
}

// A write with every read end closed is an error value, not SIGPIPE death.
void broken_pipe_is_an_error() {
  Pipe pipe = Pipe::create();
  pipe.reader.close();
  const absl::Status status = pipe.writer.write("nobody listens");
  WEFT_ASSERT(absl::IsUnavailable(status), status.ToString());
  Pipe other = Pipe::create();
  Process reader_exits = Process::spawn([in = std::move(other.reader)]() mutable { in.close(); });
  reader_exits.join();  // The only read end went with the child, which closed it.
  WEFT_ASSERT(absl::IsUnavailable(other.writer.write("late")), "the reader is gone");
}

// A child's threads run and are joined inside it; the child's pipe end is
// shared by its two threads.
void child_with_threads() {
  Pipe pipe = Pipe::create();
  Process child = Process::spawn(
      [out = std::move(pipe.writer)]() mutable {
        Mutex mutex{"out"};
        std::vector<Thread> threads;
        for (char letter : {'x', 'y'}) {
          threads.emplace_back("w", [&, letter] {
            std::scoped_lock lock(mutex);
            (void)out.write(std::string(3, letter));
          });
        }
        for (Thread& thread : threads) thread.join();
      },
      {.name = "threads"});
  const std::string got = read_everything(pipe.reader);
  WEFT_ASSERT(got == "xxxyyy" || got == "yyyxxx", got);
  child.join();
}

#define BOTH_RUNTIMES(Name, workload) \
  WEFT_TEST_BOTH_RUNTIMES(Process, Name, workload, kSimIterations, kRealRepeats)

BOTH_RUNTIMES(ExitCodeReachesWait, exit_code_reaches_wait)
BOTH_RUNTIMES(ChildWritesParentReads, child_writes_parent_reads)
BOTH_RUNTIMES(ParentStreamsToChild, parent_streams_to_child)
BOTH_RUNTIMES(KillEndsABlockedChild, kill_ends_a_blocked_child)
BOTH_RUNTIMES(BrokenPipeIsAnError, broken_pipe_is_an_error)
BOTH_RUNTIMES(ChildWithThreads, child_with_threads)

// ---- failures, on both runtimes -------------------------------------------

void child_throws() {
  Process child =
      Process::spawn([] { throw std::runtime_error("child gave up"); }, {.name = "thrower"});
  child.wait();
}

void child_exits_badly() {
  Process child = Process::spawn([] { return 2; }, {.name = "two"});
  child.join();
}

void child_never_waited() {
  Process child = Process::spawn([] {}, {.name = "orphan"});
}

TEST(ProcessFailures, ExceptionInChild_Sim) {
  const Report report = explore_with(child_throws, 10);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kException);
  EXPECT_THAT(report.failure()->message, HasSubstr("child gave up"));
  EXPECT_THAT(report.failure()->message, HasSubstr("process 2 \"thrower\""));
}

TEST(ProcessFailures, ExceptionInChild_RealRuntime) {
  const Report report = run_real(child_throws);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kException);
  EXPECT_THAT(report.failure()->message, HasSubstr("child gave up"));
  EXPECT_THAT(report.failure()->message, HasSubstr("\"thrower\""));
}

TEST(ProcessFailures, JoinReportsANonZeroExit) {
  for (const Report& report : {explore_with(child_exits_badly, 10), run_real(child_exits_badly)}) {
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.failure()->kind, FailureKind::kProcessFailed);
    EXPECT_THAT(report.failure()->message, HasSubstr("\"two\""));
    EXPECT_THAT(report.failure()->message, HasSubstr("exit code 2"));
  }
}

TEST(ProcessFailures, UnreapedChildIsReported) {
  for (const Report& report :
       {explore_with(child_never_waited, 10), run_real(child_never_waited)}) {
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.failure()->kind, FailureKind::kLeakedProcess);
    EXPECT_THAT(report.failure()->message, HasSubstr("unreaped child"));
    EXPECT_THAT(report.failure()->message, HasSubstr("\"orphan\""));
  }
  // The real runtime reaped it after reporting: no child (and no zombie) is left.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

// ---- simulator only: deadlocks across pipes ----------------------------------

// Each side reads before it writes: A waits for B's bytes, B for A's.
void read_before_write() {
  Pipe a_to_b = Pipe::create();
  Pipe b_to_a = Pipe::create();
  auto side = [](PipeReader in, PipeWriter out) {
    return [in = std::move(in), out = std::move(out)]() mutable {
      std::byte byte[1];
      if (!in.read(byte).ok()) return 1;
      return out.write("x").ok() ? 0 : 1;
    };
  };
  Process a =
      Process::spawn(side(std::move(b_to_a.reader), std::move(a_to_b.writer)), {.name = "a"});
  Process b =
      Process::spawn(side(std::move(a_to_b.reader), std::move(b_to_a.writer)), {.name = "b"});
  a.join();
  b.join();
}

TEST(ProcessDeadlock, CycleAcrossPipesNamesBothProcesses) {
  const Report report = explore_with(read_before_write, 20);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kDeadlock);
  EXPECT_THAT(report.failure()->message, HasSubstr("wait-for cycle"));
  EXPECT_THAT(report.failure()->message,
              HasSubstr("process 2 \"a\" -> process 3 \"b\" -> process 2 \"a\""));
  EXPECT_THAT(report.failure()->details, HasSubstr("waits to read pipe #"));
  EXPECT_THAT(report.failure()->details, HasSubstr("whose write end is open in process 3 \"b\""));
  const Report again = replay(report.repro(), read_before_write);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->message, report.failure()->message);
}

// The parent forgot to close its own copy of the write end: EOF never comes.
void reader_keeps_its_write_end() {
  Pipe pipe = Pipe::create();
  Process child = Process::spawn([] {}, {.name = "idle"});
  (void)pipe.reader.read_all();
  child.join();
}

TEST(ProcessDeadlock, ReaderHoldingItsOwnWriteEndIsNamed) {
  const Report report = explore_with(reader_keeps_its_write_end, 5);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kDeadlock);
  EXPECT_THAT(report.failure()->details, HasSubstr("whose write end is open in its own process"));
}

// A killed process's threads never run again: its looping writer thread
// stops, the parent sees EOF, and the execution ends (no step limit).
TEST(ProcessSim, KilledThreadsNeverRunAgain) {
  auto workload = [] {
    Pipe pipe = Pipe::create();
    Process child = Process::spawn(
        [out = std::move(pipe.writer)]() mutable {
          Thread spinner("spinner", [&] {
            while (out.write("s").ok()) {
            }
          });
          spinner.join();
        },
        {.name = "spinning"});
    std::byte first[1];
    WEFT_ASSERT(pipe.reader.read(first).value() == 1, "the spinner writes");
    child.kill();
    (void)pipe.reader.read_all();  // Ends: the only writer is gone.
    WEFT_ASSERT(child.wait().signaled(), "killed");
  };
  const Report report = explore_with(workload, kSimIterations);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// ---- real runtime only: nothing leaks --------------------------------------------

TEST(ProcessReal, NoDescriptorOrChildLeaks) {
  const int before = testing::open_fd_count();
  for (auto workload : {exit_code_reaches_wait, child_writes_parent_reads, parent_streams_to_child,
                        kill_ends_a_blocked_child, broken_pipe_is_an_error}) {
    const Report report = run_real(workload);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
  EXPECT_EQ(testing::open_fd_count(), before);
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1) << "a child was not reaped";
  EXPECT_EQ(errno, ECHILD);
}

TEST(ProcessReal, PidsAreRealAndStatusesComeFromWaitpid) {
  const Report report = run_real([] {
    Process child = Process::spawn([] { ::raise(SIGTERM); }, {.name = "terminated"});
    WEFT_ASSERT(child.pid() != ::getpid(), "a separate OS process");
    const ExitStatus status = child.wait();
    WEFT_ASSERT(status.signaled() && status.signal() == SIGTERM, status.to_string());
    WEFT_ASSERT(status.to_string() == "killed by SIGTERM", status.to_string());
  });
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

// ---- review findings, each on the runtimes it concerns -------------------------

// Exit codes are 8 bits on both runtimes, as _exit() makes them.
void exit_codes_are_eight_bits() {
  Process wraps = Process::spawn([] { return 256; });
  Process negative = Process::spawn([] { return -1; });
  WEFT_ASSERT(wraps.wait() == ExitStatus::from_code(0), "256 & 0xff");
  WEFT_ASSERT(negative.wait() == ExitStatus::from_code(255), "-1 & 0xff");
}
BOTH_RUNTIMES(ExitCodesAreEightBits, exit_codes_are_eight_bits)

// A peer that sent its last words and then died is read to the end, then EOF.
void last_words_arrive() {
  Pipe ready = Pipe::create();
  net::Listener listener = net::Listener::listen("last:1").value();
  Process server = Process::spawn(
      [listener = std::move(listener), ready = std::move(ready.writer)]() mutable {
        net::Stream client = listener.accept().value();
        (void)client.send("bye");
        (void)ready.write("s");
        for (;;) sleep_for(std::chrono::milliseconds(1));
      },
      {.name = "last"});
  net::Stream stream = net::connect("last:1").value();
  std::byte sent[1];
  WEFT_ASSERT(ready.reader.read(sent).value() == 1, "the server sent");
  server.kill();
  server.wait();
  std::string got;
  for (;;) {
    absl::StatusOr<std::string> part = stream.receive_some();
    WEFT_ASSERT(part.ok(), part.status().ToString());
    if (part->empty()) break;
    got += *part;
  }
  WEFT_ASSERT(got == "bye", got);
}
BOTH_RUNTIMES(LastWordsArrive, last_words_arrive)

// A task reads a pipe with co_await while another task of its loop goes on:
// the writer starts only once that other task has run, so a read that
// blocked the loop's thread would hang here.
void async_pipe_io() {
  Pipe pipe = Pipe::create();
  Pipe go = Pipe::create();
  Process writer = Process::spawn(
      [out = std::move(pipe.writer), go = std::move(go.reader)]() mutable {
        std::byte signal[1];
        if (go.read(signal).value_or(0) != 1) return 2;
        return run([&]() -> Task<int> {
          const std::string data(100'000, 'w');  // More than a pipe holds: waits for room.
          const absl::Status wrote = co_await out.async_write(data);
          co_return wrote.ok() ? 0 : 1;
        }());
      },
      {.name = "writer"});
  const size_t total = run([&]() -> Task<size_t> {
    JoinHandle<void> starter = spawn(testing::send_go(go.writer), "starter");
    size_t got = 0;
    std::byte buffer[4096];
    for (;;) {
      const absl::StatusOr<size_t> part = co_await pipe.reader.async_read(buffer);
      WEFT_ASSERT(part.ok(), part.status().ToString());
      if (*part == 0) break;
      got += *part;
    }
    co_await starter;
    co_return got;
  }());
  WEFT_ASSERT(total == 100'000, "every byte, then EOF");
  WEFT_ASSERT(writer.wait().success(), "writer");
}
BOTH_RUNTIMES(AsyncPipeIo, async_pipe_io)

TEST(ProcessSim, SeventyProcessesKeepTheirPids) {
  const Report report = testing::explore_with(
      [] {
        std::vector<Process> children;
        for (int i = 0; i < 70; ++i) children.push_back(Process::spawn([i] { return i; }));
        for (int i = 0; i < 70; ++i) {
          WEFT_ASSERT(children[i].wait() == ExitStatus::from_code(i), "its own status");
        }
      },
      20);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(ProcessSim, OrphansAreNotLeaks) {
  const Report report = testing::explore_with(
      [] {
        Process parent = Process::spawn([] {
          Process child = Process::spawn([] { sleep_for(std::chrono::milliseconds(10)); });
          child.wait();
        });
        sleep_for(std::chrono::milliseconds(1));
        parent.kill();
        parent.wait();
      },
      50);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(ProcessSim, CrashesStopAtTheLimits) {
  const Report report = testing::explore_with(
      [] {
        set_faults({.crash = 0.5});
        Process node = Process::spawn(
            [] {
              for (;;) sleep_for(std::chrono::milliseconds(1));
            },
            {.name = "fragile", .crashes = true, .restart_delay = std::chrono::microseconds(1)});
        sleep_for(std::chrono::seconds(10));
        node.kill();
        WEFT_ASSERT(node.wait().signaled(), "killed");
      },
      3);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// A descriptor the child never got (here: inside a container, captured by
// reference) fails loudly when the child uses it, naming both processes --
// also after the child opened descriptors of its own, which on Linux could
// take the same number and be written to by mistake.
TEST(ProcessSim, ADescriptorTheChildNeverGotIsAMisuse) {
  const Report report = testing::explore_with(
      [] {
        std::vector<Pipe> pipes;
        pipes.push_back(Pipe::create());
        Process child = Process::spawn(
            [&pipes] {
              Pipe own = Pipe::create();
              (void)pipes[0].writer.write("x");
            },
            {.name = "borrower"});
        child.wait();
      },
      10);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kMisuse) << report.to_string();
  EXPECT_THAT(report.failure()->message, HasSubstr("\"borrower\" uses descriptor"));
  EXPECT_THAT(report.failure()->message, HasSubstr("write end"));
  EXPECT_THAT(report.failure()->message, HasSubstr("which process 1"));
  EXPECT_THAT(report.failure()->message, HasSubstr("captured by move"));
}

TEST(ProcessReal, AcceptInAThreadDoesNotBlockSpawnOrConnect) {
  const Report report = run_real([] {
    net::Listener listener = net::Listener::listen("acceptor:1").value();
    Thread acceptor("acceptor", [&] {
      net::Stream client = listener.accept().value();
      (void)client.send("hi");
    });
    sleep_for(std::chrono::milliseconds(20));  // The acceptor is in accept().
    Process child = Process::spawn([] {});
    net::Stream stream = net::connect("acceptor:1").value();
    std::byte got[2];
    WEFT_ASSERT(stream.receive_exact(got).ok(), "hi");
    acceptor.join();
    child.join();
  });
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST(ProcessReal, AHugeChildFailureIsCutNotFatal) {
  const Report report = run_real([] {
    Process child = Process::spawn([] {
      const std::string huge(100'000, 'h');
      WEFT_ASSERT(huge.empty(), huge);
    });
    child.wait();
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  EXPECT_THAT(report.failure()->message, HasSubstr("[cut]"));
}

// ---- real runtime: the failure report region ------------------------------------

// Waits until `pid` has exited without reaping it (its report is posted).
void wait_until_exited(int pid) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0) {
    ASSERT_EQ(errno, EINTR);
  }
}

// 64 report slots: with 70 failed children unreaped at once, 64 reports reach
// their own parent's wait() (keyed by pid: each names its own child) and the
// other 6 children say on stderr what they could not post.
TEST(ProcessReal, FailedChildrenBeyondTheReportSlotsSayItOnStderr) {
  constexpr int kChildren = 70;
  ::testing::internal::CaptureStderr();
  std::vector<Process> children;
  for (int i = 0; i < kChildren; ++i) {
    children.push_back(
        Process::spawn([i] { throw std::runtime_error(absl::StrCat("child #", i)); }));
  }
  for (Process& child : children) wait_until_exited(child.pid());
  int reported = 0;
  for (int i = 0; i < kChildren; ++i) {
    ExitStatus status;
    const Report report = run_real([&] { status = children[i].wait(); });
    EXPECT_EQ(status, ExitStatus::from_code(70)) << status.to_string();
    if (report.ok()) continue;
    ++reported;
    EXPECT_EQ(report.failure()->kind, FailureKind::kException);
    EXPECT_THAT(report.failure()->message, ::testing::EndsWith(absl::StrCat(": child #", i)));
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(reported, 64);
  int said = 0;
  for (size_t at = err.find("could not report its failure"); at != std::string::npos;
       at = err.find("could not report its failure", at + 1)) {
    ++said;
  }
  EXPECT_EQ(said, kChildren - 64) << err;
  // The slots are free again: the next failed child is reported.
  const Report again = run_real(child_throws);
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.failure()->message, HasSubstr("child gave up"));
}

// A grandchild's failure reaches the root through its parent's report.
TEST(ProcessReal, AGrandchildsFailureReachesTheRoot) {
  const Report report = run_real([] {
    Process child = Process::spawn(
        [] {
          Process grandchild = Process::spawn(
              [] { throw std::runtime_error("grandchild gave up"); }, {.name = "grandchild"});
          grandchild.wait();
        },
        {.name = "child"});
    child.wait();
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kException);
  EXPECT_THAT(report.failure()->message, HasSubstr("\"child\""));
  EXPECT_THAT(report.failure()->message, HasSubstr("\"grandchild\""));
  EXPECT_THAT(report.failure()->message, HasSubstr("grandchild gave up"));
}

// A multi-threaded parent holds the descriptor registry's lock across fork();
// the child's copy of it is reset on first use, also when two of the child's
// threads race to use it first (a child that kept the copy locked would
// hang here).
TEST(ProcessReal, AChildOfAThreadedParentOpensPipesFromTwoThreads) {
  const Report report = run_real([] {
    Pipe hold = Pipe::create();
    Thread waiter("waiter", [&] {  // Keeps the parent multi-threaded during the fork.
      std::byte byte[1];
      (void)hold.reader.read(byte);
    });
    Process child = Process::spawn(
        [] {
          auto churn = [] {
            for (int i = 0; i < 50; ++i) {
              Pipe pipe = Pipe::create();
              if (!pipe.writer.write("x").ok()) throw std::runtime_error("write");
            }
          };
          Thread first("first", churn);
          Thread second("second", churn);
          first.join();
          second.join();
        },
        {.name = "churner"});
    child.join();
    hold.writer.close();
    waiter.join();
  });
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft
