package io.plsim.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The EC2 Query API as functions, no sockets: every action's answer parsed with the JDK's DOM
 * parser and held against the wire shapes of the EC2 model (botocore's {@code ec2/2016-11-15} and
 * the AWS SDK for Java v2, which agree): element names, nesting, {@code <item>} lists, the
 * namespace and {@code requestId}; the error envelope; ClientToken idempotency; per-item failures.
 */
class Ec2ApiTest {

    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String PROVIDER = "111122223333";
    static final String CONSUMER = "444455556666";
    static final String PROVIDER_KEY = "AKIAPROVIDERROOT0001";
    static final String CONSUMER_KEY = "AKIACONSUMERROOT0001";
    static final String CONSUMER_ROOT = "arn:aws:iam::" + CONSUMER + ":root";
    static final String NLB_ARN =
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb-vpce/e94221227f1ba532";
    static final String VPC = "vpc-0b0b0b0b0b0b0b126";
    static final String SUBNET_A = "subnet-0b0b0b0b0b0b1126";
    static final String SUBNET_C = "subnet-0b0b0b0b0b0b3126";

    static final String YAML = """
            region: us-east-1
            simulation: {seed: 7}
            accounts:
              - id: "111122223333"
                users: [alice]
                zones: {us-east-1a: use1-az1, us-east-1b: use1-az2, us-east-1c: use1-az3}
                accessKeys: {AKIAPROVIDERROOT0001: root}
              - id: "444455556666"
                zones: {us-east-1a: use1-az2, us-east-1b: use1-az3, us-east-1c: use1-az1}
                accessKeys: {AKIACONSUMERROOT0001: root}
            vpcs:
              - id: vpc-0a0a0a0a0a0a0a126
                account: "111122223333"
                cidr: 127.126.0.0/17
                subnets:
                  - {id: subnet-0a0a0a0a0a0a1126, zone: us-east-1a, cidr: 127.126.1.0/24}
                  - {id: subnet-0a0a0a0a0a0a2126, zone: us-east-1b, cidr: 127.126.2.0/24}
              - id: vpc-0b0b0b0b0b0b0b126
                account: "444455556666"
                cidr: 127.126.128.0/17
                subnets:
                  - {id: subnet-0b0b0b0b0b0b1126, zone: us-east-1a, cidr: 127.126.129.0/24}
                  - {id: subnet-0b0b0b0b0b0b3126, zone: us-east-1c, cidr: 127.126.131.0/24}
            loadBalancers:
              - name: nlb-vpce
                account: "111122223333"
                id: e94221227f1ba532
                nodes:
                  - {zone: us-east-1a, ip: 127.126.1.10}
                  - {zone: us-east-1b, ip: 127.126.2.10}
                listeners: [8443]
                targets:
                  - {zone: us-east-1a, builtin: echo}
                  - {zone: us-east-1b, builtin: echo}
            """;

    private Ec2Api api;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void world() {
        World w;
        try {
            w = SimConfigLoader.load("Ec2ApiTest", YAML);
        } catch (SimConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        api = new Ec2Api(w.controlPlane(), () -> "req-" + requests.incrementAndGet());
    }

    // ---------------------------------------------------------------- the wire shapes of the model

    /** What an element may hold: text, a structure of named members, or {@code <item>}s. */
    sealed interface Shape permits Scalar, Struct, ListOf {
    }

    record Scalar() implements Shape {
    }

    record Struct(Map<String, Shape> members) implements Shape {
    }

    record ListOf(Shape item) implements Shape {
    }

    static final Shape S = new Scalar();
    static final Shape STRINGS = new ListOf(S);

    static Struct struct(Object... nameShape) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (int i = 0; i < nameShape.length; i++) {
            if (i + 1 < nameShape.length && nameShape[i + 1] instanceof Shape s) {
                m.put((String) nameShape[i], s);
                i++;
            } else {
                m.put((String) nameShape[i], S);
            }
        }
        return new Struct(m);
    }

    static ListOf list(Shape item) {
        return new ListOf(item);
    }

    static final Shape TAGS = list(struct("key", "value"));
    static final Shape SERVICE_TYPE = list(struct("serviceType"));
    static final Shape DNS_ENTRIES = list(struct("dnsName", "hostedZoneId"));
    static final Shape PAYER = list(struct("scope", "payerResponsibilityType"));
    static final Shape SERVICE_CONFIGURATION = struct("serviceType", SERVICE_TYPE, "serviceId", "serviceName",
            "serviceState", "availabilityZoneIdSet", STRINGS, "availabilityZoneSet", STRINGS, "acceptanceRequired",
            "managesVpcEndpoints", "networkLoadBalancerArnSet", STRINGS, "gatewayLoadBalancerArnSet", STRINGS,
            "supportedIpAddressTypeSet", STRINGS, "baseEndpointDnsNameSet", STRINGS, "privateDnsName",
            "privateDnsNameConfiguration", struct("state", "type", "value", "name"), "payerResponsibility",
            "tagSet", TAGS, "supportedRegionSet", list(struct("region", "serviceState")), "remoteAccessEnabled");
    static final Shape SERVICE_DETAIL = struct("serviceName", "serviceId", "serviceType", SERVICE_TYPE,
            "serviceRegion", "availabilityZoneIdSet", STRINGS, "availabilityZoneSet", STRINGS, "owner",
            "baseEndpointDnsNameSet", STRINGS, "privateDnsName", "privateDnsNameSet", list(struct("privateDnsName")),
            "vpcEndpointPolicySupported", "acceptanceRequired", "managesVpcEndpoints", "payerResponsibility",
            "tagSet", TAGS, "privateDnsNameVerificationState", "supportedIpAddressTypeSet", STRINGS);
    static final Shape VPC_ENDPOINT = struct("vpcEndpointId", "vpcEndpointType", "vpcId", "serviceName", "state",
            "policyDocument", "routeTableIdSet", STRINGS, "subnetIdSet", STRINGS,
            "groupSet", list(struct("groupId", "groupName")), "ipAddressType",
            "dnsOptions", struct("dnsRecordIpType", "privateDnsOnlyForInboundResolverEndpoint", "privateDnsPreference",
                    "privateDnsSpecifiedDomainSet", STRINGS),
            "privateDnsEnabled", "requesterManaged", "networkInterfaceIdSet", STRINGS, "dnsEntrySet", DNS_ENTRIES,
            "creationTimestamp", "tagSet", TAGS, "ownerId", "lastError", struct("message", "code"),
            "ipv4PrefixSet", list(struct("subnetId", "ipPrefixSet", STRINGS)),
            "ipv6PrefixSet", list(struct("subnetId", "ipPrefixSet", STRINGS)), "failureReason", "serviceNetworkArn",
            "resourceConfigurationArn", "serviceRegion", "payerResponsibilitySet", PAYER);
    static final Shape CONNECTION = struct("serviceId", "vpcEndpointId", "vpcEndpointOwner", "vpcEndpointState",
            "creationTimestamp", "dnsEntrySet", DNS_ENTRIES, "networkLoadBalancerArnSet", STRINGS,
            "gatewayLoadBalancerArnSet", STRINGS, "ipAddressType", "vpcEndpointConnectionId", "tagSet", TAGS,
            "vpcEndpointRegion", "payerResponsibilitySet", PAYER);
    static final Shape NOTIFICATION = struct("connectionNotificationId", "serviceId", "vpcEndpointId",
            "connectionNotificationType", "connectionNotificationArn", "connectionEvents", STRINGS,
            "connectionNotificationState", "serviceRegion");
    static final Shape UNSUCCESSFUL = list(struct("error", struct("code", "message"), "resourceId"));
    static final Shape AVAILABILITY_ZONE = struct("optInStatus", "messageSet", list(struct("message")),
            "regionName", "zoneName", "zoneId", "groupName", "networkBorderGroup", "zoneType", "parentZoneName",
            "parentZoneId", "groupLongName", "geographySet", list(struct("name")), "subGeographySet",
            list(struct("name")), "zoneState");

    static final Shape GROUP_SET = list(struct("groupId", "groupName"));
    static final Shape BLOCK_PUBLIC_ACCESS = struct("internetGatewayBlockMode");
    static final Shape VPC_SHAPE = struct("vpcId", "ownerId", "state", "cidrBlock", "cidrBlockAssociationSet",
            list(struct("associationId", "cidrBlock", "cidrBlockState", struct("state", "statusMessage"))),
            "dhcpOptionsId", "instanceTenancy", "isDefault", "tagSet", TAGS, "blockPublicAccessStates",
            BLOCK_PUBLIC_ACCESS);
    static final Shape SUBNET = struct("subnetId", "subnetArn", "state", "ownerId", "vpcId", "cidrBlock",
            "ipv6CidrBlockAssociationSet", list(struct("associationId", "ipv6CidrBlock")), "availableIpAddressCount",
            "availabilityZone", "availabilityZoneId", "defaultForAz", "mapPublicIpOnLaunch",
            "assignIpv6AddressOnCreation", "mapCustomerOwnedIpOnLaunch", "enableDns64", "ipv6Native",
            "privateDnsNameOptionsOnLaunch", struct("hostnameType", "enableResourceNameDnsARecord",
                    "enableResourceNameDnsAAAARecord"), "blockPublicAccessStates", BLOCK_PUBLIC_ACCESS, "tagSet", TAGS);
    static final Shape PERMISSIONS = list(struct("ipProtocol", "fromPort", "toPort",
            "groups", list(struct("userId", "groupId", "groupName", "vpcId", "description")),
            "ipRanges", list(struct("cidrIp", "description")), "ipv6Ranges", list(struct("cidrIpv6", "description")),
            "prefixListIds", list(struct("prefixListId", "description"))));
    static final Shape SECURITY_GROUP = struct("ownerId", "groupId", "groupName", "groupDescription", "vpcId",
            "ipPermissions", PERMISSIONS, "ipPermissionsEgress", PERMISSIONS, "securityGroupArn", "tagSet", TAGS);
    static final Shape NETWORK_INTERFACE = struct("networkInterfaceId", "subnetId", "vpcId", "availabilityZone",
            "availabilityZoneId", "description", "ownerId", "requesterId", "requesterManaged", "status", "macAddress",
            "privateIpAddress", "privateDnsName", "sourceDestCheck", "groupSet", GROUP_SET, "privateIpAddressesSet",
            list(struct("privateIpAddress", "privateDnsName", "primary")), "ipv6AddressesSet",
            list(struct("ipv6Address")), "tagSet", TAGS, "interfaceType", "operator",
            struct("managed", "principal", "hiddenByDefault"));

    /** Each action's response members after {@code <requestId>}. */
    static final Map<String, Struct> RESPONSES = Map.ofEntries(
            Map.entry("CreateVpcEndpointServiceConfiguration",
                    struct("serviceConfiguration", SERVICE_CONFIGURATION, "clientToken")),
            Map.entry("DescribeVpcEndpointServiceConfigurations",
                    struct("serviceConfigurationSet", list(SERVICE_CONFIGURATION), "nextToken")),
            Map.entry("ModifyVpcEndpointServiceConfiguration", struct("return")),
            Map.entry("DeleteVpcEndpointServiceConfigurations", struct("unsuccessful", UNSUCCESSFUL)),
            Map.entry("ModifyVpcEndpointServicePermissions", struct("addedPrincipalSet",
                    list(struct("principalType", "principal", "servicePermissionId", "serviceId")), "return")),
            Map.entry("DescribeVpcEndpointServicePermissions", struct("allowedPrincipals",
                    list(struct("principalType", "principal", "servicePermissionId", "tagSet", TAGS, "serviceId")),
                    "nextToken")),
            Map.entry("DescribeVpcEndpointConnections",
                    struct("vpcEndpointConnectionSet", list(CONNECTION), "nextToken")),
            Map.entry("AcceptVpcEndpointConnections", struct("unsuccessful", UNSUCCESSFUL)),
            Map.entry("RejectVpcEndpointConnections", struct("unsuccessful", UNSUCCESSFUL)),
            Map.entry("CreateVpcEndpointConnectionNotification",
                    struct("connectionNotification", NOTIFICATION, "clientToken")),
            Map.entry("DescribeVpcEndpointConnectionNotifications",
                    struct("connectionNotificationSet", list(NOTIFICATION), "nextToken")),
            Map.entry("ModifyVpcEndpointConnectionNotification", struct("return")),
            Map.entry("DeleteVpcEndpointConnectionNotifications", struct("unsuccessful", UNSUCCESSFUL)),
            Map.entry("CreateVpcEndpoint", struct("vpcEndpoint", VPC_ENDPOINT, "clientToken")),
            Map.entry("DescribeVpcEndpoints", struct("vpcEndpointSet", list(VPC_ENDPOINT), "nextToken")),
            Map.entry("DeleteVpcEndpoints", struct("unsuccessful", UNSUCCESSFUL)),
            Map.entry("DescribeVpcEndpointServices", struct("serviceNameSet", STRINGS, "serviceDetailSet",
                    list(SERVICE_DETAIL), "nextToken")),
            Map.entry("DescribeAvailabilityZones", struct("availabilityZoneInfo", list(AVAILABILITY_ZONE))),
            Map.entry("CreateTags", struct("return")),
            Map.entry("ModifyVpcEndpoint", struct("return")),
            Map.entry("DeleteTags", struct("return")),
            Map.entry("DescribeTags", struct("tagSet", list(struct("resourceId", "resourceType", "key", "value")),
                    "nextToken")),
            Map.entry("DescribeVpcs", struct("vpcSet", list(VPC_SHAPE), "nextToken")),
            Map.entry("DescribeSubnets", struct("subnetSet", list(SUBNET), "nextToken")),
            Map.entry("DescribeSecurityGroups", struct("securityGroupInfo", list(SECURITY_GROUP), "nextToken")),
            Map.entry("DescribeNetworkInterfaces", struct("networkInterfaceSet", list(NETWORK_INTERFACE),
                    "nextToken")),
            Map.entry("StartVpcEndpointServicePrivateDnsVerification", struct("return")));

    /** Elements whose text is a boolean, a timestamp. */
    static final Set<String> BOOLEANS = Set.of("acceptanceRequired", "managesVpcEndpoints", "return",
            "privateDnsEnabled", "requesterManaged", "vpcEndpointPolicySupported", "remoteAccessEnabled");
    static final Set<String> TIMESTAMPS = Set.of("creationTimestamp");

    private static void check(Element e, Shape shape, String path) {
        List<Element> children = children(e);
        if (shape instanceof Scalar) {
            assertEquals(List.of(), children.stream().map(Element::getLocalName).toList(), path + " holds text");
            String text = e.getTextContent();
            if (BOOLEANS.contains(e.getLocalName())) {
                assertTrue(text.equals("true") || text.equals("false"), path + " is a boolean: " + text);
            }
            if (TIMESTAMPS.contains(e.getLocalName())) {
                assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"),
                        path + " is an ISO-8601 UTC timestamp: " + text);
                Instant.parse(text);
            }
        } else if (shape instanceof Struct st) {
            Set<String> seen = new LinkedHashSet<>();
            for (Element c : children) {
                String name = c.getLocalName();
                Shape member = st.members().get(name);
                if (member == null) {
                    fail(path + "/" + name + " is not a member of the model here; expected one of "
                            + new TreeSet<>(st.members().keySet()));
                }
                assertTrue(seen.add(name), path + "/" + name + " appears twice");
                check(c, member, path + "/" + name);
            }
        } else if (shape instanceof ListOf l) {
            assertTrue(e.getTextContent().isBlank() || !children.isEmpty(),
                    path + " is a list of <item>, not text: " + e.getTextContent());
            for (int i = 0; i < children.size(); i++) {
                Element c = children.get(i);
                assertEquals("item", c.getLocalName(), path + " holds <item>s");
                check(c, l.item(), path + "/item[" + (i + 1) + "]");
            }
        }
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    static Element child(Element e, String name) {
        return children(e).stream().filter(c -> c.getLocalName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + "> in <" + e.getLocalName() + ">"));
    }

    /** The element at a path of names; {@code item[N]} picks the Nth item (from 1). */
    static Element at(Element root, String path) {
        Element e = root;
        for (String step : path.split("/")) {
            if (step.matches("item\\[\\d+]")) {
                int n = Integer.parseInt(step.substring(5, step.length() - 1));
                List<Element> items = children(e);
                assertTrue(items.size() >= n, path + ": only " + items.size() + " items");
                e = items.get(n - 1);
            } else {
                e = child(e, step);
            }
        }
        return e;
    }

    static String text(Element root, String path) {
        return at(root, path).getTextContent();
    }

    static List<String> items(Element root, String path) {
        return children(at(root, path)).stream().map(Element::getTextContent).toList();
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    // ---------------------------------------------------------------- calling

    static String auth(String key) {
        return "AWS4-HMAC-SHA256 Credential=" + key + "/20240501/us-east-1/ec2/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";
    }

    static String form(String action, String... nameValues) {
        StringBuilder b = new StringBuilder("Action=").append(action).append("&Version=2016-11-15");
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            b.append('&').append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private final Set<String> covered = new TreeSet<>();

    /** Calls an action, expects 200, checks the shape, and answers the document element. */
    private Element ok(String key, String action, String... nameValues) {
        String rid = "req-" + (requests.get() + 1);
        QueryResponse r = api.handle(auth(key), form(action, nameValues));
        assertEquals(200, r.status(), () -> action + ": " + r.body());
        Element root = parse(r.body()).getDocumentElement();
        assertEquals(action + "Response", root.getLocalName());
        assertEquals(NS, root.getNamespaceURI(), "the EC2 namespace, with its slash");
        List<Element> children = children(root);
        assertFalse(children.isEmpty());
        assertEquals("requestId", children.get(0).getLocalName(), "requestId first, lower camel");
        assertEquals(rid, children.get(0).getTextContent());
        Struct members = new Struct(new LinkedHashMap<>(RESPONSES.get(action).members()));
        members.members().put("requestId", S);
        check(root, members, action + "Response");
        assertTrue(r.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), r.body());
        covered.add(action);
        return root;
    }

    /** Calls an action, expects the error envelope; answers the code. */
    private String error(int status, String key, String body) {
        String rid = "req-" + (requests.get() + 1);
        QueryResponse r = api.handle(key == null ? null : auth(key), body);
        assertEquals(status, r.status(), r::body);
        Element root = parse(r.body()).getDocumentElement();
        assertEquals("Response", root.getLocalName());
        assertNull(root.getNamespaceURI(), "the error envelope has no namespace");
        assertEquals(List.of("Errors", "RequestID"), children(root).stream().map(Element::getLocalName).toList());
        Element errors = child(root, "Errors");
        assertEquals(List.of("Error"), children(errors).stream().map(Element::getLocalName).toList());
        Element err = child(errors, "Error");
        assertEquals(List.of("Code", "Message"), children(err).stream().map(Element::getLocalName).toList());
        assertEquals(rid, text(root, "RequestID"), "RequestID, capital ID");
        String message = text(err, "Message");
        assertFalse(message.isBlank());
        assertFalse(message.contains("Exception") || message.contains("at io."), message);
        return text(err, "Code");
    }

    // ---------------------------------------------------------------- tests

    @Test
    void everyActionAnswersTheShapeOfTheModel() {
        // the provider's service
        Element created = ok(PROVIDER_KEY, "CreateVpcEndpointServiceConfiguration",
                "NetworkLoadBalancerArn.1", NLB_ARN, "AcceptanceRequired", "true", "ClientToken", "tok-1");
        String sid = text(created, "serviceConfiguration/serviceId");
        String name = "com.amazonaws.vpce.us-east-1." + sid;
        assertTrue(sid.matches("vpce-svc-[0-9a-f]{17}"), sid);
        assertEquals("Interface", text(created, "serviceConfiguration/serviceType/item[1]/serviceType"));
        assertEquals(name, text(created, "serviceConfiguration/serviceName"));
        assertEquals("Available", text(created, "serviceConfiguration/serviceState"));
        assertEquals("true", text(created, "serviceConfiguration/acceptanceRequired"));
        assertEquals(List.of("us-east-1a", "us-east-1b"), items(created, "serviceConfiguration/availabilityZoneSet"));
        assertEquals(List.of(NLB_ARN), items(created, "serviceConfiguration/networkLoadBalancerArnSet"));
        assertEquals(List.of(sid + ".us-east-1.vpce.amazonaws.com"),
                items(created, "serviceConfiguration/baseEndpointDnsNameSet"));
        assertEquals("tok-1", text(created, "clientToken"));

        Element described = ok(PROVIDER_KEY, "DescribeVpcEndpointServiceConfigurations", "ServiceId.1", sid);
        assertEquals(sid, text(described, "serviceConfigurationSet/item[1]/serviceId"));

        Element added = ok(PROVIDER_KEY, "ModifyVpcEndpointServicePermissions", "ServiceId", sid,
                "AddAllowedPrincipals.1", CONSUMER_ROOT);
        assertEquals("true", text(added, "return"));
        assertEquals("Account", text(added, "addedPrincipalSet/item[1]/principalType"));
        assertEquals(CONSUMER_ROOT, text(added, "addedPrincipalSet/item[1]/principal"));
        assertEquals(sid, text(added, "addedPrincipalSet/item[1]/serviceId"));

        Element perms = ok(PROVIDER_KEY, "DescribeVpcEndpointServicePermissions", "ServiceId", sid);
        assertEquals("Account", text(perms, "allowedPrincipals/item[1]/principalType"));
        assertEquals(CONSUMER_ROOT, text(perms, "allowedPrincipals/item[1]/principal"));

        // the consumer
        Element services = ok(CONSUMER_KEY, "DescribeVpcEndpointServices");
        assertEquals(List.of(name), items(services, "serviceNameSet"));
        assertEquals(List.of("us-east-1a", "us-east-1c"), items(services, "serviceDetailSet/item[1]/availabilityZoneSet"),
                "in the consumer's names");
        assertEquals(PROVIDER, text(services, "serviceDetailSet/item[1]/owner"));
        assertEquals("Interface", text(services, "serviceDetailSet/item[1]/serviceType/item[1]/serviceType"));

        Element zones = ok(CONSUMER_KEY, "DescribeAvailabilityZones", "ZoneName.1", "us-east-1a");
        assertEquals("use1-az2", text(zones, "availabilityZoneInfo/item[1]/zoneId"));
        assertEquals("available", text(zones, "availabilityZoneInfo/item[1]/zoneState"));
        assertEquals(1, items(zones, "availabilityZoneInfo").size());

        Element endpoint = ok(CONSUMER_KEY, "CreateVpcEndpoint", "VpcEndpointType", "Interface", "VpcId", VPC,
                "ServiceName", name, "SubnetId.1", SUBNET_A, "SubnetId.2", SUBNET_C,
                "TagSpecification.1.ResourceType", "vpc-endpoint", "TagSpecification.1.Tag.1.Key", "Name",
                "TagSpecification.1.Tag.1.Value", "my-endpoint", "ClientToken", "tok-2");
        String eid = text(endpoint, "vpcEndpoint/vpcEndpointId");
        assertTrue(eid.matches("vpce-[0-9a-f]{17}"), eid);
        assertEquals("pendingAcceptance", text(endpoint, "vpcEndpoint/state"), "lower camel, as EC2 sends it");
        assertEquals("Interface", text(endpoint, "vpcEndpoint/vpcEndpointType"));
        assertEquals(List.of(SUBNET_A, SUBNET_C), items(endpoint, "vpcEndpoint/subnetIdSet"));
        assertEquals(2, items(endpoint, "vpcEndpoint/networkInterfaceIdSet").size());
        assertEquals(3, items(endpoint, "vpcEndpoint/dnsEntrySet").size());
        assertEquals("Name", text(endpoint, "vpcEndpoint/tagSet/item[1]/key"));
        assertEquals("my-endpoint", text(endpoint, "vpcEndpoint/tagSet/item[1]/value"));
        assertEquals(CONSUMER, text(endpoint, "vpcEndpoint/ownerId"));
        assertEquals("tok-2", text(endpoint, "clientToken"));

        Element endpoints = ok(CONSUMER_KEY, "DescribeVpcEndpoints", "Filter.1.Name", "vpc-endpoint-state",
                "Filter.1.Value.1", "pendingAcceptance");
        assertEquals(eid, text(endpoints, "vpcEndpointSet/item[1]/vpcEndpointId"));

        Element tagged = ok(CONSUMER_KEY, "CreateTags", "ResourceId.1", eid, "Tag.1.Key", "team", "Tag.1.Value", "a");
        assertEquals("true", text(tagged, "return"));

        // the reads around the endpoint
        String defaultGroup = text(endpoint, "vpcEndpoint/groupSet/item[1]/groupId");
        assertEquals("default", text(endpoint, "vpcEndpoint/groupSet/item[1]/groupName"), "the VPC's default group");
        Element tags = ok(CONSUMER_KEY, "DescribeTags", "Filter.1.Name", "resource-id", "Filter.1.Value.1", eid);
        assertEquals(List.of("Name", "team"), List.of(text(tags, "tagSet/item[1]/key"), text(tags, "tagSet/item[2]/key")));
        assertEquals("vpc-endpoint", text(tags, "tagSet/item[1]/resourceType"));
        assertEquals("true", text(ok(CONSUMER_KEY, "DeleteTags", "ResourceId.1", eid, "Tag.1.Key", "team"), "return"));
        Element vpcs = ok(CONSUMER_KEY, "DescribeVpcs", "VpcId.1", VPC);
        assertEquals(VPC, text(vpcs, "vpcSet/item[1]/vpcId"));
        Element subnets = ok(CONSUMER_KEY, "DescribeSubnets", "SubnetId.1", SUBNET_A);
        assertEquals(SUBNET_A, text(subnets, "subnetSet/item[1]/subnetId"));
        Element groups = ok(CONSUMER_KEY, "DescribeSecurityGroups", "GroupId.1", defaultGroup);
        assertEquals("default VPC security group", text(groups, "securityGroupInfo/item[1]/groupDescription"));
        Element enis = ok(CONSUMER_KEY, "DescribeNetworkInterfaces", "Filter.1.Name", "description",
                "Filter.1.Value.1", "VPC Endpoint Interface " + eid);
        assertEquals(2, items(enis, "networkInterfaceSet").size());
        assertEquals("vpc_endpoint", text(enis, "networkInterfaceSet/item[1]/interfaceType"));
        assertEquals("true", text(ok(CONSUMER_KEY, "ModifyVpcEndpoint", "VpcEndpointId", eid, "RemoveSubnetId.1",
                SUBNET_C, "ResetPolicy", "true"), "return"));

        // the provider decides
        Element connections = ok(PROVIDER_KEY, "DescribeVpcEndpointConnections", "Filter.1.Name",
                "vpc-endpoint-state", "Filter.1.Value.1", "pendingAcceptance");
        assertEquals(eid, text(connections, "vpcEndpointConnectionSet/item[1]/vpcEndpointId"));
        assertEquals("pendingAcceptance", text(connections, "vpcEndpointConnectionSet/item[1]/vpcEndpointState"));
        assertEquals(CONSUMER, text(connections, "vpcEndpointConnectionSet/item[1]/vpcEndpointOwner"));
        assertEquals(sid, text(connections, "vpcEndpointConnectionSet/item[1]/serviceId"));

        Element note = ok(PROVIDER_KEY, "CreateVpcEndpointConnectionNotification", "ServiceId", sid,
                "ConnectionNotificationArn", "arn:aws:sns:us-east-1:111122223333:VpceNotification",
                "ConnectionEvents.1", "Connect", "ConnectionEvents.2", "Accept", "ConnectionEvents.3", "Delete",
                "ConnectionEvents.4", "Reject");
        String nid = text(note, "connectionNotification/connectionNotificationId");
        assertTrue(nid.matches("vpce-nfn-[0-9a-f]{17}"), nid);
        assertEquals("Topic", text(note, "connectionNotification/connectionNotificationType"));
        assertEquals("Enabled", text(note, "connectionNotification/connectionNotificationState"));
        assertEquals(Set.of("Connect", "Accept", "Delete", "Reject"),
                Set.copyOf(items(note, "connectionNotification/connectionEvents")));

        Element notes = ok(PROVIDER_KEY, "DescribeVpcEndpointConnectionNotifications");
        assertEquals(nid, text(notes, "connectionNotificationSet/item[1]/connectionNotificationId"));
        assertEquals("true", text(ok(PROVIDER_KEY, "ModifyVpcEndpointConnectionNotification",
                "ConnectionNotificationId", nid, "ConnectionEvents.1", "Accept", "ConnectionEvents.2", "Reject"),
                "return"));

        assertEquals(List.of(), items(ok(PROVIDER_KEY, "AcceptVpcEndpointConnections", "ServiceId", sid,
                "VpcEndpointId.1", eid), "unsuccessful"));
        assertEquals(List.of(), items(ok(PROVIDER_KEY, "RejectVpcEndpointConnections", "ServiceId", sid,
                "VpcEndpointId.1", eid), "unsuccessful"));
        assertEquals("true", text(ok(PROVIDER_KEY, "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid,
                "AcceptanceRequired", "false"), "return"));
        // private DNS, as EC2 has it since the guide: a name, its record, its verification
        assertEquals("true", text(ok(PROVIDER_KEY, "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid,
                "PrivateDnsName", "api.example.test"), "return"));
        assertEquals("true", text(ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid),
                "return"));
        Element named = ok(PROVIDER_KEY, "DescribeVpcEndpointServiceConfigurations", "ServiceId.1", sid);
        assertEquals("api.example.test", text(named, "serviceConfigurationSet/item[1]/privateDnsName"));
        assertEquals("TXT", text(named, "serviceConfigurationSet/item[1]/privateDnsNameConfiguration/type"));
        Element seen = ok(CONSUMER_KEY, "DescribeVpcEndpointServices", "ServiceName.1", name);
        assertEquals("api.example.test", text(seen, "serviceDetailSet/item[1]/privateDnsNameSet/item[1]/privateDnsName"));
        assertEquals(List.of(), items(ok(PROVIDER_KEY, "DeleteVpcEndpointConnectionNotifications",
                "ConnectionNotificationId.1", nid), "unsuccessful"));
        assertEquals(List.of(), items(ok(CONSUMER_KEY, "DeleteVpcEndpoints", "VpcEndpointId.1", eid), "unsuccessful"));
        assertEquals(List.of(), items(ok(PROVIDER_KEY, "DeleteVpcEndpointServiceConfigurations", "ServiceId.1", sid),
                "unsuccessful"));

        assertEquals(new TreeSet<>(api.actions()), covered, "every action of the API answered once here");
        assertEquals(new TreeSet<>(api.actions()), new TreeSet<>(RESPONSES.keySet()));
    }

    @Test
    void errorsComeInTheEc2Envelope() {
        assertEquals("InvalidAction", error(400, PROVIDER_KEY, form("FrobnicateVpcEndpoints")));
        assertEquals("MissingAction", error(400, PROVIDER_KEY, "Version=2016-11-15"));
        assertEquals("AuthFailure", error(401, null, form("DescribeAvailabilityZones")));
        assertEquals("AuthFailure", error(401, "AKIAUNKNOWNKEY000001", form("DescribeAvailabilityZones")));
        assertEquals("MissingParameter", error(400, PROVIDER_KEY, form("DescribeVpcEndpointServicePermissions")));
        assertEquals("InvalidVpcEndpointServiceId.NotFound", error(400, PROVIDER_KEY,
                form("DescribeVpcEndpointServicePermissions", "ServiceId", "vpce-svc-0123456789abcdef0")));
        assertEquals("InvalidParameterValue", error(400, PROVIDER_KEY,
                form("DescribeVpcEndpointServiceConfigurations", "MaxResults", "1")));
        assertEquals("InvalidParameterValue", error(400, PROVIDER_KEY,
                form("DescribeVpcEndpointServiceConfigurations", "Filter.1.Name", "colour", "Filter.1.Value.1", "x")));
        assertEquals("MalformedQueryString", error(400, PROVIDER_KEY, form("DescribeAvailabilityZones") + "&x=%zz"));
        assertEquals("InvalidPrincipal", error(400, PROVIDER_KEY, form("ModifyVpcEndpointServicePermissions",
                "ServiceId", sid(), "AddAllowedPrincipals.1", "arn:aws:iam::1:root")));
        assertEquals("InvalidParameterValue", error(400, PROVIDER_KEY,
                form("CreateTags", "ResourceId.1", sid(), "Tag.1.Key", "k", "Tag.1.Value", "v")));
        assertEquals("InvalidParameterValue", error(400, PROVIDER_KEY, form("CreateVpcEndpointServiceConfiguration",
                "NetworkLoadBalancerArn.1", NLB_ARN, "TagSpecification.1.ResourceType", "vpc-endpoint-service",
                "TagSpecification.1.Tag.1.Key", "Name", "TagSpecification.1.Tag.1.Value", "x")),
                "a service cannot be tagged at creation either");

        QueryResponse dry = api.handle(auth(PROVIDER_KEY), form("DescribeVpcEndpoints", "DryRun", "true"));
        assertEquals(412, dry.status());
        Element root = parse(dry.body()).getDocumentElement();
        assertEquals("DryRunOperation", text(root, "Errors/Error/Code"));
        assertEquals("Request would have succeeded, but DryRun flag is set.", text(root, "Errors/Error/Message"));
    }

    private String sid;

    /** A service of the provider, created once per test. */
    private String sid() {
        if (sid == null) {
            QueryResponse r = api.handle(auth(PROVIDER_KEY), form("CreateVpcEndpointServiceConfiguration",
                    "NetworkLoadBalancerArn.1", NLB_ARN));
            assertEquals(200, r.status(), r.body());
            sid = text(parse(r.body()).getDocumentElement(), "serviceConfiguration/serviceId");
            assertEquals(200, api.handle(auth(PROVIDER_KEY), form("ModifyVpcEndpointServicePermissions",
                    "ServiceId", sid, "AddAllowedPrincipals.1", CONSUMER_ROOT)).status());
        }
        return sid;
    }

    @Test
    void aClientTokenMakesACreateIdempotent() {
        String body = form("CreateVpcEndpointServiceConfiguration", "NetworkLoadBalancerArn.1", NLB_ARN,
                "ClientToken", "same-token");
        QueryResponse first = api.handle(auth(PROVIDER_KEY), body);
        QueryResponse again = api.handle(auth(PROVIDER_KEY), body);
        assertEquals(200, first.status(), first.body());
        assertEquals(first, again, "the same token answers the same body");
        Element all = ok(PROVIDER_KEY, "DescribeVpcEndpointServiceConfigurations");
        assertEquals(1, items(all, "serviceConfigurationSet").size(), "one service made, not two");
        String sid = text(parse(first.body()).getDocumentElement(), "serviceConfiguration/serviceId");
        api.handle(auth(PROVIDER_KEY), form("ModifyVpcEndpointServicePermissions", "ServiceId", sid,
                "AddAllowedPrincipals.1", CONSUMER_ROOT));

        String endpoint = form("CreateVpcEndpoint", "VpcId", VPC, "ServiceName", "com.amazonaws.vpce.us-east-1." + sid,
                "SubnetId.1", SUBNET_A, "ClientToken", "endpoint-token");
        QueryResponse e1 = api.handle(auth(CONSUMER_KEY), endpoint);
        QueryResponse e2 = api.handle(auth(CONSUMER_KEY), endpoint);
        assertEquals(200, e1.status(), e1.body());
        assertEquals(e1.body(), e2.body());
        assertEquals(1, items(ok(CONSUMER_KEY, "DescribeVpcEndpoints"), "vpcEndpointSet").size());
        // another token: another endpoint
        QueryResponse e3 = api.handle(auth(CONSUMER_KEY), endpoint.replace("endpoint-token", "other-token"));
        assertEquals(200, e3.status(), e3.body());
        assertNotEquals(e1.body(), e3.body());
        assertEquals(2, items(ok(CONSUMER_KEY, "DescribeVpcEndpoints"), "vpcEndpointSet").size());

        // the same token with other parameters is refused, as EC2 does
        String other = endpoint.replace(SUBNET_A, SUBNET_C);
        assertEquals("IdempotentParameterMismatch", error(400, CONSUMER_KEY, other));
        assertEquals(2, items(ok(CONSUMER_KEY, "DescribeVpcEndpoints"), "vpcEndpointSet").size());
        // a failed request with a token is not remembered: fixed, the retry succeeds
        String broken = form("CreateVpcEndpoint", "VpcId", VPC, "ServiceName", "com.amazonaws.vpce.us-east-1." + sid,
                "SubnetId.1", "subnet-0123456789abcdef0", "ClientToken", "retry-token");
        assertEquals("InvalidSubnetID.NotFound", error(400, CONSUMER_KEY, broken));
        assertEquals(200, api.handle(auth(CONSUMER_KEY), form("CreateVpcEndpoint", "VpcId", VPC, "ServiceName",
                "com.amazonaws.vpce.us-east-1." + sid, "SubnetId.1", SUBNET_C, "ClientToken", "retry-token")).status());
    }

    @Test
    void batchActionsAnswerPerItem() {
        String sid = sid();
        Element endpoint = ok(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", "com.amazonaws.vpce.us-east-1." + sid, "SubnetId.1", SUBNET_A);
        String eid = text(endpoint, "vpcEndpoint/vpcEndpointId");
        String unknown = "vpce-0123456789abcdef0";

        Element accepted = ok(PROVIDER_KEY, "AcceptVpcEndpointConnections", "ServiceId", sid, "VpcEndpointId.1", unknown,
                "VpcEndpointId.2", eid);
        assertEquals(1, items(accepted, "unsuccessful").size(), "only the unknown one failed");
        assertEquals("InvalidVpcEndpointId.NotFound", text(accepted, "unsuccessful/item[1]/error/code"));
        assertFalse(text(accepted, "unsuccessful/item[1]/error/message").isBlank());
        assertEquals(unknown, text(accepted, "unsuccessful/item[1]/resourceId"));
        assertEquals("available", text(ok(CONSUMER_KEY, "DescribeVpcEndpoints", "VpcEndpointId.1", eid),
                "vpcEndpointSet/item[1]/state"), "the known one was accepted");

        Element again = ok(PROVIDER_KEY, "AcceptVpcEndpointConnections", "ServiceId", sid, "VpcEndpointId.1", eid);
        assertEquals("InvalidVpcEndpointState", text(again, "unsuccessful/item[1]/error/code"));
        assertEquals(eid, text(again, "unsuccessful/item[1]/resourceId"));

        Element delete = ok(PROVIDER_KEY, "DeleteVpcEndpointServiceConfigurations", "ServiceId.1", sid);
        assertEquals("ExistingVpcEndpointConnections", text(delete, "unsuccessful/item[1]/error/code"));
        assertEquals(sid, text(delete, "unsuccessful/item[1]/resourceId"));

        Element deleteEndpoints = ok(CONSUMER_KEY, "DeleteVpcEndpoints", "VpcEndpointId.1", unknown);
        assertEquals("InvalidVpcEndpointId.NotFound", text(deleteEndpoints, "unsuccessful/item[1]/error/code"));

        Element deleteNotes = ok(PROVIDER_KEY, "DeleteVpcEndpointConnectionNotifications",
                "ConnectionNotificationId.1", "vpce-nfn-0123456789abcdef0");
        assertEquals("InvalidConnectionNotification", text(deleteNotes, "unsuccessful/item[1]/error/code"));
    }

    @Test
    void tensOfThousandsOfListMembersAreAnswered() {
        // Near the API server's 1 MiB body limit. Reading the filters was quadratic (about a minute
        // for this request, holding the server's one event loop); now it is one pass. How long it
        // takes is a benchmark's business; here, that it is answered right.
        StringBuilder b = new StringBuilder(form("DescribeVpcEndpoints"));
        for (int i = 1; i <= 20_000; i++) {
            b.append("&Filter.").append(i).append(".Name=vpc-id&Filter.").append(i).append(".Value.1=v").append(i);
        }
        assertTrue(b.length() < 1 << 20, "within the body limit: " + b.length());
        QueryResponse r = api.handle(auth(CONSUMER_KEY), b.toString());
        assertEquals(200, r.status(), r.body());
        // and a filter without a name among them is still found
        String broken = b + "&Filter.20001.Value.1=x";
        assertEquals("InvalidParameterValue", error(400, CONSUMER_KEY, broken));

        // structures looked up one by one (TagSpecification.N.Tag): as quadratic, about half a minute
        StringBuilder specs = new StringBuilder(form("CreateVpcEndpointServiceConfiguration",
                "NetworkLoadBalancerArn.1", NLB_ARN));
        for (int i = 1; i <= 18_000; i++) {
            specs.append("&TagSpecification.").append(i).append(".ResourceType=vpc-endpoint-service");
        }
        assertTrue(specs.length() < 1 << 20, "within the body limit: " + specs.length());
        r = api.handle(auth(PROVIDER_KEY), specs.toString());
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void noMixOfParametersMakesA500() {
        String sid = sid();
        Element endpoint = ok(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", "com.amazonaws.vpce.us-east-1." + sid, "SubnetId.1", SUBNET_A);
        String eid = text(endpoint, "vpcEndpoint/vpcEndpointId");
        List<String> names = List.of("ServiceId", "ServiceId.1", "VpcEndpointId", "VpcEndpointId.1", "VpcEndpointId.2",
                "NetworkLoadBalancerArn.1", "AcceptanceRequired", "AddAllowedPrincipals.1", "RemoveAllowedPrincipals.1",
                "Filter.1.Name", "Filter.1.Value.1", "Filter.1", "MaxResults", "NextToken", "ConnectionNotificationArn",
                "ConnectionEvents.1", "ConnectionNotificationId", "ConnectionNotificationId.1", "VpcId", "ServiceName",
                "ServiceName.1", "SubnetId.1", "SubnetId.2", "VpcEndpointType", "PrivateDnsEnabled", "IpAddressType",
                "TagSpecification.1.ResourceType", "TagSpecification.1.Tag.1.Key", "TagSpecification.1.Tag.1.Value",
                "ResourceId.1", "Tag.1.Key", "Tag.1.Value", "ZoneName.1", "ZoneId.1", "AddNetworkLoadBalancerArn.1",
                "RemoveNetworkLoadBalancerArn.1", "PrivateDnsName", "RemovePrivateDnsName", "AddSupportedIpAddressType.1",
                "RemoveSupportedIpAddressType.1", "SupportedIpAddressType.1", "GatewayLoadBalancerArn.1",
                "AddGatewayLoadBalancerArn.1", "RouteTableId.1", "ClientToken", "DnsOptions.DnsRecordIpType");
        List<String> values = List.of("", "x", "true", "false", "5", "0", "-1", "1000000", "99999999999",
                "vpce-svc-0123456789abcdef0", "vpce-0123456789abcdef0", "vpce-nfn-0123456789abcdef0", NLB_ARN,
                CONSUMER_ROOT, "*", "arn:aws:iam::1:root", "Connect", "Accept", VPC, SUBNET_A, SUBNET_C, "Interface",
                "Gateway", "ipv4", "ipv6", "vpc-endpoint", "vpc-endpoint-service", "us-east-1a", "use1-az1",
                "arn:aws:sns:us-east-1:111122223333:t", "service-id", "vpc-endpoint-state", "pendingAcceptance", "*a?",
                "\u0000", "%", "bm9wZQ", sid, "com.amazonaws.vpce.us-east-1." + sid, eid);
        java.util.Random random = new java.util.Random(3);
        List<String> actions = api.actions();
        List<String> fives = new ArrayList<>();
        for (int n = 0; n < 5_000; n++) {
            List<String> nv = new ArrayList<>();
            Set<String> used = new java.util.HashSet<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                String name = names.get(random.nextInt(names.size()));
                if (used.add(name)) {
                    nv.add(name);
                    nv.add(values.get(random.nextInt(values.size())));
                }
            }
            String body = form(actions.get(random.nextInt(actions.size())), nv.toArray(String[]::new));
            QueryResponse r = api.handle(auth(random.nextBoolean() ? PROVIDER_KEY : CONSUMER_KEY), body);
            if (r.status() >= 500 || r.status() < 200) {
                fives.add(body + " -> " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), fives);
    }

    @Test
    void pagingHandsOutTokensAndTakesThemBack() {
        String sid = sid();
        for (int i = 0; i < 6; i++) {
            ok(PROVIDER_KEY, "ModifyVpcEndpointServicePermissions", "ServiceId", sid, "AddAllowedPrincipals.1",
                    "arn:aws:iam::" + (200000000000L + i) + ":root");
        }
        Element first = ok(PROVIDER_KEY, "DescribeVpcEndpointServicePermissions", "ServiceId", sid, "MaxResults", "5");
        assertEquals(5, items(first, "allowedPrincipals").size());
        String token = text(first, "nextToken");
        Element second = ok(PROVIDER_KEY, "DescribeVpcEndpointServicePermissions", "ServiceId", sid, "MaxResults", "5",
                "NextToken", token);
        assertEquals(2, items(second, "allowedPrincipals").size());
        assertTrue(children(second).stream().noneMatch(c -> c.getLocalName().equals("nextToken")), "the last page");
        assertEquals("InvalidPaginationToken", error(400, PROVIDER_KEY, form("DescribeVpcEndpoints",
                "NextToken", token)), "a token of another call");
    }
}
