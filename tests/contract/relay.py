"""A TCP relay on a loopback port that passes bytes both ways, unchanged, to whichever
loopback port it points at now. It is Prism's upstream, so that one Prism (a few seconds to
start, many more on a busy machine) serves one short-lived server after another."""
from __future__ import annotations

import socket
import threading


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class Relay:
    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.target: int | None = None  # a connection accepted while None is closed at once
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn, self.target), daemon=True).start()

    @staticmethod
    def _serve(client: socket.socket, target: int | None) -> None:
        with client:
            if target is None:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", target), timeout=15)
            except OSError:
                return
            with upstream:
                upstream.settimeout(None)
                back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
                back.start()
                _pipe(client, upstream)
                back.join()

    def close(self) -> None:
        self.listener.close()
