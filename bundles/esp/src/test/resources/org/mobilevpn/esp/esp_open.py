#!/usr/bin/env python3
"""Independent ESP decryption for PythonCryptographyDecryptsOurEspIT.

Reads lines "suite key_hex salt_hex integ_key_hex esn(0|1) spi_hex seq_full packet_hex" on stdin and prints,
per line, the inner packet in hex (or "FAIL <reason>"). Crypto comes from the 'cryptography' package
(OpenSSL), framing follows RFC 4303 (ICV input and ESN high bits, section 2.2.1 / 3.3.2.2), RFC 4106 section 5
and RFC 7634 section 2.1 (AAD = SPI | [seq high] | seq low), RFC 4868 (HMAC truncated to half).
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

HASHES = {"HMAC_SHA2_256_128": (hashlib.sha256, 16),
          "HMAC_SHA2_384_192": (hashlib.sha384, 24),
          "HMAC_SHA2_512_256": (hashlib.sha512, 32)}


def open_packet(suite, key, salt, integ_key, esn, spi, seq, packet):
    if struct.unpack(">I", packet[0:4])[0] != spi:
        return "FAIL spi"
    if struct.unpack(">I", packet[4:8])[0] != seq & 0xFFFFFFFF:
        return "FAIL seq low"
    high = struct.pack(">I", seq >> 32)
    encryption = suite.split("/")[0]
    if encryption.startswith("AES_GCM") or encryption == "CHACHA20_POLY1305":
        iv = packet[8:16]
        aad = packet[0:4] + (high if esn else b"") + packet[4:8]
        aead = AESGCM(key) if encryption.startswith("AES_GCM") else ChaCha20Poly1305(key)
        try:
            plain = aead.decrypt(salt + iv, packet[16:], aad)
        except Exception:
            return "FAIL icv"
    else:
        digest, icv_length = HASHES[suite.split("/")[1]]
        icv = packet[-icv_length:]
        mac = hmac.new(integ_key, packet[:-icv_length] + (high if esn else b""), digest).digest()[:icv_length]
        if not hmac.compare_digest(mac, icv):
            return "FAIL icv"
        decryptor = Cipher(algorithms.AES(key), modes.CBC(packet[8:24])).decryptor()
        plain = decryptor.update(packet[24:-icv_length]) + decryptor.finalize()
    pad_length, next_header = plain[-2], plain[-1]
    if next_header not in (4, 41):
        return "FAIL next header %d" % next_header
    if plain[-2 - pad_length:-2] != bytes(range(1, pad_length + 1)):
        return "FAIL padding"
    return plain[:-2 - pad_length].hex()


for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    print(open_packet(f[0], bytes.fromhex(f[1]), bytes.fromhex(f[2]), bytes.fromhex(f[3]), f[4] == "1",
                      int(f[5], 16), int(f[6]), bytes.fromhex(f[7])), flush=True)
