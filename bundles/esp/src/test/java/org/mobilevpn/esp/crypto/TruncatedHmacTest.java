package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mobilevpn.esp.Hex;

/** RFC 4231 HMAC-SHA2 test cases 1, 2 and 6, truncated as RFC 4868 §2.6 prescribes for ESP. */
class TruncatedHmacTest {

    @ParameterizedTest(name = "RFC 4231 case {0} {1}")
    @CsvSource({
        "1, HmacSHA256, 16, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "1, HmacSHA384, 24, afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
        "1, HmacSHA512, 32, 87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        "2, HmacSHA256, 16, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "2, HmacSHA384, 24, af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
        "2, HmacSHA512, 32, 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        "6, HmacSHA256, 16, 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "6, HmacSHA384, 24, 4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
        "6, HmacSHA512, 32, 80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    })
    void matchesTheTruncatedRfc4231Output(int testCase, String algorithm, int icvLength, String fullMac) {
        byte[] key;
        String data;
        switch (testCase) {
            case 1:
                key = new byte[20];
                Arrays.fill(key, (byte) 0x0b);
                data = "Hi There";
                break;
            case 2:
                key = "Jefe".getBytes(StandardCharsets.US_ASCII);
                data = "what do ya want for nothing?";
                break;
            default:
                key = new byte[131];
                Arrays.fill(key, (byte) 0xaa);
                data = "Test Using Larger Than Block-Size Key - Hash Key First";
        }
        byte[] message = ("xx" + data).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Arrays.copyOf(Hex.decode(fullMac), icvLength);
        try (TruncatedHmac hmac = new TruncatedHmac(algorithm, key, icvLength)) {
            byte[] out = new byte[icvLength + 3];
            hmac.update(message, 2, message.length - 2);
            hmac.finish(out, 3);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 3, out.length));

            hmac.update(message, 2, message.length - 2);
            assertTrue(hmac.finishAndVerify(out, 3), "the MAC resets after finish");
            out[out.length - 1] ^= 1;
            hmac.update(message, 2, message.length - 2);
            assertFalse(hmac.finishAndVerify(out, 3));
        }
    }
}
