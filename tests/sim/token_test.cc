// Copyright 2026 The weft Authors.
//
// Goal: replay tokens round-trip, and every malformed or foreign token is
// rejected with a message naming what is wrong — never a crash, never a
// silent different run. Method: encode specs, decode them back; then mangle
// a valid token in each way a user could (truncate, edit, wrong version,
// unknown strategy, bad numbers) and check the error text.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;

ExecutionSpec pct_spec() {
  ExecutionSpec spec;
  spec.strategy = Strategy::kPct;
  spec.seed = 42;
  spec.execution = 1203;
  spec.max_steps = 5000;
  spec.pct_depth = 3;
  spec.pct_steps_estimate = 57;
  return spec;
}

TEST(Token, RoundTripsEveryField) {
  for (Strategy strategy : {Strategy::kPct, Strategy::kRandom}) {
    ExecutionSpec spec = pct_spec();
    spec.strategy = strategy;
    if (strategy == Strategy::kRandom) {
      spec.pct_depth = 3;  // Not encoded for random; the default comes back.
      spec.pct_steps_estimate = 0;
    }
    const std::string token = encode_repro_token(spec);
    const absl::StatusOr<ExecutionSpec> decoded = decode_repro_token(token);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->strategy, spec.strategy);
    EXPECT_EQ(decoded->seed, spec.seed);
    EXPECT_EQ(decoded->execution, spec.execution);
    EXPECT_EQ(decoded->max_steps, spec.max_steps);
    EXPECT_EQ(decoded->pct_depth, spec.pct_depth);
    EXPECT_EQ(decoded->pct_steps_estimate, spec.pct_steps_estimate);
    EXPECT_EQ(encode_repro_token(*decoded), token);
  }
  EXPECT_THAT(
      encode_repro_token(pct_spec()),
      ::testing::MatchesRegex("weft1:pct:d=3:k=57:steps=5000:seed=42:exec=1203:sum=[0-9a-f]{8}"));
}

TEST(Token, WrittenOutScheduleRoundTripsAndIsSafeToPasteInAShell) {
  ExecutionSpec spec;
  spec.max_steps = 77;
  spec.schedule = ScheduleChoices{.data_seed = UINT64_MAX,
                                  .choices = {{0, 3, 1}, {1, 0, 2}, {2, 4'000'000'000u, 0}}};
  const std::string token = encode_repro_token(spec);
  EXPECT_THAT(token, ::testing::MatchesRegex("weft1:sched:steps=77:data=18446744073709551615:"
                                             "picks=0.3@1,1.0@2,2.4000000000@0:sum=[0-9a-f]{8}"));
  // Pasted unquoted after WEFT_REPLAY=, nothing in it may mean something
  // to a shell (no '>', '<', '|', '&', ';', spaces, quotes, '$', '*').
  EXPECT_THAT(token, ::testing::MatchesRegex("[A-Za-z0-9:=.,@]+"));
  const absl::StatusOr<ExecutionSpec> decoded = decode_repro_token(token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(decoded->schedule.has_value());
  EXPECT_EQ(decoded->schedule->data_seed, UINT64_MAX);
  EXPECT_EQ(decoded->schedule->choices, spec.schedule->choices);
  EXPECT_EQ(decoded->max_steps, 77u);
  EXPECT_EQ(encode_repro_token(*decoded), token);

  spec.schedule->choices.clear();
  EXPECT_THAT(encode_repro_token(spec), ::testing::HasSubstr(":picks=none:"));
  const absl::StatusOr<ExecutionSpec> empty = decode_repro_token(encode_repro_token(spec));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->schedule->choices.empty());
}

TEST(Token, LargestSeedRoundTrips) {
  ExecutionSpec spec = pct_spec();
  spec.seed = UINT64_MAX;
  const absl::StatusOr<ExecutionSpec> decoded = decode_repro_token(encode_repro_token(spec));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->seed, UINT64_MAX);
}

// Signs an edited body (FNV-1a, as the encoder does) so that only the edit,
// not the checksum, is wrong; checked against the encoder below.
std::string signed_token(const std::string& body) {
  uint32_t hash = 2166136261u;
  for (char c : body) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  char sum[9];
  std::snprintf(sum, sizeof(sum), "%08x", hash);
  return body + ":sum=" + sum;
}

TEST(Token, SignedTokenHelperMatchesTheEncoder) {
  const std::string token = encode_repro_token(pct_spec());
  EXPECT_EQ(signed_token(token.substr(0, token.rfind(":sum="))), token);
}

struct BadToken {
  std::string token;
  std::string complaint;
};

class TokenRejects : public ::testing::TestWithParam<BadToken> {};

TEST_P(TokenRejects, WithAMessageNamingTheProblem) {
  const absl::StatusOr<ExecutionSpec> decoded = decode_repro_token(GetParam().token);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr(GetParam().complaint));
  // The same through replay(): a kInvalidArgument report, nothing run.
  bool ran = false;
  const Report report = replay(GetParam().token, [&] { ran = true; });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kInvalidArgument);
  EXPECT_FALSE(ran);
}

const std::string kValid = encode_repro_token(pct_spec());

INSTANTIATE_TEST_SUITE_P(
    Malformed, TokenRejects,
    ::testing::Values(
        BadToken{"", "empty"}, BadToken{"hello", "does not start with 'weft1:'"},
        BadToken{"weft2:pct:d=3:k=1:steps=1:seed=1:exec=0:sum=00000000", "format version 'weft2'"},
        BadToken{kValid.substr(0, kValid.size() - 3), "not 8 hex digits"},
        BadToken{kValid.substr(0, 30), "no checksum"},
        BadToken{"weft1:pct:d=3:k=57:steps=5000:seed=43:exec=1203" +
                     kValid.substr(kValid.rfind(":sum=")),
                 "checksum mismatch"},
        BadToken{signed_token("weft1:bfs:steps=5:seed=1:exec=0"), "unknown strategy 'bfs'"},
        BadToken{signed_token("weft1:dfs:steps=5:seed=1:exec=0"), "replays from its written-out"},
        BadToken{signed_token("weft1:sched:steps=5:data=1"), "missing field 'picks'"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks="), "is not of the form"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks=1.2@"), "is not of the form"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks=1.2@3,x"), "pick 'x'"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks=-1.2@3"), "is not of the form"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks=1.2@99999999"), "names thread"},
        BadToken{signed_token("weft1:sched:steps=5:data=1:picks=none:seed=3"),
                 "unknown field 'seed'"},
        BadToken{signed_token("weft1:sched:data=1:picks=none"), "missing field 'steps'"},
        BadToken{signed_token("weft1:pct:d=3:k=5:steps=5:seed=x1:exec=0"),
                 "field 'seed' is not a number"},
        BadToken{signed_token("weft1:pct:d=3:k=5:steps=5:seed=-1:exec=0"),
                 "field 'seed' is not a number"},
        BadToken{signed_token("weft1:pct:d=0:k=5:steps=5:seed=1:exec=0"),
                 "field 'd' = 0 is out of range"},
        BadToken{signed_token("weft1:pct:d=3:steps=5:seed=1:exec=0"), "missing field 'k'"},
        BadToken{signed_token("weft1:random:steps=5:seed=1"), "missing field 'exec'"},
        BadToken{signed_token("weft1:random:steps=5:seed=1:exec=0:colour=red"),
                 "unknown field 'colour'"},
        BadToken{signed_token("weft1:random:steps=5:seed=1:seed=2:exec=0"), "appears twice"},
        BadToken{signed_token("weft1:random:steps:seed=1:exec=0"), "has no '='"},
        BadToken{signed_token("weft1:random:steps=0:seed=1:exec=0"), "out of range"},
        BadToken{signed_token("weft1:random:steps=99999999999999999999:seed=1:exec=0"),
                 "not a number"}));

TEST(Token, StrategyNamesRoundTrip) {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const absl::StatusOr<Strategy> parsed = parse_strategy(strategy_name(strategy));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, strategy);
  }
  const absl::StatusOr<Strategy> unknown = parse_strategy("PCT");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("known: random, pct"));
}

}  // namespace
}  // namespace weft
