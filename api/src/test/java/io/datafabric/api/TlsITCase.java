package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.datafabric.testing.PostgresDatabase;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS when a keystore is configured; the keystore is generated here with the JDK's keytool. */
class TlsITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path dir;

    private Path keystore(String password) throws Exception {
        Path ks = dir.resolve("api.p12");
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p =
                new ProcessBuilder(
                                keytool,
                                "-genkeypair",
                                "-alias",
                                "api",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                ks.toString(),
                                "-storepass",
                                password,
                                "-keypass",
                                password,
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=ip:127.0.0.1,dns:localhost",
                                "-validity",
                                "2")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return ks;
    }

    @Test
    void servesHttpsWithTheConfiguredKeystore() throws Exception {
        String password = "test-keystore-pw";
        Path ks = keystore(password);
        ApiFixture fx = new ApiFixture(PG, null);
        try (fx) {
            ApiServer server = fx.start(b -> b.tls(new ApiConfig.Tls(ks, password, "pkcs12")));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, password.toCharArray());
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https =
                    HttpClient.newBuilder()
                            .sslContext(ssl)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
            HttpResponse<String> live =
                    https.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "https://127.0.0.1:"
                                                            + server.port()
                                                            + "/health/live"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> login =
                    https.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "https://127.0.0.1:"
                                                            + server.port()
                                                            + "/auth/login"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"username\":\""
                                                            + ApiFixture.ADMIN
                                                            + "\",\"password\":\""
                                                            + ApiFixture.ADMIN_PASSWORD
                                                            + "\"}"))
                                    .header("Content-Type", "application/json")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            // plain HTTP is not served on that port
            Throwable plain = catchThrowable(() -> fx.get(server, "/health/live", null));
            if (plain == null) {
                assertThat(fx.get(server, "/health/live", null).statusCode()).isEqualTo(400);
            }
        }
    }
}
