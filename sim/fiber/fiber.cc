// Copyright 2026 The weft Authors.

#include "sim/fiber/fiber.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/limits.h"

#if WEFT_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace weft::sim {
namespace {

size_t page_bytes() {
  static const size_t bytes = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return bytes;
}

// The usable stack of the calling OS thread, for ASan's switch annotations.
void current_thread_stack(const void** bottom, size_t* bytes) {
  pthread_attr_t attributes;
  WEFT_CHECK_EQ(pthread_getattr_np(pthread_self(), &attributes), 0);
  void* address = nullptr;
  size_t size = 0;
  WEFT_CHECK_EQ(pthread_attr_getstack(&attributes, &address, &size), 0);
  pthread_attr_destroy(&attributes);
  *bottom = address;
  *bytes = size;
}

}  // namespace

Fiber::Fiber() {
  if (WEFT_ASAN) current_thread_stack(&stack_bottom_, &stack_bytes_);
#if WEFT_TSAN
  tsan_fiber_ = __tsan_get_current_fiber();
#endif
}

Fiber::Fiber(size_t stack_bytes) : stack_bytes_(stack_bytes) {
  WEFT_CHECK_GT(stack_bytes, 0u);
  WEFT_CHECK_EQ(stack_bytes % page_bytes(), 0u);
  mapping_bytes_ = stack_bytes + page_bytes();
  void* mapping = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED) {
    internal::check_failed(__FILE__, __LINE__, "mmap of a fiber stack", std::strerror(errno));
  }
  mapping_ = static_cast<char*>(mapping);
  WEFT_CHECK_EQ(mprotect(mapping_, page_bytes(), PROT_NONE), 0);
  stack_bottom_ = mapping_ + page_bytes();
#if WEFT_TSAN
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
  if (mapping_ == nullptr) return;
#if WEFT_TSAN
  __tsan_destroy_fiber(tsan_fiber_);
#endif
  WEFT_CHECK_EQ(munmap(mapping_, mapping_bytes_), 0);
}

void Fiber::prepare(Entry entry, void* argument) {
  WEFT_CHECK(mapping_ != nullptr);
  WEFT_CHECK(entry != nullptr);
  caught_exceptions_ = nullptr;
  uncaught_exceptions_ = 0;
#if WEFT_ASAN
  // Frames of the previous thread on this stack may have left poisoned
  // redzones behind (it ended in a switch, not a return).
  __asan_unpoison_memory_region(stack_bottom_, stack_bytes_);
#endif
#if WEFT_TSAN
  // The previous thread never returned from its entry function, so TSan's
  // shadow call stack for this fiber still holds its frames; reusing it would
  // grow that stack with every thread until TSan gives up. Start afresh.
  __tsan_destroy_fiber(tsan_fiber_);
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
  // Initial frame, popped by weft_fiber_switch: r15 r14 r13 r12 rbx rbp, then
  // the address it jumps to. After the pops rsp = top - 16, 16-byte aligned,
  // as the trampoline's `call` requires.
  auto top = reinterpret_cast<uintptr_t>(stack_bottom_) + stack_bytes_;
  top &= ~uintptr_t{15};
  auto* frame = reinterpret_cast<uintptr_t*>(top - 72);
  frame[0] = 0;                                      // r15
  frame[1] = 0;                                      // r14
  frame[2] = reinterpret_cast<uintptr_t>(entry);     // r13
  frame[3] = reinterpret_cast<uintptr_t>(argument);  // r12
  frame[4] = 0;                                      // rbx
  frame[5] = 0;                                      // rbp: ends frame-pointer walks
  frame[6] = reinterpret_cast<uintptr_t>(&weft_fiber_trampoline);
  frame[7] = 0;  // A null "return address" above the trampoline for unwinders.
  stack_pointer_ = frame;
}

void Fiber::exit_to(Fiber& from, Fiber& to) {
  // An abandoned fiber may still hold an exception in flight; it is dropped
  // with the fiber (prepare() starts the next thread with none).
  swap_exception_state(from, to);
#if WEFT_ASAN
  // nullptr: this stack's fake frames may be freed; it is never resumed.
  __sanitizer_start_switch_fiber(nullptr, to.stack_bottom_, to.stack_bytes_);
#endif
#if WEFT_TSAN
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
  weft_fiber_switch(&from.stack_pointer_, to.stack_pointer_);
  internal::check_failed(__FILE__, __LINE__, "an exited fiber was resumed", "");
}

namespace {
thread_local std::vector<std::unique_ptr<Fiber>> cached_fibers;
}  // namespace

std::unique_ptr<Fiber> FiberCache::take(size_t stack_bytes) {
  for (size_t i = cached_fibers.size(); i-- > 0;) {
    if (cached_fibers[i]->stack_bytes() != stack_bytes) continue;
    std::unique_ptr<Fiber> fiber = std::move(cached_fibers[i]);
    cached_fibers.erase(cached_fibers.begin() + static_cast<std::ptrdiff_t>(i));
    return fiber;
  }
  return std::make_unique<Fiber>(stack_bytes);
}

void FiberCache::give_back(std::unique_ptr<Fiber> fiber) {
  WEFT_CHECK(fiber != nullptr);
  WEFT_CHECK(fiber->mapping_ != nullptr);
  if (cached_fibers.size() < kFibersCachedMax) cached_fibers.push_back(std::move(fiber));
}

void Fiber::on_entry() {
#if WEFT_ASAN
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

}  // namespace weft::sim
