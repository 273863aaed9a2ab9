// Copyright 2026 The weft Authors.
//
// Ratios against same-run baselines, printed at the end of a benchmark run.
//
// Absolute times drift on a shared machine (the 2-vCPU VMs this project runs
// on drift by 10-30% between minutes); ratios between figures measured in the
// same process, minutes or milliseconds apart, hold. Every weft benchmark
// program therefore ends with a table:
//
//   figure | measured | baseline | ratio | target | verdict
//
// built from the medians of the run (the "_median" aggregate rows when run
// with --benchmark_repetitions=N, otherwise the single run). A figure is either
//  * a ratio measured inside one benchmark (the benchmark times its own
//    baseline right next to its subject and reports counters such as "ratio");
//    the table shows the median of the per-repetition ratios, or
//  * a ratio of the medians of two benchmark rows of the same run (e.g.
//    std::mutex and weft::Mutex run as two benchmarks).
//
// Use: define `void summarize(const Results&, Summary&)` and end the file with
// WEFT_BENCH_MAIN(summarize) in place of BENCHMARK_MAIN(); it behaves as
// BENCHMARK_MAIN() (same flags) and prints the table after the runs. With
// --benchmark_format=json|csv the table goes to stderr so stdout stays
// machine-readable.
//
// Targets are printed, never tuned for: a MISS is a finding.

#ifndef WEFT_BENCH_BENCH_SUMMARY_H_
#define WEFT_BENCH_BENCH_SUMMARY_H_

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"

namespace weft::bench {

// Nanoseconds since an arbitrary epoch, from the steady clock (vDSO, ~20 ns).
inline double now_ns() {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count());
}

// The medians of one run of a benchmark program, by benchmark name (the name
// without the "_median" suffix, e.g. "BM_Mutex<std::mutex>/threads:2").
class Results {
 public:
  void add(const benchmark::BenchmarkReporter::Run& run) {
    if (run.error_occurred) return;
    Entry& entry = entries_[run.run_name.str()];
    if (run.run_type == benchmark::BenchmarkReporter::Run::RT_Aggregate) {
      if (run.aggregate_name != "median") return;
      entry.median = Sample::of(run);
      return;
    }
    entry.samples.push_back(Sample::of(run));
  }

  // Real time per iteration, in nanoseconds.
  std::optional<double> time_ns(std::string_view name) const {
    const Entry* entry = find(name);
    if (entry == nullptr) return std::nullopt;
    if (entry->median) return entry->median->time_ns;
    std::vector<double> values;
    for (const Sample& sample : entry->samples) values.push_back(sample.time_ns);
    return median(values);
  }

  // A user counter (the value Google Benchmark printed for it).
  std::optional<double> counter(std::string_view name, std::string_view counter_name) const {
    const Entry* entry = find(name);
    if (entry == nullptr) return std::nullopt;
    const std::string key(counter_name);
    if (entry->median) {
      const auto found = entry->median->counters.find(key);
      if (found == entry->median->counters.end()) return std::nullopt;
      return found->second;
    }
    std::vector<double> values;
    for (const Sample& sample : entry->samples) {
      const auto found = sample.counters.find(key);
      if (found != sample.counters.end()) values.push_back(found->second);
    }
    return median(values);
  }

 private:
  struct Sample {
    double time_ns = 0;
    std::map<std::string, double> counters;

    static Sample of(const benchmark::BenchmarkReporter::Run& run) {
      Sample sample;
      sample.time_ns = run.GetAdjustedRealTime() * nanoseconds_per(run.time_unit);
      for (const auto& [name, counter] : run.counters) sample.counters[name] = counter.value;
      return sample;
    }
  };
  struct Entry {
    std::optional<Sample> median;
    std::vector<Sample> samples;  // Iteration runs, used when no median was reported.
  };

  static double nanoseconds_per(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond:
        return 1;
      case benchmark::kMicrosecond:
        return 1e3;
      case benchmark::kMillisecond:
        return 1e6;
      case benchmark::kSecond:
        return 1e9;
    }
    return 1;
  }
  static std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    if (values.size() % 2 == 1) return values[middle];
    return (values[middle - 1] + values[middle]) / 2;
  }
  const Entry* find(std::string_view name) const {
    const auto found = entries_.find(std::string(name));
    if (found == entries_.end()) return nullptr;
    if (!found->second.median && found->second.samples.empty()) return nullptr;
    return &found->second;
  }

  std::map<std::string, Entry> entries_;
};

// printf into a std::string.
template <typename... Arguments>
std::string format(const char* pattern, Arguments... arguments) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer), pattern, arguments...);
  return buffer;
}

// The end-of-run table.
class Summary {
 public:
  // A figure whose ratio to its baseline must be at most `max_ratio`.
  void ratio_at_most(std::string figure, std::string measured, std::string baseline, double ratio,
                     double max_ratio, std::string target_note = "") {
    rows_.push_back({std::move(figure), std::move(measured), std::move(baseline),
                     format("%.2fx", ratio), format("<= %.2fx", max_ratio) + target_note,
                     ratio <= max_ratio ? "PASS" : "MISS"});
  }
  // A rate that must be at least `min_rate` (per second).
  void rate_at_least(std::string figure, double rate, std::string baseline, std::string ratio,
                     double min_rate) {
    rows_.push_back({std::move(figure), rate_text(rate), std::move(baseline), std::move(ratio),
                     ">= " + rate_text(min_rate), rate >= min_rate ? "PASS" : "MISS"});
  }
  // A figure without a target, shown for context.
  void info(std::string figure, std::string measured, std::string baseline, std::string ratio,
            std::string note = "-") {
    rows_.push_back({std::move(figure), std::move(measured), std::move(baseline), std::move(ratio),
                     std::move(note), ""});
  }
  // A figure that could not be computed (filtered out, or the run failed).
  void missing(std::string figure) {
    rows_.push_back({std::move(figure), "(not run)", "", "", "", ""});
  }

  static std::string rate_text(double per_second) {
    if (per_second >= 1e6) return format("%.3f M/s", per_second / 1e6);
    if (per_second >= 1e3) return format("%.1f k/s", per_second / 1e3);
    return format("%.1f /s", per_second);
  }
  static std::string ns_text(double ns) { return format("%.2f ns", ns); }

  void print(std::ostream& out, std::string_view title) const {
    const std::vector<std::string> header = {"figure", "measured", "baseline (same run)",
                                             "ratio",  "target",   "verdict"};
    std::vector<size_t> widths(header.size());
    for (size_t column = 0; column < header.size(); ++column) {
      widths[column] = header[column].size();
    }
    for (const Row& row : rows_) {
      const std::string* cells[] = {&row.figure, &row.measured, &row.baseline,
                                    &row.ratio,  &row.target,   &row.verdict};
      for (size_t column = 0; column < header.size(); ++column) {
        widths[column] = std::max(widths[column], cells[column]->size());
      }
    }
    auto line = [&](const std::vector<const std::string*>& cells) {
      std::string text;
      for (size_t column = 0; column < cells.size(); ++column) {
        std::string cell = *cells[column];
        cell.resize(widths[column], ' ');
        text += (column == 0 ? "" : " | ") + cell;
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << "\n";
    };
    const std::time_t now = std::time(nullptr);
    char date[64];
    std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %Z", std::localtime(&now));
    out << "\n=== " << title << ": ratios against same-run baselines (" << date << ") ===\n";
    std::vector<const std::string*> header_cells;
    for (const std::string& cell : header) header_cells.push_back(&cell);
    line(header_cells);
    size_t total = 0;
    for (size_t width : widths) total += width + 3;
    out << std::string(total > 3 ? total - 3 : 0, '-') << "\n";
    for (const Row& row : rows_) {
      line({&row.figure, &row.measured, &row.baseline, &row.ratio, &row.target, &row.verdict});
    }
    out << "(medians of the repetitions run; ratios of inline baselines are medians of the\n"
           " per-repetition ratios; a MISS is reported, not tuned away)\n";
    out.flush();
  }

 private:
  struct Row {
    std::string figure, measured, baseline, ratio, target, verdict;
  };
  std::vector<Row> rows_;
};

// Forwards to the reporter the flags asked for, and keeps the medians.
class RecordingReporter final : public benchmark::BenchmarkReporter {
 public:
  RecordingReporter(std::unique_ptr<benchmark::BenchmarkReporter> display, Results& results)
      : display_(std::move(display)), results_(results) {}
  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) results_.add(run);
    display_->ReportRuns(runs);
  }
  void Finalize() override { display_->Finalize(); }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  Results& results_;
};

using SummarizeFunction = void (*)(const Results&, Summary&);

// BENCHMARK_MAIN()'s body, with a RecordingReporter as the display reporter
// and the summary printed at the end.
inline int run_with_summary(int argc, char** argv, SummarizeFunction summarize,
                            std::string_view title) {
  // Google Benchmark does not expose its flags; peek at the two that choose
  // the display reporter before Initialize() consumes them.
  std::string format_name = "console";
  bool color = isatty(STDOUT_FILENO) != 0;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    if (argument.starts_with("--benchmark_format=")) {
      format_name = std::string(argument.substr(std::string_view("--benchmark_format=").size()));
    }
    if (argument == "--benchmark_color=false" || argument == "--benchmark_color=no") color = false;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  std::unique_ptr<benchmark::BenchmarkReporter> display;
  if (format_name == "json") {
    display = std::make_unique<benchmark::JSONReporter>();
  } else if (format_name == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    display = std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  } else {
    display = std::make_unique<benchmark::ConsoleReporter>(
        color ? benchmark::ConsoleReporter::OO_ColorTabular
              : benchmark::ConsoleReporter::OO_Tabular);
  }
  Results results;
  RecordingReporter reporter(std::move(display), results);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  Summary summary;
  summarize(results, summary);
  summary.print(format_name == "console" ? std::cout : std::cerr, title);
  return 0;
}

}  // namespace weft::bench

#define WEFT_BENCH_MAIN(summarize, title)                                     \
  int main(int argc, char** argv) {                                           \
    return ::weft::bench::run_with_summary(argc, argv, (summarize), (title)); \
  }                                                                           \
  int main(int, char**)

#endif  // WEFT_BENCH_BENCH_SUMMARY_H_
