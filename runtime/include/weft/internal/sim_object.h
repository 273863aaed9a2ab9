// Copyright 2026 The weft Authors.
//
// SimObject: the part of every weft primitive that the simulator sees.
//
// It names the primitive (kind, optional user name, creation site) and carries
// the primitive's dense id inside the current simulated execution. The id is
// handed out by the simulator on first use and is tagged with the execution's
// epoch, so an object that outlives one execution (a global mutex, a fixture
// member) gets a fresh id in the next one. Ids are dense and assigned in order
// of first use, never derived from addresses: that keeps decisions and reports
// independent of where the allocator put things.

#ifndef WEFT_INTERNAL_SIM_OBJECT_H_
#define WEFT_INTERNAL_SIM_OBJECT_H_

#include <cstdint>
#include <source_location>

namespace weft::internal {

enum class ObjectKind : uint8_t {
  kMutex,
  kSharedMutex,
  kCondVar,
  kSemaphore,
  kAtomic,
};

// Printable name of an object kind, e.g. "Mutex".
const char* object_kind_name(ObjectKind kind);

struct SimObject {
  SimObject(ObjectKind object_kind, const char* object_name, std::source_location where)
      : kind(object_kind), name(object_name), created(where) {}
  SimObject(const SimObject&) = delete;
  SimObject& operator=(const SimObject&) = delete;

  const ObjectKind kind;
  const char* const name;  // Optional; must outlive the object (a literal).
  const std::source_location created;
  // Owned by the simulator of the execution whose epoch is stored here.
  mutable uint32_t epoch = 0;
  mutable uint32_t id = 0;
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_SIM_OBJECT_H_
