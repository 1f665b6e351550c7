# The DataFabric tools image: `datafabric <command>` (the launcher of bin/datafabric) on a plain
# Java 17 runtime. The api Deployment runs `datafabric api`; the same image runs one-off commands
# such as `datafabric drms apply graph.yaml ...` or `datafabric des gc --dry-run` as Kubernetes Jobs.
#
# Build from the repository root:
#   ./mvnw -B -ntp -DskipTests -pl k8s-flink-operator -am package
#   docker build -f k8s-flink-operator/docker/tools.Dockerfile -t datafabric/tools:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre

RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin datafabric \
 && mkdir -p /opt/datafabric/lib
COPY k8s-flink-operator/target/docker/tools-lib/ /opt/datafabric/lib/
COPY k8s-flink-operator/docker/datafabric-entrypoint.sh /opt/datafabric/bin/datafabric

USER 10001
ENTRYPOINT ["/opt/datafabric/bin/datafabric"]
CMD ["--help"]
