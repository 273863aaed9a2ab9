// Copyright 2026 The weft Authors.
//
// Fiber: a stack and a saved stack pointer; the unit the simulator switches
// between. Each simulated thread runs on one Fiber; the OS thread that drives
// an execution is a Fiber without a stack of its own (the "driver").
//
// Switching costs one hand-written register save/restore (see
// context_switch_x86_64.S); no system call, no allocation. A Fiber's stack is
// mapped once, with a PROT_NONE guard page below it so an overflow faults
// instead of corrupting a neighbour, and is reused for every thread that runs
// on it: prepare() resets it.
//
// The C++ runtime keeps its exception bookkeeping (exceptions caught and
// exceptions in flight, what std::uncaught_exceptions() reads) once per OS
// thread; a switch saves the running fiber's copy and installs the next
// one's, so that a fiber switched out mid-unwind or inside a catch block does
// not lend its exceptions to the others.
//
// Under AddressSanitizer every switch is announced with
// __sanitizer_{start,finish}_switch_fiber, and under ThreadSanitizer with
// __tsan_switch_to_fiber, so both follow execution across stacks.
//
// Not thread-safe: all fibers of one simulator live on one OS thread.

#ifndef WEFT_SIM_FIBER_FIBER_H_
#define WEFT_SIM_FIBER_FIBER_H_

#include <cxxabi.h>

#include <cstddef>
#include <memory>

#include "sim/fiber/sanitizers.h"
#include "weft/internal/check.h"

#if WEFT_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#if WEFT_TSAN
#include <sanitizer/tsan_interface.h>
#endif

extern "C" {
// context_switch_x86_64.S
void weft_fiber_switch(void** save_stack_pointer, void* load_stack_pointer);
void weft_fiber_trampoline();
}

namespace weft::sim {

class Fiber {
 public:
  using Entry = void (*)(void* argument);

  // The calling OS thread's own context: a switch target, never prepared.
  Fiber();
  // A fiber with a fresh guarded stack of `stack_bytes` usable bytes.
  // REQUIRES: stack_bytes is a positive multiple of the page size.
  explicit Fiber(size_t stack_bytes);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Fiber::prepare()
  //
  // Makes the next switch to this fiber call entry(argument) at the top of
  // its stack. `entry` must never return: it ends with exit_to().
  // REQUIRES: this fiber has a stack and is not running.
  void prepare(Entry entry, void* argument);

  // Fiber::switch_to()
  //
  // Suspends `from` (the running fiber) and resumes `to`. Returns when some
  // fiber switches back to `from`.
  static void switch_to(Fiber& from, Fiber& to);

  // Fiber::exit_to()
  //
  // The last switch away from `from`, whose entry function is done with its
  // stack. `from` may be prepared again afterwards.
  [[noreturn]] static void exit_to(Fiber& from, Fiber& to);

  // Fiber::on_entry()
  //
  // The first call an entry function makes (sanitizer bookkeeping).
  static void on_entry();

  size_t stack_bytes() const { return stack_bytes_; }

 private:
  friend class FiberCache;
  void* stack_pointer_ = nullptr;
  char* mapping_ = nullptr;  // Guard page + usable stack; nullptr for the driver.
  size_t mapping_bytes_ = 0;
  const void* stack_bottom_ = nullptr;  // Lowest usable address.
  size_t stack_bytes_ = 0;
  void* asan_fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;
  // This fiber's exception state while it is switched out.
  void* caught_exceptions_ = nullptr;
  unsigned int uncaught_exceptions_ = 0;

  // Moves the OS thread's exception state into `from` and `to`'s into the
  // OS thread.
  static void swap_exception_state(Fiber& from, const Fiber& to);
};

// Inline: the simulator's step loop switches here, and a call frame more
// costs as much as the switch itself.
// libstdc++'s __cxa_eh_globals (libsupc++/unwind-cxx.h), which <cxxabi.h>
// declares without a body.
struct CxaExceptionGlobals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
};

inline void Fiber::swap_exception_state(Fiber& from, const Fiber& to) {
  // Fixed per OS thread; asking once saves a call per switch.
  static thread_local CxaExceptionGlobals* const globals =
      reinterpret_cast<CxaExceptionGlobals*>(abi::__cxa_get_globals());
  from.caught_exceptions_ = globals->caught_exceptions;
  from.uncaught_exceptions_ = globals->uncaught_exceptions;
  globals->caught_exceptions = to.caught_exceptions_;
  globals->uncaught_exceptions = to.uncaught_exceptions_;
}

inline void Fiber::switch_to(Fiber& from, Fiber& to) {
  WEFT_DCHECK(&from != &to);
  swap_exception_state(from, to);
#if WEFT_ASAN
  __sanitizer_start_switch_fiber(&from.asan_fake_stack_, to.stack_bottom_, to.stack_bytes_);
#endif
#if WEFT_TSAN
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
  weft_fiber_switch(&from.stack_pointer_, to.stack_pointer_);
#if WEFT_ASAN
  __sanitizer_finish_switch_fiber(from.asan_fake_stack_, nullptr, nullptr);
#endif
}

// FiberCache: fibers whose stacks are already mapped and touched, kept per
// OS thread so that schedulers created one after another (an exploration,
// then its replay check, then the next test) reuse them: a fresh stack costs
// an mmap, an mprotect and page faults (tens of microseconds), a cached one
// nothing. Holds at most kFibersCachedMax fibers; the rest are unmapped.
class FiberCache {
 public:
  // A fiber with `stack_bytes` usable bytes: a cached one if any.
  static std::unique_ptr<Fiber> take(size_t stack_bytes);
  // Returns `fiber` (not running, never to be resumed) to the cache.
  static void give_back(std::unique_ptr<Fiber> fiber);
};

}  // namespace weft::sim

#endif  // WEFT_SIM_FIBER_FIBER_H_
