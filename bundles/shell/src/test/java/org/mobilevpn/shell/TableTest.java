package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void padsEveryColumnToItsWidestCellAndShowsMissingValuesAsDash() {
        String text = new Table("NAME", "STATE").row("office", "CONNECTED").row("lab-gateway", null).toString();
        assertEquals("NAME         STATE\n"
                + "office       CONNECTED\n"
                + "lab-gateway  -\n", text);
    }

    @Test
    void refusesARowWithTheWrongNumberOfCells() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }
}
