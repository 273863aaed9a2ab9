// Copyright 2026 The weft Authors.

#include "tests/common/json.h"

#include <charconv>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::testing {

JsonValue JsonValue::make_bool(bool value) {
  JsonValue result;
  result.type_ = Type::kBool;
  result.bool_ = value;
  return result;
}

JsonValue JsonValue::make_number(double value, std::string text) {
  JsonValue result;
  result.type_ = Type::kNumber;
  result.number_ = value;
  result.text_ = std::move(text);
  return result;
}

JsonValue JsonValue::make_string(std::string value) {
  JsonValue result;
  result.type_ = Type::kString;
  result.text_ = std::move(value);
  return result;
}

JsonValue JsonValue::make_array(std::vector<JsonValue> items) {
  JsonValue result;
  result.type_ = Type::kArray;
  result.items_ = std::move(items);
  return result;
}

JsonValue JsonValue::make_object(std::vector<std::pair<std::string, JsonValue>> members) {
  JsonValue result;
  result.type_ = Type::kObject;
  result.members_ = std::move(members);
  return result;
}

bool JsonValue::as_bool() const {
  WEFT_CHECK(is_bool());
  return bool_;
}

double JsonValue::as_number() const {
  WEFT_CHECK(is_number());
  return number_;
}

const std::string& JsonValue::number_text() const {
  WEFT_CHECK(is_number());
  return text_;
}

std::optional<int64_t> JsonValue::as_int() const {
  WEFT_CHECK(is_number());
  if (text_.find_first_of(".eE") != std::string::npos) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text_.data(), text_.data() + text_.size(), value);
  if (error != std::errc() || end != text_.data() + text_.size()) return std::nullopt;
  return value;
}

const std::string& JsonValue::as_string() const {
  WEFT_CHECK(is_string());
  return text_;
}

const std::vector<JsonValue>& JsonValue::array() const {
  WEFT_CHECK(is_array());
  return items_;
}

const std::vector<std::pair<std::string, JsonValue>>& JsonValue::members() const {
  WEFT_CHECK(is_object());
  return members_;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [name, value] : members_) {
    if (name == key) return &value;
  }
  return nullptr;
}

const JsonValue& JsonValue::at(std::string_view key) const {
  const JsonValue* value = find(key);
  WEFT_CHECK(value != nullptr);
  return *value;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> document() {
    absl::StatusOr<JsonValue> value = parse_value(0);
    if (!value.ok()) return value;
    skip_whitespace();
    if (position_ != text_.size()) return error("text after the JSON value");
    return value;
  }

 private:
  absl::Status error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("JSON: %s at byte %d", std::string(what), position_));
  }

  void skip_whitespace() {
    while (position_ < text_.size()) {
      const char c = text_[position_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++position_;
    }
  }

  bool consume(std::string_view literal) {
    if (text_.substr(position_, literal.size()) != literal) return false;
    position_ += literal.size();
    return true;
  }

  absl::StatusOr<JsonValue> parse_value(size_t depth) {
    if (depth >= kJsonDepthMax) return error("nesting deeper than kJsonDepthMax");
    skip_whitespace();
    if (position_ >= text_.size()) return error("a value expected, end of text found");
    const char c = text_[position_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') {
      absl::StatusOr<std::string> text = parse_string();
      if (!text.ok()) return text.status();
      return JsonValue::make_string(*std::move(text));
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    if (consume("true")) return JsonValue::make_bool(true);
    if (consume("false")) return JsonValue::make_bool(false);
    if (consume("null")) return JsonValue::make_null();
    return error("unexpected character");
  }

  absl::StatusOr<JsonValue> parse_object(size_t depth) {
    ++position_;  // '{'
    std::vector<std::pair<std::string, JsonValue>> members;
    skip_whitespace();
    if (consume("}")) return JsonValue::make_object(std::move(members));
    for (;;) {
      skip_whitespace();
      if (position_ >= text_.size() || text_[position_] != '"') return error("a key expected");
      absl::StatusOr<std::string> key = parse_string();
      if (!key.ok()) return key.status();
      for (const auto& member : members) {
        if (member.first == *key) return error("duplicate key \"" + *key + "\"");
      }
      skip_whitespace();
      if (!consume(":")) return error("':' expected");
      absl::StatusOr<JsonValue> value = parse_value(depth + 1);
      if (!value.ok()) return value.status();
      members.emplace_back(*std::move(key), *std::move(value));
      skip_whitespace();
      if (consume("}")) return JsonValue::make_object(std::move(members));
      if (!consume(",")) return error("',' or '}' expected");
    }
  }

  absl::StatusOr<JsonValue> parse_array(size_t depth) {
    ++position_;  // '['
    std::vector<JsonValue> items;
    skip_whitespace();
    if (consume("]")) return JsonValue::make_array(std::move(items));
    for (;;) {
      absl::StatusOr<JsonValue> item = parse_value(depth + 1);
      if (!item.ok()) return item.status();
      items.push_back(*std::move(item));
      skip_whitespace();
      if (consume("]")) return JsonValue::make_array(std::move(items));
      if (!consume(",")) return error("',' or ']' expected");
    }
  }

  bool digit_at(size_t index) const {
    return index < text_.size() && text_[index] >= '0' && text_[index] <= '9';
  }

  absl::StatusOr<JsonValue> parse_number() {
    const size_t start = position_;
    if (text_[position_] == '-') ++position_;
    if (!digit_at(position_)) return error("a digit expected");
    if (text_[position_] == '0') {
      ++position_;
      if (digit_at(position_)) return error("a leading zero");
    } else {
      while (digit_at(position_)) ++position_;
    }
    if (position_ < text_.size() && text_[position_] == '.') {
      ++position_;
      if (!digit_at(position_)) return error("a digit expected after '.'");
      while (digit_at(position_)) ++position_;
    }
    if (position_ < text_.size() && (text_[position_] == 'e' || text_[position_] == 'E')) {
      ++position_;
      if (position_ < text_.size() && (text_[position_] == '+' || text_[position_] == '-')) {
        ++position_;
      }
      if (!digit_at(position_)) return error("a digit expected in the exponent");
      while (digit_at(position_)) ++position_;
    }
    const std::string_view number = text_.substr(start, position_ - start);
    double value = 0;
    const auto [end, failure] =
        std::from_chars(number.data(), number.data() + number.size(), value);
    if (failure != std::errc() || end != number.data() + number.size()) {
      return error("a number out of range");
    }
    return JsonValue::make_number(value, std::string(number));
  }

  absl::StatusOr<uint32_t> parse_hex4() {
    if (position_ + 4 > text_.size()) return error("\\u needs four hex digits");
    uint32_t value = 0;
    for (int index = 0; index < 4; ++index) {
      const char c = text_[position_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return error("a bad hex digit in \\u");
      }
    }
    return value;
  }

  static void append_utf8(std::string& out, uint32_t code_point) {
    if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else if (code_point < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    }
  }

  absl::Status parse_escape(std::string& out) {
    if (position_ >= text_.size()) return error("an unfinished escape");
    const char c = text_[position_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return absl::OkStatus();
      case 'b':
        out.push_back('\b');
        return absl::OkStatus();
      case 'f':
        out.push_back('\f');
        return absl::OkStatus();
      case 'n':
        out.push_back('\n');
        return absl::OkStatus();
      case 'r':
        out.push_back('\r');
        return absl::OkStatus();
      case 't':
        out.push_back('\t');
        return absl::OkStatus();
      case 'u':
        break;
      default:
        return error("an unknown escape");
    }
    absl::StatusOr<uint32_t> unit = parse_hex4();
    if (!unit.ok()) return unit.status();
    uint32_t code_point = *unit;
    if (code_point >= 0xdc00 && code_point <= 0xdfff) return error("a lone low surrogate");
    if (code_point >= 0xd800 && code_point <= 0xdbff) {
      if (!consume("\\u")) return error("a high surrogate without its low half");
      absl::StatusOr<uint32_t> low = parse_hex4();
      if (!low.ok()) return low.status();
      if (*low < 0xdc00 || *low > 0xdfff) return error("a high surrogate without its low half");
      code_point = 0x10000 + ((code_point - 0xd800) << 10) + (*low - 0xdc00);
    }
    append_utf8(out, code_point);
    return absl::OkStatus();
  }

  // One well-formed UTF-8 sequence starting at position_ (not ASCII).
  absl::Status copy_utf8(std::string& out) {
    const auto lead = static_cast<unsigned char>(text_[position_]);
    size_t length = 0;
    uint32_t code_point = 0;
    if ((lead & 0xe0) == 0xc0) {
      length = 2;
      code_point = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      code_point = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return error("invalid UTF-8");
    }
    if (position_ + length > text_.size()) return error("truncated UTF-8");
    for (size_t offset = 1; offset < length; ++offset) {
      const auto continuation = static_cast<unsigned char>(text_[position_ + offset]);
      if ((continuation & 0xc0) != 0x80) return error("invalid UTF-8");
      code_point = (code_point << 6) | (continuation & 0x3f);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallest[length]) return error("overlong UTF-8");
    if (code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return error("UTF-8 of no code point");
    }
    out.append(text_.substr(position_, length));
    position_ += length;
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> parse_string() {
    ++position_;  // '"'
    std::string out;
    for (;;) {
      if (position_ >= text_.size()) return error("an unterminated string");
      const auto c = static_cast<unsigned char>(text_[position_]);
      if (c == '"') {
        ++position_;
        return out;
      }
      if (c < 0x20) return error("a raw control character in a string");
      if (c == '\\') {
        ++position_;
        if (absl::Status status = parse_escape(out); !status.ok()) return status;
        continue;
      }
      if (c >= 0x80) {
        if (absl::Status status = copy_utf8(out); !status.ok()) return status;
        continue;
      }
      out.push_back(static_cast<char>(c));
      ++position_;
    }
  }

  const std::string_view text_;
  size_t position_ = 0;
};

}  // namespace

absl::StatusOr<JsonValue> parse_json(std::string_view text) { return Parser(text).document(); }

}  // namespace weft::testing
