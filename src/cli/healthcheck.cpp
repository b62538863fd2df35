#include "cli/healthcheck.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <exception>

namespace gh::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::use_awaitable;

asio::awaitable<int> get_status(beast::tcp_stream& stream, std::string host, std::uint16_t port,
                                std::string path, std::chrono::seconds timeout) {
  asio::ip::tcp::resolver resolver(stream.get_executor());
  auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), use_awaitable);
  stream.expires_after(timeout);
  co_await stream.async_connect(endpoints, use_awaitable);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, path, 11};
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "gatehouse-healthcheck");
  req.set(bhttp::field::connection, "close");
  co_await bhttp::async_write(stream, req, use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  co_await bhttp::async_read(stream, buffer, parser, use_awaitable);
  std::printf("%d %s\n", parser.get().result_int(), parser.get().body().c_str());
  co_return parser.get().result_int();
}

}  // namespace

int healthcheck(std::string host, std::uint16_t port, const std::string& path,
                std::chrono::seconds timeout) {
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  int status = 0;
  asio::co_spawn(ioc, get_status(stream, host, port, path, timeout),
                 [&](std::exception_ptr error, int result) {
                   if (!error) {
                     status = result;
                     return;
                   }
                   try {
                     std::rethrow_exception(error);
                   } catch (const std::exception& e) {
                     std::fprintf(stderr, "gatehouse: healthcheck: %s\n", e.what());
                   }
                 });
  ioc.run();
  return status == 200 ? 0 : 1;
}

}  // namespace gh::cli
