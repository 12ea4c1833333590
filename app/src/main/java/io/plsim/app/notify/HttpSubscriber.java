package io.plsim.app.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each envelope to a URL, as SNS does to an HTTP subscription: body = the envelope, headers
 * {@code x-amz-sns-message-type: Notification}, {@code x-amz-sns-message-id},
 * {@code x-amz-sns-topic-arn}. A 2xx answer is a delivery; anything else is retried.
 */
final class HttpSubscriber extends QueuedSubscriber {

    private final URI url;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpSubscriber(URI url, long initialBackoffMillis) {
        super("http", initialBackoffMillis);
        this.url = url;
        start();
    }

    @Override
    void deliver(Envelope e) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", "Notification")
                .header("x-amz-sns-message-id", e.messageId())
                .header("x-amz-sns-topic-arn", e.topicArn())
                .POST(HttpRequest.BodyPublishers.ofString(e.json()))
                .build();
        HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + res.statusCode() + " from " + url);
        }
    }

    @Override
    public String describe() {
        return "http " + url;
    }
}
