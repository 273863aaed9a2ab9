// Copyright 2026 The weft Authors.
//
// The non-template half of weft/linearizability.h: the event list's
// construction, cut points, and the report (the witness table).

#include "weft/linearizability.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace weft::lin {
namespace internal {

EventList::EventList(std::span<const Event> events, size_t event_count, size_t operation_count) {
  WEFT_CHECK_LE(event_count, events.size());
  WEFT_CHECK_LE(event_count, 2 * kOperationsMax);
  WEFT_CHECK_LE(operation_count, kOperationsMax);
  operation_.resize(event_count);
  response_.assign(event_count, kNotInvoke);
  std::vector<int32_t> invoke_node(operation_count, kEnd);
  for (size_t i = 0; i < event_count; ++i) {
    const Event& event = events[i];
    WEFT_CHECK_LT(event.operation, operation_count);
    const auto node = static_cast<int32_t>(i);
    operation_[i] = event.operation;
    if (event.kind == EventKind::kInvoke) {
      WEFT_CHECK_EQ(invoke_node[event.operation], kEnd);  // invoked once
      invoke_node[event.operation] = node;
      response_[i] = kEnd;
    } else {
      const int32_t invoke = invoke_node[event.operation];
      WEFT_CHECK_NE(invoke, kEnd);             // responded after its invocation
      WEFT_CHECK_EQ(response_[invoke], kEnd);  // and once
      response_[invoke] = node;
      ++responses_remaining_;
    }
  }
  prev_.resize(event_count + 1);
  next_.resize(event_count + 1);
  const int32_t sentinel = head();
  next_[sentinel] = event_count == 0 ? kEnd : 0;
  prev_[sentinel] = kEnd;
  for (int32_t node = 0; node < sentinel; ++node) {
    prev_[node] = node == 0 ? sentinel : node - 1;
    next_[node] = node + 1 < sentinel ? node + 1 : kEnd;
  }
}

uint64_t search_iterations_max(uint64_t states_max, size_t list_size) {
  constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();
  const uint64_t steps_between = uint64_t{list_size} + 2;
  if (states_max > (kSaturated / steps_between - 4) / 2) return kSaturated;
  return (2 * states_max + 4) * steps_between;
}

std::string describe_call(std::string call, const std::string& result) {
  if (!result.empty()) absl::StrAppend(&call, " -> ", result);
  return call;
}

std::vector<size_t> cut_points(std::span<const Event> events) {
  std::vector<size_t> cuts;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kResponse) cuts.push_back(i + 1);
  }
  return cuts;
}

}  // namespace internal

namespace {

// Cells wider than this are cut, so one long description keeps the table
// readable; the explanation line below the table is not cut.
constexpr size_t kCellWidthMax = 40;
// The explanation lists at most this many calls of the longest linearization.
constexpr size_t kLongestShownMax = 24;

std::string fit(std::string cell) {
  if (cell.size() > kCellWidthMax) cell = absl::StrCat(cell.substr(0, kCellWidthMax - 3), "...");
  return cell;
}

// One row per event (and a last "cut" row if calls are pending there), one
// column per client in increasing client order. An invoke shows the call, a
// response its result, and "|" marks a client's call in progress.
std::vector<std::vector<std::string>> table_cells(const Witness& witness,
                                                  const std::vector<uint32_t>& clients) {
  auto column_of = [&](uint32_t client) {
    return static_cast<size_t>(std::lower_bound(clients.begin(), clients.end(), client) -
                               clients.begin());
  };
  std::vector<size_t> open(clients.size(), 0);  // calls in progress per column
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < witness.events.size(); ++i) {
    const Event& event = witness.events[i];
    const Witness::Operation& operation = witness.operations[event.operation];
    const size_t column = column_of(operation.client);
    std::vector<std::string> row = {absl::StrCat(i + 1)};
    for (size_t c = 0; c < clients.size(); ++c) row.push_back(open[c] > 0 ? "|" : "");
    if (event.kind == EventKind::kInvoke) {
      row[column + 1] = fit(operation.call);
      ++open[column];
    } else {
      WEFT_CHECK(operation.result.has_value());
      row[column + 1] =
          fit(operation.result->empty() ? "returned" : absl::StrCat("-> ", *operation.result));
      WEFT_CHECK_GT(open[column], 0u);
      --open[column];
    }
    rows.push_back(std::move(row));
  }
  if (witness.pending_count() > 0) {
    std::vector<std::string> row = {"cut"};
    for (size_t c = 0; c < clients.size(); ++c) row.push_back(open[c] > 0 ? "(pending)" : "");
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string format_table(const Witness& witness) {
  std::vector<uint32_t> clients;
  for (const Witness::Operation& operation : witness.operations)
    clients.push_back(operation.client);
  std::sort(clients.begin(), clients.end());
  clients.erase(std::unique(clients.begin(), clients.end()), clients.end());

  std::vector<std::string> header = {"event"};
  for (uint32_t client : clients) header.push_back(absl::StrCat("client ", client));
  const std::vector<std::vector<std::string>> rows = table_cells(witness, clients);
  std::vector<size_t> widths;
  for (const std::string& cell : header) widths.push_back(cell.size());
  for (const std::vector<std::string>& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  auto format_row = [&](const std::vector<std::string>& row) {
    std::string line = absl::StrFormat("  %*s", static_cast<int>(widths[0]), row[0]);
    for (size_t c = 1; c < row.size(); ++c) {
      absl::StrAppendFormat(&line, " | %-*s", static_cast<int>(widths[c]), row[c]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return absl::StrCat(line, "\n");
  };
  std::string out = format_row(header);
  std::string rule = absl::StrCat("  ", std::string(widths[0], '-'));
  for (size_t c = 1; c < widths.size(); ++c)
    absl::StrAppend(&rule, "-+-", std::string(widths[c], '-'));
  absl::StrAppend(&out, rule, "\n");
  for (const std::vector<std::string>& row : rows) absl::StrAppend(&out, format_row(row));
  return out;
}

std::string explanation(const Witness& witness, const std::string& model_name) {
  std::string out = absl::StrFormat("no order of these %d operations", witness.operations.size());
  if (witness.pending_count() > 0) {
    absl::StrAppendFormat(&out, " (%d pending: each may take effect or not)",
                          witness.pending_count());
  }
  absl::StrAppendFormat(&out, " is consistent with %s; ", model_name);
  const std::vector<std::string>& longest = witness.longest_linearization;
  if (longest.empty()) {
    absl::StrAppend(&out, "none of them can take effect first");
    return out;
  }
  const size_t shown = std::min(longest.size(), kLongestShownMax);
  absl::StrAppend(&out, "the longest consistent prefix linearizes ",
                  absl::StrJoin(longest.begin(), longest.begin() + shown, ", "));
  if (shown < longest.size()) absl::StrAppendFormat(&out, ", and %d more", longest.size() - shown);
  return out;
}

}  // namespace

size_t Witness::pending_count() const {
  return static_cast<size_t>(
      std::count_if(operations.begin(), operations.end(),
                    [](const Operation& o) { return !o.result.has_value(); }));
}

std::string LinearizabilityResult::to_string() const {
  if (!status.ok()) {
    return absl::StrCat("weft::lin: the history was not checked: ", status.ToString());
  }
  const std::string summary = absl::StrFormat("%d operations (%d pending), %d states visited",
                                              operation_count, pending_count, states_visited);
  if (linearizable) {
    return absl::StrFormat("weft::lin: linearizable with respect to %s: %s", model_name, summary);
  }
  if (undecided) {
    return absl::StrFormat(
        "weft::lin: undecided: the search visited %d states, the limit (CheckOptions::states_max "
        "= %d), without deciding whether %d operations are linearizable with respect to %s; "
        "raise states_max or check a shorter history",
        states_visited, states_max, operation_count, model_name);
  }
  WEFT_CHECK(witness.has_value());
  std::string out =
      absl::StrFormat("weft::lin: NOT linearizable with respect to %s: %s\n", model_name, summary);
  absl::StrAppendFormat(&out, "%s: the first %d events, %d of the %d operations\n",
                        witness->minimal ? "shortest non-linearizable prefix"
                                         : "non-linearizable prefix (a shorter one may exist)",
                        witness->events.size(), witness->operations.size(), operation_count);
  absl::StrAppend(&out, format_table(*witness), explanation(*witness, model_name));
  return out;
}

}  // namespace weft::lin
