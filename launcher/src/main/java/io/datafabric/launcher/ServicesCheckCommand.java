package io.datafabric.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Tells whether the services the jobs talk to are reachable, before starting a long job. */
@Command(
        name = "check-services",
        mixinStandardHelpOptions = true,
        description =
                "Checks that PostgreSQL, MariaDB and RabbitMQ accept connections; exit 0 when all"
                        + " do, 1 otherwise (scripts/services starts them).")
final class ServicesCheckCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Host of the services.")
    String host;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "PostgreSQL port.")
    int postgresPort;

    @Option(names = "--mariadb-port", defaultValue = "3306", description = "MariaDB port.")
    int mariadbPort;

    @Option(names = "--rabbitmq-port", defaultValue = "5672", description = "RabbitMQ port.")
    int rabbitmqPort;

    @Override
    public Integer call() {
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put("PostgreSQL", postgresPort);
        services.put("MariaDB", mariadbPort);
        services.put("RabbitMQ", rabbitmqPort);
        int down = 0;
        for (Map.Entry<String, Integer> service : services.entrySet()) {
            String where = host + ":" + service.getValue();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, service.getValue()), 2_000);
                spec.commandLine().getOut().printf("%-10s %-20s up%n", service.getKey(), where);
            } catch (IOException e) {
                down++;
                spec.commandLine()
                        .getOut()
                        .printf("%-10s %-20s DOWN (%s)%n", service.getKey(), where, e.getMessage());
            }
        }
        if (down > 0) {
            spec.commandLine().getErr().println("start the missing services with scripts/services");
        }
        return down == 0 ? 0 : 1;
    }
}
