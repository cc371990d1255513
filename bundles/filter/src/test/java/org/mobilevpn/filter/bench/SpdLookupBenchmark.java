package org.mobilevpn.filter.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Outbound SPD lookup with 1 and 1,000 PROTECT rules (one per /24 remote subnet, as many Child SAs),
 * for a packet that matches the LAST rule (the worst case of a linear scan), one that matches none (the
 * default action), and the inbound selector check. Direct buffers, as the pump reads them from the TUN.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SpdLookupBenchmark {

    @Param({"1", "1000"})
    public int rules;

    private SecurityPolicyDatabase spd;
    private ByteBuffer lastRulePacket;
    private ByteBuffer unmatchedPacket;
    private ByteBuffer inboundPacket;
    private int lastChild;

    @Setup
    public void setUp() throws UnknownHostException {
        List<SpdRule> list = new ArrayList<>();
        List<TrafficSelector> local = List.of(TrafficSelector.parse("198.18.0.1"));
        for (int i = 0; i < rules; i++) {
            String subnet = "10." + (i >>> 8) + "." + (i & 0xFF) + ".0/24";
            list.add(SpdRule.protect("child" + i, i + 1, local, List.of(TrafficSelector.parse(subnet))));
        }
        spd = new SecurityPolicyDatabaseFactoryComponent().compile(new SpdConfiguration(list, SpdAction.DISCARD));
        int last = rules - 1;
        lastChild = rules;
        String lastHost = "10." + (last >>> 8) + "." + (last & 0xFF) + ".9";
        lastRulePacket = udp("198.18.0.1", lastHost, 40000, 443);
        unmatchedPacket = udp("198.18.0.1", "203.0.113.9", 40000, 443);
        inboundPacket = udp(lastHost, "198.18.0.1", 443, 40000);
        if (spd.lookupOutbound(lastRulePacket).childSaId() != lastChild
                || spd.lookupOutbound(unmatchedPacket) != spd.defaultRule()
                || !spd.checkInbound(lastChild, inboundPacket)) {
            throw new IllegalStateException("benchmark SPD does not match as intended");
        }
    }

    private static ByteBuffer udp(String source, String destination, int sourcePort, int destinationPort)
            throws UnknownHostException {
        ByteBuffer p = ByteBuffer.allocateDirect(1400);
        p.put(0, (byte) 0x45).putShort(2, (short) 1400).put(8, (byte) 64).put(9, (byte) 17);
        p.put(12, InetAddress.getByName(source).getAddress());
        p.put(16, InetAddress.getByName(destination).getAddress());
        p.putShort(20, (short) sourcePort).putShort(22, (short) destinationPort);
        return p;
    }

    @Benchmark
    public SpdRule outboundMatchingLastRule() {
        return spd.lookupOutbound(lastRulePacket);
    }

    @Benchmark
    public SpdRule outboundMatchingNoRule() {
        return spd.lookupOutbound(unmatchedPacket);
    }

    @Benchmark
    public boolean inboundCheck() {
        return spd.checkInbound(lastChild, inboundPacket);
    }
}
