package io.datafabric.flinkconf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flink-conf/log4j-console.properties loads with log4j2 and switches to JSON lines on request. */
class Log4jConsoleConfigTest {
    @TempDir Path tmp;

    private LoggerContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            Configurator.shutdown(context);
        }
        System.clearProperty("df.log.format");
        System.clearProperty("log.file");
    }

    private LoggerContext load(String format) {
        System.setProperty("df.log.format", format);
        System.setProperty("log.file", tmp.resolve("flink.log").toString());
        Path file =
                Path.of(System.getProperty("datafabric.repo.root", ".."))
                        .resolve("flink-conf/log4j-console.properties");
        context = Configurator.initialize("flink-conf-" + format, null, file.toUri());
        return context;
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerEvent() throws Exception {
        LoggerContext ctx = load("json");
        var root = ctx.getConfiguration().getRootLogger();
        assertThat(root.getAppenders()).containsKeys("json", "RollingFileAppender");
        assertThat(root.getAppenders()).doesNotContainKey("text");
        Appender json = root.getAppenders().get("json");
        String line =
                new String(
                        json.getLayout()
                                .toByteArray(
                                        Log4jLogEvent.newBuilder()
                                                .setLoggerName("io.datafabric.usage.Committer")
                                                .setLevel(Level.WARN)
                                                .setMessage(new SimpleMessage("edge \"a\" failed"))
                                                .build()),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.path("message").asText()).isEqualTo("edge \"a\" failed");
        assertThat(event.path("log.level").asText()).isEqualTo("WARN");
        assertThat(event.path("log.logger").asText()).isEqualTo("io.datafabric.usage.Committer");
        assertThat(event.has("@timestamp")).isTrue();
    }

    @Test
    void textFormatUsesThePatternLayout() {
        LoggerContext ctx = load("text");
        assertThat(ctx.getConfiguration().getRootLogger().getAppenders())
                .containsKeys("text", "RollingFileAppender")
                .doesNotContainKey("json");
        assertThat(ctx.getConfiguration().getLoggerConfig("io.datafabric").getLevel())
                .isEqualTo(Level.INFO);
    }
}
