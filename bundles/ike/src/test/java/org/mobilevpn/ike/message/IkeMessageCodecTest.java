package org.mobilevpn.ike.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ipsec.TrafficSelector;

class IkeMessageCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static IkeHeader header(int exchange) {
        return IkeHeader.ofInitiator(0x0102030405060708L, 0x1112131415161718L, exchange, false, 7);
    }

    /** Every payload type of RFC 7296 §3 (outside SK), encoded, decoded and encoded again to the same octets. */
    @Test
    void everyPayloadRoundTrips() throws Exception {
        List<Payload> payloads = List.of(
                new SaPayload(List.of(
                        new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
                                Transform.withKeyLength(Transform.TYPE_ENCR, 20, 256), Transform.of(Transform.TYPE_PRF, 6),
                                Transform.of(Transform.TYPE_KE, 31))),
                        new Proposal(2, ProtocolId.ESP, new byte[] {1, 2, 3, 4}, List.of(
                                Transform.withKeyLength(Transform.TYPE_ENCR, 12, 128), Transform.of(Transform.TYPE_INTEG, 12),
                                Transform.of(Transform.TYPE_ESN, 0))))),
                new KePayload(31, new byte[32]),
                new NoncePayload(new byte[32]),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, new byte[20]),
                new NotifyPayload(ProtocolId.ESP, new byte[] {9, 9, 9, 9}, NotifyType.REKEY_SA, new byte[0]),
                IdPayload.of(true, IkeIdentity.parse("client@vpn.test")),
                IdPayload.of(false, IkeIdentity.parse("198.51.100.1")),
                new CertPayload(CertPayload.X509_SIGNATURE, new byte[] {0x30, 0x03, 1, 2, 3}),
                new CertReqPayload(CertPayload.X509_SIGNATURE, new byte[40]),
                new AuthPayload(AuthPayload.SHARED_KEY_MIC, new byte[48]),
                DeletePayload.ikeSa(),
                DeletePayload.esp(0xc0ffee01, 0x12345678),
                new VendorIdPayload(HEX.parseHex("882fe56d6fd20dbc2251613b2ebe5beb")),
                new TsPayload(true, List.of(TrafficSelector.ANY_IPV4, TrafficSelector.ANY_IPV6)),
                new TsPayload(false, List.of(new TrafficSelector(6, InetAddress.getByName("203.0.113.0"),
                        InetAddress.getByName("203.0.113.255"), 80, 443))),
                new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(ConfigAttribute.empty(ConfigAttribute.INTERNAL_IP4_ADDRESS),
                        new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, new byte[] {(byte) 203, 0, 113, 53}))),
                new EapPayload(new byte[] {1, 5, 0, 5, 1}),
                new UnknownPayload(99, false, new byte[] {1, 2, 3}));
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH), payloads);
        IkeMessage decoded = IkeMessageCodec.decode(wire);
        assertEquals(payloads.size(), decoded.payloads().size());
        for (int i = 0; i < payloads.size(); i++) {
            assertEquals(payloads.get(i).getClass(), decoded.payloads().get(i).getClass());
            assertEquals(payloads.get(i).type(), decoded.payloads().get(i).type());
        }
        assertArrayEquals(wire, IkeMessageCodec.encode(decoded.header(), decoded.payloads()));
        assertEquals(wire.length, decoded.header().length());
        assertEquals(7, decoded.header().messageId());
        assertEquals(31, decoded.first(KePayload.class).group());
        assertEquals(256, decoded.first(SaPayload.class).proposals().get(0).transforms().get(0).keyLength());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, decoded.first(SaPayload.class).proposals().get(1).spi());
        assertEquals(IkeIdentity.parse("client@vpn.test"), ((IdPayload) decoded.first(PayloadType.IDI)).identity());
        assertEquals(List.of(0xc0ffee01, 0x12345678), decoded.all(DeletePayload.class).get(1).spis());
        TsPayload tsr = (TsPayload) decoded.first(PayloadType.TSR);
        assertEquals(443, tsr.selectors().get(0).endPort());
        assertEquals(InetAddress.getByName("203.0.113.53"),
                decoded.first(ConfigPayload.class).attributes(ConfigAttribute.INTERNAL_IP4_DNS).get(0).address());
        assertEquals(NotifyType.REKEY_SA, decoded.notify(NotifyType.REKEY_SA).notifyType());
    }

    @Test
    void encryptedPayloadsAreLastAndKeepTheInnerType() throws Exception {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH),
                List.of(new EncryptedPayload(PayloadType.IDI, new byte[] {1, 2, 3, 4, 5})));
        IkeMessage m = IkeMessageCodec.decode(wire);
        EncryptedPayload sk = m.first(EncryptedPayload.class);
        assertEquals(PayloadType.IDI, sk.firstInnerType());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, sk.body());

        byte[] frag = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH),
                List.of(new EncryptedFragmentPayload(PayloadType.IDI, 1, 3, new byte[] {7, 7})));
        EncryptedFragmentPayload skf = IkeMessageCodec.decode(frag).first(EncryptedFragmentPayload.class);
        assertEquals(1, skf.fragmentNumber());
        assertEquals(3, skf.totalFragments());
        assertEquals(PayloadType.IDI, skf.firstInnerType());
        assertArrayEquals(frag, IkeMessageCodec.encode(IkeMessageCodec.decode(frag).header(), List.of(skf)));
    }

    @Test
    void skMustBeTheLastPayload() {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH),
                List.of(new EncryptedPayload(PayloadType.NONE, new byte[] {1})));
        // Append a second payload after SK by hand: SK's generic header says "next = NONE" but octets follow.
        byte[] longer = Arrays.copyOf(wire, wire.length + 4);
        longer[longer.length - 1] = 4;
        longer[27] = (byte) longer.length;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(longer));
    }

    /** A selector whose range runs backwards is not a selector: a parse error, never an escaping exception. */
    @Test
    void invertedAddressRangeIsASyntaxError() throws Exception {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH),
                List.of(new TsPayload(true, List.of(TrafficSelector.parse("203.0.113.0/24")))));
        int end = wire.length - 4; // the TS's end address, the last four octets
        System.arraycopy(InetAddress.getByName("203.0.112.255").getAddress(), 0, wire, end, 4);
        InvalidSyntaxException e = assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(wire));
        assertEquals(true, e.getMessage().contains("start above end"), e.getMessage());
    }

    @Test
    void unknownCriticalPayloadIsRejectedWithItsType() {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.INFORMATIONAL),
                List.of(new UnknownPayload(200, true, new byte[] {1})));
        UnsupportedCriticalPayloadException e = assertThrows(UnsupportedCriticalPayloadException.class,
                () -> IkeMessageCodec.decode(wire));
        assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, e.notifyType());
        assertArrayEquals(new byte[] {(byte) 200}, e.notifyData());
    }

    @Test
    void criticalBitOnKnownPayloadIsIgnored() throws Exception {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.INFORMATIONAL),
                List.of(new NoncePayload(new byte[16])));
        wire[IkeHeader.LENGTH + 1] = (byte) 0x80;
        assertInstanceOf(NoncePayload.class, IkeMessageCodec.decode(wire).payloads().get(0));
    }

    @Test
    void lengthsAreChecked() {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_SA_INIT), List.of(new NoncePayload(new byte[16])));
        // header length larger than the datagram
        byte[] truncated = Arrays.copyOf(wire, wire.length - 1);
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(truncated));
        // payload length running past the message
        byte[] badPayload = wire.clone();
        badPayload[IkeHeader.LENGTH + 3] = (byte) 0xff;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(badPayload));
        // payload length below the generic header
        byte[] tiny = wire.clone();
        tiny[IkeHeader.LENGTH + 2] = 0;
        tiny[IkeHeader.LENGTH + 3] = 3;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(tiny));
        // nonce too short
        byte[] shortNonce = IkeMessageCodec.encode(header(ExchangeType.IKE_SA_INIT),
                List.of(new NoncePayload(new byte[15])));
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(shortNonce));
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(new byte[27]));
    }

    @Test
    void wrongMajorVersionIsTyped() {
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.IKE_SA_INIT), List.of());
        wire[17] = 0x30;
        InvalidMajorVersionException e = assertThrows(InvalidMajorVersionException.class, () -> IkeMessageCodec.decode(wire));
        assertEquals(3, e.majorVersion());
        assertEquals(NotifyType.INVALID_MAJOR_VERSION, e.notifyType());
    }

    @Test
    void substructureCountsAndFlagsAreChecked() throws Exception {
        Payload sa = new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[4],
                List.of(Transform.of(Transform.TYPE_ENCR, 20), Transform.of(Transform.TYPE_ESN, 0)))));
        byte[] wire = IkeMessageCodec.encode(header(ExchangeType.CREATE_CHILD_SA), List.of(sa));
        int proposal = IkeHeader.LENGTH + 4;
        byte[] wrongCount = wire.clone();
        wrongCount[proposal + 7] = 3; // claims three transforms
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(wrongCount));
        byte[] wrongLast = wire.clone();
        wrongLast[proposal] = 1; // "last substruc" must be 0 or 2
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(wrongLast));
        byte[] wrongSpiSize = wire.clone();
        wrongSpiSize[proposal + 6] = 8; // ESP SPI must be 4 octets
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(wrongSpiSize));

        Payload ts = new TsPayload(true, List.of(TrafficSelector.ANY_IPV4));
        byte[] tsWire = IkeMessageCodec.encode(header(ExchangeType.CREATE_CHILD_SA), List.of(ts));
        byte[] badType = tsWire.clone();
        badType[IkeHeader.LENGTH + 8] = 9;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(badType));
        byte[] badPorts = tsWire.clone();
        badPorts[IkeHeader.LENGTH + 12] = (byte) 0xff; // start port 0xff00 ...
        badPorts[IkeHeader.LENGTH + 14] = 0;
        badPorts[IkeHeader.LENGTH + 15] = 1; // ... above end port 1
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(badPorts));
    }

    @Test
    void deleteAndEapLengthsMustAgree() {
        byte[] del = IkeMessageCodec.encode(header(ExchangeType.INFORMATIONAL), List.of(DeletePayload.esp(1, 2)));
        byte[] badCount = del.clone();
        badCount[IkeHeader.LENGTH + 7] = 3;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(badCount));
        byte[] eap = IkeMessageCodec.encode(header(ExchangeType.IKE_AUTH), List.of(new EapPayload(new byte[] {3, 1, 0, 4})));
        byte[] badEap = eap.clone();
        badEap[IkeHeader.LENGTH + 7] = 9;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessageCodec.decode(badEap));
    }

    @Test
    void innerChainRejectsNestedEncryption() {
        byte[] inner = IkeMessageCodec.encodePayloads(List.of(new EncryptedPayload(PayloadType.NONE, new byte[2])));
        assertThrows(InvalidSyntaxException.class,
                () -> IkeMessageCodec.decodePayloads(PayloadType.SK, inner, 0, inner.length));
    }
}
