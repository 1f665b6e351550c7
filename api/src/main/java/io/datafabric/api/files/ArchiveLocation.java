package io.datafabric.api.files;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the shard objects live: the packer's {@code archive.uri}, parsed. Object keys in {@code
 * des.shards}/{@code des.files} are relative to it.
 */
public sealed interface ArchiveLocation {
    /** {@code s3://bucket[/path]}: objects at {@code path/key} in the bucket. */
    record S3(String bucket, String prefix) implements ArchiveLocation {
        @Override
        public String toString() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /** {@code file:///dir}: objects at {@code dir/key}. */
    record Local(Path dir) implements ArchiveLocation {
        @Override
        public String toString() {
            return dir.toUri().toString();
        }
    }

    /**
     * Parses {@code s3://bucket[/path]} or {@code file:///dir} (also {@code file:/dir}); a trailing
     * slash is ignored, as by the packer.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static ArchiveLocation parse(String uri) {
        String u = uri.strip();
        while (u.endsWith("/") && !u.endsWith(":/") && !u.endsWith("://")) {
            u = u.substring(0, u.length() - 1);
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://")) {
            String rest = u.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException(
                        "'" + bucket + "' in " + u + " is not a valid bucket name");
            }
            if (!prefix.isEmpty() && keyProblem(prefix) != null) {
                throw new IllegalArgumentException(
                        "path '" + prefix + "' in " + u + " " + keyProblem(prefix));
            }
            return new S3(bucket, prefix);
        }
        if (lower.startsWith("file:")) {
            URI parsed;
            try {
                parsed = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(u + " is not a valid URI: " + e.getMessage());
            }
            if (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty()) {
                throw new IllegalArgumentException(
                        u + " names host '" + parsed.getAuthority() + "': use file:///dir");
            }
            if (parsed.getPath() == null || !parsed.getPath().startsWith("/")) {
                throw new IllegalArgumentException(u + " must name an absolute directory");
            }
            return new Local(Path.of(parsed.getPath()).toAbsolutePath().normalize());
        }
        throw new IllegalArgumentException(u + " must be an s3:// or file:// URI");
    }

    /**
     * Why an object key (from the database, so untrusted) cannot name an object under the archive
     * root, or null: it must be relative, made of non-empty segments that are not {@code .} or
     * {@code ..}, with no backslash and no control character.
     */
    static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "is empty";
        }
        if (key.length() > 1024) {
            return "is longer than 1024 characters";
        }
        if (key.indexOf('\\') >= 0) {
            return "contains a backslash";
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return "contains a control character";
            }
        }
        if (key.startsWith("/")) {
            return "is absolute";
        }
        for (String segment : List.of(key.split("/", -1))) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "has an empty, '.' or '..' path segment";
            }
        }
        return null;
    }
}
