// Copyright 2026 The weft Authors.
//
// Replay tokens: one printable line that names one execution exactly.
//
//   weft1:pct:d=3:k=57:steps=1000000:seed=42:exec=1204:sum=9c1e02aa
//   weft1:random:steps=1000000:seed=42:exec=7:sum=0d4f1b22
//   weft1:sched:steps=1000000:data=811:picks=0.3@1,2.0@1:sum=5e61a0c4
//
// A "sched" token writes the schedule out as its departures from the default
// schedule (ScheduleChoice: decider.index@next, '@' because a shell reads '>'; "none" for no departure);
// that is what a shrunk schedule, or one the dfs strategy found, replays from.
//
// The first field is the format version; the last is a checksum of all before
// it, so a truncated or edited token is rejected instead of replaying some
// other execution. Every field is named, so an error can say which is wrong.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/limits.h"
#include "weft/explore.h"

namespace weft {
namespace {

// Debian's Abseil has its own string_view (not std's); this file speaks it.
using absl::string_view;

constexpr string_view kVersion = "weft1";
constexpr string_view kScheduleKind = "sched";
// Choices in one token: a written-out schedule this long is no longer a
// thing to paste (shrinking keeps them short).
constexpr size_t kChoicesMax = 100'000;
constexpr string_view kSumField = ":sum=";

string_view to_absl(std::string_view text) { return string_view(text.data(), text.size()); }

uint32_t checksum(string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

absl::Status token_error(string_view token, string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("bad replay token '", token, "': ", problem));
}

// The named unsigned field `key` of `fields`, within [low, high].
absl::StatusOr<uint64_t> number_field(std::map<std::string, std::string, std::less<>>& fields,
                                      string_view key, uint64_t low, uint64_t high,
                                      string_view token) {
  auto found = fields.find(key);
  if (found == fields.end()) return token_error(token, absl::StrCat("missing field '", key, "'"));
  uint64_t value = 0;
  if (!absl::SimpleAtoi(found->second, &value) || found->second.empty() ||
      found->second[0] == '+' || found->second[0] == '-') {
    return token_error(token,
                       absl::StrCat("field '", key, "' is not a number: '", found->second, "'"));
  }
  if (value < low || value > high) {
    return token_error(
        token, absl::StrFormat("field '%s' = %d is out of range [%d, %d]", key, value, low, high));
  }
  fields.erase(found);
  return value;
}

using Fields = std::map<std::string, std::string, std::less<>>;

// The name=value fields after the strategy, each name once.
absl::StatusOr<Fields> named_fields(string_view body, string_view token) {
  Fields fields;
  const std::vector<string_view> named = absl::StrSplit(body, ':');
  for (size_t i = 2; i < named.size(); ++i) {
    const std::pair<string_view, string_view> key_value =
        absl::StrSplit(named[i], absl::MaxSplits('=', 1));
    if (named[i].find('=') == string_view::npos) {
      return token_error(token, absl::StrCat("field '", named[i], "' has no '='"));
    }
    if (!fields.emplace(std::string(key_value.first), std::string(key_value.second)).second) {
      return token_error(token, absl::StrCat("field '", key_value.first, "' appears twice"));
    }
  }
  return fields;
}

// "0.3@1": one ScheduleChoice.
absl::StatusOr<ScheduleChoice> parse_choice(string_view text, string_view token) {
  const std::vector<string_view> ends = absl::StrSplit(text, '@');
  std::vector<string_view> decision;
  if (ends.size() == 2) decision = absl::StrSplit(ends[0], '.');
  uint32_t values[3] = {0, 0, 0};
  const bool parsed =
      ends.size() == 2 && decision.size() == 2 && absl::SimpleAtoi(decision[0], &values[0]) &&
      absl::SimpleAtoi(decision[1], &values[1]) && absl::SimpleAtoi(ends[1], &values[2]);
  bool digits_only = true;
  for (char c : text) digits_only &= (c >= '0' && c <= '9') || c == '.' || c == '@';
  if (!parsed || !digits_only) {
    return token_error(token, absl::StrCat("pick '", text,
                                           "' is not of the form decider.index@next (e.g. 0.3@1)"));
  }
  for (const uint32_t id : {values[0], values[2]}) {
    if (id >= sim::kEntitiesMax) {
      return token_error(token, absl::StrFormat("pick '%s' names thread %d; ids are below %d", text,
                                                id, sim::kEntitiesMax));
    }
  }
  return ScheduleChoice{values[0], values[1], values[2]};
}

absl::StatusOr<ExecutionSpec> decode_schedule(Fields& fields, string_view token) {
  ExecutionSpec spec;
  absl::StatusOr<uint64_t> steps = number_field(fields, "steps", 1, sim::kStepsMaxCeiling, token);
  if (!steps.ok()) return steps.status();
  absl::StatusOr<uint64_t> data = number_field(fields, "data", 0, UINT64_MAX, token);
  if (!data.ok()) return data.status();
  const auto picks = fields.find("picks");
  if (picks == fields.end()) return token_error(token, "missing field 'picks'");
  spec.max_steps = *steps;
  spec.schedule.emplace();
  spec.schedule->data_seed = *data;
  if (picks->second != "none") {
    for (string_view text : absl::StrSplit(picks->second, ',')) {
      if (spec.schedule->choices.size() == kChoicesMax) {
        return token_error(token, absl::StrFormat("more than %d picks", kChoicesMax));
      }
      absl::StatusOr<ScheduleChoice> choice = parse_choice(text, token);
      if (!choice.ok()) return choice.status();
      spec.schedule->choices.push_back(*choice);
    }
  }
  fields.erase(picks);
  if (!fields.empty()) {
    return token_error(
        token, absl::StrCat("unknown field '", fields.begin()->first, "' for ", kScheduleKind));
  }
  return spec;
}

}  // namespace

std::string encode_repro_token(const ExecutionSpec& spec) {
  if (spec.schedule) {
    std::string body = absl::StrCat(kVersion, ":", kScheduleKind, ":steps=", spec.max_steps,
                                    ":data=", spec.schedule->data_seed, ":picks=");
    if (spec.schedule->choices.empty()) body += "none";
    for (size_t i = 0; i < spec.schedule->choices.size(); ++i) {
      const ScheduleChoice& choice = spec.schedule->choices[i];
      absl::StrAppend(&body, i > 0 ? "," : "", choice.decider, ".", choice.index, "@", choice.next);
    }
    return absl::StrCat(body, kSumField, absl::StrFormat("%08x", checksum(body)));
  }
  std::string body = absl::StrCat(kVersion, ":", to_absl(strategy_name(spec.strategy)));
  if (spec.strategy == Strategy::kPct) {
    absl::StrAppend(&body, ":d=", spec.pct_depth, ":k=", spec.pct_steps_estimate);
  }
  absl::StrAppend(&body, ":steps=", spec.max_steps, ":seed=", spec.seed, ":exec=", spec.execution);
  return absl::StrCat(body, kSumField, absl::StrFormat("%08x", checksum(body)));
}

absl::StatusOr<ExecutionSpec> decode_repro_token(std::string_view std_token) {
  const string_view token = to_absl(std_token);
  if (token.empty()) return token_error(token, "it is empty");
  const std::vector<string_view> parts = absl::StrSplit(token, ':');
  if (parts[0] != kVersion) {
    if (absl::StartsWith(parts[0], "weft")) {
      return token_error(token,
                         absl::StrCat("format version '", parts[0],
                                      "' is not supported (this build reads '", kVersion, "')"));
    }
    return token_error(token, absl::StrCat("it does not start with '", kVersion, ":'"));
  }
  const size_t sum_at = token.rfind(kSumField);
  if (sum_at == string_view::npos) {
    return token_error(token, "no checksum field 'sum' at the end (truncated?)");
  }
  const string_view body = token.substr(0, sum_at);
  const string_view sum_text = token.substr(sum_at + kSumField.size());
  uint32_t sum = 0;
  if (sum_text.size() != 8 || !absl::SimpleHexAtoi(sum_text, &sum)) {
    return token_error(token, "the checksum is not 8 hex digits (truncated?)");
  }
  if (sum != checksum(body)) {
    return token_error(token, "checksum mismatch: the token was truncated or edited");
  }
  if (parts.size() < 2) return token_error(token, "no strategy");
  absl::StatusOr<std::map<std::string, std::string, std::less<>>> named = named_fields(body, token);
  if (!named.ok()) return named.status();
  std::map<std::string, std::string, std::less<>>& fields = *named;
  if (parts[1] == kScheduleKind) return decode_schedule(fields, token);
  absl::StatusOr<Strategy> strategy =
      parse_strategy(std::string_view(parts[1].data(), parts[1].size()));
  if (!strategy.ok()) return token_error(token, strategy.status().message());
  if (*strategy == Strategy::kDfs) {
    return token_error(token, "a dfs execution replays from its written-out schedule ('sched')");
  }

  ExecutionSpec spec;
  spec.strategy = *strategy;
  if (spec.strategy == Strategy::kPct) {
    absl::StatusOr<uint64_t> depth = number_field(fields, "d", 1, sim::kPctDepthMax, token);
    if (!depth.ok()) return depth.status();
    absl::StatusOr<uint64_t> estimate = number_field(fields, "k", 0, sim::kStepsMaxCeiling, token);
    if (!estimate.ok()) return estimate.status();
    spec.pct_depth = static_cast<int>(*depth);
    spec.pct_steps_estimate = *estimate;
  }
  absl::StatusOr<uint64_t> steps = number_field(fields, "steps", 1, sim::kStepsMaxCeiling, token);
  if (!steps.ok()) return steps.status();
  absl::StatusOr<uint64_t> seed = number_field(fields, "seed", 0, UINT64_MAX, token);
  if (!seed.ok()) return seed.status();
  absl::StatusOr<uint64_t> execution = number_field(fields, "exec", 0, sim::kIterationsMax, token);
  if (!execution.ok()) return execution.status();
  if (!fields.empty()) {
    return token_error(token, absl::StrCat("unknown field '", fields.begin()->first, "' for ",
                                           to_absl(strategy_name(spec.strategy))));
  }
  spec.max_steps = *steps;
  spec.seed = *seed;
  spec.execution = *execution;
  return spec;
}

}  // namespace weft
