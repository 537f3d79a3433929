"""The benchmarks' SMTP sink as a process of its own, as a mail server is (``bench/distribution.py --sink process``).

A sink thread inside the benchmark's process shares the interpreter lock with the sender, and with the
threads the product sends with; a mail server never does. This runs tests/integration/smtp_sink.py's
sink in a child process and answers ``count`` and ``clear`` on its stdin, one line each.

    with SinkProcess() as sink: sink.url, sink.handler.recipient_count(), sink.handler.clear()
"""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class _Handler:
    def __init__(self, proc: subprocess.Popen):
        self._proc = proc

    def _ask(self, command: str) -> str:
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._proc.stdout.readline().strip()

    def recipient_count(self) -> int:
        return int(self._ask("count"))

    def clear(self) -> None:
        self._ask("clear")


class SinkProcess:
    def __enter__(self) -> "SinkProcess":
        self._proc = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "bench.smtp_sink_process"],
            cwd=BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self._proc.stdout.readline())
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.handler = _Handler(self._proc)
        return self

    def __exit__(self, *exc) -> None:
        self._proc.stdin.close()
        self._proc.wait(timeout=20)


def _serve() -> None:
    sys.path.insert(0, str(BASE_DIR))
    from tests.integration.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        print(sink.port, flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "count":
                print(sink.handler.recipient_count(), flush=True)
            elif command == "clear":
                sink.handler.clear()
                print("ok", flush=True)


if __name__ == "__main__":
    _serve()
