package io.plsim.core.control;

import io.plsim.core.model.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A few well-known services of AWS's own, as DescribeVpcEndpointServices lists them beside the endpoint
 * services of the world when the sim-config asks for them ({@code simulation.awsServices}): so that code
 * which looks a service up by name, or pages through the whole listing, meets what it meets in AWS.
 * Listed only: no endpoint can be created to one.
 *
 * <p>Each is of type Interface, owned by {@code amazon}, accepts every endpoint, offered in every zone of
 * the region, with a base DNS name {@code <service>.<region>.vpce.amazonaws.com} and a service ID that
 * follows from its name. AWS lists S3 and DynamoDB a second time as Gateway services; plsim models
 * interface endpoints only and lists each name once.
 */
final class AwsServices {

    static final String OWNER = "amazon";
    /** The services listed, in the order of their names. */
    static final List<String> SERVICES = List.of("dynamodb", "ec2", "ecr.api", "ecr.dkr", "kms", "logs", "s3",
            "secretsmanager", "sqs", "ssm", "sts");

    private AwsServices() {
    }

    static String name(String region, String service) {
        return "com.amazonaws." + region + "." + service;
    }

    static boolean isName(String region, String name) {
        return SERVICES.stream().anyMatch(s -> name(region, s).equals(name));
    }

    /** Every listed service as {@code viewer} sees it, its zones named as the viewer names them. */
    static List<ServiceDetail> details(String region, Account viewer) {
        List<Map.Entry<String, String>> byName = viewer.zones().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList();
        List<String> zoneNames = byName.stream().map(Map.Entry::getKey).toList();
        List<String> zoneIds = byName.stream().map(Map.Entry::getValue).toList();
        List<ServiceDetail> out = new ArrayList<>();
        for (String s : SERVICES) {
            out.add(new ServiceDetail(name(region, s), serviceId(region, s), OWNER, zoneNames, zoneIds,
                    List.of(s + "." + region + ".vpce.amazonaws.com"), false, null, null, true));
        }
        return out;
    }

    /** {@code vpce-svc-} and 17 hex digits from the service's name: the same in every run. */
    private static String serviceId(String region, String service) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name(region, service)
                    .getBytes(StandardCharsets.UTF_8));
            return "vpce-svc-" + HexFormat.of().formatHex(d).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
