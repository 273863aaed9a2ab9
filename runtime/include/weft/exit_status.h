// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: exit_status.h
// -----------------------------------------------------------------------------
//
// ExitStatus: how a weft::Process ended — it exited with a code, or a signal
// killed it (on the real runtime, the signal waitpid() reports; under
// simulation, SIGKILL from Process::kill() or from a fault the explorer
// injected).
//
//   weft::ExitStatus status = child.wait();
//   if (!status.success()) std::cerr << status.to_string();  // "killed by SIGKILL"

#ifndef WEFT_EXIT_STATUS_H_
#define WEFT_EXIT_STATUS_H_

#include <string>

namespace weft {

class ExitStatus {
 public:
  // A process that returned `code` from its function (or called _exit).
  static ExitStatus from_code(int code) { return ExitStatus(false, code); }
  // A process that signal `signal` ended (SIGKILL after Process::kill()).
  static ExitStatus from_signal(int signal) { return ExitStatus(true, signal); }

  ExitStatus() = default;  // exit code 0

  bool exited() const { return !signaled_; }
  bool signaled() const { return signaled_; }
  // The exit code. REQUIRES: exited().
  int code() const;
  // The signal. REQUIRES: signaled().
  int signal() const;
  // Exited with code 0.
  bool success() const { return !signaled_ && value_ == 0; }

  // "exit code 3" or "killed by SIGKILL".
  std::string to_string() const;

  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;

 private:
  ExitStatus(bool signaled, int value) : signaled_(signaled), value_(value) {}

  bool signaled_ = false;
  int value_ = 0;
};

}  // namespace weft

#endif  // WEFT_EXIT_STATUS_H_
