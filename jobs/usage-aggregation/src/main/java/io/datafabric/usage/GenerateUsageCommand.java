package io.datafabric.usage;

import io.datafabric.usage.generate.RabbitAnnouncer;
import io.datafabric.usage.generate.UsageGenerator;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate-usage}: the load generator of usage files. */
@Command(
        name = "generate-usage",
        mixinStandardHelpOptions = true,
        description =
                "Writes usage files (<consumer_id> <amount> per line) the safe way (temporary name,"
                        + " then rename), optionally announces each on RabbitMQ, and writes the"
                        + " exact totals to DIR/_expected_totals.csv.")
public final class GenerateUsageCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Directory to write into.")
    Path dir;

    @Option(names = "--files", defaultValue = "10", description = "Number of files (default 10).")
    int files;

    @Option(
            names = "--size-mb",
            defaultValue = "10",
            description = "Size of each file in MiB (default 10; fractions allowed).")
    double sizeMb;

    @Option(
            names = "--consumers",
            defaultValue = "100000",
            description = "Distinct consumer ids to draw from (default 100000).")
    int consumers;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default 1).")
    long seed;

    @Option(
            names = "--max-amount",
            defaultValue = "100000",
            description = "Amounts are drawn from [0, max) (default 100000).")
    long maxAmount;

    @Option(
            names = "--bad-line-every",
            defaultValue = "0",
            description = "Write an invalid line after every N lines (default 0: none).")
    long badLineEvery;

    @Option(
            names = "--rabbitmq-uri",
            description = "Announce each finished file on RabbitMQ (amqp://user:pass@host/vhost).")
    String rabbitUri;

    @Option(names = "--queue", description = "Queue for the announcements.")
    String queue;

    @Override
    public Integer call() throws Exception {
        if (sizeMb < 0 || files < 0 || consumers < 1 || maxAmount < 1 || badLineEvery < 0) {
            System.err.println(
                    "invalid options: --files, --size-mb and --bad-line-every must not be negative,"
                            + " --consumers and --max-amount must be at least 1");
            return 2;
        }
        if ((rabbitUri == null) != (queue == null)) {
            System.err.println("--rabbitmq-uri and --queue go together");
            return 2;
        }
        String prefix =
                "usage-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                        + "-s"
                        + seed;
        UsageGenerator.Options options =
                new UsageGenerator.Options(
                        dir,
                        files,
                        (long) (sizeMb * (1 << 20)),
                        consumers,
                        seed,
                        badLineEvery,
                        maxAmount,
                        prefix);
        UsageGenerator generator = new UsageGenerator(consumers);
        UsageGenerator.Result result;
        if (rabbitUri != null) {
            try (RabbitAnnouncer announcer = new RabbitAnnouncer(rabbitUri, queue)) {
                result = generator.generate(options, announcer);
            }
        } else {
            result = generator.generate(options, null);
        }
        System.out.printf(
                "wrote %d files, %d bytes, %d lines (%d invalid) into %s; totals in %s%n",
                result.files().size(),
                result.bytes(),
                result.lines(),
                result.badLines(),
                dir,
                dir.resolve(UsageGenerator.EXPECTED_TOTALS));
        return 0;
    }
}
