#!/usr/bin/env bash
# The user guide's workflow, command by command, with the AWS CLI against a running
#   ./plsim run sim-configs/quickstart.yaml
# (API on 127.0.0.1:4566). Prints each command and its answer; docs/ec2-api.md shows one run.
set -u
E="--endpoint-url http://127.0.0.1:4566"
export AWS_SECRET_ACCESS_KEY=unused AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
provider() { AWS_ACCESS_KEY_ID=AKIAPROVIDERROOT0001 aws ec2 $E "$@"; }
consumer() { AWS_ACCESS_KEY_ID=AKIACONSUMERROOT0001 aws ec2 $E "$@"; }
run() { echo "\$ $*"; "$@" 2>&1; echo; }
NLB=arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/0dbfb57c3d71c2b9
run provider create-vpc-endpoint-service-configuration --network-load-balancer-arns $NLB --acceptance-required
SVC=$(provider describe-vpc-endpoint-service-configurations --filters Name=service-state,Values=Available --query "ServiceConfigurations[?NetworkLoadBalancerArns[0]=='$NLB'].ServiceId" --output text)
run provider modify-vpc-endpoint-service-permissions --service-id $SVC --add-allowed-principals '["arn:aws:iam::444455556666:root"]'
run provider describe-vpc-endpoint-service-permissions --service-id $SVC
run consumer describe-vpc-endpoint-services --service-names com.amazonaws.vpce.us-east-1.$SVC
run consumer create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id vpc-0f9e8d7c6b5a40002 --service-name com.amazonaws.vpce.us-east-1.$SVC --subnet-ids subnet-0f9e8d7c6b5a40021 subnet-0f9e8d7c6b5a40022
VPCE=$(consumer describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.vpce.us-east-1.$SVC --query 'VpcEndpoints[0].VpcEndpointId' --output text)
run provider create-vpc-endpoint-connection-notification --connection-notification-arn arn:aws:sns:us-east-1:111122223333:quickstart-endpoint-events --connection-events Connect Accept Delete Reject --service-id $SVC
NFN=$(provider describe-vpc-endpoint-connection-notifications --filters Name=service-id,Values=$SVC --query 'ConnectionNotificationSet[0].ConnectionNotificationId' --output text)
run provider describe-vpc-endpoint-connections --filters Name=vpc-endpoint-state,Values=pendingAcceptance Name=service-id,Values=$SVC
run provider accept-vpc-endpoint-connections --service-id $SVC --vpc-endpoint-ids $VPCE
run provider modify-vpc-endpoint-connection-notification --connection-notification-id $NFN --connection-events Accept Reject
run provider describe-vpc-endpoint-connection-notifications
run provider modify-vpc-endpoint-service-configuration --service-id $SVC --no-acceptance-required
run provider modify-vpc-endpoint-service-configuration --service-id $SVC --remove-network-load-balancer-arn $NLB
run provider delete-vpc-endpoint-service-configurations --service-ids $SVC
run provider reject-vpc-endpoint-connections --service-id $SVC --vpc-endpoint-ids $VPCE
run provider create-tags --resources $SVC --tags Key=team,Value=payments
run provider delete-vpc-endpoint-connection-notifications --connection-notification-ids $NFN
run consumer delete-vpc-endpoints --vpc-endpoint-ids $VPCE
run provider delete-vpc-endpoint-service-configurations --service-ids $SVC
run provider modify-vpc-endpoint-service-permissions --service-id vpce-svc-e928bf0e143e6d039 --remove-allowed-principals '["arn:aws:iam::444455556666:root"]'
