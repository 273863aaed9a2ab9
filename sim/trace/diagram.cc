// Copyright 2026 The weft Authors.
//
// Two passes over the log: the first picks the columns (who is active, who is
// still blocked at the end), the second fills the cells of the shown steps
// only, so a log of a million events with 100,000 tasks costs one vector of
// flags per entity, not a cell per entity and step.

#include "sim/trace/diagram.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "weft/internal/check.h"

namespace weft::sim {
namespace {

static_assert(kDiagramCellMax >= 4, "a cut cell keeps a few characters and its \"~\"");
static_assert(kDiagramColumnsMax >= 1);

// User text (a thread name) made safe for the table: control characters (a
// newline would break a row) and bytes that are not UTF-8 become '?'.
std::string printable(std::string_view text) {
  std::string out;
  size_t index = 0;
  while (index < text.size()) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte < 0x80) {
      out.push_back(byte < 0x20 || byte == 0x7f ? '?' : static_cast<char>(byte));
      ++index;
      continue;
    }
    const size_t length = utf8_sequence_length(text, index);
    if (length == 0) {
      out.push_back('?');
      ++index;
      continue;
    }
    out.append(text.substr(index, length));
    index += length;
  }
  return out;
}

// Columns a string takes: its UTF-8 code points.
size_t display_width(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// `text` cut to `max` columns, the last one "~" if it was cut.
std::string fit(std::string_view text, size_t max) {
  if (display_width(text) <= max) return std::string(text);
  std::string out;
  size_t columns = 0;
  for (char c : text) {
    const bool starts_code_point = (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    if (starts_code_point && ++columns == max) break;
    out.push_back(c);
  }
  out.push_back('~');
  return out;
}

std::string pad(std::string_view text, size_t width) {
  std::string out(text);
  out.append(width - std::min(width, display_width(text)), ' ');
  return out;
}

// `1 "t1"`, `4 "fetch" (task)`, `4 (task)`.
std::string column_header(const EventLog& log, uint32_t id) {
  const EntityInfo& entity = log.entities[id];
  std::string header = absl::StrCat(id);
  if (!entity.name.empty()) absl::StrAppend(&header, " \"", printable(entity.name), "\"");
  if (entity.is_task) absl::StrAppend(&header, " (task)");
  return header;
}

bool valid(const EventLog& log, uint32_t entity) { return entity < log.entities.size(); }

// Where an entity blocks: "[blocked: Mutex b]" in full, "[Mutex b]" brief
// (for a cell too narrow for the full one).
struct BlockedText {
  std::string full;
  std::string brief;
};

// What the cell of one entity at one step collects.
struct Cell {
  struct Operation {
    std::string text;
    // A wait or a sleep: its "[blocked: ...]", if the entity blocked at this
    // step, says the same.
    bool said_by_blocked = false;
  };
  std::vector<Operation> operations;
  std::optional<BlockedText> blocked;  // If it blocked at this step.
  bool ran = false;
  bool timer = false;
  bool blocked_before = false;  // Blocked when the step began.
};

std::string cell_text(const Cell& cell) {
  std::vector<std::string> parts;
  for (const Cell::Operation& operation : cell.operations) {
    if (cell.blocked && operation.said_by_blocked) continue;
    parts.push_back(operation.text);
  }
  if (cell.blocked) {
    // Where it blocks matters more than what it did first: keep it in view,
    // in full if it fits.
    const std::string done = absl::StrJoin(parts, ", ");
    for (const std::string& done_text : {done, std::string("...")}) {
      for (const std::string* where : {&cell.blocked->full, &cell.blocked->brief}) {
        std::string text = done_text.empty() ? *where : absl::StrCat(done_text, ", ", *where);
        if (display_width(text) <= kDiagramCellMax) return text;
      }
      if (done_text.empty()) break;
    }
    return done.empty() ? cell.blocked->brief : absl::StrCat("..., ", cell.blocked->brief);
  }
  if (!parts.empty()) return absl::StrJoin(parts, ", ");
  if (cell.ran) return "runs";
  if (cell.timer) return "timer fires";
  if (cell.blocked_before) return ":";
  return "";
}

// "[blocked: Mutex b]", "[blocked: join 1]", "[in weft::run]"; a task's
// wait without the awaitable's type: "[recv east requests]", "[join 4]".
BlockedText blocked_text(const EventLog& log, const Event& event) {
  std::string label;
  switch (static_cast<WaitReason>(event.detail)) {
    case WaitReason::kLoop:
      return BlockedText{"[in weft::run]", "[in weft::run]"};
    case WaitReason::kJoin:
      label = absl::StrFormat("join %d", event.target);
      return BlockedText{absl::StrCat("[blocked: ", label, "]"), absl::StrCat("[", label, "]")};
    case WaitReason::kTask:
      break;
    default:
      label = printable(log.wait_label(event));
      return BlockedText{absl::StrCat("[blocked: ", label, "]"), absl::StrCat("[", label, "]")};
  }
  label = printable(log.wait_label(event));
  static constexpr std::string_view kJoinTask = "join task ";
  if (label.starts_with(kJoinTask)) {
    const size_t digits = label.find_first_not_of("0123456789", kJoinTask.size());
    label = absl::StrCat("join ", label.substr(kJoinTask.size(), digits - kJoinTask.size()));
  } else {
    if (const size_t held = label.find(" (held by "); held != std::string::npos) label.resize(held);
    const size_t type_end = label.find("::");
    if (type_end != std::string::npos && type_end < label.find(' ')) label.erase(0, type_end + 2);
  }
  const std::string text = absl::StrCat("[", label, "]");
  return BlockedText{text, text};
}

class Diagram {
 public:
  Diagram(const EventLog& log, size_t last_steps) : log_(log) {
    last_ = log.truncated && !log.events.empty() ? log.events.back().step : log.steps;
    const uint64_t rows = std::max<uint64_t>(last_steps, 1);
    first_ = last_ + 1 > rows ? last_ + 1 - rows : 0;
    WEFT_CHECK_LE(first_, last_);
  }

  std::string draw();

 private:
  void choose_columns();
  void fill_cells();
  void add(const Event& event, size_t row, std::vector<bool>& blocked);
  std::string row_note(size_t row) const;

  const EventLog& log_;
  uint64_t first_ = 0;                    // The first step drawn.
  uint64_t last_ = 0;                     // The last step drawn (the execution's last).
  std::vector<uint32_t> columns_;         // Entity ids, ascending.
  std::vector<int> column_of_;            // By entity: its column, or -1.
  std::vector<uint32_t> not_shown_;       // Active or blocked in the window, not drawn.
  std::vector<std::vector<Cell>> cells_;  // [row][column]
  std::vector<uint32_t> runner_;          // [row]: the entity picked (kNoEventTarget: none).
};

void Diagram::choose_columns() {
  const size_t count = log_.entities.size();
  std::vector<bool> blocked(count, false);
  std::vector<bool> present(count, false);
  std::vector<int64_t> last_active(count, -1);
  bool window_started = false;
  auto start_window = [&] {
    // Entities already blocked when the window opens show ":" in it.
    for (size_t id = 0; id < count; ++id) present[id] = present[id] || blocked[id];
    window_started = true;
  };
  for (const Event& event : log_.events) {
    if (event.step > last_) break;
    if (!window_started && event.step >= first_) start_window();
    if (!valid(log_, event.entity)) continue;
    if (event.kind == EventKind::kBlocked) blocked[event.entity] = true;
    if (event.kind == EventKind::kWoken || event.kind == EventKind::kTimerFired) {
      blocked[event.entity] = false;
    }
    if (window_started && event.kind != EventKind::kWoken) {
      present[event.entity] = true;
      last_active[event.entity] = static_cast<int64_t>(event.step);
    }
  }
  if (!window_started) start_window();
  std::optional<uint32_t> failing;
  if (log_.failure && log_.failure->step >= first_ && valid(log_, log_.failure->thread_id)) {
    failing = log_.failure->thread_id;
    present[*failing] = true;
  }
  // Rank: the failing entity, the ones still blocked, then by recent activity.
  struct Rank {
    int group;
    int64_t last_active;
    uint32_t id;
  };
  std::vector<Rank> ranks;
  for (uint32_t id = 0; id < count; ++id) {
    if (!present[id]) continue;
    const int group = failing == id ? 0 : blocked[id] ? 1 : 2;
    ranks.push_back(Rank{group, last_active[id], id});
  }
  std::sort(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.last_active != b.last_active) return a.last_active > b.last_active;
    return a.id < b.id;
  });
  column_of_.assign(count, -1);
  for (const Rank& rank : ranks) {
    if (columns_.size() < kDiagramColumnsMax) {
      columns_.push_back(rank.id);
    } else {
      not_shown_.push_back(rank.id);
    }
  }
  WEFT_CHECK_LE(columns_.size(), kDiagramColumnsMax);
  WEFT_CHECK_EQ(columns_.size() + not_shown_.size(), ranks.size());
  std::sort(columns_.begin(), columns_.end());
  std::sort(not_shown_.begin(), not_shown_.end());
  for (size_t column = 0; column < columns_.size(); ++column) {
    column_of_[columns_[column]] = static_cast<int>(column);
  }
}

void Diagram::add(const Event& event, size_t row, std::vector<bool>& blocked) {
  if (event.kind == EventKind::kPicked && row < runner_.size()) runner_[row] = event.entity;
  if (!valid(log_, event.entity) || column_of_[event.entity] < 0) return;
  const auto column = static_cast<size_t>(column_of_[event.entity]);
  Cell* cell = row < cells_.size() ? &cells_[row][column] : nullptr;
  switch (event.kind) {
    case EventKind::kBlocked:
      blocked[column] = true;
      if (cell != nullptr) cell->blocked = blocked_text(log_, event);
      return;
    case EventKind::kWoken:
      blocked[column] = false;
      return;
    case EventKind::kTimerFired:
      blocked[column] = false;
      if (cell != nullptr) cell->timer = true;
      return;
    case EventKind::kPicked:
    case EventKind::kResumed:
      if (cell != nullptr) cell->ran = true;
      return;
    case EventKind::kFailure:
      return;
    default:
      break;
  }
  if (cell == nullptr) return;
  const std::string text = log_.operation_text(event);
  if (text.empty()) return;
  const bool waits = event.kind == EventKind::kCondVarWait || event.kind == EventKind::kSleep;
  cell->operations.push_back(Cell::Operation{printable(text), waits});
}

void Diagram::fill_cells() {
  const auto rows = static_cast<size_t>(last_ - first_ + 1);
  cells_.assign(rows, std::vector<Cell>(columns_.size()));
  runner_.assign(rows, kNoEventTarget);
  std::vector<bool> blocked(columns_.size(), false);
  size_t cursor = 0;
  const std::vector<Event>& events = log_.events;
  const size_t outside = rows;  // Events before the window only move `blocked`.
  while (cursor < events.size() && events[cursor].step < first_)
    add(events[cursor++], outside, blocked);
  for (size_t row = 0; row < rows; ++row) {
    for (size_t column = 0; column < columns_.size(); ++column) {
      cells_[row][column].blocked_before = blocked[column];
    }
    const uint64_t step = first_ + row;
    while (cursor < events.size() && events[cursor].step == step)
      add(events[cursor++], row, blocked);
  }
  // Every event was drawn or counted: steps only grow, and none is past last_.
  WEFT_CHECK_EQ(cursor, events.size());
  if (first_ == 0 && rows > 0 && runner_[0] == kNoEventTarget && !log_.entities.empty()) {
    runner_[0] = 0;  // Step 0: main runs before the first decision.
  }
}

std::string Diagram::row_note(size_t row) const {
  std::string note;
  const uint32_t runner = runner_[row];
  if (valid(log_, runner) && column_of_[runner] < 0) {
    absl::StrAppend(&note, "  (", column_header(log_, runner), " runs)");
  }
  if (log_.failure && log_.failure->step == first_ + row) {
    absl::StrAppend(&note, "  << ", std::string(failure_kind_name(log_.failure->kind)));
  }
  return note;
}

std::string Diagram::draw() {
  if (log_.entities.empty()) return "(no execution recorded)\n";
  choose_columns();
  fill_cells();
  const size_t step_width = std::max<size_t>(4, absl::StrCat(last_).size());
  std::vector<std::string> headers;
  std::vector<size_t> widths;
  for (size_t column = 0; column < columns_.size(); ++column) {
    headers.push_back(fit(column_header(log_, columns_[column]), kDiagramCellMax));
    size_t width = display_width(headers.back());
    for (const std::vector<Cell>& row : cells_) {
      width = std::max(width, display_width(fit(cell_text(row[column]), kDiagramCellMax)));
    }
    widths.push_back(width);
  }
  auto line = [](std::string text) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out;
  std::string header = pad("step", step_width);
  std::string rule(step_width + 1, '-');
  for (size_t column = 0; column < columns_.size(); ++column) {
    absl::StrAppend(&header, " | ", pad(headers[column], widths[column]));
    absl::StrAppend(&rule, "+", std::string(widths[column] + 2, '-'));
  }
  out += line(header);
  out += line(rule);
  if (first_ > 0) {
    out += absl::StrFormat("%*s ... %d earlier step%s\n", static_cast<int>(step_width), "", first_,
                           first_ == 1 ? "" : "s");
  }
  for (size_t row = 0; row < cells_.size(); ++row) {
    std::string text = absl::StrFormat("%*d", static_cast<int>(step_width), first_ + row);
    for (size_t column = 0; column < columns_.size(); ++column) {
      absl::StrAppend(&text, " | ",
                      pad(fit(cell_text(cells_[row][column]), kDiagramCellMax), widths[column]));
    }
    out += line(text + row_note(row));
  }
  if (!not_shown_.empty()) {
    std::vector<std::string> names;
    for (uint32_t id : not_shown_) {
      if (names.size() == kDiagramColumnsMax) {
        names.push_back("...");
        break;
      }
      names.push_back(column_header(log_, id));
    }
    out +=
        absl::StrFormat("(%d more not shown: %s)\n", not_shown_.size(), absl::StrJoin(names, ", "));
  }
  if (log_.truncated) {
    std::string failure;
    if (log_.failure && log_.failure->step > last_) {
      failure = absl::StrFormat(" and failed there (%s)",
                                std::string(failure_kind_name(log_.failure->kind)));
    }
    out += absl::StrFormat(
        "(the event log was truncated at %d events: the execution went on to step %d%s)\n",
        log_.events.size(), log_.steps, failure);
  }
  return out;
}

}  // namespace

std::string interleaving_diagram(const EventLog& log, size_t last_steps) {
  Diagram diagram(log, last_steps);
  return diagram.draw();
}

}  // namespace weft::sim
