// Copyright 2026 The weft Authors.

#include "examples/workloads/catalogue.h"

#include <array>

namespace weft::examples {
namespace {

constexpr std::array kCatalogue = {
    Workload{"bank", "two transfers lock their accounts in opposite orders", &bank_deadlock,
             &bank_fixed, FailureKind::kDeadlock},
};

}  // namespace

std::span<const Workload> catalogue() { return kCatalogue; }

const Workload* find_workload(std::string_view name) {
  for (const Workload& workload : kCatalogue) {
    if (workload.name == name) return &workload;
  }
  return nullptr;
}

}  // namespace weft::examples
