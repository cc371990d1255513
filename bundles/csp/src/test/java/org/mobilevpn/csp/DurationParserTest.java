package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

    @Test
    void readsStrongSwanTimeUnits() {
        assertEquals(Duration.ofSeconds(30), DurationParser.parse("30s"));
        assertEquals(Duration.ofMinutes(5), DurationParser.parse("5m"));
        assertEquals(Duration.ofHours(4), DurationParser.parse("4h"));
        assertEquals(Duration.ofDays(1), DurationParser.parse("1d"));
        assertEquals(Duration.ofSeconds(45), DurationParser.parse("45"), "no unit counts seconds");
        assertEquals(Duration.ZERO, DurationParser.parse("0"));
        assertEquals(Duration.ofHours(2), DurationParser.parse(" 2H "), "case and blanks do not matter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-5s", "5x", "1.5h", "5 5s", "99999999999999999999d", "9999999999999999d", "3w", "m5"})
    void rejectsWhatIsNotAWholeTime(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void typedNumbersAreSeconds() {
        assertEquals(Duration.ofSeconds(20), DurationParser.ofSeconds(20L));
        assertEquals(Duration.ofSeconds(20), DurationParser.ofSeconds(20.0));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.ofSeconds(-1));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.ofSeconds(1.5));
    }
}
