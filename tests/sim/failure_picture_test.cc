// Copyright 2026 The weft Authors.
//
// The picture every failure report carries (sim/explore.cc): a terminal
// diagram of the last steps, and a Chrome trace file in
// ExploreOptions::trace_dir that parses and names the failure. (The
// drawing itself is tested in trace_test.cc; this is the report's side.)

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "examples/workloads/catalogue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/json.h"
#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string scratch_dir(const std::string& name) {
  return ::testing::TempDir() + "weft_failure_picture_" + std::to_string(getpid()) + "_" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

TEST(FailurePicture, EveryFailureHasADiagramAndATraceFile) {
  for (const examples::Workload& workload : examples::catalogue()) {
    SCOPED_TRACE(std::string(workload.name));
    ExploreOptions options;
    options.iterations = 10'000;
    options.trace_dir = scratch_dir("all");
    options.trace_name = std::string(workload.name) + "/buggy";  // '/' is not a directory.
    const Report report = explore(options, workload.buggy);
    ASSERT_FALSE(report.ok());
    // The diagram: a header row naming main, and the failure marked.
    EXPECT_THAT(report.diagram(), HasSubstr("0 \"main\""));
    EXPECT_THAT(report.diagram(),
                HasSubstr("<< " + std::string(failure_kind_name(report.failure()->kind))));
    EXPECT_THAT(report.to_string(), HasSubstr(report.diagram().substr(0, 20)));
    // The trace: where the report says, valid JSON, the failure marked.
    const std::string expected_path =
        options.trace_dir + "/" + std::string(workload.name) + "_buggy.trace.json";
    EXPECT_EQ(report.trace_file(), expected_path);
    EXPECT_THAT(report.to_string(), HasSubstr("trace:    " + expected_path));
    const std::string json = read_file(expected_path);
    const absl::StatusOr<testing::JsonValue> parsed = testing::parse_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_TRUE(parsed->has("traceEvents"));
    EXPECT_GT(parsed->at("traceEvents").array().size(), report.trace().size());
    EXPECT_THAT(json, HasSubstr(std::string(failure_kind_name(report.failure()->kind))));
  }
  std::filesystem::remove_all(scratch_dir("all"));
}

TEST(FailurePicture, ReplayDrawsTheSameExecution) {
  ExploreOptions options;
  options.trace_dir = scratch_dir("replay");
  const Report found = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(found.ok());
  const std::string first_trace = read_file(found.trace_file());
  options.trace_name = "again";
  const Report again = replay(found.repro(), &examples::bank_deadlock, options);
  EXPECT_EQ(again.diagram(), found.diagram());
  // Byte for byte, but for the title (the trace's name).
  std::string second_trace = read_file(again.trace_file());
  EXPECT_THAT(second_trace, HasSubstr("\"again\""));
  absl::StrReplaceAll({{"\"again\"", "\"weft\""}}, &second_trace);
  EXPECT_EQ(second_trace, first_trace);
  std::filesystem::remove_all(scratch_dir("replay"));
}

TEST(FailurePicture, NoFileWhenNotAskedOrNotPossible) {
  ExploreOptions options;
  const Report no_dir = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.trace_file(), "");
  EXPECT_FALSE(no_dir.diagram().empty());  // The diagram needs no file.
  EXPECT_THAT(no_dir.to_string(), Not(HasSubstr("trace:")));

  // A directory that cannot be made: the report says so, and is otherwise whole.
  options.trace_dir = "/proc/weft-cannot-create-this";
  const Report unwritable = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(unwritable.ok());
  EXPECT_THAT(unwritable.trace_file(), HasSubstr("not written: cannot create"));
  EXPECT_EQ(unwritable.repro(), no_dir.repro());

  // Nothing to draw for a run that passed.
  const Report ok = explore(options, &examples::bank_fixed);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.diagram(), "");
  EXPECT_EQ(ok.trace_file(), "");
}

}  // namespace
}  // namespace weft
