#pragma once
// Drives one hiredis asynchronous context from an Asio io_context: hiredis says when it
// wants to read or write (the ev hooks), Asio says when the socket is ready.
//
// Asio's epoll reactor is edge-triggered and a wait is never completed speculatively, so
// readiness that arrived before a wait was queued is not reported again. Two rules keep a
// command from stalling: after a read, read again while the socket still holds bytes; and
// once connected, try a write at once when hiredis asks (wait only when the kernel buffer
// is full, which guarantees a fresh edge).
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>

struct redisAsyncContext;

namespace gh::redis {

class AsioAdapter : public std::enable_shared_from_this<AsioAdapter> {
 public:
  // Installs the hooks on `ac`. The adapter keeps itself alive until hiredis calls cleanup
  // (when the context is freed); call this before setting the connect callback.
  static void attach(boost::asio::io_context& ioc, redisAsyncContext* ac);

  AsioAdapter(boost::asio::io_context& ioc, redisAsyncContext* ac);
  ~AsioAdapter();

 private:
  static void add_read(void* self);
  static void del_read(void* self);
  static void add_write(void* self);
  static void del_write(void* self);
  static void cleanup(void* self);

  void wait_read();
  void on_readable();
  void want_write();
  void wait_write();
  void write_now();
  bool connected() const;

  boost::asio::io_context& ioc_;
  redisAsyncContext* ac_;
  boost::asio::posix::stream_descriptor socket_;
  bool want_read_ = false, want_write_ = false;
  bool read_waiting_ = false, write_waiting_ = false, write_posted_ = false;
  bool closed_ = false;
  std::shared_ptr<AsioAdapter> self_;  // hiredis's reference, dropped in cleanup
};

}  // namespace gh::redis
