#!/usr/bin/env bash
# Private DNS names of endpoint services, as today's EC2 has them, with the AWS CLI and dig against a
# running
#   ./plsim run sim-configs/quickstart.yaml
# (API on 127.0.0.1:4566, DNS on port 8053; PLSIM_API_PORT and PLSIM_DNS_PORT for others): the
# provider names its service, reads the TXT record to publish, publishes it in the world's public DNS,
# verifies; the consumer enables private DNS; dig on the consumer VPC's resolver (127.2.0.2, its CIDR's
# base plus two) answers the endpoint's interfaces, the provider VPC's resolver (127.1.0.2) does not.
# Prints each command and its answer; docs/private-dns.md shows one run. Cleans up after itself.
set -u
API_PORT=${PLSIM_API_PORT:-4566}
DNS_PORT=${PLSIM_DNS_PORT:-8053}
E="--endpoint-url http://127.0.0.1:$API_PORT"
export AWS_SECRET_ACCESS_KEY=unused AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
provider() { AWS_ACCESS_KEY_ID=AKIAPROVIDERROOT0001 aws ec2 $E "$@"; }
consumer() { AWS_ACCESS_KEY_ID=AKIACONSUMERROOT0001 aws ec2 $E "$@"; }
run() { echo "\$ $*"; "$@" 2>&1; echo; }
dig_at() { run dig @"$1" -p "$DNS_PORT" +time=2 +tries=1 "${@:2}"; }
# The verification's state, once it has left pendingVerification or 10 s have passed.
settled() {
    local state
    for _ in $(seq 1 50); do
        state=$(provider describe-vpc-endpoint-service-configurations --service-ids "$1" \
            --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State' --output text)
        [ "$state" != pendingVerification ] && break
        sleep 0.2
    done
}
NLB=arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/0dbfb57c3d71c2b9
VPC=vpc-0f9e8d7c6b5a40002
A=subnet-0f9e8d7c6b5a40021

# 1. The provider gives its service a private DNS name, and reads the record that proves it owns it.
run provider create-vpc-endpoint-service-configuration --network-load-balancer-arns $NLB --no-acceptance-required --private-dns-name api.example.test --query 'ServiceConfiguration.{ServiceId:ServiceId,PrivateDnsName:PrivateDnsName,PrivateDnsNameConfiguration:PrivateDnsNameConfiguration}'
SVC=$(provider describe-vpc-endpoint-service-configurations --filters Name=service-state,Values=Available --query 'ServiceConfigurations[?PrivateDnsName==`api.example.test`].ServiceId | [0]' --output text)
NAME=$(provider describe-vpc-endpoint-service-configurations --service-ids $SVC --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.Name' --output text)
VALUE=$(provider describe-vpc-endpoint-service-configurations --service-ids $SVC --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.Value' --output text)

# 2. Verifying before the record is published fails.
run provider start-vpc-endpoint-service-private-dns-verification --service-id $SVC
settled $SVC
run provider describe-vpc-endpoint-service-configurations --service-ids $SVC --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State'

# 3. The provider publishes the TXT record in the world's public DNS (plsim's DNS server), and verifies.
run curl -s -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$API_PORT/admin/dns/records" -d "{\"name\":\"$NAME.api.example.test\",\"type\":\"TXT\",\"value\":\"$VALUE\"}"
dig_at 127.0.0.1 +short TXT "$NAME.api.example.test"
run provider start-vpc-endpoint-service-private-dns-verification --service-id $SVC
run provider describe-vpc-endpoint-service-configurations --service-ids $SVC --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State'
settled $SVC
run provider describe-vpc-endpoint-service-configurations --service-ids $SVC --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State'
provider modify-vpc-endpoint-service-permissions --service-id $SVC --add-allowed-principals '["arn:aws:iam::444455556666:root"]' >/dev/null

# 4. The consumer sees the name, and enables private DNS on its endpoint.
run consumer describe-vpc-endpoint-services --service-names com.amazonaws.vpce.us-east-1.$SVC --query 'ServiceDetails[0].{PrivateDnsName:PrivateDnsName,State:PrivateDnsNameVerificationState}'
run consumer create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $VPC --service-name com.amazonaws.vpce.us-east-1.$SVC --subnet-ids $A --private-dns-enabled --query 'VpcEndpoint.{Id:VpcEndpointId,State:State,PrivateDnsEnabled:PrivateDnsEnabled}'
VPCE=$(consumer describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.vpce.us-east-1.$SVC --query 'VpcEndpoints[0].VpcEndpointId' --output text)
run consumer describe-network-interfaces --filters Name=description,Values="VPC Endpoint Interface $VPCE" --query 'NetworkInterfaces[].PrivateIpAddress'

# 5. The consumer VPC's resolver answers the name with the endpoint's interface; the provider VPC's
#    resolver and the public address do not know it.
dig_at 127.2.0.2 +short api.example.test
dig_at 127.1.0.2 +noall +comments api.example.test
dig_at 127.0.0.1 +noall +comments api.example.test

# 6. A client of the consumer's VPC reaches the service by the name (the NLB's echo targets answer).
IP=$(dig @127.2.0.2 -p "$DNS_PORT" +time=2 +tries=1 +short api.example.test | head -1)
echo "\$ echo hello | (connect to api.example.test:9443, resolved by 127.2.0.2 to $IP)"
if [ -n "$IP" ] && exec 3<>"/dev/tcp/$IP/9443"; then
    echo "hello through api.example.test" >&3
    read -r -t 2 line <&3 && echo "$line" || echo "(no answer)"
    exec 3>&-
fi
echo

# 7. A second endpoint with the same name in the same VPC is refused; private DNS turns off again.
run consumer create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $VPC --service-name com.amazonaws.vpce.us-east-1.$SVC --subnet-ids $A --private-dns-enabled
run consumer modify-vpc-endpoint --vpc-endpoint-id $VPCE --no-private-dns-enabled
dig_at 127.2.0.2 +short api.example.test

consumer delete-vpc-endpoints --vpc-endpoint-ids $VPCE >/dev/null
provider reject-vpc-endpoint-connections --service-id $SVC --vpc-endpoint-ids $VPCE >/dev/null
provider delete-vpc-endpoint-service-configurations --service-ids $SVC >/dev/null
curl -s -X DELETE "http://127.0.0.1:$API_PORT/admin/dns/records?name=$NAME.api.example.test" >/dev/null
