#pragma once
// Who is at the other end of a request, as a service records it (a session's address, an
// audit event's address, agent and request id): the address as the rate limiter sees it
// (trusted proxies applied).
#include "http/request.hpp"
#include "services/audit_log.hpp"
#include "services/client_info.hpp"

namespace gh::dependencies {

services::ClientInfo client_info(const http::Request& req);
// The caller of a guarded route (dependencies/guard.hpp) as the actor of what it does.
services::Actor actor(const http::Request& req);

}  // namespace gh::dependencies
