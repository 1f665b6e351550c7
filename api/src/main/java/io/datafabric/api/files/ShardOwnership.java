package io.datafabric.api.files;

import io.datafabric.des.naming.ShardNamer;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Which router shards this instance serves and which peer serves the others. A name's router shard
 * is the top {@code shardBits} bits of its XXH64 (des-format's {@link ShardNamer#shardOf}), so the
 * router's shards are prefixes of the packer's: any number of bits up to the packer's keeps every
 * packed shard on one instance.
 *
 * <p>Config: {@code router.owned} is {@code all} or ranges such as {@code 0-127,200}; {@code
 * router.peers} is a list of {@code <ranges>=<base url>}. Every shard must have exactly one owner.
 */
public record ShardOwnership(int shardBits, BitSet owned, List<Peer> peers) {

    /** Another instance and the shards it owns. */
    public record Peer(BitSet shards, URI baseUrl) {}

    /** One instance owning everything. */
    public static ShardOwnership single() {
        BitSet all = new BitSet();
        all.set(0, 1);
        return new ShardOwnership(0, all, List.of());
    }

    public int shardCount() {
        return 1 << shardBits;
    }

    public int shardOf(String name) {
        return new ShardNamer(shardBits, "").shardOf(name);
    }

    public boolean owns(int shard) {
        return owned.get(shard);
    }

    /** The peer that owns a shard this instance does not. */
    public Optional<Peer> ownerOf(int shard) {
        return peers.stream().filter(p -> p.shards.get(shard)).findFirst();
    }

    /** Parses the config; adds one message per problem to {@code problems}. */
    public static ShardOwnership parse(
            int bits, String owned, List<String> peers, List<String> problems) {
        int count = 1 << bits;
        BitSet mine = ranges("router.owned", owned, count, problems);
        List<Peer> parsed = new ArrayList<>();
        BitSet covered = (BitSet) mine.clone();
        for (String peer : peers) {
            int eq = peer.indexOf('=');
            if (eq <= 0) {
                problems.add("router.peers: '" + peer + "' is not <ranges>=<url>");
                continue;
            }
            BitSet shards = ranges("router.peers", peer.substring(0, eq), count, problems);
            URI url;
            try {
                url = URI.create(peer.substring(eq + 1).trim());
                if (url.getScheme() == null
                        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                        || url.getHost() == null) {
                    problems.add("router.peers: '" + peer + "' needs an http(s) url");
                    continue;
                }
            } catch (IllegalArgumentException e) {
                problems.add("router.peers: '" + peer + "' has a bad url: " + e.getMessage());
                continue;
            }
            if (shards.intersects(covered)) {
                BitSet twice = (BitSet) shards.clone();
                twice.and(covered);
                problems.add("router: shards " + twice + " have more than one owner");
            }
            covered.or(shards);
            parsed.add(new Peer(shards, url));
        }
        if (covered.cardinality() != count) {
            BitSet missing = new BitSet();
            missing.set(0, count);
            missing.andNot(covered);
            problems.add(
                    "router: shards "
                            + abbreviate(missing)
                            + " have no owner (router.owned and router.peers must cover 0-"
                            + (count - 1)
                            + ")");
        }
        return new ShardOwnership(bits, mine, List.copyOf(parsed));
    }

    private static String abbreviate(BitSet set) {
        String s = set.toString();
        return s.length() > 120 ? s.substring(0, 117) + "...}" : s;
    }

    private static BitSet ranges(String key, String text, int count, List<String> problems) {
        BitSet out = new BitSet();
        String t = text.trim();
        if (t.equalsIgnoreCase("all")) {
            out.set(0, count);
            return out;
        }
        if (t.equalsIgnoreCase("none") || t.isEmpty()) {
            return out;
        }
        for (String part : t.split("[,;\\s]+")) {
            try {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to >= count || from > to) {
                    problems.add(
                            key + ": range " + part + " is outside 0-" + (count - 1) + " or empty");
                    continue;
                }
                out.set(from, to + 1);
            } catch (NumberFormatException e) {
                problems.add(key + ": '" + part + "' is not a shard number or range a-b");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ShardOwnership[bits="
                + shardBits
                + ", owned="
                + abbreviate(owned)
                + ", peers="
                + peers.size()
                + "]";
    }
}
