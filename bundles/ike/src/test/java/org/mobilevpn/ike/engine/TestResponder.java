package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.keys.IkeKeyDerivation;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.ConfigAttribute;
import org.mobilevpn.ike.message.ConfigPayload;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.EncryptedFragmentPayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IdPayload;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.Transform;
import org.mobilevpn.ike.message.TsPayload;
import org.mobilevpn.ike.proposal.EspTransforms;
import org.mobilevpn.ike.proposal.ProposalParser;
import org.mobilevpn.ike.proposal.ProposalSelector;
import org.mobilevpn.ike.proposal.ProposalSpec;

/**
 * A scripted gateway for deterministic tests: a small IKEv2 responder built from the engine's own
 * codec, crypto and key derivation (interoperability with a real responder is the system tests' job).
 * Knobs make it misbehave the ways tests need: demand a cookie or another group, refuse authentication
 * or selectors, fragment its answers; and it can start exchanges of its own.
 */
final class TestResponder {
    static final InetSocketAddress GATEWAY = new InetSocketAddress("198.51.100.1", 500);
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.2", 500);

    /** One direction-independent view of a Child SA from the gateway's side. */
    static final class Child {
        final int spiIn;
        final int spiOut;
        final ChildSaSecrets keys;
        final boolean gatewayInitiated;
        final EspTransforms transforms;

        Child(int spiIn, int spiOut, ChildSaSecrets keys, boolean gatewayInitiated, EspTransforms transforms) {
            this.spiIn = spiIn;
            this.spiOut = spiOut;
            this.keys = keys;
            this.gatewayInitiated = gatewayInitiated;
            this.transforms = transforms;
        }

        /** The key (with salt) of what the client sends: the exchange initiator's key if the client initiated. */
        byte[] clientOutboundKey() {
            return gatewayInitiated ? keys.encryptionR() : keys.encryptionI();
        }

        byte[] clientInboundKey() {
            return gatewayInitiated ? keys.encryptionI() : keys.encryptionR();
        }
    }

    /** Per-IKE-SA responder state. */
    static final class PeerSa {
        final IkeSa sa;
        final MessageProtector protector;
        final FragmentReassembler fragments = new FragmentReassembler();
        int expectedId;
        List<byte[]> lastResponse;
        int nextRequestId;
        boolean deleted;

        PeerSa(IkeSa sa, SecureRandom random) {
            this.sa = sa;
            this.protector = new MessageProtector(sa, random);
        }

        @Override
        public String toString() {
            return sa.toString();
        }
    }

    // knobs
    List<ProposalSpec> ikeProposals = ProposalParser.parseIke(List.of("aes256gcm16-prfsha384-x25519"));
    List<ProposalSpec> espProposals = ProposalParser.parseEsp(List.of("aes256gcm16"));
    byte[] psk = "test-psk".getBytes();
    IkeIdentity id = IkeIdentity.fqdn("gw.vpn.test");
    boolean requireCookie;
    /** Sign our AUTH with another key than the one we verify with: a gateway that cannot prove itself. */
    boolean signWithOtherPsk;
    Integer authError;
    Integer childError;
    /** Answer the client's IKE SA rekeys with this error notify (e.g. TEMPORARY_FAILURE). */
    Integer ikeRekeyError;
    /** Answer the client's Child SA rekeys with a proposal and no KE, even when it offered PFS. */
    boolean rekeyChildWithoutKe;
    /** Used once as the nonce of our next CREATE_CHILD_SA request or answer, instead of a random one. */
    byte[] nextNonce;
    int fragmentSize;
    boolean supportsFragmentation = true;
    InetAddress vip = address("198.18.0.1");
    InetAddress dns = address("203.0.113.53");
    /** DNS servers assigned after {@link #dns}. */
    List<InetAddress> moreDns = List.of();
    /** INTERNAL_DNS_DOMAIN values sent (RFC 8598), as raw octets so that bad ones can be tried. */
    List<byte[]> dnsDomains = List.of();
    /** Sent as IDr instead of {@link #id}, whatever it holds (signed as it is). */
    IdPayload rawIdr;
    /** Sent instead of our AUTH payload. */
    AuthPayload rawAuth;
    List<TrafficSelector> lan = List.of(TrafficSelector.parse("203.0.113.0/24"));
    /** Agree to MOBIKE (RFC 4555) when the client offers it, announcing these other addresses of ours. */
    boolean mobike;
    List<InetAddress> additionalAddresses = List.of();
    /** Where the client's address updates seem to come from (a NAT in front of it rewrites them). */
    InetSocketAddress clientSeenAs = new InetSocketAddress("198.51.100.2", 4500);
    /** A NAT in front of the client from the start: IKE_SA_INIT's destination hash is of {@link #clientSeenAs}. */
    boolean clientBehindNat;
    /** Return the COOKIE2 of an address update (RFC 4555 §3.8), as a correct gateway does. */
    boolean returnCookie2 = true;
    /** The client's address updates (UPDATE_SA_ADDRESSES requests) as received. */
    final List<IkeMessage> addressUpdates = new ArrayList<>();

    // state
    final SecureRandom random = new SecureRandom();
    final byte[] cookie = {1, 2, 3, 4, 5, 6, 7, 8};
    final List<IkeMessage> requestsSeen = new ArrayList<>();
    final List<IkeMessage> answers = new ArrayList<>();
    final List<Child> children = new ArrayList<>();
    PeerSa current;
    /** The IKE SA the last IKE rekey replaced. */
    PeerSa rekeyed;
    /** Every IKE SA this gateway has, old and new (a rekey collision makes three). */
    final List<PeerSa> sas = new ArrayList<>();
    /** The new IKE SA of the client's last IKE rekey, and of ours. */
    PeerSa createdByClient;
    PeerSa createdByGateway;
    private PendingRekey pending;

    private record PendingRekey(Child old, byte[] nonce, KeyExchange ke, int spiIn, boolean ike, long newSpi) {
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- receiving ---------------------------------------------------------------------------------

    /** Processes a datagram from the client; returns the datagrams to send back (empty for none). */
    List<byte[]> handle(byte[] datagram) throws Exception {
        IkeHeader h = IkeMessageCodec.decodeHeader(datagram);
        if (h.exchangeType() == ExchangeType.IKE_SA_INIT && !h.isResponse()) {
            return ikeSaInit(datagram);
        }
        PeerSa peer = find(h);
        if (peer == null) {
            return List.of();
        }
        if (h.isResponse()) {
            IkeMessage m = open(peer, datagram);
            if (m != null) {
                answers.add(m);
                onAnswer(peer, m);
            }
            return List.of();
        }
        if (h.messageId() == peer.expectedId - 1 && peer.lastResponse != null) {
            return peer.lastResponse; // duplicate: the cached answer
        }
        if (h.messageId() != peer.expectedId) {
            return List.of();
        }
        IkeMessage m = open(peer, datagram);
        if (m == null) {
            return List.of();
        }
        requestsSeen.add(m);
        List<Payload> answer;
        switch (h.exchangeType()) {
            case ExchangeType.IKE_AUTH:
                answer = ikeAuth(peer, m);
                break;
            case ExchangeType.CREATE_CHILD_SA:
                answer = createChildSa(peer, m);
                break;
            case ExchangeType.INFORMATIONAL:
                answer = informational(peer, m);
                break;
            default:
                return List.of();
        }
        peer.lastResponse = protect(peer, header(peer, h.exchangeType(), true, h.messageId()), answer);
        peer.expectedId++;
        return peer.lastResponse;
    }

    private PeerSa find(IkeHeader h) {
        for (PeerSa p : sas) {
            if (p != null && p.sa.spiI == h.initiatorSpi() && p.sa.spiR == h.responderSpi()) {
                return p;
            }
        }
        return null;
    }

    private IkeMessage open(PeerSa peer, byte[] datagram) throws Exception {
        IkeMessage decoded = IkeMessageCodec.decode(datagram);
        EncryptedFragmentPayload skf = decoded.first(EncryptedFragmentPayload.class);
        if (skf != null) {
            byte[] content = peer.protector.unprotectFragment(datagram, skf);
            FragmentReassembler.Reassembled whole = peer.fragments.add(decoded.header().messageId(), skf.fragmentNumber(),
                    skf.totalFragments(), skf.firstInnerType(), content);
            if (whole == null) {
                return null;
            }
            fragmentsReceived = skf.totalFragments();
            return new IkeMessage(decoded.header(), IkeMessageCodec.decodePayloads(whole.firstInnerType(),
                    whole.content(), 0, whole.content().length));
        }
        return peer.protector.unprotect(datagram, decoded);
    }

    int fragmentsReceived;

    private IkeHeader header(PeerSa peer, int exchange, boolean response, int id) {
        int flags = (peer.sa.initiator ? IkeHeader.FLAG_INITIATOR : 0) | (response ? IkeHeader.FLAG_RESPONSE : 0);
        return new IkeHeader(peer.sa.spiI, peer.sa.spiR, 0, 2, 0, exchange, flags, id, 0);
    }

    private List<byte[]> protect(PeerSa peer, IkeHeader header, List<Payload> payloads) {
        if (fragmentSize > 0) {
            return peer.protector.protectFragmented(header, payloads, fragmentSize);
        }
        return List.of(peer.protector.protect(header, payloads));
    }

    // --- IKE_SA_INIT -------------------------------------------------------------------------------

    private List<byte[]> ikeSaInit(byte[] datagram) throws Exception {
        IkeMessage m = IkeMessageCodec.decode(datagram);
        requestsSeen.add(m);
        IkeHeader h = m.header();
        if (requireCookie) {
            Payload first = m.payloads().get(0);
            if (!(first instanceof NotifyPayload) || ((NotifyPayload) first).notifyType() != NotifyType.COOKIE
                    || !Arrays.equals(((NotifyPayload) first).data(), cookie)) {
                return List.of(plain(h, List.of(NotifyPayload.of(NotifyType.COOKIE, cookie))));
            }
        }
        SaPayload offer = m.first(SaPayload.class);
        KePayload ke = m.first(KePayload.class);
        NoncePayload ni = m.first(NoncePayload.class);
        ProposalSelector.IkeChoice choice = ProposalSelector.selectIke(ikeProposals, offer, ke.group());
        if (choice == null) {
            for (ProposalSpec p : ikeProposals) {
                for (KeyExchangeMethod k : p.keyExchange()) {
                    boolean offered = offer.proposals().stream().anyMatch(op -> op.transforms(Transform.TYPE_KE).stream()
                            .anyMatch(t -> t.id() == k.ianaId()));
                    if (offered && ProposalSelector.selectIke(ikeProposals, offer, k.ianaId()) != null) {
                        return List.of(plain(h, List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD,
                                new byte[] {(byte) (k.ianaId() >> 8), (byte) k.ianaId()}))));
                    }
                }
            }
            return List.of(plain(h, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN))));
        }
        IkeSa sa = new IkeSa(false);
        sa.spiI = h.initiatorSpi();
        sa.spiR = random.nextLong() | 1;
        byte[] nr = new byte[32];
        random.nextBytes(nr);
        byte[] gir;
        List<Payload> payloads = new ArrayList<>();
        payloads.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.IKE, new byte[0], choice.chosen()))));
        try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), random)) {
            payloads.add(new KePayload(ke.group(), ours.publicValue()));
            gir = ours.sharedSecret(ke.keyData());
        }
        payloads.add(new NoncePayload(nr));
        payloads.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, NatDetectionTask.hash(sa.spiI, sa.spiR, GATEWAY)));
        payloads.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, NatDetectionTask.hash(sa.spiI, sa.spiR,
                clientBehindNat ? clientSeenAs : CLIENT)));
        boolean frag = supportsFragmentation && m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED) != null;
        if (frag) {
            payloads.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        byte[] response = IkeMessageCodec.encode(new IkeHeader(sa.spiI, sa.spiR, 0, 2, 0, ExchangeType.IKE_SA_INIT,
                IkeHeader.FLAG_RESPONSE, 0, 0), payloads);
        sa.initRequest = datagram;
        sa.initResponse = response;
        sa.nonceI = ni.nonce();
        sa.nonceR = nr;
        sa.peerSupportsFragmentation = frag;
        sa.negotiated(IkeCrypto.derive(choice.transforms(), prf -> IkeKeyDerivation.skeyseed(prf, sa.nonceI, sa.nonceR, gir),
                sa.nonceI, sa.nonceR, sa.spiI, sa.spiR));
        current = add(new PeerSa(sa, random));
        current.expectedId = 1;
        return List.of(response);
    }

    private static byte[] plain(IkeHeader request, List<Payload> payloads) {
        return IkeMessageCodec.encode(new IkeHeader(request.initiatorSpi(), 0, 0, 2, 0, ExchangeType.IKE_SA_INIT,
                IkeHeader.FLAG_RESPONSE, 0, 0), payloads);
    }

    // --- IKE_AUTH ----------------------------------------------------------------------------------

    private List<Payload> ikeAuth(PeerSa peer, IkeMessage m) {
        IkeSa sa = peer.sa;
        IdPayload idi = (IdPayload) m.first(PayloadType.IDI);
        AuthPayload auth = m.first(AuthPayload.class);
        if (idi == null || auth == null || auth.method() != AuthPayload.SHARED_KEY_MIC
                || !PskAuthenticator.verify(sa.crypto().prf, psk, AuthOctets.initiatorSigned(sa, idi), auth.data())) {
            return List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED));
        }
        if (authError != null) {
            return List.of(NotifyPayload.of(authError));
        }
        List<Payload> out = new ArrayList<>();
        IdPayload idr = rawIdr != null ? rawIdr : IdPayload.of(false, id);
        out.add(idr);
        byte[] signingKey = signWithOtherPsk ? "not-the-psk".getBytes() : psk;
        out.add(rawAuth != null ? rawAuth
                : new AuthPayload(AuthPayload.SHARED_KEY_MIC, PskAuthenticator.authData(sa.crypto().prf, signingKey, AuthOctets.responderSigned(sa, idr))));
        ConfigPayload cp = m.first(ConfigPayload.class);
        if (cp != null) {
            List<ConfigAttribute> reply = new ArrayList<>(List.of(
                    new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, vip.getAddress()),
                    new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, dns.getAddress())));
            for (InetAddress more : moreDns) {
                reply.add(new ConfigAttribute(more.getAddress().length == 4 ? ConfigAttribute.INTERNAL_IP4_DNS
                        : ConfigAttribute.INTERNAL_IP6_DNS, more.getAddress()));
            }
            for (byte[] domain : dnsDomains) {
                reply.add(new ConfigAttribute(ConfigAttribute.INTERNAL_DNS_DOMAIN, domain));
            }
            if (!cp.attributes(ConfigAttribute.INTERNAL_IP6_ADDRESS).isEmpty()) {
                byte[] v6 = Arrays.copyOf(address("2001:db8:18::1").getAddress(), 17);
                v6[16] = 64; // prefix length (RFC 7296 §3.15.1)
                reply.add(new ConfigAttribute(ConfigAttribute.INTERNAL_IP6_ADDRESS, v6));
                reply.add(new ConfigAttribute(ConfigAttribute.INTERNAL_IP6_DNS, address("2001:db8:113::53").getAddress()));
            }
            out.add(new ConfigPayload(ConfigPayload.CFG_REPLY, reply));
        }
        if (mobike && m.notify(NotifyType.MOBIKE_SUPPORTED) != null) {
            out.add(NotifyPayload.of(NotifyType.MOBIKE_SUPPORTED));
            out.addAll(addressList());
        }
        if (childError != null) {
            out.add(NotifyPayload.of(childError));
            return out;
        }
        // the first Child SA has no key exchange of its own (RFC 7296 §1.2): PFS starts with its rekey
        ProposalSelector.EspChoice choice = ProposalSelector.selectEsp(ChildCreateTask.withoutKeyExchange(espProposals),
                m.first(SaPayload.class), null);
        if (choice == null) {
            out.add(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            return out;
        }
        int spiIn = random.nextInt() | 0x1000;
        out.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.ESP, spiBytes(spiIn), choice.chosen()))));
        out.add(new TsPayload(true, List.of(TrafficSelector.ofAddress(vip))));
        out.add(new TsPayload(false, lan));
        children.add(new Child(spiIn, choice.transforms().peerSpi(),
                ChildKeys.derive(sa, choice.transforms(), null, sa.nonceI, sa.nonceR), false, choice.transforms()));
        return out;
    }

    static byte[] spiBytes(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }

    Child childByClientSpi(int clientSpiIn) {
        return children.stream().filter(c -> c.spiOut == clientSpiIn).findFirst().orElse(null);
    }

    // --- CREATE_CHILD_SA and INFORMATIONAL as responder -------------------------------------------

    private List<Payload> createChildSa(PeerSa peer, IkeMessage m) throws Exception {
        NotifyPayload rekey = m.notify(NotifyType.REKEY_SA);
        SaPayload offer = m.first(SaPayload.class);
        NoncePayload ni = m.first(NoncePayload.class);
        KePayload ke = m.first(KePayload.class);
        byte[] nr = nonce();
        lastAnswerNonce = nr;
        List<Payload> out = new ArrayList<>();
        if (rekey != null) {
            // REKEY_SA names the SPI the client receives with: our outbound SPI (RFC 7296 §1.3.3)
            Child old = childByClientSpi(ByteBuffer.wrap(rekey.spi()).getInt());
            if (old == null) {
                return List.of(NotifyPayload.of(NotifyType.CHILD_SA_NOT_FOUND));
            }
            if (rekeyChildWithoutKe) { // choose as if the client had offered no PFS, and send no KE back
                offer = new SaPayload(offer.proposals().stream().map(pr -> new Proposal(pr.number(), pr.protocolId(), pr.spi(),
                        pr.transforms().stream().filter(t -> t.type() != Transform.TYPE_KE).toList())).toList());
                ke = null;
            }
            ProposalSelector.EspChoice choice = ProposalSelector.selectEsp(
                    rekeyChildWithoutKe ? ChildCreateTask.withoutKeyExchange(espProposals) : espProposals, offer,
                    ke == null ? null : ke.group());
            if (choice == null) {
                return List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            }
            int spiIn = random.nextInt() | 0x1000;
            out.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.ESP, spiBytes(spiIn), choice.chosen()))));
            out.add(new NoncePayload(nr));
            byte[] gir = null;
            if (ke != null) {
                try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), random)) {
                    out.add(new KePayload(ke.group(), ours.publicValue()));
                    gir = ours.sharedSecret(ke.keyData());
                }
            }
            out.add(m.first(PayloadType.TSI));
            out.add(m.first(PayloadType.TSR));
            children.add(new Child(spiIn, choice.transforms().peerSpi(),
                    ChildKeys.derive(peer.sa, choice.transforms(), gir, ni.nonce(), nr), false, choice.transforms()));
            return out;
        }
        // IKE SA rekey by the client
        if (ikeRekeyError != null) {
            return List.of(NotifyPayload.of(ikeRekeyError));
        }
        ProposalSelector.IkeChoice choice = ProposalSelector.selectIke(ikeProposals, offer, ke.group());
        long spiR = random.nextLong() | 1;
        out.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.IKE,
                new OctetWriter(8).u64(spiR).toByteArray(), choice.chosen()))));
        out.add(new NoncePayload(nr));
        byte[] gir;
        try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), random)) {
            out.add(new KePayload(ke.group(), ours.publicValue()));
            gir = ours.sharedSecret(ke.keyData());
        }
        IkeSa next = new IkeSa(false);
        next.spiI = ByteBuffer.wrap(choice.peerProposal().spi()).getLong();
        next.spiR = spiR;
        IkeRekeyTask.deriveRekeyed(peer.sa, next, choice.transforms(), gir, ni.nonce(), nr);
        rekeyed = peer;
        current = add(new PeerSa(next, random));
        createdByClient = current;
        return out;
    }

    /** Our ADDITIONAL_IP4/6_ADDRESS notifications, or NO_ADDITIONAL_ADDRESSES (RFC 4555 §3.4). */
    List<Payload> addressList() {
        if (additionalAddresses.isEmpty()) {
            return List.of(NotifyPayload.of(NotifyType.NO_ADDITIONAL_ADDRESSES));
        }
        List<Payload> out = new ArrayList<>();
        for (InetAddress a : additionalAddresses) {
            out.add(NotifyPayload.of(a.getAddress().length == 4 ? NotifyType.ADDITIONAL_IP4_ADDRESS
                    : NotifyType.ADDITIONAL_IP6_ADDRESS, a.getAddress()));
        }
        return out;
    }

    private List<Payload> informational(PeerSa peer, IkeMessage m) {
        boolean update = m.notify(NotifyType.UPDATE_SA_ADDRESSES) != null;
        if (update || m.notify(NotifyType.NAT_DETECTION_SOURCE_IP) != null) {
            // an address update, or a liveness check with NAT detection (RFC 4555 §3.8): answered with ours
            List<Payload> out = new ArrayList<>();
            out.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP,
                    NatDetectionTask.hash(peer.sa.spiI, peer.sa.spiR, new InetSocketAddress(GATEWAY.getAddress(), 4500))));
            out.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
                    NatDetectionTask.hash(peer.sa.spiI, peer.sa.spiR, clientSeenAs)));
            if (!update) {
                return out;
            }
            addressUpdates.add(m);
            NotifyPayload cookie2 = m.notify(NotifyType.COOKIE2);
            if (cookie2 != null && returnCookie2) {
                out.add(NotifyPayload.of(NotifyType.COOKIE2, cookie2.data()));
            }
            return out;
        }
        List<Integer> ours = new ArrayList<>();
        for (DeletePayload d : m.all(DeletePayload.class)) {
            if (d.protocolId() == ProtocolId.IKE) {
                peer.deleted = true;
                return List.of();
            }
            for (int spi : d.spis()) {
                Child c = childByClientSpi(spi);
                if (c != null) {
                    children.remove(c);
                    ours.add(c.spiIn);
                }
            }
        }
        return ours.isEmpty() ? List.of() : List.of(new DeletePayload(ProtocolId.ESP, ours));
    }

    // --- requests the gateway starts ---------------------------------------------------------------

    private PeerSa add(PeerSa p) {
        sas.add(p);
        return p;
    }

    private byte[] nonce() {
        byte[] n = nextNonce != null ? nextNonce : new byte[32];
        if (nextNonce == null) {
            random.nextBytes(n);
        }
        nextNonce = null;
        return n;
    }

    /** A request of ours on the current IKE SA, ready to deliver. */
    List<byte[]> request(int exchange, List<Payload> payloads) {
        return request(current, exchange, payloads);
    }

    /** A request of ours on a given IKE SA. */
    List<byte[]> request(PeerSa peer, int exchange, List<Payload> payloads) {
        return protect(peer, header(peer, exchange, false, peer.nextRequestId++), payloads);
    }

    /** The same request again with the same message ID (a retransmission). */
    List<byte[]> requestAgain(int exchange, List<Payload> payloads) {
        PeerSa peer = current;
        return protect(peer, header(peer, exchange, false, peer.nextRequestId - 1), payloads);
    }

    List<byte[]> deleteIke() {
        return request(ExchangeType.INFORMATIONAL, List.of(DeletePayload.ikeSa()));
    }

    /** Deletes one of our IKE SAs (the old or a redundant one after a collision). */
    List<byte[]> deleteIke(PeerSa peer) {
        return request(peer, ExchangeType.INFORMATIONAL, List.of(DeletePayload.ikeSa()));
    }

    List<byte[]> deleteChild(Child c) {
        return request(ExchangeType.INFORMATIONAL, List.of(DeletePayload.esp(c.spiIn)));
    }

    /** Starts a Child SA rekey (optionally with PFS); {@link #onAnswer} completes it. */
    List<byte[]> rekeyChild(Child old, KeyExchangeMethod pfs) {
        byte[] ni = nonce();
        int spiIn = random.nextInt() | 0x1000;
        List<Payload> p = new ArrayList<>();
        p.add(new NotifyPayload(ProtocolId.ESP, spiBytes(old.spiIn), NotifyType.REKEY_SA, new byte[0]));
        List<ProposalSpec> offer = pfs == null ? espProposals : espProposals.stream().map(s -> s.preferring(pfs)).toList();
        p.add(ChildCreateTask.espOffer(offer, spiIn));
        p.add(new NoncePayload(ni));
        KeyExchange ke = null;
        if (pfs != null) {
            ke = CryptoFactory.keyExchange(pfs, random);
            p.add(new KePayload(pfs.ianaId(), ke.publicValue()));
        }
        p.add(new TsPayload(true, lan));
        p.add(new TsPayload(false, List.of(TrafficSelector.ofAddress(vip))));
        pending = new PendingRekey(old, ni, ke, spiIn, false, 0);
        lastRequestNonce = ni;
        return request(ExchangeType.CREATE_CHILD_SA, p);
    }

    List<byte[]> rekeyIke() {
        byte[] ni = nonce();
        lastRequestNonce = ni;
        long spi = random.nextLong() | 1;
        KeyExchangeMethod group = current.sa.transforms().keyExchange();
        KeyExchange ke = CryptoFactory.keyExchange(group, random);
        List<Proposal> proposals = new ArrayList<>();
        int n = 1;
        for (ProposalSpec s : ikeProposals) {
            proposals.add(s.preferring(group).toProposal(n++, new OctetWriter(8).u64(spi).toByteArray()));
        }
        pending = new PendingRekey(null, ni, ke, 0, true, spi);
        return request(ExchangeType.CREATE_CHILD_SA, List.of(new SaPayload(proposals), new NoncePayload(ni),
                new KePayload(group.ianaId(), ke.publicValue())));
    }

    Child lastRekeyed;
    /** Nr of our last CREATE_CHILD_SA answer; Ni of our last rekey request. */
    byte[] lastAnswerNonce;
    byte[] lastRequestNonce;

    private void onAnswer(PeerSa peer, IkeMessage m) throws Exception {
        if (pending == null || m.header().exchangeType() != ExchangeType.CREATE_CHILD_SA || m.firstError() != null) {
            return;
        }
        PendingRekey p = pending;
        pending = null;
        SaPayload sa = m.first(SaPayload.class);
        NoncePayload nr = m.first(NoncePayload.class);
        KePayload ke = m.first(KePayload.class);
        byte[] gir = p.ke() == null ? null : p.ke().sharedSecret(ke.keyData());
        if (p.ike()) {
            IkeSa next = new IkeSa(true);
            next.spiI = p.newSpi();
            next.spiR = ByteBuffer.wrap(sa.proposals().get(0).spi()).getLong();
            IkeRekeyTask.deriveRekeyed(peer.sa, next, org.mobilevpn.ike.proposal.ChosenProposalCheck.ike(ikeProposals, sa),
                    gir, p.nonce(), nr.nonce());
            rekeyed = peer;
            current = add(new PeerSa(next, random));
            createdByGateway = current;
            return;
        }
        EspTransforms t = org.mobilevpn.ike.proposal.ChosenProposalCheck.esp(espProposals, sa, p.ke() != null);
        lastRekeyed = new Child(p.spiIn(), t.peerSpi(), ChildKeys.derive(peer.sa, t, gir, p.nonce(), nr.nonce()), true, t);
        children.add(lastRekeyed);
    }
}
