"""Counts the pixels of given colours in a PNG (8-bit RGB or RGBA, as Chromium writes screenshots).

    python3 png_colours.py screenshot.png 26BDE2 4C9F38 ...   ->   {"26BDE2": 1234, "4C9F38": 0, ...}

Standard library only: the tests use it to check that a page really drew its charts in a browser.
"""
import json
import struct
import sys
import zlib


def pixels(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type = header[0], header[1], header[2], header[3]
    if depth != 8 or colour_type not in (2, 6):
        raise SystemExit("unsupported PNG: depth %d, colour type %d" % (depth, colour_type))
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
        for i in range(0, stride, channels):
            yield line[i], line[i + 1], line[i + 2]
        previous = line


def main():
    wanted = {colour.upper(): 0 for colour in sys.argv[2:]}
    for red, green, blue in pixels(sys.argv[1]):
        key = "%02X%02X%02X" % (red, green, blue)
        if key in wanted:
            wanted[key] += 1
    print(json.dumps(wanted))


if __name__ == "__main__":
    main()
