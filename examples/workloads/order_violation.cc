// Copyright 2026 The weft Authors.
//
// Order violation (use before initialisation): a server starts a loader thread
// that reads the configuration and publishes it, then a handler thread that
// serves a request with it. The author assumed the loader, started first,
// would be done first; nothing makes it so, and the handler can find no
// configuration yet. The fix: the handler waits until the loader signals that
// the configuration is published (a semaphore released after the store).

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

struct Config {
  int port = 0;
  int max_connections = 0;
};

struct Server {
  Config storage;
  weft::Atomic<const Config*> config{nullptr, "config"};
  weft::Semaphore config_ready{0, "config ready"};
};

void load_config(Server& server) {
  server.storage.port = 8080;
  server.storage.max_connections = 64;
  server.config.store(&server.storage);
  server.config_ready.release();
}

int serve_request(const Server& server) {
  const Config* config = server.config.load();
  WEFT_ASSERT(config != nullptr, "the handler used the configuration before it was loaded");
  return config->port;
}

void run_server(bool wait_for_config) {
  Server server;
  int served_on = 0;
  weft::Thread loader("loader", [&] { load_config(server); });
  weft::Thread handler("handler", [&] {
    if (wait_for_config) server.config_ready.acquire();
    served_on = serve_request(server);
  });
  loader.join();
  handler.join();
  WEFT_ASSERT(served_on == 8080, "the request was served on the wrong port");
}

}  // namespace

void order_violation_buggy() { run_server(/*wait_for_config=*/false); }
void order_violation_fixed() { run_server(/*wait_for_config=*/true); }

}  // namespace weft::examples
