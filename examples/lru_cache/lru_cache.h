// Copyright 2026 The weft Authors.
//
// A thread-safe LRU cache as an application would write one: a recency list
// and an index, guarded by one weft::Mutex. Written against weft's
// primitives, it runs on OS threads in production and under weft's
// simulator in tests (lru_cache_test.cc).
//
//   weft::examples::LruCache cache(/*capacity=*/2);
//   cache.put(1, 10);
//   std::optional<int> value = cache.get(1);  // 10, and 1 is now most recent
//
// BasicLruCache<kCheckThenInsert = true> (RacyLruCache) is the same cache
// with a bug a reviewer easily misses: put() looks the key up in one
// critical section and inserts in another, to keep the lock short. Two
// puts of one new key then both insert it; the duplicate takes a slot, and
// the cache evicts a key it should have kept.

#ifndef WEFT_EXAMPLES_LRU_CACHE_LRU_CACHE_H_
#define WEFT_EXAMPLES_LRU_CACHE_LRU_CACHE_H_

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "weft/weft.h"

namespace weft::examples {

template <bool kCheckThenInsert>
class BasicLruCache {
 public:
  explicit BasicLruCache(size_t capacity) : capacity_(capacity) {}

  // The value of `key`, which becomes the most recently used; nullopt if
  // it is not cached.
  std::optional<int> get(int key) {
    std::scoped_lock lock(mutex_);
    const auto found = index_.find(key);
    if (found == index_.end()) return std::nullopt;
    items_.splice(items_.begin(), items_, found->second);
    return found->second->second;
  }

  // Caches `value` under `key` as the most recently used, evicting the
  // least recently used key if the cache is full.
  void put(int key, int value) {
    if constexpr (kCheckThenInsert) {
      bool cached;
      {
        std::scoped_lock lock(mutex_);
        cached = index_.contains(key);
      }
      // BUG: another put of `key` can run here; both then insert it.
      std::scoped_lock lock(mutex_);
      if (cached) {
        upsert(key, value);
      } else {
        insert(key, value);
      }
    } else {
      std::scoped_lock lock(mutex_);
      upsert(key, value);
    }
  }

  // Keys cached.
  size_t size() {
    std::scoped_lock lock(mutex_);
    return items_.size();
  }

 private:
  using Items = std::list<std::pair<int, int>>;  // (key, value), most recent first.

  void upsert(int key, int value) {
    const auto found = index_.find(key);
    if (found == index_.end()) {
      insert(key, value);
      return;
    }
    found->second->second = value;
    items_.splice(items_.begin(), items_, found->second);
  }

  void insert(int key, int value) {
    if (items_.size() == capacity_) {
      index_.erase(items_.back().first);
      items_.pop_back();
    }
    items_.emplace_front(key, value);
    index_[key] = items_.begin();
  }

  const size_t capacity_;
  weft::Mutex mutex_{"cache"};
  Items items_;
  std::unordered_map<int, Items::iterator> index_;
};

using LruCache = BasicLruCache<false>;
using RacyLruCache = BasicLruCache<true>;

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_LRU_CACHE_LRU_CACHE_H_
