package dev.nvae.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The column labels of a traversal grid: each step's value, exact where a few decimals hold it, told apart from its neighbours. */
class TraversalLabelsTest {
    @Test
    void defaultRangeInNineStepsIsExact() {
        assertEquals(List.of("-2.5", "-1.875", "-1.25", "-0.625", "0", "+0.625", "+1.25", "+1.875", "+2.5"),
                Traversal.columnLabels(Traversal.steps(-2.5, 2.5, 9)));
    }

    @Test
    void fiveStepsNoLongerRoundMinusOneQuarterToMinusOnePointThree() {
        assertEquals(List.of("-2.5", "-1.25", "0", "+1.25", "+2.5"), Traversal.columnLabels(Traversal.steps(-2.5, 2.5, 5)));
    }

    @Test
    void closeStepsKeepTheirOwnLabels() {
        List<String> labels = Traversal.columnLabels(Traversal.steps(0.001, 0.002, 3));
        assertEquals(List.of("+0.001", "+0.0015", "+0.002"), labels);
        assertEquals(List.of("-3", "-2", "-1", "0"), Traversal.columnLabels(Traversal.steps(-3, 0, 4)));
        // Steps of 1/3 are not exact in decimals: rounded to two more decimals than the spacing's first digit.
        assertEquals(List.of("0", "+0.333", "+0.667", "+1"), Traversal.columnLabels(Traversal.steps(0, 1, 4)));
    }

    @Test
    void neighboursTooCloseForTheFixedFormsStillDiffer() {
        for (double[] values : new double[][]{Traversal.steps(0, 1e-13, 3), Traversal.steps(1e7, 1.0001e7, 3)}) {
            List<String> labels = Traversal.columnLabels(values);
            for (int i = 1; i < labels.size(); i++) assertNotEquals(labels.get(i - 1), labels.get(i), labels::toString);
        }
    }

    @Test
    void hugeValuesInFourSignificantDigits() {
        assertEquals(List.of("-3.000e+38", "0", "+3.000e+38"), Traversal.columnLabels(Traversal.steps(-3e38, 3e38, 3)));
    }
}
