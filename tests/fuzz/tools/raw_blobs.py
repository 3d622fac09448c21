"""Rewrites an .osm.pbf with every block stored uncompressed (`Blob.raw` instead of
`Blob.zlib_data`): the same data, but a mutated byte reaches the decoder's protobuf and string
tables instead of failing zlib's checksum. Used to make a seed of the `pbf` fuzz target.

Usage: python3 raw_blobs.py IN.osm.pbf OUT.osm.pbf   (standard library only)"""
import struct
import sys
import zlib


def varint(buf, pos):
    value, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def encode_varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fields(buf):
    """(field number, wire type, value) of a protobuf message; bytes for wire type 2."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, pos = varint(buf, pos)
        elif wire == 2:
            n, pos = varint(buf, pos)
            v, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            v, pos = buf[pos:pos + 4], pos + 4
        elif wire == 1:
            v, pos = buf[pos:pos + 8], pos + 8
        else:
            raise ValueError(f"wire type {wire}")
        yield field, wire, v


def length_field(number, data):
    return encode_varint(number << 3 | 2) + encode_varint(len(data)) + data


def main(src, dst):
    data = open(src, "rb").read()
    out = bytearray()
    pos = 0
    while pos < len(data):
        (hlen,) = struct.unpack(">I", data[pos:pos + 4])
        header = data[pos + 4:pos + 4 + hlen]
        kind, size = None, None
        for f, _, v in fields(header):
            if f == 1:
                kind = bytes(v)
            elif f == 3:
                size = v
        blob = data[pos + 4 + hlen:pos + 4 + hlen + size]
        pos += 4 + hlen + size
        raw = None
        for f, _, v in fields(blob):
            if f == 1:
                raw = bytes(v)
            elif f == 3:
                raw = zlib.decompress(v)
        new_blob = length_field(1, raw)
        new_header = length_field(1, kind) + encode_varint(3 << 3) + encode_varint(len(new_blob))
        out += struct.pack(">I", len(new_header)) + new_header + new_blob
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
