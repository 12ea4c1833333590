package io.plsim.embedded;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * AWS SDK clients pointed at a world. Only this class names SDK types, and the world loads it only
 * after it has found the SDK on the class path, so a suite without the SDK never links it.
 */
final class SdkClients {

    private static final String URL_CONNECTION_CLIENT = "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient";

    private SdkClients() {
    }

    static Object ec2(URI api, String region, PlsimWorld.Credentials c) {
        return configure(Ec2Client.builder(), api, region, c).build();
    }

    static Object elbv2(URI api, String region, PlsimWorld.Credentials c) {
        return configure(ElasticLoadBalancingV2Client.builder(), api, region, c).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, URI api, String region, PlsimWorld.Credentials c) {
        builder.endpointOverride(api).region(Region.of(region)).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())));
        // The URL connection client starts no threads of its own and needs nothing else; without it the
        // SDK picks whichever HTTP client the class path holds, as it would anywhere.
        if (PlsimWorld.present(URL_CONNECTION_CLIENT)) {
            builder.httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
        }
        return builder;
    }
}
