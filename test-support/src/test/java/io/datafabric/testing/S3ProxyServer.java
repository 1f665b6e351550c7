package io.datafabric.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3-compatible endpoint for tests: S3Proxy with its filesystem backend, started from its Maven
 * artifact as a separate process (its libraries would clash with Flink's S3 jar on one classpath),
 * once per JVM, with a fresh bucket per test class that is emptied and deleted afterwards.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "datafabric-test";
    public static final String SECRET_KEY = "datafabric-test-secret";

    private static Process process;
    private static int port;

    private String bucket;
    private S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        open(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public S3ProxyServer open(String hint) throws Exception {
        startProcessOnce();
        bucket = LocalServices.uniqueName("dft", hint).replace('_', '-');
        client = newClient();
        client.createBucket(b -> b.bucket(bucket));
        return this;
    }

    public void close() {
        if (client == null) {
            return;
        }
        List<ObjectIdentifier> keys = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            keys.add(ObjectIdentifier.builder().key(object.key()).build());
            if (keys.size() == 500) {
                deleteKeys(keys);
            }
        }
        deleteKeys(keys);
        client.deleteBucket(b -> b.bucket(bucket));
        client.close();
        client = null;
    }

    private void deleteKeys(List<ObjectIdentifier> keys) {
        if (!keys.isEmpty()) {
            client.deleteObjects(
                    b -> b.bucket(bucket).delete(Delete.builder().objects(keys).build()));
            keys.clear();
        }
    }

    private static synchronized void startProcessOnce() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        Path jar = s3ProxyJar();
        Path dir = Files.createTempDirectory("s3proxy");
        Path data = Files.createDirectories(dir.resolve("data"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", ACCESS_KEY);
        props.setProperty("s3proxy.credential", SECRET_KEY);
        props.setProperty("jclouds.provider", "filesystem");
        props.setProperty("jclouds.filesystem.basedir", data.toString());
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);
        Path config = dir.resolve("s3proxy.conf");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "S3Proxy for DataFabric tests");
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        process =
                new ProcessBuilder(
                                java,
                                "-Xmx256m",
                                "-jar",
                                jar.toString(),
                                "--properties",
                                config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("s3proxy.log").toFile())
                        .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                if (!started.isAlive()) {
                                    throw new IllegalStateException(
                                            "S3Proxy exited at start with code "
                                                    + started.exitValue()
                                                    + "; see "
                                                    + dir.resolve("s3proxy.log"));
                                }
                                return listens(port);
                            });
        } catch (ConditionTimeoutException e) {
            started.destroy();
            throw new IllegalStateException(
                    "S3Proxy did not listen on port " + port + " within 60 s; see " + dir, e);
        }
    }

    private static boolean listens(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static Path s3ProxyJar() {
        String configured = System.getProperty("datafabric.s3proxy.jar");
        if (configured != null && Files.isRegularFile(Paths.get(configured))) {
            return Paths.get(configured);
        }
        Path root = Paths.get(System.getProperty("datafabric.repo.root", "."));
        Path built = root.resolve("test-support/target/s3proxy/s3proxy.jar");
        if (Files.isRegularFile(built)) {
            return built;
        }
        throw new IllegalStateException(
                "S3Proxy's jar was not found (looked at "
                        + configured
                        + " and "
                        + built
                        + "). Build the test support module first: ./mvnw -pl test-support"
                        + " package -DskipTests");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** The S3 client this extension uses, pointed at the proxy with path-style access. */
    public S3Client client() {
        return client;
    }

    /** A new client pointed at the proxy; the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
