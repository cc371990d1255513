package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Coverage-guided fuzzing of RFC 7383 §2.6 reassembly on its own: fragments with any message ID, number,
 * total, first inner type and content, in any order and repeated. The oracle is the section's rule kept in a
 * map: a message completes exactly when every number 1..total of its current message ID has arrived once with
 * the same total, and yields the fragments' content in number order and the first fragment's inner type; a
 * fragment outside 1..total, beyond {@link FragmentReassembler#MAX_FRAGMENTS}, with another total, or a
 * duplicate changes nothing. Run by {@link IkeFuzzTargets} (target 1), whose inputs hold this target's seeds
 * and findings.
 */
class FragmentReassemblerFuzzTest {

    void fragments(FuzzedDataProvider in) {
        FragmentReassembler reassembler = new FragmentReassembler();
        Integer modelId = null;
        int modelTotal = 0;
        int modelFirstType = 0;
        Map<Integer, byte[]> model = new TreeMap<>();
        while (in.remainingBytes() > 0) {
            int id = in.consumeInt(0, 3);
            int total = in.consumeInt(-1, FragmentReassembler.MAX_FRAGMENTS + 2);
            int number = in.consumeInt(-1, Math.max(1, total) + 1);
            int type = in.consumeInt(0, 255);
            byte[] content = in.consumeBytes(in.consumeInt(0, 64));

            FragmentReassembler.Reassembled got = reassembler.add(id, number, total, type, content.clone());

            boolean valid = total <= FragmentReassembler.MAX_FRAGMENTS && number >= 1 && number <= total;
            if (valid && modelId != null && modelId == id && modelTotal != total) {
                valid = false; // another total within one message
            }
            if (valid && (modelId == null || modelId != id)) {
                modelId = id;
                modelTotal = total;
                modelFirstType = 0;
                model.clear();
            }
            if (!valid || model.containsKey(number)) {
                assertNull(got, "a fragment that must change nothing completed a message");
                continue;
            }
            model.put(number, content);
            if (number == 1) {
                modelFirstType = type;
            }
            if (model.size() < modelTotal) {
                assertNull(got, "completed before every fragment arrived");
                continue;
            }
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            model.values().forEach(whole::writeBytes);
            assertEquals(modelFirstType, got.firstInnerType());
            assertArrayEquals(whole.toByteArray(), got.content());
            modelId = null;
            model.clear();
        }
    }
}
