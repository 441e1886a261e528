"""Independent BPv7 check: decode bundles with cbor2 (Debian python3-cbor2), validate the
RFC 9171 structure and recompute every CRC here. Prints one JSON object per bundle file."""
import json
import sys

import cbor2


def crc16_x25(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def check_crc(block, crc_type):
    if crc_type == 0:
        return True
    size = 2 if crc_type == 1 else 4
    value = block[-1]
    zeroed = list(block[:-1]) + [bytes(size)]
    raw = cbor2.dumps(zeroed)
    expected = crc16_x25(raw) if crc_type == 1 else crc32c(raw)
    return len(value) == size and int.from_bytes(value, "big") == expected


def eid(e):
    scheme, ssp = e
    if scheme == 1:
        return "dtn:none" if ssp == 0 else "dtn:" + ssp
    if scheme == 2:
        return "ipn:%d.%d" % (ssp[0], ssp[1])
    raise ValueError("scheme %r" % scheme)


def check(path):
    raw = open(path, "rb").read()
    if raw[0] != 0x9F or raw[-1] != 0xFF:
        raise ValueError("not an indefinite-length array")
    bundle = cbor2.loads(raw)
    primary = bundle[0]
    assert primary[0] == 7, "version"
    flags, crc_type = primary[1], primary[2]
    fragment = bool(flags & 1)
    assert len(primary) == 8 + (2 if fragment else 0) + (1 if crc_type else 0), "primary length"
    assert check_crc(primary, crc_type), "primary CRC"
    out = {
        "file": path,
        "flags": flags,
        "dest": eid(primary[3]),
        "src": eid(primary[4]),
        "reportTo": eid(primary[5]),
        "time": primary[6][0],
        "seq": primary[6][1],
        "lifetime": primary[7],
        "blocks": [],
    }
    if fragment:
        out["fragmentOffset"], out["totalAdu"] = primary[8], primary[9]
    numbers = set()
    for block in bundle[1:]:
        btype, number, bflags, bcrc, data = block[:5]
        assert len(block) == (6 if bcrc else 5), "block length"
        assert isinstance(data, bytes), "block data is a byte string"
        assert check_crc(block, bcrc), "block %d CRC" % number
        assert number not in numbers, "duplicate block number"
        numbers.add(number)
        entry = {"type": btype, "number": number, "flags": bflags, "len": len(data)}
        if btype == 10:
            entry["hop"] = cbor2.loads(data)
        if btype == 7:
            entry["age"] = cbor2.loads(data)
        out["blocks"].append(entry)
    payload = bundle[-1]
    assert payload[0] == 1 and payload[1] == 1, "payload block last, number 1"
    out["payloadHex"] = payload[4].hex()
    if flags & 2:
        record = cbor2.loads(payload[4])
        out["adminType"] = record[0]
        report = record[1]
        out["statusInfo"] = [item[0] for item in report[0]]
        out["reason"] = report[1]
        out["subjectSrc"] = eid(report[2])
    return out


for p in sys.argv[1:]:
    try:
        print(json.dumps(check(p)))
    except Exception as exc:  # report, never crash the batch
        print(json.dumps({"file": p, "error": str(exc)}))
