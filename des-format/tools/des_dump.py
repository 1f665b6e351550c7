#!/usr/bin/env python3
"""Independent DES v1 decoder, written from des-format/SPEC.md alone (no dependencies).

Checks every rule of SPEC.md sections 3-9 on a local shard and prints one line per entry:

    python3 des-format/tools/des_dump.py shard.des [--bodies]

With --bodies it also prints each body in hex. Side objects are looked up in the shard's
directory. Exit status 0 when everything checks out, 1 with the reason otherwise.
"""
import os
import struct
import sys

HEADER_MAGIC = b"\x89DES\r\n\x1a\n"
FOOTER_MAGIC = b"DES_TAIL"


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


class Bad(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Bad(message)


def strict_utf8(raw, what):
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Bad(what + " is not valid UTF-8")


def name_ok(name):
    if not name or len(name.encode("utf-8")) > 1024:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in name):
        return False
    if name.startswith("/") or name.endswith("/"):
        return False
    return all(seg not in ("", ".", "..") for seg in name.split("/"))


def parse_meta(b, start, length):
    end = start + length
    pos = start

    def take(n, what):
        nonlocal pos
        check(n <= end - pos, "META record: %s runs past the end of the record" % what)
        raw = b[pos:pos + n]
        pos += n
        return raw

    name = strict_utf8(take(struct.unpack("<H", take(2, "a length"))[0], "name"), "name")
    size, crc, flags = struct.unpack("<qIH", take(14, "fixed fields"))
    ctype = strict_utf8(take(struct.unpack("<H", take(2, "a length"))[0], "content type"), "content type")
    ref = strict_utf8(take(struct.unpack("<H", take(2, "a length"))[0], "ref"), "ref")
    count = struct.unpack("<H", take(2, "a length"))[0]
    attributes, previous = [], None
    for _ in range(count):
        key_raw = take(struct.unpack("<H", take(2, "a length"))[0], "attribute key")
        check(key_raw and (previous is None or previous < key_raw), "attribute keys unsorted, empty or repeated")
        previous = key_raw
        value = strict_utf8(take(struct.unpack("<I", take(4, "a length"))[0], "attribute value"), "attribute value")
        attributes.append((strict_utf8(key_raw, "attribute key"), value))
    check(pos == end, "META record has trailing bytes")
    check(size >= 0, "META record with a negative size")
    return name, size, crc, flags, ctype, ref, attributes


def dump(path, show_bodies):
    b = open(path, "rb").read()
    n = len(b)
    check(n >= 96, "truncated: %d bytes, smaller than the smallest DES object (96)" % n)
    check(b[n - 8:] == FOOTER_MAGIC, "footer: wrong magic (not a DES object, or truncated)")
    f = b[n - 80:]
    (object_length, meta_offset, meta_length, index_offset, index_length, count,
     meta_crc, index_crc, required, optional, version, footer_length, footer_crc) = struct.unpack_from("<QQQQQQIIIIHHI", f)
    check(version == 1, "footer: unsupported DES version %d" % version)
    check(footer_length == 80, "footer: length %d" % footer_length)
    check(footer_crc == crc32c(f[:68]), "footer: checksum mismatch")
    check(required == 0, "footer: requires features 0x%x" % required)
    check(object_length == n, "footer: object length %d, actual %d" % (object_length, n))
    tail = n - 80
    check(16 <= meta_offset <= tail and meta_length <= tail - meta_offset
          and index_offset == meta_offset + meta_length and index_offset + index_length == tail,
          "footer: META and INDEX do not fit the object")
    check(count <= index_length // 40, "footer: entry count does not fit INDEX")
    check(crc32c(b[meta_offset:meta_offset + meta_length]) == meta_crc, "META checksum mismatch")
    check(crc32c(b[index_offset:index_offset + index_length]) == index_crc, "INDEX checksum mismatch")
    check(b[:8] == HEADER_MAGIC, "header: wrong magic")
    check(struct.unpack_from("<HHI", b, 8) == (1, 16, crc32c(b[:12])), "header: version, length or checksum")

    heap = index_offset + 40 * count
    heap_length = index_offset + index_length - heap
    previous = None
    layout = []
    print("%s: %d bytes, %d entries, META %d+%d, INDEX %d+%d" % (path, n, count, meta_offset, meta_length, index_offset, index_length))
    for i in range(count):
        data_offset, size, m_offset, m_length, crc, name_offset, name_length, flags = struct.unpack_from("<QqQIIIHH", b, index_offset + 40 * i)
        where = "INDEX slot %d: " % i
        check(flags & ~1 == 0, where + "unknown flags")
        check(size >= 0, where + "negative size")
        if flags & 1:
            check(data_offset == 0, where + "big file with a data offset")
        else:
            check(16 <= data_offset <= meta_offset and size <= meta_offset - data_offset, where + "body outside DATA")
        check(m_length >= 23 and m_offset >= meta_offset and m_offset - meta_offset <= meta_length - m_length, where + "META record outside META")
        check(name_length >= 1 and name_offset <= heap_length - name_length, where + "name outside the heap")
        raw = b[heap + name_offset:heap + name_offset + name_length]
        check(previous is None or previous < raw, where + "names not strictly ascending")
        previous = raw
        name = strict_utf8(raw, "name")
        check(name_ok(name), where + "invalid name")
        meta = parse_meta(b, m_offset, m_length)
        check(meta[0] == name and meta[1] == size and meta[2] == crc and meta[3] == flags, where + "META record disagrees with its slot")
        check(bool(meta[5]) == bool(flags & 1) and (not meta[5] or name_ok(meta[5])), where + "bad big file reference")
        if flags & 1:
            body = open(os.path.join(os.path.dirname(os.path.abspath(path)), meta[5]), "rb").read()
            check(len(body) == size, where + "side object has the wrong size")
        else:
            body = b[data_offset:data_offset + size]
        check(crc32c(body) == crc, "body of %r fails its checksum" % name)
        layout.append((m_offset, m_length, flags, data_offset, size))
        print("%d\t%s\t%d\t%08x\tflags=%d\tcontent-type=%r\tref=%r\tattributes=%r" % (i, name, size, crc, flags, meta[4], meta[5], meta[6]))
        if show_bodies:
            print("\t" + body.hex())
    # Tiling (SPEC.md section 4): in META order, records tile META and inline bodies tile DATA.
    meta_at, data_at = meta_offset, 16
    for m_offset, m_length, flags, data_offset, size in sorted(layout):
        check(m_offset == meta_at, "META records do not tile META at offset %d" % meta_at)
        meta_at += m_length
        if not flags & 1:
            check(data_offset == data_at, "bodies do not tile DATA at offset %d" % data_at)
            data_at += size
    check(meta_at == index_offset and data_at == meta_offset, "bytes no entry accounts for")
    print("OK")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        dump(sys.argv[1], "--bodies" in sys.argv[2:])
    except (Bad, OSError) as e:
        print("FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
