// Copyright 2026 The weft Authors.
//
// The simulated network. Sockets live in the simulator and are reached
// through descriptors in each process's table. Nothing arrives at once:
// every stream segment and datagram is put in its receiver's inbox with a
// delivery time `latency` ahead (drawn from the execution's seed), and a
// receiver takes only what has arrived by now, arming its timer for the next
// arrival. So virtual time moves to the next arrival when nobody can run.
// Streams keep their order (each delivery no earlier than the one before);
// datagrams arrive in delivery-time order, may be dropped or duplicated,
// and are lost across a partition; a stream's bytes across a partition wait
// for heal(). A dead process's streams reset their peers.

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"

namespace weft::sim {
namespace {

// Bytes one socket may have on their way to it; more is a workload failure
// (a producer that never waits for its consumer).
constexpr size_t kInboxBytesMax = size_t{16} << 20;
// One send in kBuggifyOdds partitions or heals the network (buggify).
constexpr uint64_t kBuggifyOdds = 32;

std::string_view host_of(std::string_view address) { return address.substr(0, address.rfind(':')); }

// Debian's Abseil has its own string_view: heterogeneous lookups take that.
absl::string_view key(std::string_view text) { return absl::string_view(text.data(), text.size()); }

}  // namespace

std::string Scheduler::process_host(uint32_t process_index) const {
  if (process_index == 0) return "main";
  const SimProcess& record = processes_[process_index];
  return record.name.empty() ? absl::StrFormat("process-%d", process_index + 1) : record.name;
}

std::string Scheduler::describe_socket(uint32_t id) const {
  const SimSocket& socket = sockets_[id];
  switch (socket.kind) {
    case SocketKind::kListener:
      return absl::StrFormat("listener %s (accept)", socket.address);
    case SocketKind::kDatagram:
      return absl::StrFormat("datagram socket %s (receive)", socket.address);
    case SocketKind::kStream:
      break;
  }
  return absl::StrFormat("stream %s -> %s (receive)", socket.host, socket.peer_address);
}

bool Scheduler::draw(double probability) {
  if (probability <= 0.0) return false;
  const double unit = static_cast<double>(random_u64() >> 11) * 0x1.0p-53;
  return unit < probability;
}

Clock::duration Scheduler::draw_latency() {
  const auto span = static_cast<uint64_t>((faults_.latency_max - faults_.latency_min).count());
  if (span == 0) return faults_.latency_min;
  return faults_.latency_min + Clock::duration(static_cast<int64_t>(random_u64() % (span + 1)));
}

bool Scheduler::cut(std::string_view host_a, std::string_view host_b) const {
  if (cuts_.empty() || host_a == host_b) return false;
  if (host_b < host_a) std::swap(host_a, host_b);
  for (const auto& [a, b] : cuts_) {
    if (a == host_a && b == host_b) return true;
  }
  return false;
}

uint32_t Scheduler::create_socket(SocketKind kind, std::string address, std::string host) {
  if (sockets_.size() >= kSocketsMax) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s opens a socket: more than %d sockets in one execution",
                                   describe_thread(current_), kSocketsMax));
  }
  const auto id = static_cast<uint32_t>(sockets_.size());
  SimSocket& socket = sockets_.acquire();
  socket.kind = kind;
  socket.address = std::move(address);
  socket.host = std::move(host);
  socket.peer_address.clear();
  socket.peer = UINT32_MAX;
  socket.descriptors = 0;
  socket.reset = false;
  socket.peer_gone = false;
  socket.inbox.clear();
  socket.consumed = 0;
  socket.backlog.clear();
  socket.waiters = WaitQueue{};
  socket.task_watchers.clear();
  return id;
}

SimSocket* Scheduler::socket_at(int fd, SocketKind kind, uint32_t* id) {
  const FdSlot* slot = fd_slot(fd);
  if (slot == nullptr || slot->kind != FdKind::kSocket) return nullptr;
  SimSocket& socket = sockets_[slot->id];
  if (socket.kind != kind) return nullptr;
  if (id != nullptr) *id = slot->id;
  return &socket;
}

void Scheduler::deliver(uint32_t id, Segment segment) {
  SimSocket& socket = sockets_[id];
  size_t bytes = segment.bytes.size();
  for (const Segment& queued : socket.inbox) bytes += queued.bytes.size();
  if (bytes > kInboxBytesMax) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s sends to %s: more than %d bytes on their way to one socket",
                                   describe_thread(current_), socket.address, kInboxBytesMax));
  }
  segment.sequence = segment_sequence_++;
  const auto position = std::upper_bound(socket.inbox.begin(), socket.inbox.end(), segment,
                                         [](const Segment& a, const Segment& b) {
                                           if (a.held != b.held)
                                             return b.held;  // Held segments go last.
                                           if (a.deliver_at != b.deliver_at)
                                             return a.deliver_at < b.deliver_at;
                                           return a.sequence < b.sequence;
                                         });
  const bool first = position == socket.inbox.begin();
  socket.inbox.insert(position, std::move(segment));
  // Waiters have a timer for the first arrival; only a new first one (or a
  // first one at all) changes what they wait for.
  if (first) wake_socket(socket);
}

void Scheduler::wake_socket(SimSocket& socket) {
  wake_all(socket.waiters);
  wake_watchers(socket.task_watchers);
}

bool Scheduler::socket_ready(const SimSocket& socket, bool for_write) const {
  if (for_write) return true;  // A send never waits (the inbox limit is a failure).
  switch (socket.kind) {
    case SocketKind::kListener:
      return !socket.backlog.empty();
    case SocketKind::kStream:
      if (socket.reset) return true;
      break;
    case SocketKind::kDatagram:
      break;
  }
  return !socket.inbox.empty() && !socket.inbox.front().held &&
         socket.inbox.front().deliver_at <= now_;
}

void Scheduler::watch_socket(ThreadId id, uint32_t socket_id) {
  SimThread& record = thread(id);
  WEFT_CHECK_EQ(record.watched_socket, UINT32_MAX);
  record.watched_socket = socket_id;
  SimSocket& socket = sockets_[socket_id];
  socket.task_watchers.push_back(id);
  // Woken by a change (a new first arrival, a connection, a close), or by
  // the timer when what is on its way arrives.
  if (!socket.inbox.empty() && !socket.inbox.front().held) {
    task_timer(id, Clock::time_point(socket.inbox.front().deliver_at));
  }
}

void Scheduler::unwatch_socket(SimThread& record) {
  if (record.watched_socket == UINT32_MAX) return;
  std::vector<ThreadId>& watchers = sockets_[record.watched_socket].task_watchers;
  watchers.erase(std::remove(watchers.begin(), watchers.end(), record.id), watchers.end());
  record.watched_socket = UINT32_MAX;
}

void Scheduler::wait_on_socket(uint32_t id, std::optional<Clock::duration> deadline,
                               Location where) {
  const SimSocket& socket = sockets_[id];
  std::optional<Clock::duration> wake = deadline;
  if (!socket.inbox.empty() && !socket.inbox.front().held) {
    const Clock::duration arrival = socket.inbox.front().deliver_at;
    wake = wake ? std::min(*wake, arrival) : arrival;
  }
  enqueue(sockets_[id].waiters, current_);
  block(WaitKind::kSocket, id, where, wake);
}

void Scheduler::maybe_buggify() {
  if (!faults_.buggify || random_u64() % kBuggifyOdds != 0) return;
  if (!cuts_.empty()) {
    net_heal(Location());
    return;
  }
  // Hosts in the order their sockets were opened (ids, not addresses).
  std::vector<std::string_view> hosts;
  for (size_t id = 0; id < sockets_.size(); ++id) {
    const SimSocket& socket = sockets_[id];
    if (socket.descriptors == 0) continue;
    if (std::find(hosts.begin(), hosts.end(), socket.host) == hosts.end()) {
      hosts.push_back(socket.host);
    }
  }
  if (hosts.size() < 2) return;
  const size_t a = random_u64() % hosts.size();
  size_t b = random_u64() % (hosts.size() - 1);
  if (b >= a) ++b;
  std::string first(hosts[a]);
  std::string second(hosts[b]);
  if (second < first) std::swap(first, second);
  note(EventKind::kPartition);
  cuts_.emplace_back(std::move(first), std::move(second));
}

// ---- Backend: listeners and streams -----------------------------------------------

int Scheduler::net_listen(std::string_view address, Location where) {
  (void)where;
  point();
  if (ended_) return -EBADF;
  if (auto it = listeners_.find(key(address)); it != listeners_.end()) return -EADDRINUSE;
  if (!fd_available(me().process)) return -EMFILE;
  const uint32_t id =
      create_socket(SocketKind::kListener, std::string(address), std::string(host_of(address)));
  const int fd = allocate_fd(me().process, FdSlot{FdKind::kSocket, id});
  sockets_[id].descriptors = 1;
  listeners_.emplace(std::string(address), id);
  return fd;
}

int Scheduler::net_accept(int fd, Location where) {
  point();
  if (ended_) return -EBADF;
  for (;;) {
    uint32_t id = 0;
    SimSocket* listener = socket_at(fd, SocketKind::kListener, &id);
    if (listener == nullptr) return -EBADF;
    if (!listener->backlog.empty()) {
      if (!fd_available(me().process)) return -EMFILE;
      const uint32_t stream = listener->backlog.front();
      listener->backlog.erase(listener->backlog.begin());
      sockets_[stream].descriptors = 1;
      return allocate_fd(me().process, FdSlot{FdKind::kSocket, stream});
    }
    wait_on_socket(id, std::nullopt, where);
    if (ended_after_wait()) return -EBADF;
  }
}

int Scheduler::net_connect(std::string_view address, Location where) {
  (void)where;
  point();
  if (ended_) return -EBADF;
  maybe_buggify();
  const auto it = listeners_.find(key(address));
  if (it == listeners_.end()) return -ECONNREFUSED;
  const uint32_t listener = it->second;
  const std::string local = process_host(me().process);
  if (cut(local, sockets_[listener].host)) return -ENETUNREACH;
  if (!fd_available(me().process)) return -EMFILE;
  const uint32_t client = create_socket(SocketKind::kStream, local, local);
  const uint32_t server =
      create_socket(SocketKind::kStream, std::string(address), sockets_[listener].host);
  sockets_[client].peer = server;
  sockets_[client].peer_address = std::string(address);
  sockets_[server].peer = client;
  sockets_[server].peer_address = local;
  sockets_[client].descriptors = 1;
  const int fd = allocate_fd(me().process, FdSlot{FdKind::kSocket, client});
  sockets_[listener].backlog.push_back(server);
  wake_socket(sockets_[listener]);
  return fd;
}

int64_t Scheduler::net_send(int fd, std::span<const std::byte> data, Location where) {
  (void)where;
  point();
  if (ended_) return static_cast<int64_t>(data.size());
  maybe_buggify();
  SimSocket* socket = socket_at(fd, SocketKind::kStream);
  if (socket == nullptr) return -EBADF;
  if (socket->reset) return -ECONNRESET;
  if (socket->peer_gone) return -EPIPE;
  if (data.empty()) return 0;
  const uint32_t peer = socket->peer;
  Segment segment;
  segment.bytes.assign(reinterpret_cast<const char*>(data.data()), data.size());
  segment.held = cut(socket->host, sockets_[peer].host);
  // In order: never before what this stream sent last.
  Clock::duration arrival = now_ + draw_latency();
  for (const Segment& queued : sockets_[peer].inbox) arrival = std::max(arrival, queued.deliver_at);
  segment.deliver_at = arrival;
  deliver(peer, std::move(segment));
  return static_cast<int64_t>(data.size());
}

int64_t Scheduler::net_receive(int fd, std::span<std::byte> into, internal::Deadline deadline,
                               Location where) {
  point();
  if (ended_) return 0;
  const std::optional<Clock::duration> until =
      deadline ? std::optional<Clock::duration>(deadline->time_since_epoch()) : std::nullopt;
  for (;;) {
    uint32_t id = 0;
    SimSocket* socket = socket_at(fd, SocketKind::kStream, &id);
    if (socket == nullptr) return -EBADF;
    if (socket->reset) return -ECONNRESET;
    if (!socket->inbox.empty()) {
      Segment& front = socket->inbox.front();
      if (!front.held && front.deliver_at <= now_) {
        if (front.end) return 0;  // Stays: every later receive sees EOF too.
        const size_t count = std::min(into.size(), front.bytes.size() - socket->consumed);
        std::memcpy(into.data(), front.bytes.data() + socket->consumed, count);
        socket->consumed += count;
        if (socket->consumed == front.bytes.size()) {
          socket->inbox.erase(socket->inbox.begin());
          socket->consumed = 0;
        }
        return static_cast<int64_t>(count);
      }
    }
    if (until && now_ >= *until) return -ETIMEDOUT;
    wait_on_socket(id, until, where);
    if (ended_after_wait()) return 0;
  }
}

// ---- Backend: datagrams -------------------------------------------------------------

int Scheduler::net_bind(std::string_view address, Location where) {
  (void)where;
  point();
  if (ended_) return -EBADF;
  if (bound_.contains(key(address))) return -EADDRINUSE;
  if (!fd_available(me().process)) return -EMFILE;
  const uint32_t id =
      create_socket(SocketKind::kDatagram, std::string(address), std::string(host_of(address)));
  const int fd = allocate_fd(me().process, FdSlot{FdKind::kSocket, id});
  sockets_[id].descriptors = 1;
  bound_.emplace(std::string(address), id);
  return fd;
}

int Scheduler::net_send_to(int fd, std::string_view address, std::span<const std::byte> payload,
                           Location where) {
  point();
  if (ended_) return 0;
  maybe_buggify();
  SimSocket* socket = socket_at(fd, SocketKind::kDatagram);
  if (socket == nullptr) return -EBADF;
  const std::string from = socket->address;
  const std::string sender_host = socket->host;
  const auto it = bound_.find(key(address));
  if (it == bound_.end()) return 0;  // Nobody is bound there: lost, as UDP.
  const uint32_t target = it->second;
  if (cut(sender_host, sockets_[target].host)) {
    note(EventKind::kDatagramLost, target, where);
    return 0;
  }
  if (draw(faults_.drop)) {
    note(EventKind::kDatagramLost, target, where);
    return 0;
  }
  const int copies = draw(faults_.duplicate) ? 2 : 1;
  for (int copy = 0; copy < copies; ++copy) {
    Segment segment;
    segment.bytes.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
    segment.from = from;
    segment.deliver_at = now_ + draw_latency();
    deliver(target, std::move(segment));
  }
  return 0;
}

int Scheduler::net_receive_from(int fd, std::string& payload, std::string& from,
                                internal::Deadline deadline, Location where) {
  point();
  if (ended_) return -ETIMEDOUT;
  const std::optional<Clock::duration> until =
      deadline ? std::optional<Clock::duration>(deadline->time_since_epoch()) : std::nullopt;
  for (;;) {
    uint32_t id = 0;
    SimSocket* socket = socket_at(fd, SocketKind::kDatagram, &id);
    if (socket == nullptr) return -EBADF;
    if (!socket->inbox.empty() && socket->inbox.front().deliver_at <= now_) {
      payload = std::move(socket->inbox.front().bytes);
      from = std::move(socket->inbox.front().from);
      socket->inbox.erase(socket->inbox.begin());
      return 0;
    }
    if (until && now_ >= *until) return -ETIMEDOUT;
    wait_on_socket(id, until, where);
    if (ended_after_wait()) return -ETIMEDOUT;
  }
}

// ---- closing ----------------------------------------------------------------------

void Scheduler::socket_descriptor_closed(uint32_t id, bool died) {
  SimSocket& socket = sockets_[id];
  WEFT_CHECK_GT(socket.descriptors, 0u);
  if (--socket.descriptors > 0 || ended_) return;
  wake_socket(socket);  // Its own waiters find the descriptor gone.
  switch (socket.kind) {
    case SocketKind::kListener:
      listeners_.erase(socket.address);
      for (uint32_t stream : socket.backlog) {
        const uint32_t client = sockets_[stream].peer;
        sockets_[client].reset = true;
        wake_socket(sockets_[client]);
      }
      socket.backlog.clear();
      return;
    case SocketKind::kDatagram:
      bound_.erase(socket.address);
      return;
    case SocketKind::kStream:
      break;
  }
  SimSocket& peer = sockets_[socket.peer];
  peer.peer_gone = true;
  bool unread = false;
  for (const Segment& segment : socket.inbox) unread = unread || !segment.end;
  if (died && unread) {
    // Closed with input it never read: the peer's connection is reset, as
    // Linux does; otherwise, dead or not, the peer reads what was sent, then EOF.
    peer.reset = true;
    wake_socket(peer);
    return;
  }
  // FIN, after everything sent before it.
  Segment end;
  end.end = true;
  end.held = cut(socket.host, peer.host);
  Clock::duration arrival = now_ + draw_latency();
  for (const Segment& queued : peer.inbox) arrival = std::max(arrival, queued.deliver_at);
  end.deliver_at = arrival;
  deliver(socket.peer, std::move(end));
}

// ---- faults ----------------------------------------------------------------------------

void Scheduler::net_partition(std::span<const std::string_view> side_a,
                              std::span<const std::string_view> side_b, Location where) {
  point();
  if (ended_) return;
  for (std::string_view a : side_a) {
    for (std::string_view b : side_b) {
      if (a == b || cut(a, b)) continue;
      std::string first(a);
      std::string second(b);
      if (second < first) std::swap(first, second);
      cuts_.emplace_back(std::move(first), std::move(second));
    }
  }
  note(EventKind::kPartition, kNoEventTarget, where);
}

void Scheduler::net_heal(Location where) {
  if (!ended_ && where.line() != 0) point();  // Buggify heals inside a send: no second point.
  if (ended_) return;
  cuts_.clear();
  note(EventKind::kHeal, kNoEventTarget, where);
  for (size_t id = 0; id < sockets_.size(); ++id) {
    SimSocket& socket = sockets_[id];
    bool released = false;
    Clock::duration arrival = now_;
    for (Segment& segment : socket.inbox) {
      if (segment.held) {
        // Retransmitted now, in order after the last one.
        arrival = std::max(arrival, now_ + draw_latency());
        segment.deliver_at = arrival;
        segment.held = false;
        released = true;
      } else {
        arrival = std::max(arrival, segment.deliver_at);
      }
    }
    if (released) wake_socket(socket);
  }
}

void Scheduler::set_faults(const Faults& faults, Location where) {
  (void)where;
  faults_ = faults;
  crash_probability_ = faults.crash;
}

}  // namespace weft::sim
