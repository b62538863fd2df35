"""The contract test: the integration suite's files that speak well-formed HTTP, run with
Stoplight Prism's validating proxy in front of every gatehouse they start (prism_front.py).
It fails on any request or response the OpenAPI document does not describe.

  GATEHOUSE_BIN=build/gatehouse GH_NODE_MODULES=build/contract-tools/node_modules \\
      /usr/bin/python3 tests/contract/run_through_prism.py [pytest options]

Every file of tests/integration is in one of the two lists below, so a new file is a choice."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
INTEGRATION = HERE.parent / "integration"

THROUGH_PRISM = [
    "test_auth.py",
    "test_sessions.py",
    "test_session_list.py",
    "test_users.py",
    "test_user_list.py",
    "test_errors.py",
    "test_cors_ratelimit.py",
    "test_health.py",
    "test_docs.py",
    "test_metrics.py",
    "test_audit_privacy.py",
    "test_oauth_token.py",
    "test_mfa.py",
    "test_console.py",
]

NOT_THROUGH_PRISM = {
    # A proxy ends the client's connection and opens its own: what these test (framing,
    # keep-alive, pipelining, slow or oversized requests, connection caps) never reaches
    # the server as sent.
    "test_http.py": "HTTP/1.1 on the wire: raw sockets, keep-alive, pipelining",
    "test_http_framing.py": "malformed framing on raw sockets",
    "test_limits.py": "header and body sizes, slow senders and connection caps on raw sockets",
    "test_abuse.py": "hostile clients: throttles per address and timing, raw bodies Prism "
                     "would re-encode",
    "test_client_address.py": "who connects (X-Forwarded-For from trusted proxies)",
    "test_audit.py": "each event's client address (X-Forwarded-For), agent and request id as "
                     "the client sent them, its log line, and rows written straight into the "
                     "database",
    # Not about HTTP exchanges the document describes.
    "test_cli.py": "the command line",
    "test_healthcheck_cli.py": "the command line",
    "test_logs.py": "the server's log lines",
    "test_durability.py": "SIGKILL in the middle of a burst: requests in flight are cut",
    "test_concurrency.py": "races between requests released together; Prism would serialise "
                           "what it parses first",
    "test_redis.py": "several instances sharing a Redis: the same operations as above",
    "test_pg_outage.py": "PostgreSQL faults, in the postgres run only",
    "test_jwks_verifiers.py": "third-party verifiers fetch the key set themselves, from the "
                              "server; key rotations through the admin routes",
    "test_pg_key_rotation.py": "two instances on one PostgreSQL, in the postgres run only",
    "test_pg_mail_instances.py": "two instances on one PostgreSQL, in the postgres run only",
    "test_email.py": "servers of their own beside a real SMTP server, stopped, killed and "
                     "restarted; the links come from the mail, not the API",
}


def main() -> int:
    on_disk = {p.name for p in INTEGRATION.glob("test_*.py")}
    listed = set(THROUGH_PRISM) | set(NOT_THROUGH_PRISM)
    if on_disk != listed:
        print(f"tests/integration and the lists here differ: unlisted {sorted(on_disk - listed)}, "
              f"gone {sorted(listed - on_disk)}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE))
    files = [str(INTEGRATION / name) for name in THROUGH_PRISM]
    return int(pytest.main(["-q", "-p", "no:cacheprovider", "-rfE", "-p", "prism_front",
                            *files, *sys.argv[1:]]))


if __name__ == "__main__":
    sys.exit(main())
