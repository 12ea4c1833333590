package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.CreateServiceRequest;
import io.plsim.core.control.ModifyServiceRequest;
import io.plsim.core.control.Page;
import io.plsim.core.control.PrivateDnsNameConfiguration;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.ServiceDetail;
import java.util.List;
import java.util.Objects;

/**
 * The EC2 actions on endpoint service configurations, as a provider calls them (create, describe, modify,
 * delete), and {@code DescribeVpcEndpointServices}, the services as a consumer sees them.
 *
 * <p>Invariant: an endpoint service is always shown as of type Interface, IPv4 only and untagged; a request
 * asking for tags or Gateway Load Balancers is refused naming the parameter, never silently dropped.
 */
final class ServiceConfigurationActions {

    private final ControlPlane cp;

    ServiceConfigurationActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String create(Caller c, QueryParams p, String rid) {
        refuseServiceTags(p);
        ServiceConfiguration s = cp.createServiceConfiguration(c, new CreateServiceRequest(
                p.list("NetworkLoadBalancerArn"), p.bool("AcceptanceRequired"), p.string("PrivateDnsName"),
                p.list("SupportedIpAddressType"), p.list("GatewayLoadBalancerArn")));
        return Ec2Shapes.created("CreateVpcEndpointServiceConfiguration", rid, "serviceConfiguration", s,
                ServiceConfigurationActions::serviceConfiguration, p.string("ClientToken"));
    }

    private static void refuseServiceTags(QueryParams p) {
        for (int i : p.structures("TagSpecification")) {
            if (!p.tags("TagSpecification." + i + ".Tag").isEmpty()) {
                throw new ControlPlaneException("InvalidParameterValue",
                        "You cannot tag an endpoint service (TagSpecification." + i + ")");
            }
        }
    }

    String describe(Caller c, QueryParams p, String rid) {
        Page<ServiceConfiguration> page = cp.describeServiceConfigurations(c, p.list("ServiceId"), p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcEndpointServiceConfigurations", rid, "serviceConfigurationSet", page,
                ServiceConfigurationActions::serviceConfiguration);
    }

    private static void serviceConfiguration(Xml x, ServiceConfiguration s) {
        x.items("serviceType", List.of(ServiceConfiguration.SERVICE_TYPE), (y, t) -> y.text("serviceType", t));
        x.text("serviceId", s.serviceId());
        x.text("serviceName", s.serviceName());
        x.text("serviceState", s.state().wire());
        x.strings("availabilityZoneIdSet", s.zoneIds());
        x.strings("availabilityZoneSet", s.availabilityZones());
        x.text("acceptanceRequired", s.acceptanceRequired());
        x.text("managesVpcEndpoints", false);
        x.strings("networkLoadBalancerArnSet", s.networkLoadBalancerArns());
        x.strings("supportedIpAddressTypeSet", List.of("ipv4"));
        x.strings("baseEndpointDnsNameSet", s.baseEndpointDnsNames());
        x.text("privateDnsName", s.privateDnsName());
        if (s.privateDnsNameConfiguration() != null) {
            PrivateDnsNameConfiguration d = s.privateDnsNameConfiguration();
            x.start("privateDnsNameConfiguration");
            x.text("state", d.state().wire());
            x.text("type", d.type());
            x.text("value", d.value());
            x.text("name", d.name());
            x.end();
        }
        x.text("payerResponsibility", "ServiceOwner");
        x.start("tagSet").end();
    }

    String modify(Caller c, QueryParams p, String rid) {
        if (!p.list("AddGatewayLoadBalancerArn").isEmpty() || !p.list("RemoveGatewayLoadBalancerArn").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter",
                    "Gateway Load Balancers are not simulated; endpoint services here are of type Interface");
        }
        cp.modifyServiceConfiguration(c, new ModifyServiceRequest(p.required("ServiceId"), p.bool("AcceptanceRequired"),
                p.list("AddNetworkLoadBalancerArn"), p.list("RemoveNetworkLoadBalancerArn"), p.string("PrivateDnsName"),
                Boolean.TRUE.equals(p.bool("RemovePrivateDnsName")), p.list("AddSupportedIpAddressType"),
                p.list("RemoveSupportedIpAddressType")));
        return Ec2Shapes.done("ModifyVpcEndpointServiceConfiguration", rid);
    }

    String startPrivateDnsVerification(Caller c, QueryParams p, String rid) {
        cp.startPrivateDnsVerification(c, p.required("ServiceId"));
        return Ec2Shapes.done("StartVpcEndpointServicePrivateDnsVerification", rid);
    }

    String delete(Caller c, QueryParams p, String rid) {
        return Ec2Shapes.batch("DeleteVpcEndpointServiceConfigurations", rid,
                cp.deleteServiceConfigurations(c, p.list("ServiceId")));
    }

    String describeServices(Caller c, QueryParams p, String rid) {
        Page<ServiceDetail> page = cp.describeServices(c, p.list("ServiceName"), p.filters(), p.page());
        return Xml.response("DescribeVpcEndpointServices", rid, x -> {
            x.strings("serviceNameSet", page.items().stream().map(ServiceDetail::serviceName).toList());
            x.items("serviceDetailSet", page.items(), (y, s) -> {
                y.text("serviceName", s.serviceName());
                y.text("serviceId", s.serviceId());
                y.items("serviceType", List.of(ServiceConfiguration.SERVICE_TYPE), (z, t) -> z.text("serviceType", t));
                y.strings("availabilityZoneIdSet", s.zoneIds());
                y.strings("availabilityZoneSet", s.availabilityZones());
                y.text("owner", s.ownerId());
                y.strings("baseEndpointDnsNameSet", s.baseEndpointDnsNames());
                if (s.privateDnsName() != null) {
                    y.text("privateDnsName", s.privateDnsName());
                    y.items("privateDnsNameSet", List.of(s.privateDnsName()), (z, n) -> z.text("privateDnsName", n));
                }
                y.text("vpcEndpointPolicySupported", s.awsService());
                y.text("acceptanceRequired", s.acceptanceRequired());
                y.text("managesVpcEndpoints", false);
                // AWS's own services name no payer: the consumer pays, as for every endpoint.
                y.text("payerResponsibility", s.awsService() ? null : "ServiceOwner");
                y.start("tagSet").end();
                if (s.privateDnsNameVerificationState() != null) {
                    y.text("privateDnsNameVerificationState", s.privateDnsNameVerificationState().wire());
                }
                y.strings("supportedIpAddressTypeSet", List.of("ipv4"));
            });
            x.text("nextToken", page.nextToken());
        });
    }
}
