// Copyright 2026 The weft Authors.
//
// A small strict JSON parser (RFC 8259) for tests: they read back what weft
// writes (Chrome traces) and check its structure. No dependency beyond absl.
//
//   absl::StatusOr<JsonValue> root = parse_json(text);
//   ASSERT_TRUE(root.ok()) << root.status();
//   for (const JsonValue& event : root->at("traceEvents").array()) ...
//
// Strict: one value and only whitespace around it; no trailing commas,
// comments, leading zeros, lone surrogates, raw control characters or invalid
// UTF-8 in strings; duplicate object keys are an error. Nesting is limited to
// kJsonDepthMax. Objects keep their members in document order.

#ifndef WEFT_TESTS_COMMON_JSON_H_
#define WEFT_TESTS_COMMON_JSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace weft::testing {

inline constexpr size_t kJsonDepthMax = 256;

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue make_null() { return JsonValue(); }
  static JsonValue make_bool(bool value);
  // `text` is the number as written (integers compare exactly through it).
  static JsonValue make_number(double value, std::string text);
  static JsonValue make_string(std::string value);
  static JsonValue make_array(std::vector<JsonValue> items);
  static JsonValue make_object(std::vector<std::pair<std::string, JsonValue>> members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // The accessors check the type (WEFT_CHECK: a test bug, not a parse error).
  bool as_bool() const;
  double as_number() const;
  // The number as written, e.g. "12", "-0.5", "1e3".
  const std::string& number_text() const;
  // The number if it is an integer written without fraction or exponent.
  std::optional<int64_t> as_int() const;
  const std::string& as_string() const;
  const std::vector<JsonValue>& array() const;
  const std::vector<std::pair<std::string, JsonValue>>& members() const;

  // Object member `key`, or nullptr (also for a non-object).
  const JsonValue* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
  // Object member `key`; REQUIRES: it exists.
  const JsonValue& at(std::string_view key) const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string text_;  // A string's value, or a number's text.
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses `text` as one JSON document; InvalidArgument with the byte offset
// and the reason otherwise.
absl::StatusOr<JsonValue> parse_json(std::string_view text);

}  // namespace weft::testing

#endif  // WEFT_TESTS_COMMON_JSON_H_
