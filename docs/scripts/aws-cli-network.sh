#!/usr/bin/env bash
# The EC2 calls around an endpoint, with the AWS CLI against a running
#   ./plsim run sim-configs/quickstart.yaml
# (API on 127.0.0.1:4566): the consumer's VPC, subnets and security groups, an endpoint created
# with a group of its own, its network interfaces, a subnet added (traffic goes through the new
# interface at once) and one removed, tags described and deleted. Prints each command and its
# answer; docs/ec2-api.md shows one run. Cleans up after itself.
set -u
E="--endpoint-url http://127.0.0.1:4566"
export AWS_SECRET_ACCESS_KEY=unused AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
provider() { AWS_ACCESS_KEY_ID=AKIAPROVIDERROOT0001 aws ec2 $E "$@"; }
consumer() { AWS_ACCESS_KEY_ID=AKIACONSUMERROOT0001 aws ec2 $E "$@"; }
run() { echo "\$ $*"; "$@" 2>&1; echo; }
# One line through an address's port 9443 (the NLB's echo targets answer it back), within 2 s.
echo_through() {
    echo "\$ echo hello | (connect to $1:9443)"
    if exec 3<>"/dev/tcp/$1/9443"; then
        echo "hello through $1" >&3
        read -r -t 2 line <&3 && echo "$line" || echo "(no answer)"
        exec 3>&-
    fi
    echo
}
NLB=arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/0dbfb57c3d71c2b9
VPC=vpc-0f9e8d7c6b5a40002
A=subnet-0f9e8d7c6b5a40021
B=subnet-0f9e8d7c6b5a40022
SVC=$(provider create-vpc-endpoint-service-configuration --network-load-balancer-arns $NLB --no-acceptance-required --query ServiceConfiguration.ServiceId --output text)
provider modify-vpc-endpoint-service-permissions --service-id $SVC --add-allowed-principals '["arn:aws:iam::444455556666:root"]' >/dev/null
run consumer describe-vpcs --vpc-ids $VPC --query 'Vpcs[].{VpcId:VpcId,Cidr:CidrBlock,State:State,IsDefault:IsDefault}'
run consumer describe-subnets --filters Name=vpc-id,Values=$VPC --query 'Subnets[].{SubnetId:SubnetId,Zone:AvailabilityZone,ZoneId:AvailabilityZoneId,Free:AvailableIpAddressCount}' --output table
run consumer describe-security-groups --filters Name=vpc-id,Values=$VPC --query 'SecurityGroups[].{GroupId:GroupId,Name:GroupName,Description:Description}' --output table
run consumer create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $VPC --service-name com.amazonaws.vpce.us-east-1.$SVC --subnet-ids $A --security-group-ids sg-0f9e8d7c6b5a4fe01 --tag-specifications 'ResourceType=vpc-endpoint,Tags=[{Key=team,Value=payments},{Key=env,Value=test}]' --query 'VpcEndpoint.{Id:VpcEndpointId,State:State,Subnets:SubnetIds,Groups:Groups}'
VPCE=$(consumer describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.vpce.us-east-1.$SVC Name=ip-address-type,Values=ipv4 --query 'VpcEndpoints[0].VpcEndpointId' --output text)
run consumer describe-network-interfaces --filters Name=description,Values="VPC Endpoint Interface $VPCE"
run consumer modify-vpc-endpoint --vpc-endpoint-id $VPCE --add-subnet-ids $B
run consumer describe-network-interfaces --filters Name=description,Values="VPC Endpoint Interface $VPCE" --query 'NetworkInterfaces[].{Eni:NetworkInterfaceId,Subnet:SubnetId,Zone:AvailabilityZone,Ip:PrivateIpAddress}' --output table
NEW_IP=$(consumer describe-network-interfaces --filters Name=subnet-id,Values=$B Name=description,Values="VPC Endpoint Interface $VPCE" --query 'NetworkInterfaces[0].PrivateIpAddress' --output text)
echo_through "$NEW_IP"
run consumer describe-subnets --subnet-ids $A $B --query 'Subnets[].{SubnetId:SubnetId,Free:AvailableIpAddressCount}' --output table
run consumer modify-vpc-endpoint --vpc-endpoint-id $VPCE --remove-subnet-ids $A --add-security-group-ids sg-0f9e8d7c6b5a40002
run consumer describe-vpc-endpoints --vpc-endpoint-ids $VPCE --query 'VpcEndpoints[0].{Subnets:SubnetIds,Groups:Groups[].GroupId,DnsNames:DnsEntries[].DnsName}'
run consumer modify-vpc-endpoint --vpc-endpoint-id $VPCE --remove-subnet-ids $B
run consumer modify-vpc-endpoint --vpc-endpoint-id $VPCE --policy-document '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}'
run consumer describe-tags --filters Name=resource-id,Values=$VPCE
run consumer delete-tags --resources $VPCE --tags Key=env
run consumer describe-tags --filters Name=resource-id,Values=$VPCE --query 'Tags[].[Key,Value]' --output text
run provider delete-tags --resources $SVC --tags Key=team
run consumer describe-security-groups --filters Name=ip-permission.protocol,Values=tcp
consumer delete-vpc-endpoints --vpc-endpoint-ids $VPCE >/dev/null
provider delete-vpc-endpoint-service-configurations --service-ids $SVC >/dev/null
