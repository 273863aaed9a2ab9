// Copyright 2026 The weft Authors.
//
// weft::Process on both runtimes. Real runtime: fork(); the child runs the
// function under a failure sink of its own and posts any failure to the
// shared report region (runtime/child_reports.h), which wait() reads after
// reaping.
//
// The real spawn path is kept lean in pages as well as in calls: after
// fork() every private page is write-protected in both processes and the
// child maps in each file page it runs, so every page touched around a fork
// is a fault (18-60 us on the VM weft is benchmarked on). A child whose
// function succeeds writes no weft page; the parent writes none beyond its
// own Process object when it is single-threaded.

#include "weft/process.h"

#include <signal.h>
#include <stdio_ext.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "runtime/child_reports.h"
#include "runtime/os_descriptors.h"
#include "runtime/real_run.h"
#include "weft/internal/check.h"

namespace weft {
namespace {

// A child whose function failed exits with this code (EX_SOFTWARE) after
// sending the failure to its parent.
constexpr int kChildFailedCode = 70;
// Bytes of a child's failure message (and of its details) sent to the
// parent: the whole report fits a slot of the report region.
constexpr size_t kReportTextMax = 16 << 10;
static_assert(2 * kReportTextMax + 4096 < internal::kChildReportMax);

std::string at(std::source_location where) {
  return absl::StrFormat("%s:%d", where.file_name(), where.line());
}

// Failure <-> bytes, for the report region: "kind\nlength\nmessage" per field.
std::string encode_failure(const Failure& failure) {
  std::string out = absl::StrCat(static_cast<int>(failure.kind), "\n");
  for (const std::string* field :
       {&failure.message, &failure.details, &failure.thread_name, &failure.location}) {
    absl::StrAppend(&out, field->size(), "\n", *field);
  }
  return out;
}

std::optional<Failure> decode_failure(std::string_view in) {
  auto take_line = [&](std::string_view& line) {
    const size_t end = in.find('\n');
    if (end == std::string_view::npos) return false;
    line = in.substr(0, end);
    in.remove_prefix(end + 1);
    return true;
  };
  std::string_view line;
  int kind = 0;
  if (!take_line(line) || !absl::SimpleAtoi(absl::string_view(line.data(), line.size()), &kind))
    return std::nullopt;
  Failure failure;
  failure.kind = static_cast<FailureKind>(kind);
  for (std::string* field :
       {&failure.message, &failure.details, &failure.thread_name, &failure.location}) {
    size_t size = 0;
    if (!take_line(line) || !absl::SimpleAtoi(absl::string_view(line.data(), line.size()), &size) ||
        size > in.size()) {
      return std::nullopt;
    }
    field->assign(in.substr(0, size));
    in.remove_prefix(size);
  }
  return failure;
}

void write_fully(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    data.remove_prefix(static_cast<size_t>(written));
  }
}

bool holds_output(FILE* stream) {
#ifdef __GLIBC__
  // What __fpending() computes for a byte stream, read in place: a child
  // calling into libc text it has not run yet maps that page in (a fault per
  // page). A wide stream (_mode > 0) keeps its buffer elsewhere.
  if (stream->_mode > 0) return __fpending(stream) > 0;
  return stream->_IO_write_ptr > stream->_IO_write_base;
#else
  return __fpending(stream) > 0;
#endif
}

// Flushes stdout and stderr if they hold output (fflush would write to the
// FILEs' pages even when empty: a copy-on-write fault each, after fork()).
// Other streams are never flushed by a child, so need no flush before fork().
void flush_standard_streams() {
  if (holds_output(stdout)) std::fflush(stdout);
  if (holds_output(stderr)) std::fflush(stderr);
}

// Runs the child's function; returns its exit code. The caller _exit()s,
// from the frame that called fork(): the dynamic linker binds _exit on a
// child's first call (the parent never makes it) and needs a large frame of
// its own, which from deeper down reaches one more stack page (a fault).
int run_child_function(absl::AnyInvocable<int()>& body, const std::string& name,
                       uint64_t report_nonce) {
  internal::RealRun run;
  internal::set_current_real_run(&run);
  if (!name.empty()) {
    char comm[16] = {};  // The kernel's limit, with the terminating zero.
    name.copy(comm, sizeof comm - 1);
    prctl(PR_SET_NAME, comm, 0, 0, 0);
  }
  int code = 0;
  try {
    code = body();
  } catch (...) {
    run.record(internal::failure_from_current_exception(name.empty() ? "main" : name));
  }
  std::optional<Failure> failure;
  if (run.has_failure()) failure = run.take_failure();
  if (failure) {
    // The report must fit a slot of the report region: long texts are cut.
    for (std::string* text : {&failure->message, &failure->details}) {
      if (text->size() > kReportTextMax) {
        text->resize(kReportTextMax);
        *text += " [cut]";
      }
    }
    if (!internal::post_child_report(report_nonce, encode_failure(*failure))) {
      // Every slot is taken by failed children their parents have not
      // reaped yet: say it here rather than lose it.
      write_fully(STDERR_FILENO,
                  absl::StrFormat("weft: process %d could not report its failure to its "
                                  "parent (too many unreaped failed children): %s\n",
                                  ::getpid(), failure->message));
    }
    code = kChildFailedCode;
  }
  flush_standard_streams();
  return code;
}

// Never throws: an exception escaping here (bad_alloc while reporting) would
// unwind the child into its parent's frames, to return from spawn() twice.
int run_child(absl::AnyInvocable<int()>& body, const std::string& name,
              uint64_t report_nonce) noexcept {
  try {
    return run_child_function(body, name, report_nonce);
  } catch (...) {
    return kChildFailedCode;
  }
}

ExitStatus status_from_wait(int raw) {
  if (WIFSIGNALED(raw)) return ExitStatus::from_signal(WTERMSIG(raw));
  return ExitStatus::from_code(WEXITSTATUS(raw));
}

// Reaps `pid`; retries on EINTR.
int wait_for(int pid) {
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0) {
    if (errno == EINTR) continue;
    internal::check_failed(
        __FILE__, __LINE__, "waitpid() failed",
        absl::StrFormat("pid %d: %s (did something else reap weft's child, or ignore SIGCHLD?)",
                        pid, std::strerror(errno)));
  }
  return raw;
}

std::string describe(const std::string& name, int pid) {
  return name.empty() ? absl::StrFormat("process %d", pid)
                      : absl::StrFormat("process %d \"%s\"", pid, name);
}

}  // namespace

int ExitStatus::code() const {
  WEFT_CHECK(exited());
  return value_;
}

int ExitStatus::signal() const {
  WEFT_CHECK(signaled());
  return value_;
}

std::string ExitStatus::to_string() const {
  if (exited()) return absl::StrFormat("exit code %d", value_);
  const char* abbrev = sigabbrev_np(value_);
  if (abbrev == nullptr) return absl::StrFormat("killed by signal %d", value_);
  return absl::StrFormat("killed by SIG%s", abbrev);
}

void Process::throw_too_many_descriptors() {
  throw std::invalid_argument(
      absl::StrFormat("weft::Process::spawn: the function captures more than %d descriptors",
                      internal::DescriptorHandover::kMax));
}

void Process::throw_not_restartable() {
  throw std::invalid_argument(
      "weft::Process::spawn: ProcessOptions::crashes needs a copyable function (each restart "
      "runs a fresh copy); one that captures pipe ends or sockets is not");
}

Process Process::start(absl::AnyInvocable<int()> body, std::function<int()> restart,
                       ProcessOptions options, std::span<const int> handed_over,
                       std::source_location where) {
  Process process;
  process.name_ = std::move(options.name);
  process.created_ = where;
  if (internal::Backend* backend = internal::active_backend()) {
    process.backend_ = backend;
    internal::RestartPolicy policy{std::move(restart), options.restart_delay};
    process.pid_ = backend->process_spawn(std::move(body), process.name_, handed_over,
                                          policy.recipe ? &policy : nullptr, where);
    return process;
  }
  internal::prepare_child_reports();
  const uint64_t report_nonce = internal::child_report_nonce();
  pid_t pid;
  {
    internal::ForkLock fork_lock;
    // Buffered output would otherwise be written twice, once by each process.
    flush_standard_streams();
    pid = ::fork();
    if (pid == 0) {
      fork_lock.in_child_close_all_but(handed_over);
      _exit(run_child(body, process.name_, report_nonce));
    }
  }
  if (pid < 0) {
    throw std::system_error(errno, std::generic_category(), "weft::Process::spawn: fork");
  }
  process.pid_ = pid;
  process.report_nonce_ = report_nonce;
  return process;
}

Process::Process(Process&& other) noexcept
    : name_(std::move(other.name_)),
      created_(other.created_),
      backend_(other.backend_),
      pid_(std::exchange(other.pid_, 0)),
      report_nonce_(other.report_nonce_),
      reaped_(other.reaped_),
      killed_(other.killed_),
      status_(other.status_) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    release();
    name_ = std::move(other.name_);
    created_ = other.created_;
    backend_ = other.backend_;
    pid_ = std::exchange(other.pid_, 0);
    report_nonce_ = other.report_nonce_;
    reaped_ = other.reaped_;
    killed_ = other.killed_;
    status_ = other.status_;
  }
  return *this;
}

Process::~Process() { release(); }

void Process::release() noexcept {
  if (pid_ <= 0 || reaped_) {
    pid_ = 0;
    return;
  }
  if (backend_ != nullptr) {
    backend_->process_dropped(pid_, created_);
    pid_ = 0;
    return;
  }
  Failure failure;
  failure.kind = FailureKind::kLeakedProcess;
  failure.thread_name = name_;
  failure.message = absl::StrFormat(
      "%s (spawned at %s) was destroyed without wait(): an unreaped child; weft killed it",
      describe(name_, pid_), at(created_));
  ::kill(pid_, SIGKILL);
  wait_for(pid_);
  internal::discard_child_report(pid_, report_nonce_);  // The leak is the report.
  pid_ = 0;
  internal::report_real_failure(std::move(failure));
}

ExitStatus Process::wait(std::source_location where) {
  WEFT_CHECK(valid());
  if (reaped_) return status_;
  if (backend_ != nullptr) {
    status_ = backend_->process_wait(pid_, where);
    reaped_ = true;
    return status_;
  }
  status_ = status_from_wait(wait_for(pid_));
  reaped_ = true;
  // The child posted its failure (if any) before it exited.
  if (std::optional<internal::ChildReport> sent =
          internal::take_child_report(pid_, report_nonce_)) {
    std::optional<Failure> failure;
    if (sent->complete) failure = decode_failure(sent->text);
    if (!failure) {
      // Cut short (the child was killed while writing it).
      failure = Failure();
      failure->kind = FailureKind::kProcessFailed;
      failure->message = "its failure report was cut short (" + status_.to_string() + ")";
    }
    failure->message = absl::StrFormat("in %s: %s", describe(name_, pid_), failure->message);
    internal::report_real_failure(*std::move(failure));
  }
  return status_;
}

ExitStatus Process::join(std::source_location where) {
  const ExitStatus status = wait(where);
  if (status.success() || (killed_ && status == ExitStatus::from_signal(SIGKILL))) return status;
  const std::string message =
      absl::StrFormat("%s (spawned at %s) ended with %s; join() at %s expected exit code 0",
                      describe(name_, pid_), at(created_), status.to_string(), at(where));
  if (backend_ != nullptr) {
    backend_->workload_failed(FailureKind::kProcessFailed, message, "");
    return status;
  }
  Failure failure;
  failure.kind = FailureKind::kProcessFailed;
  failure.thread_name = name_;
  failure.message = message;
  internal::report_real_failure(std::move(failure));
  return status;
}

void Process::kill(std::source_location where) {
  WEFT_CHECK(valid());
  killed_ = true;
  if (reaped_) return;
  if (backend_ != nullptr) {
    backend_->process_kill(pid_, where);
    return;
  }
  ::kill(pid_, SIGKILL);  // An exited but unreaped child still owns its pid.
}

namespace this_process {

int pid() {
  if (internal::Backend* backend = internal::active_backend()) return backend->current_pid();
  return static_cast<int>(::getpid());
}

}  // namespace this_process

}  // namespace weft
