#!/usr/bin/env python3
"""An independent open-loop HTTP client, the yardstick for plsim load's churn latency.

One new connection per request (GET, Connection: close), sent at fixed intervals whatever the answers
do; each latency counts from the request's intended send time, so that a client that falls behind
sees its own lateness in its figures rather than hiding it (no coordinated omission). It waits for
each send time by spinning, so its timetable holds to microseconds: it uses a core while it runs.
One request at a time: at 1,000/s a request to nginx on loopback takes a fraction of its millisecond.

    bench/openloop.py HOST:PORT RATE SECONDS     prints: requests errors p50_us p99_us max_us

Sends only to the address given, at most RATE * SECONDS requests, and stops by itself.
"""
import socket
import sys
import time


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: openloop.py HOST:PORT RATE SECONDS")
    host, _, port = sys.argv[1].rpartition(":")
    rate, seconds = float(sys.argv[2]), float(sys.argv[3])
    if not host.startswith("127."):
        sys.exit("openloop.py: sends only to 127.0.0.0/8, not " + host)
    request = ("GET / HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n" % (host, port)).encode()
    interval = 1e9 / rate
    count = int(rate * seconds)
    latencies, errors = [], 0
    start = time.perf_counter_ns()
    for i in range(count):
        intended = start + int(i * interval)
        while time.perf_counter_ns() < intended:
            pass
        try:
            with socket.create_connection((host, int(port)), timeout=5) as s:
                s.sendall(request)
                while s.recv(65536):
                    pass
            latencies.append(time.perf_counter_ns() - intended)
        except OSError:
            errors += 1
    latencies.sort()
    if not latencies:
        print(count, errors, "nan nan nan")
        return

    def at(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000

    print(count, errors, "%.1f %.1f %.1f" % (at(0.50), at(0.99), latencies[-1] / 1000))


if __name__ == "__main__":
    main()
