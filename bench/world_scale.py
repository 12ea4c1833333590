#!/usr/bin/env python3
"""The two halves of bench/world-scale.sh: writing a world of N services and N endpoints, and timing
calls against it once it runs.

    world_scale.py world N TARGET             prints the sim-config (TARGET: host:port of the targets)
    world_scale.py echo PORTFILE              an echo server on a free loopback port, written to PORTFILE
    world_scale.py measure API DNS LOG N      prints one line of figures, NAME=VALUE ...

The world: one provider account with N Network Load Balancers (a node in each of two zones, the
one echo server behind all of them as the target in each zone: built-in targets would cost a
listening socket each, 2N open files) and N endpoint services, one consumer account with one VPC and N
interface endpoints, one in each service, with an interface in each zone: 2N interface listeners.

API calls are signed Query requests (SigV4, as the AWS CLI sends them) over one kept-alive
connection; each figure counts from the request's first byte to its answer's last, so the client's
own parsing is not in it. Sends only to 127.0.0.0/8, a bounded number of requests.
"""
import http.client
import random
import re
import socket
import struct
import sys
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PROVIDER, CONSUMER = "111122223333", "444455556666"
LISTENER_PORT = 443


def world(n, target):
    out = ["region: us-east-1",
           "simulation: {seed: 7}",
           "accounts:",
           '  - {id: "%s", zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}}' % PROVIDER,
           '  - {id: "%s", zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}}' % CONSUMER,
           "vpcs:",
           "  - id: vpc-0a000001",
           '    account: "%s"' % PROVIDER,
           "    cidr: 127.10.0.0/16",
           "    subnets:",
           "      - {id: subnet-0a000011, zone: us-east-1a, cidr: 127.10.0.0/20}",
           "      - {id: subnet-0a000012, zone: us-east-1b, cidr: 127.10.16.0/20}",
           "  - id: vpc-0b000002",
           '    account: "%s"' % CONSUMER,
           "    cidr: 127.20.0.0/16",
           "    subnets:",
           "      - {id: subnet-0b000021, zone: us-east-1a, cidr: 127.20.0.0/20}",
           "      - {id: subnet-0b000022, zone: us-east-1b, cidr: 127.20.16.0/20}",
           "loadBalancers:"]
    for i in range(n):
        third, fourth = divmod(i, 250)
        out.append('  - {name: n%d, account: "%s", nodes: [{zone: us-east-1a, ip: 127.10.%d.%d}, '
                   '{zone: us-east-1b, ip: 127.10.%d.%d}], listeners: [%d], targets: '
                   '[{zone: us-east-1a, address: "%s"}, {zone: us-east-1b, address: "%s"}]}'
                   % (i, PROVIDER, third, fourth + 4, 16 + third, fourth + 4, LISTENER_PORT, target, target))
    out.append("services:")
    for i in range(n):
        out.append('  - {name: s%d, account: "%s", loadBalancers: [n%d], acceptanceRequired: false, '
                   'allowedPrincipals: ["*"]}' % (i, PROVIDER, i))
    out.append("endpoints:")
    for i in range(n):
        out.append('  - {name: e%d, principal: "arn:aws:iam::%s:root", service: s%d, '
                   'vpc: vpc-0b000002, subnets: [subnet-0b000021, subnet-0b000022]}'
                   % (i, CONSUMER, i))
    print("\n".join(out))


class Ec2:
    """Signed EC2 Query calls over one HTTP/1.1 connection."""

    def __init__(self, api, account):
        self.host, self.port = api.split(":")
        self.netloc = api
        self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        self.signer = SigV4Auth(Credentials(account, "unused"), "ec2", "us-east-1")

    def call(self, action, params):
        body = urllib.parse.urlencode(dict(params, Action=action, Version="2016-11-15"))
        req = AWSRequest(method="POST", url="http://%s/" % self.netloc, data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        self.signer.add_auth(req)
        start = time.perf_counter()
        self.conn.request("POST", "/", body=body, headers=dict(req.headers.items()))
        resp = self.conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        if resp.status != 200:
            sys.exit("world_scale.py: %s answered %d: %s" % (action, resp.status, data[:300].decode()))
        return elapsed, data.decode()


def pages(client, action, extra=None):
    """Times every page of one full listing, 1,000 a page; returns (times, items seen)."""
    times, token, items = [], None, 0
    for _ in range(100):
        params = dict(extra or {}, MaxResults="1000")
        if token:
            params["NextToken"] = token
        t, body = client.call(action, params)
        times.append(t)
        items += body.count("<vpcEndpointId>")
        m = re.search(r"<nextToken>([^<]+)</nextToken>", body)
        if not m:
            return times, items
        token = m.group(1)
    sys.exit("world_scale.py: %s never ended its pages" % action)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def ms(v):
    return "%.1f" % (v * 1000)


def dns_query(sock, addr, name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    start = time.perf_counter()
    sock.sendto(q, addr)
    for _ in range(10):
        data, _ = sock.recvfrom(4096)
        if struct.unpack(">H", data[:2])[0] == qid:
            elapsed = time.perf_counter() - start
            answers = struct.unpack(">H", data[6:8])[0]
            if answers == 0:
                sys.exit("world_scale.py: no answer for " + name)
            return elapsed
    sys.exit("world_scale.py: no reply for " + name)


def http_get(api, path):
    host, port = api.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    data = resp.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if resp.status != 200:
        sys.exit("world_scale.py: GET %s answered %d" % (path, resp.status))
    return elapsed, len(data)


def measure(api, dns, log, n):
    if not api.startswith("127.") or not dns.startswith("127."):
        sys.exit("world_scale.py: talks only to 127.0.0.0/8")
    figures = {}
    consumer, provider = Ec2(api, CONSUMER), Ec2(api, PROVIDER)
    consumer.call("DescribeVpcEndpoints", {"MaxResults": "5"})  # the first call warms the connection

    for label, client, action in (("describe_endpoints", consumer, "DescribeVpcEndpoints"),
                                  ("describe_connections", provider, "DescribeVpcEndpointConnections")):
        times = []
        for _ in range(10):
            t, items = pages(client, action)
            if items < n:
                sys.exit("world_scale.py: %s listed %d of %d endpoints" % (action, items, n))
            times += t
        figures[label + "_p50_ms"] = ms(pct(times, 50))
        figures[label + "_p99_ms"] = ms(pct(times, 99))

    # Creates at N endpoints: each a new endpoint with one interface to a service of its own,
    # deleted afterwards so the world is back at N.
    _, body = provider.call("DescribeVpcEndpointServiceConfigurations", {"MaxResults": "1000"})
    service_names = re.findall(r"<serviceName>([^<]+)</serviceName>", body)
    created, times = [], []
    for i in range(50):
        t, body = consumer.call("CreateVpcEndpoint", {
            "VpcEndpointType": "Interface", "VpcId": "vpc-0b000002",
            "ServiceName": service_names[i % len(service_names)], "SubnetId.1": "subnet-0b000021"})
        times.append(t)
        created.append(re.search(r"<vpcEndpointId>([^<]+)</vpcEndpointId>", body).group(1))
    figures["create_endpoint_p50_ms"] = ms(pct(times, 50))
    figures["create_endpoint_p99_ms"] = ms(pct(times, 99))
    for start in range(0, len(created), 25):
        consumer.call("DeleteVpcEndpoints",
                      {"VpcEndpointId.%d" % (j + 1): e for j, e in enumerate(created[start:start + 25])})

    names = []
    with open(log) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "dns" and parts[1].startswith("vpce-"):
                names.append(parts[2])
    if len(names) < n:
        sys.exit("world_scale.py: the log names %d endpoints' DNS names of %d" % (len(names), n))
    rng = random.Random(1)
    host, port = dns.split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)
    times = [dns_query(sock, (host, int(port)), rng.choice(names), i) for i in range(2000)]
    sock.close()
    figures["dns_p50_ms"] = ms(pct(times, 50))
    figures["dns_p99_ms"] = ms(pct(times, 99))

    for label, path in (("metrics", "/metrics"), ("live", "/console/api/live")):
        runs = [http_get(api, path) for _ in range(10)]
        figures[label + "_ms"] = ms(pct([t for t, _ in runs], 50))
        figures[label + "_p99_ms"] = ms(max(t for t, _ in runs))
        figures[label + "_kib"] = "%.0f" % (runs[-1][1] / 1024)
    print(" ".join("%s=%s" % kv for kv in figures.items()))


def echo(port_file):
    """Echoes every connection's bytes back until the connection ends; serves until killed."""
    import asyncio

    async def handle(reader, writer):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        with open(port_file, "w") as f:
            f.write(str(server.sockets[0].getsockname()[1]))
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "world":
        world(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "echo":
        echo(sys.argv[2])
    elif len(sys.argv) == 6 and sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
