// Copyright 2026 The weft Authors.
//
// Lock guards that remember where the user took the lock.
//
// std::scoped_lock, std::lock_guard, std::unique_lock and std::shared_lock call
// lock() from inside the standard library headers, so a source_location
// default argument on weft::Mutex::lock() would name <mutex>, not the user's
// line. weft therefore specializes those four class templates for its own
// mutex types (allowed: the specializations depend on a program-defined type
// and keep the standard interface), and the specializations pass the location
// of the guard's construction on to the mutex. The implementation is shared:
// LocatedLock below, one class for the exclusive and the shared flavour.

#ifndef WEFT_INTERNAL_LOCATED_LOCK_H_
#define WEFT_INTERNAL_LOCATED_LOCK_H_

#include <mutex>
#include <shared_mutex>
#include <source_location>
#include <utility>

namespace weft::internal {

// std::unique_lock (kShared = false) or std::shared_lock (kShared = true) over
// `Mutex`, recording the source location of each call.
template <typename Mutex, bool kShared>
class LocatedLock {
 public:
  using mutex_type = Mutex;
  using Location = std::source_location;

  LocatedLock() noexcept = default;
  explicit LocatedLock(Mutex& mutex, Location where = Location::current())
      : mutex_(&mutex), where_(where) {
    lock(where);
  }
  LocatedLock(Mutex& mutex, std::defer_lock_t, Location where = Location::current()) noexcept
      : mutex_(&mutex), where_(where) {}
  LocatedLock(Mutex& mutex, std::try_to_lock_t, Location where = Location::current())
      : mutex_(&mutex), where_(where) {
    try_lock(where);
  }
  LocatedLock(Mutex& mutex, std::adopt_lock_t, Location where = Location::current()) noexcept
      : mutex_(&mutex), owns_(true), where_(where) {}
  LocatedLock(LocatedLock&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)),
        owns_(std::exchange(other.owns_, false)),
        where_(other.where_) {}
  LocatedLock& operator=(LocatedLock&& other) noexcept {
    if (owns_) unlock(where_);
    mutex_ = std::exchange(other.mutex_, nullptr);
    owns_ = std::exchange(other.owns_, false);
    where_ = other.where_;
    return *this;
  }
  ~LocatedLock() {
    if (owns_) unlock(where_);
  }

  void lock(Location where = Location::current()) {
    if (mutex_ == nullptr)
      throw std::system_error(std::make_error_code(std::errc::operation_not_permitted));
    if (owns_)
      throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur));
    if constexpr (kShared) {
      mutex_->lock_shared(where);
    } else {
      mutex_->lock(where);
    }
    owns_ = true;
  }
  bool try_lock(Location where = Location::current()) {
    if (mutex_ == nullptr)
      throw std::system_error(std::make_error_code(std::errc::operation_not_permitted));
    if (owns_)
      throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur));
    if constexpr (kShared) {
      owns_ = mutex_->try_lock_shared(where);
    } else {
      owns_ = mutex_->try_lock(where);
    }
    return owns_;
  }
  void unlock(Location where = Location::current()) {
    if (!owns_) throw std::system_error(std::make_error_code(std::errc::operation_not_permitted));
    owns_ = false;
    if constexpr (kShared) {
      mutex_->unlock_shared(where);
    } else {
      mutex_->unlock(where);
    }
  }

  void swap(LocatedLock& other) noexcept {
    std::swap(mutex_, other.mutex_);
    std::swap(owns_, other.owns_);
    std::swap(where_, other.where_);
  }
  Mutex* release() noexcept {
    owns_ = false;
    return std::exchange(mutex_, nullptr);
  }
  Mutex* mutex() const noexcept { return mutex_; }
  bool owns_lock() const noexcept { return owns_; }
  explicit operator bool() const noexcept { return owns_; }

 private:
  Mutex* mutex_ = nullptr;
  bool owns_ = false;
  Location where_;
};

// std::lock_guard / single-mutex std::scoped_lock.
template <typename Mutex>
class LocatedGuard {
 public:
  using mutex_type = Mutex;
  explicit LocatedGuard(Mutex& mutex, std::source_location where = std::source_location::current())
      : mutex_(mutex), where_(where) {
    mutex_.lock(where);
  }
  LocatedGuard(Mutex& mutex, std::adopt_lock_t,
               std::source_location where = std::source_location::current()) noexcept
      : mutex_(mutex), where_(where) {}
  LocatedGuard(const LocatedGuard&) = delete;
  LocatedGuard& operator=(const LocatedGuard&) = delete;
  ~LocatedGuard() { mutex_.unlock(where_); }

 private:
  Mutex& mutex_;
  std::source_location where_;
};

// Two-mutex std::scoped_lock: the same try-and-back-off algorithm as
// std::lock (block on one, try the other, release and swap roles on failure),
// with the user's location on every call.
template <typename Mutex>
class LocatedPairGuard {
 public:
  LocatedPairGuard(Mutex& first, Mutex& second,
                   std::source_location where = std::source_location::current())
      : first_(first), second_(second), where_(where) {
    for (;;) {
      first_.lock(where);
      if (second_.try_lock(where)) return;
      first_.unlock(where);
      second_.lock(where);
      if (first_.try_lock(where)) return;
      second_.unlock(where);
    }
  }
  LocatedPairGuard(std::adopt_lock_t, Mutex& first, Mutex& second,
                   std::source_location where = std::source_location::current()) noexcept
      : first_(first), second_(second), where_(where) {}
  LocatedPairGuard(const LocatedPairGuard&) = delete;
  LocatedPairGuard& operator=(const LocatedPairGuard&) = delete;
  ~LocatedPairGuard() {
    second_.unlock(where_);
    first_.unlock(where_);
  }

 private:
  Mutex& first_;
  Mutex& second_;
  std::source_location where_;
};

}  // namespace weft::internal

// Specializes the standard guards for one weft mutex type.
#define WEFT_INTERNAL_LOCATED_STD_LOCKS(WeftMutex)                                             \
  template <>                                                                                  \
  class std::unique_lock<WeftMutex> : public ::weft::internal::LocatedLock<WeftMutex, false> { \
   public:                                                                                     \
    using LocatedLock::LocatedLock;                                                            \
  };                                                                                           \
  template <>                                                                                  \
  class std::lock_guard<WeftMutex> : public ::weft::internal::LocatedGuard<WeftMutex> {        \
   public:                                                                                     \
    using LocatedGuard::LocatedGuard;                                                          \
  };                                                                                           \
  template <>                                                                                  \
  class std::scoped_lock<WeftMutex> : public ::weft::internal::LocatedGuard<WeftMutex> {       \
   public:                                                                                     \
    using LocatedGuard::LocatedGuard;                                                          \
  };                                                                                           \
  template <>                                                                                  \
  class std::scoped_lock<WeftMutex, WeftMutex>                                                 \
      : public ::weft::internal::LocatedPairGuard<WeftMutex> {                                 \
   public:                                                                                     \
    using LocatedPairGuard::LocatedPairGuard;                                                  \
  }

#endif  // WEFT_INTERNAL_LOCATED_LOCK_H_
