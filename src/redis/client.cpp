#include "redis/client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "core/log.hpp"
#include "core/offload.hpp"
#include "redis/asio_adapter.hpp"

namespace gh::redis {

namespace asio = boost::asio;

namespace {

Reply copy_reply(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::error;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      break;
    default:
      out.type = Reply::Type::nil;
      break;
  }
  if (r->str) out.str.assign(r->str, r->len);
  out.integer = r->integer;
  for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
  return out;
}

// One command in flight. Completed once: by the reply, by the timeout or by the context
// going away, whichever comes first. Touched only on the Redis thread.
struct Call {
  virtual ~Call() = default;
  virtual void finish(std::optional<Reply> reply) = 0;
  void complete(std::optional<Reply> reply) {
    if (done) return;
    done = true;
    if (timer) timer->cancel();
    finish(std::move(reply));
  }
  bool done = false;
  std::optional<asio::steady_timer> timer;
};

template <class Handler>
struct CallFor final : Call {
  explicit CallFor(Handler h) : handler(std::move(h)) {}
  void finish(std::optional<Reply> reply) override {
    detail::complete_at_home(std::move(handler), std::move(reply));
  }
  Handler handler;
};

}  // namespace

struct Client::Impl {
  explicit Impl(Options o) : options(std::move(o)), work(asio::make_work_guard(ioc)), retry(ioc) {}

  void connect();
  void schedule_reconnect();
  // Gives up on `ac`, still the current connection: down for `why`, and every command still
  // waiting on it answered with "nothing". The caller reconnects.
  void drop(redisAsyncContext* ac, const char* why);
  // A command on `ac` went unanswered past its timeout: a Redis that stopped answering
  // without closing (a frozen host, a partition) is down too.
  void stalled(redisAsyncContext* ac);
  void went_down(const char* why, std::string_view detail = {});
  void send_setup();
  void send(std::shared_ptr<Call> call, const std::vector<std::string>& args);
  void shutdown();

  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_setup_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_ready(redisAsyncContext* ac, void* reply, void* privdata);

  Options options;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work;
  asio::steady_timer retry;
  std::optional<asio::steady_timer> connect_deadline;
  std::thread thread;
  redisAsyncContext* ctx = nullptr;  // Redis thread only
  bool ready = false;                // ctx has answered its setup's PING
  bool stopping = false;
  bool warned = false;  // the current outage has been logged
  std::atomic<bool> available{false};
  // Set once a connection attempt has failed, cleared when one is ready. Until the first
  // attempt has an outcome, commands wait for it (within their timeout) rather than fail:
  // a request arriving in the process's first milliseconds is not an outage.
  std::atomic<bool> down{false};
};

void Client::Impl::connect() {
  if (stopping) return;
  redisAsyncContext* ac = redisAsyncConnect(options.host.c_str(), options.port);
  if (!ac || ac->err) {
    if (ac) redisAsyncFree(ac);
    went_down("connect failed");
    schedule_reconnect();
    return;
  }
  ac->data = this;
  AsioAdapter::attach(ioc, ac);  // before the callbacks: setting them arms the first wait
  redisAsyncSetConnectCallback(ac, &Impl::on_connect);
  redisAsyncSetDisconnectCallback(ac, &Impl::on_disconnect);
  ctx = ac;
  ready = false;
  send_setup();
  // hiredis 0.14 has no connect timeout: a silent host would leave us connecting forever.
  // Connected is not enough: a server that accepts but never answers the setup (loading
  // its data, frozen) is given up on the same deadline.
  connect_deadline.emplace(ioc, std::max(options.timeout * 4, std::chrono::milliseconds(1000)));
  connect_deadline->async_wait([this, ac](const boost::system::error_code& ec) {
    if (ec || ctx != ac || ready) return;
    drop(ac, "connect timed out");
    schedule_reconnect();
  });
}

void Client::Impl::drop(redisAsyncContext* ac, const char* why) {
  ctx = nullptr;
  went_down(why);
  redisAsyncFree(ac);
}

void Client::Impl::stalled(redisAsyncContext* ac) {
  if (stopping || ctx != ac) return;  // that connection is gone already
  drop(ac, "command timed out");
  connect();  // at once: one slow answer should cost a round trip, not a retry delay
}

// AUTH and SELECT are queued first, then a PING whose answer makes the client available:
// hiredis sends commands in order, so no caller's command runs unauthenticated or on the
// wrong database, and a refused password never counts as "connected".
void Client::Impl::send_setup() {
  auto send_argv = [this](std::vector<std::string> args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAsyncCommandArgv(ctx, &Impl::on_setup_reply, this, static_cast<int>(argv.size()),
                          argv.data(), lens.data());
  };
  if (!options.password.empty()) {
    if (options.user.empty())
      send_argv({"AUTH", options.password});
    else
      send_argv({"AUTH", options.user, options.password});
  }
  if (options.db != 0) send_argv({"SELECT", std::to_string(options.db)});
  redisAsyncCommand(ctx, &Impl::on_ready, this, "PING");
}

void Client::Impl::on_setup_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  auto* r = static_cast<redisReply*>(reply);
  if (!r || r->type != REDIS_REPLY_ERROR) return;
  // Wrong password or database: Redis's words (never the password) in the one warning of
  // this outage, then drop the connection and keep retrying.
  static_cast<Impl*>(privdata)->went_down("AUTH or SELECT refused",
                                          std::string_view(r->str, r->len));
  redisAsyncDisconnect(ac);
}

void Client::Impl::on_ready(redisAsyncContext* ac, void* reply, void* privdata) {
  auto* r = static_cast<redisReply*>(reply);
  auto* self = static_cast<Impl*>(privdata);
  if (!r || self->stopping) return;
  if (r->type == REDIS_REPLY_ERROR) {
    // LOADING, MASTERDOWN, NOAUTH (a password Redis wants and the URL lacks): not ready.
    // Drop the connection and retry, as for a refused AUTH, rather than stay connected
    // and never available.
    self->went_down("PING refused", std::string_view(r->str, r->len));
    redisAsyncDisconnect(ac);
    return;
  }
  self->ready = true;
  self->available = true;
  self->down = false;
  if (self->warned) log::warn("redis_available_again");
  self->warned = false;
}

void Client::Impl::on_connect(const redisAsyncContext* ac, int status) {
  if (status == REDIS_OK) return;  // available once the setup's PING is answered
  auto* self = static_cast<Impl*>(ac->data);
  self->ctx = nullptr;  // hiredis frees a context whose connect failed
  self->went_down("connect failed");
  self->schedule_reconnect();
}

void Client::Impl::on_disconnect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<Impl*>(ac->data);
  self->ctx = nullptr;
  if (self->stopping) return;
  self->went_down("connection lost");
  self->schedule_reconnect();
}

void Client::Impl::went_down(const char* why, std::string_view detail) {
  available = false;
  down = true;
  if (warned || stopping) return;
  warned = true;
  log::warn("redis_unavailable",
            {{"reason", std::string_view(why)},
             {"detail", detail},
             {"host", std::string_view(options.host)},
             {"port", static_cast<long long>(options.port)},
             {"fallback", std::string_view("limits and cache in this process")}});
}

void Client::Impl::schedule_reconnect() {
  if (stopping) return;
  retry.expires_after(options.reconnect_delay);
  retry.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !ctx) connect();
  });
}

void Client::Impl::send(std::shared_ptr<Call> call, const std::vector<std::string>& args) {
  if (!ctx || down) return call->complete(std::nullopt);  // queued behind the setup otherwise
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* holder = new std::shared_ptr<Call>(call);  // released by on_reply, always called once
  if (redisAsyncCommandArgv(ctx, &Impl::on_reply, holder, static_cast<int>(argv.size()),
                            argv.data(), lens.data()) != REDIS_OK) {
    delete holder;
    return call->complete(std::nullopt);
  }
  call->timer.emplace(ioc, options.timeout);
  call->timer->async_wait([this, call, ac = ctx](const boost::system::error_code& ec) {
    if (ec || call->done) return;
    stalled(ac);  // first: the caller resumes to a client already marked down
    call->complete(std::nullopt);
  });
}

void Client::Impl::on_reply(redisAsyncContext*, void* reply, void* privdata) {
  std::unique_ptr<std::shared_ptr<Call>> holder(static_cast<std::shared_ptr<Call>*>(privdata));
  auto* r = static_cast<redisReply*>(reply);
  (*holder)->complete(r ? std::optional<Reply>(copy_reply(r)) : std::nullopt);
}

void Client::Impl::shutdown() {
  stopping = true;
  available = false;
  retry.cancel();
  if (connect_deadline) connect_deadline->cancel();
  if (ctx) {
    redisAsyncContext* ac = ctx;
    ctx = nullptr;
    redisAsyncFree(ac);  // answers every call still waiting with "nothing"
  }
  work.reset();
}

Client::Client(Options options) : impl_(std::make_shared<Impl>(std::move(options))) {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->connect(); });
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

Client::~Client() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->shutdown(); });
  impl_->thread.join();
}

bool Client::available() const {
  return impl_->available.load(std::memory_order_relaxed);
}

boost::asio::awaitable<std::optional<Reply>> Client::command(std::vector<std::string> args) {
  if (impl_->down.load(std::memory_order_relaxed)) co_return std::nullopt;
  auto initiation = [impl = impl_](auto handler, std::vector<std::string> args) {
    std::shared_ptr<Call> call = std::make_shared<CallFor<decltype(handler)>>(std::move(handler));
    asio::post(impl->ioc, [impl, call = std::move(call), args = std::move(args)]() mutable {
      impl->send(std::move(call), args);
    });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(std::optional<Reply>)>(
      std::move(initiation), asio::use_awaitable, std::move(args));
}

}  // namespace gh::redis
