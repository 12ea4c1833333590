package io.plsim.core.api;

import io.plsim.core.api.QueryDispatcher.Action;
import io.plsim.core.control.AllowedPrincipal;
import io.plsim.core.control.AvailabilityZone;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ConnectionEvent;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.CreateEndpointRequest;
import io.plsim.core.control.CreateServiceRequest;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointConnection;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.Filter;
import io.plsim.core.control.ModifyEndpointRequest;
import io.plsim.core.control.NetworkInterface;
import io.plsim.core.control.SubnetDetail;
import io.plsim.core.control.TagDescription;
import io.plsim.core.control.ModifyServiceRequest;
import io.plsim.core.control.Page;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.ServiceDetail;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Vpc;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The EC2 Query API of the control plane, as request -> response functions: the AWS CLI, the SDKs
 * and any other EC2 client can drive plsim through it. No I/O: a server hands it the
 * {@code Authorization} header and the form-encoded parameters, and sends back what it answers.
 *
 * <p>The caller is the principal the access key ID of the SigV4 {@code Authorization} header stands
 * for in the sim-config (a 12-digit key ID of an account stands for its root); the region is the
 * one of the credential scope. Signatures are not checked.
 */
public final class Ec2Api {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final ControlPlane cp;
    private final QueryDispatcher dispatcher;

    public Ec2Api(ControlPlane cp) {
        this(cp, () -> UUID.randomUUID().toString());
    }

    Ec2Api(ControlPlane cp, Supplier<String> requestIds) {
        this.cp = Objects.requireNonNull(cp, "cp");
        Map<String, Action> actions = new LinkedHashMap<>();
        actions.put("CreateVpcEndpointServiceConfiguration", this::createServiceConfiguration);
        actions.put("DescribeVpcEndpointServiceConfigurations", this::describeServiceConfigurations);
        actions.put("ModifyVpcEndpointServiceConfiguration", this::modifyServiceConfiguration);
        actions.put("DeleteVpcEndpointServiceConfigurations", this::deleteServiceConfigurations);
        actions.put("ModifyVpcEndpointServicePermissions", this::modifyServicePermissions);
        actions.put("DescribeVpcEndpointServicePermissions", this::describeServicePermissions);
        actions.put("DescribeVpcEndpointConnections", this::describeConnections);
        actions.put("AcceptVpcEndpointConnections", this::acceptConnections);
        actions.put("RejectVpcEndpointConnections", this::rejectConnections);
        actions.put("CreateVpcEndpointConnectionNotification", this::createNotification);
        actions.put("DescribeVpcEndpointConnectionNotifications", this::describeNotifications);
        actions.put("ModifyVpcEndpointConnectionNotification", this::modifyNotification);
        actions.put("DeleteVpcEndpointConnectionNotifications", this::deleteNotifications);
        actions.put("CreateVpcEndpoint", this::createEndpoint);
        actions.put("DescribeVpcEndpoints", this::describeEndpoints);
        actions.put("DeleteVpcEndpoints", this::deleteEndpoints);
        actions.put("DescribeVpcEndpointServices", this::describeServices);
        actions.put("DescribeAvailabilityZones", this::describeAvailabilityZones);
        actions.put("CreateTags", this::createTags);
        actions.put("ModifyVpcEndpoint", this::modifyEndpoint);
        actions.put("DeleteTags", this::deleteTags);
        actions.put("DescribeTags", this::describeTags);
        actions.put("DescribeVpcs", this::describeVpcs);
        actions.put("DescribeSubnets", this::describeSubnets);
        actions.put("DescribeSecurityGroups", this::describeSecurityGroups);
        actions.put("DescribeNetworkInterfaces", this::describeNetworkInterfaces);
        this.dispatcher = new QueryDispatcher(cp.topology(), new Ec2Dialect(), requestIds, actions);
    }

    /** The actions this API answers: the user guide's in its order, then the reads around them. */
    public List<String> actions() {
        return dispatcher.actions();
    }

    /**
     * Answers one request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param parameters    the form-encoded body and, for GET, the query string; each may be null
     */
    public QueryResponse handle(String authorization, String... parameters) {
        return dispatcher.handle(authorization, parameters);
    }

    /**
     * EC2's wording: {@code <Response><Errors>} documents, 401 for an unknown key, and the request-wide
     * {@code DryRun} and {@code ClientToken}. A client token is remembered per account and action, so a
     * retry gets the first answer and the same token with other parameters is refused.
     */
    private static final class Ec2Dialect implements QueryDispatcher.Dialect {
        private final ClientTokens clientTokens = new ClientTokens();

        @Override
        public String service() {
            return "ec2";
        }

        @Override
        public String unknownAction(String name, Collection<String> known) {
            return "The action " + name + " is not valid for this web service.";
        }

        @Override
        public QueryResponse answer(String name, Action action, Caller caller, QueryParams p, String requestId) {
            if (Boolean.TRUE.equals(p.bool("DryRun"))) {
                return new QueryResponse(412, Xml.error("DryRunOperation",
                        "Request would have succeeded, but DryRun flag is set.", requestId));
            }
            String token = p.string("ClientToken");
            if (token != null) {
                return new QueryResponse(200, clientTokens.answer(caller.accountId() + "|" + name, token,
                        p.canonical(), () -> action.run(caller, p, requestId)));
            }
            return new QueryResponse(200, action.run(caller, p, requestId));
        }

        @Override
        public QueryResponse refused(ControlPlaneException e, String requestId) {
            int status = switch (e.code()) {
                case "AuthFailure" -> 401;
                case Credentials.WRONG_SERVICE -> 403;
                default -> 400;
            };
            return new QueryResponse(status, Xml.error(e.code(), e.getMessage(), requestId));
        }

        @Override
        public QueryResponse failed(String message, String requestId) {
            return new QueryResponse(500, Xml.error("InternalError", message, requestId));
        }
    }

    // ---------------------------------------------------------------- service configurations

    private String createServiceConfiguration(Caller c, QueryParams p, String rid) {
        refuseServiceTags(p);
        ServiceConfiguration s = cp.createServiceConfiguration(c, new CreateServiceRequest(
                p.list("NetworkLoadBalancerArn"), p.bool("AcceptanceRequired"), p.string("PrivateDnsName"),
                p.list("SupportedIpAddressType"), p.list("GatewayLoadBalancerArn")));
        return Xml.response("CreateVpcEndpointServiceConfiguration", rid, x -> {
            x.start("serviceConfiguration");
            serviceConfiguration(x, s);
            x.end();
            x.text("clientToken", p.string("ClientToken"));
        });
    }

    private static void refuseServiceTags(QueryParams p) {
        for (int i : p.structures("TagSpecification")) {
            if (!p.tags("TagSpecification." + i + ".Tag").isEmpty()) {
                throw new ControlPlaneException("InvalidParameterValue",
                        "You cannot tag an endpoint service (TagSpecification." + i + ")");
            }
        }
    }

    private String describeServiceConfigurations(Caller c, QueryParams p, String rid) {
        Page<ServiceConfiguration> page = cp.describeServiceConfigurations(c, p.list("ServiceId"), p.filters(), p.page());
        return Xml.response("DescribeVpcEndpointServiceConfigurations", rid, x -> {
            x.items("serviceConfigurationSet", page.items(), Ec2Api::serviceConfiguration);
            x.text("nextToken", page.nextToken());
        });
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
        x.text("payerResponsibility", "ServiceOwner");
        x.start("tagSet").end();
    }

    private String modifyServiceConfiguration(Caller c, QueryParams p, String rid) {
        if (!p.list("AddGatewayLoadBalancerArn").isEmpty() || !p.list("RemoveGatewayLoadBalancerArn").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter",
                    "Gateway Load Balancers are not simulated; endpoint services here are of type Interface");
        }
        cp.modifyServiceConfiguration(c, new ModifyServiceRequest(p.required("ServiceId"), p.bool("AcceptanceRequired"),
                p.list("AddNetworkLoadBalancerArn"), p.list("RemoveNetworkLoadBalancerArn"), p.string("PrivateDnsName"),
                Boolean.TRUE.equals(p.bool("RemovePrivateDnsName")), p.list("AddSupportedIpAddressType"),
                p.list("RemoveSupportedIpAddressType")));
        return Xml.response("ModifyVpcEndpointServiceConfiguration", rid, x -> x.text("return", true));
    }

    private String deleteServiceConfigurations(Caller c, QueryParams p, String rid) {
        List<Unsuccessful> failed = cp.deleteServiceConfigurations(c, p.list("ServiceId"));
        return Xml.response("DeleteVpcEndpointServiceConfigurations", rid, x -> unsuccessful(x, failed));
    }

    private static void unsuccessful(Xml x, List<Unsuccessful> failed) {
        x.items("unsuccessful", failed, (y, u) -> {
            y.start("error");
            y.text("code", u.code());
            y.text("message", u.message());
            y.end();
            y.text("resourceId", u.resourceId());
        });
    }

    // ---------------------------------------------------------------- permissions

    private String modifyServicePermissions(Caller c, QueryParams p, String rid) {
        String serviceId = p.required("ServiceId");
        List<String> add = p.list("AddAllowedPrincipals");
        cp.modifyServicePermissions(c, serviceId, add, p.list("RemoveAllowedPrincipals"));
        List<AllowedPrincipal> added = cp.permissions(serviceId).stream()
                .filter(a -> add.contains(a.principal().arn())).toList();
        return Xml.response("ModifyVpcEndpointServicePermissions", rid, x -> {
            if (!added.isEmpty()) {
                x.items("addedPrincipalSet", added, (y, a) -> {
                    y.text("principalType", a.principalType());
                    y.text("principal", a.principal().arn());
                    y.text("servicePermissionId", permissionId(a));
                    y.text("serviceId", a.serviceId());
                });
            }
            x.text("return", true);
        });
    }

    private static String permissionId(AllowedPrincipal a) {
        String hex = String.format("%08x%09x", a.serviceId().hashCode(), a.principal().arn().hashCode() & 0xfffffffffL);
        return "vpce-svc-perm-" + hex.substring(0, 17);
    }

    private String describeServicePermissions(Caller c, QueryParams p, String rid) {
        Page<AllowedPrincipal> page = cp.describeServicePermissions(c, p.required("ServiceId"), p.filters(), p.page());
        return Xml.response("DescribeVpcEndpointServicePermissions", rid, x -> {
            x.items("allowedPrincipals", page.items(), (y, a) -> {
                y.text("principalType", a.principalType());
                y.text("principal", a.principal().arn());
                y.text("servicePermissionId", permissionId(a));
                y.text("serviceId", a.serviceId());
            });
            x.text("nextToken", page.nextToken());
        });
    }

    // ---------------------------------------------------------------- connections

    private String describeConnections(Caller c, QueryParams p, String rid) {
        Page<EndpointConnection> page = cp.describeConnections(c, p.filters(), p.page());
        return Xml.response("DescribeVpcEndpointConnections", rid, x -> {
            x.items("vpcEndpointConnectionSet", page.items(), (y, e) -> {
                y.text("serviceId", e.serviceId());
                y.text("vpcEndpointId", e.vpcEndpointId());
                y.text("vpcEndpointOwner", e.vpcEndpointOwner());
                y.text("vpcEndpointState", e.vpcEndpointState().wire());
                y.text("creationTimestamp", time(e.created()));
                dnsEntries(y, e.dnsEntries());
                y.strings("networkLoadBalancerArnSet", e.networkLoadBalancerArns());
                y.text("ipAddressType", "ipv4");
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String acceptConnections(Caller c, QueryParams p, String rid) {
        List<Unsuccessful> failed = cp.acceptConnections(c, p.required("ServiceId"), p.list("VpcEndpointId"));
        return Xml.response("AcceptVpcEndpointConnections", rid, x -> unsuccessful(x, failed));
    }

    private String rejectConnections(Caller c, QueryParams p, String rid) {
        List<Unsuccessful> failed = cp.rejectConnections(c, p.required("ServiceId"), p.list("VpcEndpointId"));
        return Xml.response("RejectVpcEndpointConnections", rid, x -> unsuccessful(x, failed));
    }

    // ---------------------------------------------------------------- notifications

    private String createNotification(Caller c, QueryParams p, String rid) {
        ConnectionNotification n = cp.createConnectionNotification(c, p.string("ServiceId"), p.string("VpcEndpointId"),
                p.string("ConnectionNotificationArn"), p.list("ConnectionEvents"));
        return Xml.response("CreateVpcEndpointConnectionNotification", rid, x -> {
            x.start("connectionNotification");
            notification(x, n);
            x.end();
            x.text("clientToken", p.string("ClientToken"));
        });
    }

    private static void notification(Xml x, ConnectionNotification n) {
        x.text("connectionNotificationId", n.connectionNotificationId());
        x.text("serviceId", n.serviceId());
        x.text("vpcEndpointId", n.vpcEndpointId());
        x.text("connectionNotificationType", ConnectionNotification.TYPE);
        x.text("connectionNotificationArn", n.topicArn());
        x.strings("connectionEvents", n.events().stream().sorted().map(ConnectionEvent::wire).toList());
        x.text("connectionNotificationState", ConnectionNotification.STATE);
    }

    private String describeNotifications(Caller c, QueryParams p, String rid) {
        Page<ConnectionNotification> page = cp.describeConnectionNotifications(c, p.string("ConnectionNotificationId"),
                p.filters(), p.page());
        return Xml.response("DescribeVpcEndpointConnectionNotifications", rid, x -> {
            x.items("connectionNotificationSet", page.items(), Ec2Api::notification);
            x.text("nextToken", page.nextToken());
        });
    }

    private String modifyNotification(Caller c, QueryParams p, String rid) {
        List<String> events = p.list("ConnectionEvents");
        cp.modifyConnectionNotification(c, p.required("ConnectionNotificationId"), p.string("ConnectionNotificationArn"),
                events.isEmpty() ? null : events);
        return Xml.response("ModifyVpcEndpointConnectionNotification", rid, x -> x.text("return", true));
    }

    private String deleteNotifications(Caller c, QueryParams p, String rid) {
        List<Unsuccessful> failed = cp.deleteConnectionNotifications(c, p.list("ConnectionNotificationId"));
        return Xml.response("DeleteVpcEndpointConnectionNotifications", rid, x -> unsuccessful(x, failed));
    }

    // ---------------------------------------------------------------- endpoints

    private String createEndpoint(Caller c, QueryParams p, String rid) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i : p.structures("TagSpecification")) {
            String type = p.string("TagSpecification." + i + ".ResourceType");
            if (type != null && !type.equals("vpc-endpoint")) {
                throw new ControlPlaneException("InvalidParameterValue", "TagSpecification." + i
                        + ".ResourceType " + type + " cannot be tagged by CreateVpcEndpoint; expected vpc-endpoint");
            }
            tags.putAll(p.tags("TagSpecification." + i + ".Tag"));
        }
        if (!p.list("RouteTableId").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "Route tables are for Gateway endpoints;"
                    + " endpoint services take Interface endpoints");
        }
        VpcEndpoint e = cp.createVpcEndpoint(c, new CreateEndpointRequest(p.string("VpcId"), p.string("ServiceName"),
                p.list("SubnetId"), p.string("VpcEndpointType"), p.bool("PrivateDnsEnabled"), p.string("IpAddressType"),
                tags, p.list("SecurityGroupId")));
        return Xml.response("CreateVpcEndpoint", rid, x -> {
            x.start("vpcEndpoint");
            endpoint(x, e);
            x.end();
            x.text("clientToken", p.string("ClientToken"));
        });
    }

    private static void endpoint(Xml x, VpcEndpoint e) {
        x.text("vpcEndpointId", e.vpcEndpointId());
        x.text("vpcEndpointType", VpcEndpoint.ENDPOINT_TYPE);
        x.text("vpcId", e.vpcId());
        x.text("serviceName", e.serviceName());
        x.text("state", e.state().wire());
        x.start("routeTableIdSet").end();
        x.strings("subnetIdSet", e.subnetIds());
        groupSet(x, e.groups());
        x.text("ipAddressType", "ipv4");
        x.start("dnsOptions");
        x.text("dnsRecordIpType", "ipv4");
        x.end();
        x.text("policyDocument", VpcEndpoint.FULL_ACCESS_POLICY);
        x.text("privateDnsEnabled", false);
        x.text("requesterManaged", false);
        x.strings("networkInterfaceIdSet", e.networkInterfaceIds());
        dnsEntries(x, e.dnsEntries());
        x.text("creationTimestamp", time(e.created()));
        tagSet(x, e.tags());
        x.text("ownerId", e.ownerId());
    }

    private static void dnsEntries(Xml x, List<DnsEntry> entries) {
        x.items("dnsEntrySet", entries, (y, d) -> {
            y.text("dnsName", d.dnsName());
            y.text("hostedZoneId", "Z7HUB22UULQXV");
        });
    }

    private String describeEndpoints(Caller c, QueryParams p, String rid) {
        Page<VpcEndpoint> page = cp.describeVpcEndpoints(c, p.list("VpcEndpointId"), p.filters(), p.page());
        return Xml.response("DescribeVpcEndpoints", rid, x -> {
            x.items("vpcEndpointSet", page.items(), Ec2Api::endpoint);
            x.text("nextToken", page.nextToken());
        });
    }

    private String deleteEndpoints(Caller c, QueryParams p, String rid) {
        List<Unsuccessful> failed = cp.deleteVpcEndpoints(c, p.list("VpcEndpointId"));
        return Xml.response("DeleteVpcEndpoints", rid, x -> unsuccessful(x, failed));
    }

    private String describeServices(Caller c, QueryParams p, String rid) {
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
                y.text("vpcEndpointPolicySupported", false);
                y.text("acceptanceRequired", s.acceptanceRequired());
                y.text("managesVpcEndpoints", false);
                y.text("payerResponsibility", "ServiceOwner");
                y.start("tagSet").end();
                y.strings("supportedIpAddressTypeSet", List.of("ipv4"));
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String describeAvailabilityZones(Caller c, QueryParams p, String rid) {
        List<AvailabilityZone> zones = cp.describeAvailabilityZones(c);
        List<String> names = p.list("ZoneName");
        List<String> ids = p.list("ZoneId");
        for (String n : names) {
            if (zones.stream().noneMatch(z -> z.zoneName().equals(n))) {
                throw new ControlPlaneException("InvalidParameterValue", "Invalid availability zone: [" + n + "]");
            }
        }
        for (String id : ids) {
            if (zones.stream().noneMatch(z -> z.zoneId().equals(id))) {
                throw new ControlPlaneException("InvalidParameterValue", "Invalid availability zone: [" + id + "]");
            }
        }
        List<Filter> filters = p.filters();
        for (Filter f : filters) {
            if (f.name() != null && f.name().equals("group-long-name")) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter 'group-long-name' is documented"
                        + " by EC2 but not supported by plsim, which does not know regions' long names");
            }
            if (!List.of("zone-name", "zone-id", "region-name", "state", "zone-type", "group-name", "message",
                    "opt-in-status", "parent-zone-id", "parent-zone-name").contains(f.name())) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter '" + f.name() + "' is invalid");
            }
        }
        List<AvailabilityZone> selected = new ArrayList<>();
        for (AvailabilityZone z : zones) {
            if ((!names.isEmpty() || !ids.isEmpty()) && !names.contains(z.zoneName()) && !ids.contains(z.zoneId())) {
                continue;
            }
            boolean ok = filters.stream().allMatch(f -> switch (f.name()) {
                case "zone-name" -> f.matches(z.zoneName());
                case "zone-id" -> f.matches(z.zoneId());
                case "region-name" -> f.matches(z.region());
                case "state" -> f.matches(AvailabilityZone.STATE);
                case "group-name" -> f.matches(z.region());
                case "opt-in-status" -> f.matches("opt-in-not-required");
                // Availability Zones have no message and no parent zone.
                case "message", "parent-zone-id", "parent-zone-name" -> false;
                default -> f.matches("availability-zone");
            });
            if (ok) {
                selected.add(z);
            }
        }
        return Xml.response("DescribeAvailabilityZones", rid, x -> x.items("availabilityZoneInfo", selected, (y, z) -> {
            y.text("zoneName", z.zoneName());
            y.text("zoneState", AvailabilityZone.STATE);
            y.text("regionName", z.region());
            y.start("messageSet").end();
            y.text("zoneId", z.zoneId());
            y.text("zoneType", "availability-zone");
            y.text("optInStatus", "opt-in-not-required");
            y.text("groupName", z.region());
            y.text("networkBorderGroup", z.region());
        }));
    }

    private String createTags(Caller c, QueryParams p, String rid) {
        cp.createTags(c, p.list("ResourceId"), p.tags("Tag"));
        return Xml.response("CreateTags", rid, x -> x.text("return", true));
    }

    private static void groupSet(Xml x, List<SecurityGroup> groups) {
        x.items("groupSet", groups, (y, g) -> {
            y.text("groupId", g.id());
            y.text("groupName", g.name());
        });
    }

    private static void tagSet(Xml x, Map<String, String> tags) {
        x.items("tagSet", tags.entrySet(), (y, t) -> {
            y.text("key", t.getKey());
            y.text("value", t.getValue());
        });
    }

    private String modifyEndpoint(Caller c, QueryParams p, String rid) {
        if (!p.list("AddRouteTableId").isEmpty() || !p.list("RemoveRouteTableId").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "Route tables are for Gateway endpoints;"
                    + " endpoint services take Interface endpoints");
        }
        if (!p.structures("SubnetConfiguration").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "SubnetConfiguration chooses an interface's"
                    + " address; plsim gives each interface the first free address of its subnet");
        }
        String dnsType = p.string("DnsOptions.DnsRecordIpType");
        if (dnsType != null && !dnsType.equals("ipv4")) {
            throw new ControlPlaneException("InvalidParameter", "DnsOptions.DnsRecordIpType " + dnsType
                    + " is not supported: endpoint services carry IPv4 only");
        }
        cp.modifyVpcEndpoint(c, new ModifyEndpointRequest(p.required("VpcEndpointId"), p.list("AddSubnetId"),
                p.list("RemoveSubnetId"), p.list("AddSecurityGroupId"), p.list("RemoveSecurityGroupId"),
                Boolean.TRUE.equals(p.bool("ResetPolicy")), p.string("PolicyDocument"), p.bool("PrivateDnsEnabled"),
                p.string("IpAddressType")));
        return Xml.response("ModifyVpcEndpoint", rid, x -> x.text("return", true));
    }

    private String deleteTags(Caller c, QueryParams p, String rid) {
        cp.deleteTags(c, p.list("ResourceId"), p.tagsToMatch("Tag"));
        return Xml.response("DeleteTags", rid, x -> x.text("return", true));
    }

    private String describeTags(Caller c, QueryParams p, String rid) {
        Page<TagDescription> page = cp.describeTags(c, p.filters(), p.page());
        return Xml.response("DescribeTags", rid, x -> {
            x.items("tagSet", page.items(), (y, t) -> {
                y.text("resourceId", t.resourceId());
                y.text("resourceType", t.resourceType());
                y.text("key", t.key());
                y.text("value", t.value());
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String describeVpcs(Caller c, QueryParams p, String rid) {
        Page<Vpc> page = cp.describeVpcs(c, p.list("VpcId"), p.filters(), p.page());
        return Xml.response("DescribeVpcs", rid, x -> {
            x.items("vpcSet", page.items(), (y, v) -> {
                y.text("vpcId", v.id());
                y.text("ownerId", v.accountId());
                y.text("state", "available");
                y.text("cidrBlock", v.cidr().toString());
                y.items("cidrBlockAssociationSet", List.of(v), (z, w) -> {
                    z.text("cidrBlock", w.cidr().toString());
                    z.text("associationId", ControlPlane.cidrAssociationId(w));
                    z.start("cidrBlockState");
                    z.text("state", "associated");
                    z.end();
                });
                y.text("dhcpOptionsId", "default");
                y.text("instanceTenancy", "default");
                y.text("isDefault", false);
                y.start("blockPublicAccessStates");
                y.text("internetGatewayBlockMode", "off");
                y.end();
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String describeSubnets(Caller c, QueryParams p, String rid) {
        Page<SubnetDetail> page = cp.describeSubnets(c, p.list("SubnetId"), p.filters(), p.page());
        return Xml.response("DescribeSubnets", rid, x -> {
            x.items("subnetSet", page.items(), (y, d) -> {
                Subnet sn = d.subnet();
                y.text("subnetId", sn.id());
                y.text("subnetArn", cp.subnetArn(sn));
                y.text("state", "available");
                y.text("ownerId", sn.accountId());
                y.text("vpcId", sn.vpcId());
                y.text("cidrBlock", sn.cidr().toString());
                y.start("ipv6CidrBlockAssociationSet").end();
                y.text("availableIpAddressCount", d.availableIpAddressCount());
                y.text("availabilityZone", sn.zoneName());
                y.text("availabilityZoneId", sn.zoneId());
                y.text("defaultForAz", false);
                y.text("mapPublicIpOnLaunch", false);
                y.text("assignIpv6AddressOnCreation", false);
                y.text("mapCustomerOwnedIpOnLaunch", false);
                y.text("enableDns64", false);
                y.text("ipv6Native", false);
                y.start("privateDnsNameOptionsOnLaunch");
                y.text("hostnameType", "ip-name");
                y.text("enableResourceNameDnsARecord", false);
                y.text("enableResourceNameDnsAAAARecord", false);
                y.end();
                y.start("blockPublicAccessStates");
                y.text("internetGatewayBlockMode", "off");
                y.end();
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String describeSecurityGroups(Caller c, QueryParams p, String rid) {
        Page<SecurityGroup> page = cp.describeSecurityGroups(c, p.list("GroupId"), p.list("GroupName"), p.filters(),
                p.page());
        return Xml.response("DescribeSecurityGroups", rid, x -> {
            x.items("securityGroupInfo", page.items(), (y, g) -> {
                y.text("ownerId", g.accountId());
                y.text("groupId", g.id());
                y.text("groupName", g.name());
                y.text("groupDescription", g.description());
                y.text("vpcId", g.vpcId());
                // A default group lets in what comes from its own members; every group lets all out.
                // Shown as EC2 shows them; plsim does not filter traffic by them.
                if (g.isDefault()) {
                    y.items("ipPermissions", List.of(g), (z, self) -> {
                        z.text("ipProtocol", "-1");
                        z.items("groups", List.of(self), (u, grp) -> {
                            u.text("userId", grp.accountId());
                            u.text("groupId", grp.id());
                        });
                        z.start("ipRanges").end();
                        z.start("ipv6Ranges").end();
                        z.start("prefixListIds").end();
                    });
                } else {
                    y.start("ipPermissions").end();
                }
                y.items("ipPermissionsEgress", List.of(g), (z, grp) -> {
                    z.text("ipProtocol", "-1");
                    z.start("groups").end();
                    z.items("ipRanges", List.of("0.0.0.0/0"), (u, cidr) -> u.text("cidrIp", cidr));
                    z.start("ipv6Ranges").end();
                    z.start("prefixListIds").end();
                });
                y.text("securityGroupArn", "arn:aws:ec2:" + cp.topology().region() + ":" + g.accountId()
                        + ":security-group/" + g.id());
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private String describeNetworkInterfaces(Caller c, QueryParams p, String rid) {
        Page<NetworkInterface> page = cp.describeNetworkInterfaces(c, p.list("NetworkInterfaceId"), p.filters(),
                p.page());
        String region = cp.topology().region();
        return Xml.response("DescribeNetworkInterfaces", rid, x -> {
            x.items("networkInterfaceSet", page.items(), (y, n) -> {
                y.text("networkInterfaceId", n.networkInterfaceId());
                y.text("subnetId", n.subnetId());
                y.text("vpcId", n.vpcId());
                y.text("availabilityZone", n.zoneName());
                y.text("availabilityZoneId", n.zoneId());
                y.text("description", n.description());
                y.text("ownerId", n.ownerId());
                y.text("requesterId", NetworkInterface.REQUESTER_ID);
                y.text("requesterManaged", true);
                y.text("status", NetworkInterface.STATUS);
                y.text("macAddress", n.macAddress());
                y.text("privateIpAddress", n.privateIp());
                y.text("privateDnsName", n.privateDnsName(region));
                y.text("sourceDestCheck", true);
                groupSet(y, n.groups());
                y.items("privateIpAddressesSet", List.of(n), (z, m) -> {
                    z.text("privateIpAddress", m.privateIp());
                    z.text("privateDnsName", m.privateDnsName(region));
                    z.text("primary", true);
                });
                y.start("ipv6AddressesSet").end();
                tagSet(y, n.tags());
                y.text("interfaceType", NetworkInterface.INTERFACE_TYPE);
                y.start("operator");
                y.text("managed", false);
                y.end();
            });
            x.text("nextToken", page.nextToken());
        });
    }

    private static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.MILLIS));
    }
}
