#include "redis/asio_adapter.hpp"

#include <hiredis/async.h>
#include <sys/ioctl.h>

#include <boost/asio/post.hpp>

namespace gh::redis {
namespace {

AsioAdapter* self_of(void* p) {
  return static_cast<AsioAdapter*>(p);
}

bool bytes_waiting(int fd) {
  int n = 0;
  return ::ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

}  // namespace

void AsioAdapter::attach(boost::asio::io_context& ioc, redisAsyncContext* ac) {
  auto adapter = std::make_shared<AsioAdapter>(ioc, ac);
  adapter->self_ = adapter;
  ac->ev.data = adapter.get();
  ac->ev.addRead = &AsioAdapter::add_read;
  ac->ev.delRead = &AsioAdapter::del_read;
  ac->ev.addWrite = &AsioAdapter::add_write;
  ac->ev.delWrite = &AsioAdapter::del_write;
  ac->ev.cleanup = &AsioAdapter::cleanup;
}

AsioAdapter::AsioAdapter(boost::asio::io_context& ioc, redisAsyncContext* ac)
    : ioc_(ioc), ac_(ac), socket_(ioc, ac->c.fd) {}

AsioAdapter::~AsioAdapter() {
  // hiredis owns the descriptor and closes it itself.
  if (socket_.is_open()) socket_.release();
}

bool AsioAdapter::connected() const {
  return (ac_->c.flags & REDIS_CONNECTED) != 0;
}

void AsioAdapter::add_read(void* p) {
  auto* self = self_of(p);
  self->want_read_ = true;
  if (!self->read_waiting_) self->wait_read();
}

void AsioAdapter::del_read(void* p) {
  self_of(p)->want_read_ = false;
}

void AsioAdapter::add_write(void* p) {
  self_of(p)->want_write();
}

void AsioAdapter::del_write(void* p) {
  self_of(p)->want_write_ = false;
}

void AsioAdapter::cleanup(void* p) {
  auto* self = self_of(p);
  self->closed_ = true;
  self->want_read_ = self->want_write_ = false;
  boost::system::error_code ignored;
  self->socket_.cancel(ignored);
  self->socket_.release();
  self->self_.reset();  // pending handlers still hold their own references
}

void AsioAdapter::wait_read() {
  read_waiting_ = true;
  socket_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->read_waiting_ = false;
                       if (self->closed_ || ec == boost::asio::error::operation_aborted) return;
                       self->on_readable();
                     });
}

void AsioAdapter::on_readable() {
  auto keep = shared_from_this();  // hiredis may free the context (and call cleanup) here
  const int fd = ac_->c.fd;
  do {
    if (!want_read_) return;
    redisAsyncHandleRead(ac_);
  } while (!closed_ && bytes_waiting(fd));
  if (!closed_ && want_read_ && !read_waiting_) wait_read();
}

void AsioAdapter::want_write() {
  want_write_ = true;
  // While connecting, writability is the signal that the connection is made: wait for it.
  if (!connected()) {
    if (!write_waiting_) wait_write();
    return;
  }
  // Connected: write from a fresh handler (hiredis calls this hook from inside a command
  // call), so commands issued in one handler go out together.
  if (write_posted_ || write_waiting_) return;
  write_posted_ = true;
  boost::asio::post(ioc_, [self = shared_from_this()] {
    self->write_posted_ = false;
    self->write_now();
  });
}

void AsioAdapter::write_now() {
  if (closed_ || !want_write_) return;
  auto keep = shared_from_this();
  redisAsyncHandleWrite(ac_);
  // Still wanting to write means the kernel buffer is full: the drain will signal.
  if (!closed_ && want_write_ && !write_waiting_) wait_write();
}

void AsioAdapter::wait_write() {
  write_waiting_ = true;
  socket_.async_wait(boost::asio::posix::descriptor_base::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->write_waiting_ = false;
                       if (self->closed_ || ec == boost::asio::error::operation_aborted) return;
                       self->write_now();
                     });
}

}  // namespace gh::redis
