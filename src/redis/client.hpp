#pragma once
// One connection to Redis, owned by a small thread of its own: every hiredis call happens
// there, and a command's caller is resumed on its own executor, so no io thread ever waits
// on Redis. Commands are pipelined on the one connection.
//
// Redis is optional at run time: while it is unreachable, command() answers "nothing" at
// once, a warning is logged once per outage, and the client reconnects by itself. Before
// the first connection attempt has an outcome, a command waits for it, within its timeout.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redis/reply.hpp"

namespace gh::redis {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  int db = 0;
  std::string user, password;              // AUTH when a password is set; never logged
  std::chrono::milliseconds timeout{250};  // a command unanswered by then fails
  std::chrono::milliseconds reconnect_delay{500};
};

class Client {
 public:
  explicit Client(Options options);  // starts connecting in the background
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // True while connected.
  bool available() const;
  // Runs one command. Nothing when Redis is known to be down or does not answer within the
  // timeout; a Redis error is a Reply of Type::error.
  boost::asio::awaitable<std::optional<Reply>> command(std::vector<std::string> args);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace gh::redis
