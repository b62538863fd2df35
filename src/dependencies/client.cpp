#include "dependencies/client.hpp"

#include "dependencies/guard.hpp"

namespace gh::dependencies {

services::ClientInfo client_info(const http::Request& req) {
  return {req.client_ip, std::string(req.header(http::bhttp::field::user_agent)), req.request_id};
}

services::Actor actor(const http::Request& req) {
  const services::Principal& who = caller(req);
  return {who.user.id, who.session_id, client_info(req)};
}

}  // namespace gh::dependencies
