# Sourced by the bench scripts: the pieces they share to set up plsim and HAProxy side by side.
# Every address is on loopback.

# nginx_ok_cfg DIR PORT [LISTEN_OPTIONS]: DIR/nginx.conf, one nginx worker answering 200 "ok" to GET / on
# 127.0.0.1:PORT (LISTEN_OPTIONS: proxy_protocol, say), its pid in DIR/nginx.pid.
nginx_ok_cfg() {
  cat > "$1/nginx.conf" <<CONF
worker_processes 1;
pid $1/nginx.pid;
error_log $1/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$2 ${3:-} backlog=4096; location = / { return 200 "ok\\n"; } }
}
CONF
}

# haproxy_cfg FILE BIND_PORT SERVER_PORT: HAProxy in TCP mode on 127.0.0.1:BIND_PORT, sending a
# Proxy Protocol v2 header to 127.0.0.1:SERVER_PORT from the source address 127.0.0.5: it binds an
# address of its own before it connects, the same work as plsim's NLB node, which connects from
# the node's IP.
haproxy_cfg() {
  cat > "$1" <<CONF
global
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$2
  default_backend be
backend be
  server nginx 127.0.0.1:$3 send-proxy-v2 source 127.0.0.5
CONF
}

# plsim_world FILE NAME PROVIDER_NET CONSUMER_NET LISTENER_PORT TARGET_PORT: a world with one
# endpoint in one zone: the provider's VPC in 127.PROVIDER_NET.0.0/16 with an NLB (Proxy Protocol
# v2) listening on LISTENER_PORT in front of 127.0.0.1:TARGET_PORT, the consumer's in
# 127.CONSUMER_NET.0.0/16.
plsim_world() {
  cat > "$1" <<YAML
region: us-east-1
accounts:
  - {id: "111122223333", zones: {us-east-1a: use1-az1}}
  - {id: "444455556666", zones: {us-east-1a: use1-az1}}
vpcs:
  - id: vpc-0c0c0c0c0c0c00001
    account: "111122223333"
    cidr: 127.$3.0.0/16
    subnets: [{id: subnet-0c0c0c0c0c0c00011, zone: us-east-1a, cidr: 127.$3.1.0/24}]
  - id: vpc-0d0d0d0d0d0d00002
    account: "444455556666"
    cidr: 127.$4.0.0/16
    subnets: [{id: subnet-0d0d0d0d0d0d00021, zone: us-east-1a, cidr: 127.$4.1.0/24}]
loadBalancers:
  - name: $2-nlb
    account: "111122223333"
    nodes: [{zone: us-east-1a, ip: 127.$3.1.10}]
    listeners: [$5]
    targets: [{zone: us-east-1a, address: "127.0.0.1:$6"}]
    proxyProtocol: {v2: true}
    healthCheck: {intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2}
services:
  - {name: $2, account: "111122223333", loadBalancers: [$2-nlb], acceptanceRequired: false,
     allowedPrincipals: ["*"]}
endpoints:
  - {name: $2-endpoint, principal: "arn:aws:iam::444455556666:root", service: $2,
     vpc: vpc-0d0d0d0d0d0d00002, subnets: [subnet-0d0d0d0d0d0d00021]}
YAML
}

# start_plsim JAR YAML LOG [RUN OPTIONS...]: starts plsim run in the background and waits for its
# first endpoint interface; sets PLSIM_PID and PLSIM_ADDR (ip:port), or exits 1 with plsim's log.
start_plsim() {
  local jar=$1 yaml=$2 log=$3
  shift 3
  java ${PLSIM_JAVA_OPTS:-} -jar "$jar" run "$yaml" --api-port 0 --dns-port 0 "$@" > "$log" 2>&1 &
  PLSIM_PID=$!
  for _ in $(seq 1 100); do grep -q '^endpoint ' "$log" 2>/dev/null && break; sleep 0.1; done
  PLSIM_ADDR=$(awk '/^endpoint /{print $4; exit}' "$log")
  [ -n "$PLSIM_ADDR" ] || { echo "$(basename "$0"): plsim did not start:" >&2; cat "$log" >&2; exit 1; }
}
