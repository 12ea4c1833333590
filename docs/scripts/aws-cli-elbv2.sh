#!/usr/bin/env bash
# The NLB behind an endpoint service, changed with the AWS CLI while traffic flows, against a freshly started
#   ./plsim run sim-configs/az-outage.yaml
# (API on 127.0.0.1:4566; four echo targets, two per zone): cross-zone turned on, a target drained and
# registered again. Prints each command, its answer, and what the data plane did (flows per target, from
# /admin/world); docs/elbv2-api.md shows one run.
set -u
cd "$(dirname "$0")/../.."
E="--endpoint-url http://127.0.0.1:4566"
export AWS_SECRET_ACCESS_KEY=unused AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
# A 12-digit access key ID stands for that account's root.
elb() { AWS_ACCESS_KEY_ID=111122223333 aws elbv2 $E "$@"; }
run() { echo "\$ $*"; "$@" 2>&1; echo; }
# Flows each target has received so far, and whether it drains.
flows() {
  echo "# flows per target (/admin/world)"
  curl -s http://127.0.0.1:4566/admin/world | python3 -c '
import json, sys
for lb in json.load(sys.stdin)["loadBalancers"]:
    if lb["name"] == "outage-nlb":
        for t in lb["targets"]:
            print("  %-16s %-10s %-8s flows %5d%s" % (t["address"], t["zoneName"], t["kind"], t["flows"],
                  "  draining" if t["draining"] else ""))'
  echo
}
LB=$(elb describe-load-balancers --names outage-nlb --query 'LoadBalancers[0].LoadBalancerArn' --output text)
# The endpoint's interface in the consumer's us-east-1a (use1-az2).
IFACE=$(curl -s http://127.0.0.1:4566/admin/world | python3 -c '
import json, sys
for i in json.load(sys.stdin)["endpoints"][0]["interfaces"]:
    if i["zoneName"] == "us-east-1a":
        print(i["listeners"][0])')
run elb describe-load-balancers --names outage-nlb --query 'LoadBalancers[0].{Name:LoadBalancerName,Type:Type,Scheme:Scheme,State:State.Code,Nodes:AvailabilityZones[].[ZoneName,LoadBalancerAddresses[0].PrivateIPv4Address]}'
TG=$(elb describe-target-groups --load-balancer-arn $LB --query 'TargetGroups[0].TargetGroupArn' --output text)
run elb describe-target-groups --target-group-arns $TG --query 'TargetGroups[0].{Name:TargetGroupName,Port:Port,Type:TargetType,Check:[HealthCheckProtocol,HealthCheckPort,HealthCheckIntervalSeconds]}'
run elb describe-target-health --target-group-arn $TG --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,Target.AvailabilityZone,TargetHealth.State]' --output text
echo "# 100 new connections a second through the interface $IFACE (consumer us-east-1a, use1-az2) for 20 s"
./plsim load $IFACE --mode churn --rate 100 --duration 20s --quiet --allow-late --json /tmp/plsim-elbv2-load.json >/tmp/plsim-elbv2-load.txt 2>&1 &
LOAD=$!
sleep 4; flows
run elb modify-load-balancer-attributes --load-balancer-arn $LB --attributes Key=load_balancing.cross_zone.enabled,Value=true --query 'Attributes[?Key==`load_balancing.cross_zone.enabled`]'
sleep 4; flows
read -r ZONE_B_IP ZONE_B_PORT < <(elb describe-target-health --target-group-arn $TG --query 'TargetHealthDescriptions[?Target.AvailabilityZone==`us-east-1b`] | [0].[Target.Id,Target.Port]' --output text)
run elb modify-target-group-attributes --target-group-arn $TG --attributes Key=deregistration_delay.timeout_seconds,Value=5 Key=deregistration_delay.connection_termination.enabled,Value=true --query 'Attributes[?starts_with(Key,`deregistration_delay`)]'
run elb deregister-targets --target-group-arn $TG --targets Id=$ZONE_B_IP,Port=$ZONE_B_PORT
run elb describe-target-health --target-group-arn $TG --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,Target.AvailabilityZone,TargetHealth.State,TargetHealth.Reason]' --output text
sleep 3; flows
sleep 4
run elb describe-target-health --target-group-arn $TG --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,Target.AvailabilityZone,TargetHealth.State]' --output text
run elb register-targets --target-group-arn $TG --targets Id=$ZONE_B_IP,Port=$ZONE_B_PORT,AvailabilityZone=us-east-1b
sleep 1
run elb describe-target-health --target-group-arn $TG --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,Target.AvailabilityZone,TargetHealth.State]' --output text
wait $LOAD
echo "# the load, in the end"
grep -E "^  (requests|errors|latency|p50|p99 )" /tmp/plsim-elbv2-load.txt
echo
flows
