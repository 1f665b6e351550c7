package io.datafabric.des.cli;

import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.des.DesWriter;
import io.datafabric.des.FileMetadata;
import io.datafabric.des.ShardSummary;
import io.datafabric.des.VerifyReport;
import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.format.EntryNames;
import io.datafabric.des.io.FileRangeSource;
import io.datafabric.des.io.LocalDirectorySink;
import io.datafabric.des.io.ObjectSink;
import io.datafabric.des.io.RangeSource;
import io.datafabric.des.io.S3ObjectSink;
import io.datafabric.des.io.S3RangeSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code des}: pack a directory into a DES v1 shard, list it, print one file, verify it. A shard
 * location is a local path or {@code s3://bucket/key}. Exit codes: 0 success, 1 failure (reason on
 * stderr, no stack trace), 2 usage error.
 */
@Command(
        name = "des",
        mixinStandardHelpOptions = true,
        version = "des (DES format version 1)",
        description = "Pack, list, read and verify DES v1 shards (local paths or s3://bucket/key).",
        subcommands = {
            DesCommand.PackDir.class,
            DesCommand.Ls.class,
            DesCommand.Cat.class,
            DesCommand.Verify.class
        })
public final class DesCommand implements Callable<Integer> {
    /** Bodies up to this size are read and checked whole before {@code cat} prints them. */
    private static final long CAT_WHOLE_LIMIT = 64L << 20;

    private final OutputStream stdout;

    @Spec CommandSpec spec;

    /** A command that prints to {@link System#out}. */
    public DesCommand() {
        this(System.out);
    }

    /** A command that prints file bodies and listings as bytes to {@code stdout}. */
    public DesCommand(OutputStream stdout) {
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DesCommand()).execute(args));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: pack-dir, ls, cat or verify");
    }

    /** Runs one subcommand, turning expected failures into a message and exit code 1. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand DesCommand parent;
        @Mixin S3Options s3;
        @Spec CommandSpec spec;
        private S3Client client;

        abstract int run() throws IOException;

        @Override
        public Integer call() {
            try {
                return run();
            } catch (NoSuchFileException e) {
                return fail("no such file or object: " + e.getMessage());
            } catch (IOException | UncheckedIOException | SdkException e) {
                return fail(e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException e) {
                return fail(e.getMessage());
            } finally {
                if (client != null) {
                    client.close();
                }
            }
        }

        int fail(String message) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("des " + spec.name() + ": " + message);
            err.flush();
            return 1;
        }

        S3Client client() {
            if (client == null) {
                client = s3.settings().newClient();
            }
            return client;
        }

        RangeSource openSource(Location location) throws IOException {
            return location.isS3()
                    ? new S3RangeSource(client(), location.bucket(), location.key())
                    : new FileRangeSource(location.path());
        }

        DesReader openReader(String text) throws IOException {
            return DesReader.builder(openSource(Location.parse(text))).build();
        }

        OutputStream stdout() {
            return parent.stdout;
        }
    }

    @Command(
            name = "pack-dir",
            mixinStandardHelpOptions = true,
            description =
                    "Pack every regular file under <dir> (recursively, in name order; name = path"
                            + " relative to <dir> with '/') into the shard <out.des>.")
    static final class PackDir extends Subcommand {
        @Parameters(index = "0", paramLabel = "<dir>", description = "Directory to pack.")
        Path dir;

        @Parameters(index = "1", paramLabel = "<out.des>", description = "Shard to write.")
        String out;

        @Option(
                names = "--big-file-threshold",
                defaultValue = "16m",
                converter = ByteSizeConverter.class,
                description =
                        "Files larger than this go to _bigFiles/<name> next to the shard"
                                + " (default ${DEFAULT-VALUE}).")
        long bigFileThreshold;

        @Option(names = "--fsync", description = "Force local files to disk before renaming.")
        boolean fsync;

        @Override
        int run() throws IOException {
            if (!Files.isDirectory(dir)) {
                return fail("not a directory: " + dir);
            }
            Location target = Location.parse(out);
            List<FileToPack> files = listFiles(target);
            ObjectSink sink;
            String shardKey;
            if (target.isS3()) {
                sink = new S3ObjectSink(client(), target.bucket(), "");
                shardKey = target.key();
            } else {
                Path absolute = target.path().toAbsolutePath().normalize();
                sink = new LocalDirectorySink(absolute.getParent(), fsync);
                shardKey = absolute.getFileName().toString();
            }
            ShardSummary summary;
            try (DesWriter writer =
                    DesWriter.builder(sink, shardKey).bigFileThreshold(bigFileThreshold).build()) {
                for (FileToPack file : files) {
                    writer.add(file.name(), file.path(), FileMetadata.NONE);
                }
                summary = writer.finish();
            }
            PrintWriter info = spec.commandLine().getErr();
            info.printf(
                    "packed %d files, %d bytes, into %s (%d bytes, %d big files)%n",
                    summary.entryCount(),
                    summary.bodyBytes(),
                    target,
                    summary.objectLength(),
                    summary.sideObjectKeys().size());
            info.flush();
            return 0;
        }

        private record FileToPack(String name, byte[] sortKey, Path path) {}

        private List<FileToPack> listFiles(Location target) throws IOException {
            Path root = dir.toAbsolutePath().normalize();
            Path output = target.isS3() ? null : target.path().toAbsolutePath().normalize();
            List<FileToPack> files = new ArrayList<>();
            // walkFileTree hands over the attributes it already read: one stat per file. It does
            // not follow symbolic links, so only real regular files are packed.
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(
                                Path path, BasicFileAttributes attributes) {
                            if (attributes.isRegularFile() && !path.equals(output)) {
                                StringBuilder name = new StringBuilder();
                                for (Path part : root.relativize(path)) {
                                    name.append(name.length() == 0 ? "" : "/").append(part);
                                }
                                String text = name.toString();
                                files.add(new FileToPack(text, EntryNames.encode(text), path));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
            files.sort((a, b) -> EntryNames.compare(a.sortKey(), b.sortKey()));
            return files;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description =
                    "List the files of a shard, one 'name<TAB>size' line each, in name order.")
    static final class Ls extends Subcommand {
        @Parameters(index = "0", paramLabel = "<file.des>", description = "Shard to list.")
        String file;

        @Override
        int run() throws IOException {
            try (DesReader reader = openReader(file)) {
                OutputStream out = new BufferedOutputStream(stdout(), 1 << 16);
                for (DesEntry entry : reader.list()) {
                    out.write(
                            (entry.name() + "\t" + entry.size() + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "cat",
            mixinStandardHelpOptions = true,
            description = "Write the body of one file to stdout, byte for byte.")
    static final class Cat extends Subcommand {
        @Parameters(index = "0", paramLabel = "<file.des>", description = "Shard to read.")
        String file;

        @Parameters(index = "1", paramLabel = "<name>", description = "Name of the file.")
        String name;

        @Override
        int run() throws IOException {
            try (DesReader reader = openReader(file)) {
                Optional<DesEntry> entry = reader.entry(name);
                if (entry.isEmpty()) {
                    return fail("no file named '" + name + "' in " + file);
                }
                OutputStream out = stdout();
                if (entry.get().size() <= CAT_WHOLE_LIMIT) {
                    // Checked before the first byte is printed.
                    out.write(reader.read(name).orElseThrow());
                } else {
                    try (InputStream in = reader.open(name).orElseThrow()) {
                        in.transferTo(out);
                    }
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Check header, footer, META, INDEX, every body checksum and every side object."
                            + " Exit 0 only when all match.")
    static final class Verify extends Subcommand {
        @Parameters(index = "0", paramLabel = "<file.des>", description = "Shard to verify.")
        String file;

        @Override
        int run() throws IOException {
            try (DesReader reader = openReader(file)) {
                VerifyReport report = reader.verify();
                OutputStream out = stdout();
                out.write(
                        String.format(
                                        "OK %s: %d files, %d inline bytes, %d big files (%d"
                                                + " bytes)%n",
                                        file,
                                        report.entries(),
                                        report.inlineBytes(),
                                        report.bigFiles(),
                                        report.bigFileBytes())
                                .getBytes(StandardCharsets.UTF_8));
                out.flush();
                return 0;
            } catch (DesFormatException e) {
                return fail("FAILED: " + e.getMessage());
            }
        }
    }
}
