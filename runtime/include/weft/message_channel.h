// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: message_channel.h
// -----------------------------------------------------------------------------
//
// weft::MessageChannel<T> carries whole values of T between processes (or
// threads) over a weft::Pipe: each value is encoded by weft::Codec<T> and
// sent as one length-prefixed frame, like Python's multiprocessing
// Connection.send/recv. (weft::Channel<T>, in weft/channel.h, is the
// in-process queue between coroutine tasks; this one crosses processes.)
//
//   weft::MessageChannel<Job> jobs = weft::MessageChannel<Job>::create();
//   weft::Process worker = weft::Process::spawn(
//       [in = std::move(jobs.receiver)]() mutable {
//         while (std::optional<Job> job = in.receive().value()) run(*job);  // nullopt: closed
//       });
//   jobs.sender.send(Job{...}).IgnoreError();
//   jobs.sender.close();
//
// weft::Codec<T> is provided for arithmetic types, enums, std::string,
// std::vector, std::pair and std::optional of encodable types. For your own
// type, specialise it:
//
//   template <> struct weft::Codec<Job> {
//     static void encode(const Job& job, std::string& out) {
//       weft::Codec<std::string>::encode(job.name, out);
//       weft::Codec<int>::encode(job.priority, out);
//     }
//     static bool decode(std::string_view& in, Job& job) {   // consumes what it read
//       return weft::Codec<std::string>::decode(in, job.name) &&
//              weft::Codec<int>::decode(in, job.priority);
//     }
//   };
//
// A type without a Codec does not compile (a static_assert naming it).
// Errors: kInvalidArgument for a value whose encoding exceeds kMessageMax,
// kDataLoss for a frame that does not decode, and the pipe's own errors.

#ifndef WEFT_MESSAGE_CHANNEL_H_
#define WEFT_MESSAGE_CHANNEL_H_

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "weft/pipe.h"

namespace weft {

// Encodes T by appending to `out`; decodes by consuming from the front of
// `in`, returning false on malformed input. Specialise it for your types.
template <typename T, typename Enable = void>
struct Codec;

template <typename T>
concept Encodable = requires(const T& value, std::string& out, std::string_view& in, T& into) {
  Codec<T>::encode(value, out);
  { Codec<T>::decode(in, into) } -> std::same_as<bool>;
};

// Fixed-width little-endian for arithmetic types and enums.
template <typename T>
struct Codec<T, std::enable_if_t<std::is_arithmetic_v<T> || std::is_enum_v<T>>> {
  static void encode(const T& value, std::string& out) {
    std::array<char, sizeof(T)> bytes;
    std::memcpy(bytes.data(), &value, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(bytes.begin(), bytes.end());
    out.append(bytes.data(), bytes.size());
  }
  static bool decode(std::string_view& in, T& value) {
    if (in.size() < sizeof(T)) return false;
    std::array<char, sizeof(T)> bytes;
    std::memcpy(bytes.data(), in.data(), sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(bytes.begin(), bytes.end());
    std::memcpy(&value, bytes.data(), sizeof(T));
    in.remove_prefix(sizeof(T));
    return true;
  }
};

template <>
struct Codec<std::string> {
  static void encode(const std::string& value, std::string& out) {
    Codec<uint32_t>::encode(static_cast<uint32_t>(value.size()), out);
    out += value;
  }
  static bool decode(std::string_view& in, std::string& value) {
    uint32_t size = 0;
    if (!Codec<uint32_t>::decode(in, size) || in.size() < size) return false;
    value.assign(in.data(), size);
    in.remove_prefix(size);
    return true;
  }
};

template <Encodable T>
struct Codec<std::vector<T>> {
  static void encode(const std::vector<T>& values, std::string& out) {
    Codec<uint32_t>::encode(static_cast<uint32_t>(values.size()), out);
    for (const T& value : values) Codec<T>::encode(value, out);
  }
  static bool decode(std::string_view& in, std::vector<T>& values) {
    uint32_t size = 0;
    if (!Codec<uint32_t>::decode(in, size) || size > in.size()) return false;  // >= 1 byte each
    values.clear();
    values.reserve(size);
    for (uint32_t i = 0; i < size; ++i) {
      T value{};
      if (!Codec<T>::decode(in, value)) return false;
      values.push_back(std::move(value));
    }
    return true;
  }
};

template <Encodable A, Encodable B>
struct Codec<std::pair<A, B>> {
  static void encode(const std::pair<A, B>& value, std::string& out) {
    Codec<A>::encode(value.first, out);
    Codec<B>::encode(value.second, out);
  }
  static bool decode(std::string_view& in, std::pair<A, B>& value) {
    return Codec<A>::decode(in, value.first) && Codec<B>::decode(in, value.second);
  }
};

template <Encodable T>
struct Codec<std::optional<T>> {
  static void encode(const std::optional<T>& value, std::string& out) {
    Codec<bool>::encode(value.has_value(), out);
    if (value) Codec<T>::encode(*value, out);
  }
  static bool decode(std::string_view& in, std::optional<T>& value) {
    bool present = false;
    if (!Codec<bool>::decode(in, present)) return false;
    if (!present) {
      value.reset();
      return true;
    }
    T inner{};
    if (!Codec<T>::decode(in, inner)) return false;
    value = std::move(inner);
    return true;
  }
};

// The largest encoded message a channel carries.
inline constexpr size_t kMessageMax = size_t{16} << 20;

template <typename T>
class MessageSender {
  static_assert(Encodable<T>,
                "weft::MessageChannel<T>: T has no weft::Codec<T> (specialise weft::Codec for "
                "it; see weft/message_channel.h)");

 public:
  MessageSender() = default;
  explicit MessageSender(PipeWriter writer) : writer_(std::move(writer)) {}

  // Sends `value` as one frame; blocks while the pipe is full.
  absl::Status send(const T& value, std::source_location where = std::source_location::current()) {
    std::string frame(sizeof(uint32_t), '\0');
    Codec<T>::encode(value, frame);
    const size_t size = frame.size() - sizeof(uint32_t);
    if (size > kMessageMax) {
      return absl::InvalidArgumentError(
          "weft::MessageSender::send: the encoded value is over "
          "kMessageMax bytes");
    }
    std::string prefix;
    Codec<uint32_t>::encode(static_cast<uint32_t>(size), prefix);
    frame.replace(0, prefix.size(), prefix);
    return writer_.write(frame, where);
  }
  // The receiver sees the end of the channel once every sender is closed.
  void close(std::source_location where = std::source_location::current()) { writer_.close(where); }
  bool is_open() const { return writer_.is_open(); }

 private:
  PipeWriter writer_;
};

template <typename T>
class MessageReceiver {
  static_assert(Encodable<T>,
                "weft::MessageChannel<T>: T has no weft::Codec<T> (specialise weft::Codec for "
                "it; see weft/message_channel.h)");

 public:
  MessageReceiver() = default;
  explicit MessageReceiver(PipeReader reader) : reader_(std::move(reader)) {}

  // The next value, or nullopt once every sender has closed (and all sent
  // values were received). Blocks until one of the two.
  absl::StatusOr<std::optional<T>> receive(
      std::source_location where = std::source_location::current()) {
    std::array<std::byte, sizeof(uint32_t)> prefix;
    absl::StatusOr<size_t> first = reader_.read(std::span(prefix).first(1), where);
    if (!first.ok()) return first.status();
    if (*first == 0) return std::optional<T>();  // A clean end between frames.
    if (absl::Status rest = reader_.read_exact(std::span(prefix).subspan(1), where); !rest.ok()) {
      return absl::DataLossError("weft::MessageReceiver: the channel ended inside a frame");
    }
    uint32_t size = 0;
    std::string_view prefix_view(reinterpret_cast<const char*>(prefix.data()), prefix.size());
    Codec<uint32_t>::decode(prefix_view, size);
    if (size > kMessageMax) {
      return absl::DataLossError("weft::MessageReceiver: a frame longer than kMessageMax");
    }
    std::string payload(size, '\0');
    if (absl::Status body = reader_.read_exact(
            std::as_writable_bytes(std::span<char>(payload.data(), payload.size())), where);
        !body.ok()) {
      return absl::DataLossError("weft::MessageReceiver: the channel ended inside a frame");
    }
    std::string_view in(payload);
    T value{};
    if (!Codec<T>::decode(in, value) || !in.empty()) {
      return absl::DataLossError("weft::MessageReceiver: a frame that does not decode as T");
    }
    return std::optional<T>(std::move(value));
  }
  void close(std::source_location where = std::source_location::current()) { reader_.close(where); }
  bool is_open() const { return reader_.is_open(); }

 private:
  PipeReader reader_;
};

template <typename T>
struct MessageChannel {
  // A new channel over a new pipe. Throws std::system_error if the OS refuses.
  static MessageChannel create(std::source_location where = std::source_location::current()) {
    Pipe pipe = Pipe::create(where);
    return MessageChannel{MessageSender<T>(std::move(pipe.writer)),
                          MessageReceiver<T>(std::move(pipe.reader))};
  }

  MessageSender<T> sender;
  MessageReceiver<T> receiver;
};

}  // namespace weft

#endif  // WEFT_MESSAGE_CHANNEL_H_
