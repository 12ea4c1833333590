package io.plsim.core.control;

import io.plsim.core.model.Principal;
import io.plsim.core.model.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of a request that need nothing but the request: the syntax of IDs and ARNs, required
 * parameters, filter names, and the features of endpoint services this simulator refuses rather
 * than ignores. Each throws the {@link ControlPlaneException} with the EC2 error code AWS answers.
 *
 * <p>None reads or changes state. Which error a request with several faults gets depends on the
 * order the control plane runs these checks and its own lookups in, so that order is the control
 * plane's to keep.
 */
final class RequestChecks {

    /** EC2 resource IDs are a prefix and 8 (older) or 17 hex digits; any length in between is taken. */
    private static final Pattern SERVICE_ID = Pattern.compile("vpce-svc-[0-9a-f]{8,17}");
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-z]{1,32}");
    private static final Pattern ENDPOINT_ID = Pattern.compile("vpce-[0-9a-f]{8,17}");
    /** VPC and subnet IDs as a sim-config may spell them (TopologyReader takes the same). */
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-z]{1,32}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-z]{1,32}");
    private static final Pattern NOTIFICATION_ID = Pattern.compile("vpce-nfn-[0-9a-f]{8,17}");
    private static final Pattern ELB_ARN = Pattern.compile(
            "arn:aws:elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/(net|app|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");

    private RequestChecks() {
    }

    /**
     * CreateVpcEndpointServiceConfiguration: a service is of type Interface, so it takes Network
     * Load Balancers and at least one; a private DNS name is a domain name; IPv6 is refused because the
     * simulator does not carry it.
     */
    static void checkCreateService(CreateServiceRequest request) {
        if (!request.gatewayLoadBalancerArns().isEmpty()) {
            throw invalidParameter("Gateway Load Balancers are not simulated; endpoint services here are of type Interface");
        }
        if (request.privateDnsName() != null) {
            checkPrivateDnsName(request.privateDnsName());
        }
        refuseNonIpv4(request.supportedIpAddressTypes(), "SupportedIpAddressType");
        if (request.networkLoadBalancerArns().isEmpty()) {
            throw new ControlPlaneException("MissingParameter",
                    "The request must contain the parameter NetworkLoadBalancerArn");
        }
    }

    /**
     * ModifyVpcEndpointServiceConfiguration, the parts that need no state: a private DNS name that is a
     * domain name, not set and removed at once; no IP address type but ipv4 added, and ipv4 never
     * removed, since a service must support at least one type and ipv4 is the only one here.
     */
    static void checkModifyService(ModifyServiceRequest request) {
        if (request.privateDnsName() != null) {
            if (request.removePrivateDnsName()) {
                throw invalidParameter("Specify either PrivateDnsName or RemovePrivateDnsName, not both");
            }
            checkPrivateDnsName(request.privateDnsName());
        }
        refuseNonIpv4(request.addSupportedIpAddressTypes(), "AddSupportedIpAddressType");
        if (request.removeSupportedIpAddressTypes().contains("ipv4")) {
            throw invalidParameter("An endpoint service must support ipv4; it carries IPv4 traffic only");
        }
    }

    /**
     * CreateVpcEndpoint, the parts that need no state: an endpoint service takes Interface
     * endpoints; it carries IPv4; VpcId and ServiceName are required. The subnets are checked later,
     * against the VPC and the service, and so is private DNS, against the service's name.
     */
    static void checkCreateEndpoint(CreateEndpointRequest request) {
        checkEnum("VpcEndpointType", request.endpointType(), ENDPOINT_TYPES);
        checkEnum("IpAddressType", request.ipAddressType(), IP_ADDRESS_TYPES);
        if (request.vpcId() != null) {
            checkVpcIdSyntax(request.vpcId());
        }
        for (String subnetId : request.subnetIds()) {
            checkSubnetIdSyntax(subnetId);
        }
        if (request.endpointType() != null && !request.endpointType().equals(VpcEndpoint.ENDPOINT_TYPE)) {
            throw invalidParameter("Endpoint type " + request.endpointType()
                    + " does not match the service; endpoint services take Interface endpoints only");
        }
        if (request.ipAddressType() != null && !request.ipAddressType().equals("ipv4")) {
            throw invalidParameter("IpAddressType " + request.ipAddressType()
                    + " is not supported: endpoint services carry IPv4 only");
        }
        if (request.vpcId() == null) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter VpcId");
        }
        if (request.serviceName() == null) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter ServiceName");
        }
    }

    /**
     * CreateTags, per resource: endpoint services cannot be tagged, as the user guide says, and of
     * the PrivateLink resources only interface endpoints take tags here.
     */
    /** EC2's bounds on tags: 50 a resource, keys of 128 characters, values of 256. */
    static final int MAX_TAGS = 50;
    static final int MAX_TAG_KEY = 128;
    static final int MAX_TAG_VALUE = 256;

    /** Tags within EC2's bounds, with {@code existing} ones already on the resource. */
    static void checkTags(java.util.Map<String, String> tags, java.util.Set<String> existing) {
        for (java.util.Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().isEmpty() || t.getKey().length() > MAX_TAG_KEY) {
                throw new ControlPlaneException("InvalidParameterValue", "Tag key must be 1 to " + MAX_TAG_KEY
                        + " characters, found " + t.getKey().length());
            }
            if (t.getValue() != null && t.getValue().length() > MAX_TAG_VALUE) {
                throw new ControlPlaneException("InvalidParameterValue", "Tag value must be at most " + MAX_TAG_VALUE
                        + " characters, found " + t.getValue().length() + " (key " + t.getKey() + ")");
            }
        }
        java.util.Set<String> all = new java.util.HashSet<>(existing);
        all.addAll(tags.keySet());
        if (all.size() > MAX_TAGS) {
            throw new ControlPlaneException("TagLimitExceeded", "The maximum number of tags for a resource is "
                    + MAX_TAGS + "; this request would make " + all.size());
        }
    }

    static void checkTaggable(String id) {
        if (id.startsWith("vpce-svc-")) {
            throw new ControlPlaneException("InvalidParameterValue",
                    "You cannot tag an endpoint service: " + id);
        }
        if (!id.startsWith("vpce-") || id.startsWith("vpce-nfn-")) {
            throw new ControlPlaneException("InvalidID",
                    "The ID '" + id + "' is not valid here; only interface endpoints (vpce-...) take tags");
        }
    }

    /** CreateVpcEndpointConnectionNotification: exactly one of ServiceId and VpcEndpointId. */
    static void checkNotificationTarget(String serviceId, String endpointId) {
        if (serviceId == null && endpointId == null) {
            throw new ControlPlaneException("MissingParameter",
                    "The request must contain either the parameter ServiceId or VpcEndpointId");
        }
        if (serviceId != null && endpointId != null) {
            throw invalidParameter("Specify either ServiceId or VpcEndpointId, not both");
        }
    }

    /** RFC 1034's bounds, as the user guide gives them: labels of 1 to 63 characters, 255 in all. */
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 255;
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern RECORD_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");

    /**
     * A private DNS name: a domain name of at least two labels, of letters, digits and hyphens, whose
     * first label may be {@code *} for every name under the rest. Answers it in lower case, without a
     * trailing dot.
     */
    static String checkPrivateDnsName(String name) {
        return checkDomainName(name, "PrivateDnsName", HOST_LABEL, true);
    }

    /** The name of a record of the public DNS: labels may start with an underscore, as verification's do. */
    static String checkRecordName(String name) {
        return checkDomainName(name, "name", RECORD_LABEL, false);
    }

    private static String checkDomainName(String name, String parameter, Pattern label, boolean wildcard) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        String[] labels = n.split("\\.", -1);
        String problem = null;
        if (n.length() > MAX_NAME) {
            problem = "it has " + n.length() + " characters, at most " + MAX_NAME;
        } else if (labels.length < 2) {
            problem = "a domain name has at least two labels";
        }
        for (int i = 0; i < labels.length && problem == null; i++) {
            String l = labels[i];
            if (l.length() > MAX_LABEL) {
                problem = "label " + l + " has " + l.length() + " characters, at most " + MAX_LABEL;
            } else if (!(wildcard && i == 0 && l.equals("*") && labels.length > 2) && !label.matcher(l).matches()) {
                problem = l.isEmpty() ? "it has an empty label" : "label '" + l + "' is not a DNS label";
            }
        }
        if (problem != null) {
            throw new ControlPlaneException("InvalidParameterValue", "Value (" + name + ") for parameter " + parameter
                    + " is invalid: " + problem);
        }
        return n;
    }

    /** A service in AWS may support ipv4, ipv6 or both; the simulator's data plane carries IPv4 only. */
    private static void refuseNonIpv4(List<String> types, String parameter) {
        for (String t : types) {
            if (!t.equals("ipv4")) {
                throw invalidParameter(parameter + " " + t + " is not supported: endpoint services carry IPv4 over TCP only");
            }
        }
    }

    /**
     * The principals a service may allow (user guide, "Manage permissions"): everyone ({@code *}),
     * an account's root, an IAM user or an IAM role; anything else is {@code InvalidPrincipal}.
     */
    /** IAM's longest ARN. */
    static final int MAX_ARN = 2048;
    /** The most principals a service allows, plsim's bound (AWS documents none). */
    static final int MAX_ALLOWED_PRINCIPALS = 1_000;

    static List<Principal> parsePrincipals(List<String> arns) {
        List<Principal> out = new ArrayList<>();
        for (String arn : arns) {
            if (arn.length() > MAX_ARN) {
                throw new ControlPlaneException("InvalidPrincipal", "Invalid principal: an ARN of " + arn.length()
                        + " characters; an ARN has at most " + MAX_ARN);
            }
            out.add(Principal.parse(arn).orElseThrow(() -> new ControlPlaneException("InvalidPrincipal",
                    "Invalid principal: '" + arn + "'; expected *, arn:aws:iam::<account>:root,"
                            + " arn:aws:iam::<account>:user/<name> or arn:aws:iam::<account>:role/<name>")));
        }
        return out;
    }

    /** ConnectionNotificationArn is required and is the ARN of an SNS topic. */
    static String checkTopic(String topicArn) {
        if (topicArn == null) {
            throw new ControlPlaneException("MissingParameter",
                    "The request must contain the parameter ConnectionNotificationArn");
        }
        if (!Topic.ARN.matcher(topicArn).matches()) {
            throw new ControlPlaneException("InvalidParameterValue", "Value (" + topicArn
                    + ") for parameter ConnectionNotificationArn is invalid: expected arn:aws:sns:<region>:<account>:<topic>");
        }
        return topicArn;
    }

    /** ConnectionEvents is required, each one of Connect, Accept, Reject and Delete. */
    static Set<ConnectionEvent> parseEvents(Collection<String> events) {
        if (events == null || events.isEmpty()) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter ConnectionEvents");
        }
        Set<ConnectionEvent> out = EnumSet.noneOf(ConnectionEvent.class);
        for (String e : events) {
            out.add(ConnectionEvent.ofWire(e).orElseThrow(() -> new ControlPlaneException("InvalidParameterValue",
                    "Value (" + e + ") for parameter ConnectionEvents is invalid: expected Connect, Accept, Reject"
                            + " or Delete")));
        }
        return out;
    }

    /** A list parameter the call requires, such as the IDs of a batch operation. */
    static void requireNonEmpty(List<String> list, String parameter) {
        if (list == null || list.isEmpty()) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter " + parameter);
        }
    }

    /** The values of EC2's VpcEndpointType and IpAddressType enums. */
    private static final List<String> ENDPOINT_TYPES = List.of("Interface", "Gateway", "GatewayLoadBalancer",
            "Resource", "ServiceNetwork");
    private static final List<String> IP_ADDRESS_TYPES = List.of("ipv4", "dualstack", "ipv6");

    /**
     * A value outside the enum of its parameter is {@code InvalidParameterValue}, as EC2 answers it; a
     * value of the enum plsim does not simulate stays {@code InvalidParameter} (well-formed, refused).
     */
    private static void checkEnum(String parameter, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw new ControlPlaneException("InvalidParameterValue", "Value (" + value + ") for parameter "
                    + parameter + " is invalid. Valid values: " + String.join(", ", allowed));
        }
    }

    /** EC2's code for a request that is well-formed but asks for something the rules forbid. */
    static ControlPlaneException invalidParameter(String message) {
        return new ControlPlaneException("InvalidParameter", message);
    }

    static void checkServiceIdSyntax(String id) {
        checkIdSyntax(id, SERVICE_ID, "InvalidVpcEndpointServiceId.Malformed", "vpce-svc-");
    }

    static void checkGroupIdSyntax(String id) {
        checkIdSyntax(id, GROUP_ID, "InvalidGroupId.Malformed", "sg-");
    }

    static void checkEndpointIdSyntax(String id) {
        checkIdSyntax(id, ENDPOINT_ID, "InvalidVpcEndpointId.Malformed", "vpce-");
    }

    static void checkVpcIdSyntax(String id) {
        checkIdSyntax(id, VPC_ID, "InvalidVpcID.Malformed", "vpc-");
    }

    static void checkSubnetIdSyntax(String id) {
        checkIdSyntax(id, SUBNET_ID, "InvalidSubnetID.Malformed", "subnet-");
    }

    /** An ID that cannot be one of its kind is malformed, EC2's code for it, before any lookup. */
    private static void checkIdSyntax(String id, Pattern syntax, String code, String prefix) {
        if (id == null || !syntax.matcher(id).matches()) {
            throw new ControlPlaneException(code, "Invalid id: \"" + id + "\" (expecting \"" + prefix + "...\")");
        }
    }

    /** Unlike a service or endpoint ID, a malformed notification ID shares its code with an unknown one. */
    static void checkNotificationIdSyntax(String id) {
        if (!NOTIFICATION_ID.matcher(id).matches()) {
            throw new ControlPlaneException("InvalidConnectionNotification",
                    "Invalid id: \"" + id + "\" (expecting \"vpce-nfn-...\")");
        }
    }

    /**
     * The region named in a load balancer ARN, which the control plane compares with the service's:
     * an endpoint service uses load balancers of its own region only.
     */
    static String loadBalancerRegion(String arn) {
        Matcher m = ELB_ARN.matcher(arn == null ? "" : arn);
        if (!m.matches()) {
            throw new ControlPlaneException("InvalidParameterValue",
                    "Value (" + arn + ") for parameter networkLoadBalancerArns is invalid: not a load balancer ARN");
        }
        return m.group(1);
    }
}
