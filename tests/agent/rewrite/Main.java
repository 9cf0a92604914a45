// Runs every Target method; the output is compared exactly (tests/agent/rewrite/expected.txt).
import java.util.Arrays;
import java.util.List;

public class Main {
    public static void main(String[] args) {
        System.out.println("greeting " + Target.GREETING);
        Target.noArgs();
        System.out.println("addInts " + Target.addInts(3, -4));
        Target t = new Target(7, "seven");
        System.out.println("new " + t + " " + t.name);
        Target f1 = new Target(true), f0 = new Target(false);
        System.out.println("flag " + f1 + " " + f1.name + " " + f0 + " " + f0.name);
        System.out.println("mix " + t.mix(Long.MIN_VALUE + 1, -2.5, 3.25f, true, 'x', (short) -300,
                (byte) -7, "obj", new int[] {1, 2, 3}, new String[][] {{"a"}, {"b", "c"}}));
        System.out.println("mix " + t.mix(1, 0.0, -0.0f, false, '\u00e9', Short.MAX_VALUE, Byte.MIN_VALUE,
                null, null, null));
        System.out.println("dbl " + t.dbl(Double.MAX_VALUE, Float.NaN) + " " + t.dbl(1.5, 2.0f));
        System.out.println("chars " + Target.chars('q', (short) 12, (byte) 127, false));
        long[] l = new long[125];
        for (int i = 0; i < l.length; i++) {
            l[i] = (i + 1) * 1000000007L;
        }
        System.out.println("manySlots " + Target.manySlots(-1, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10], l[11], l[12], l[13], l[14], l[15], l[16], l[17], l[18], l[19], l[20], l[21], l[22], l[23], l[24], l[25], l[26], l[27], l[28], l[29], l[30], l[31], l[32], l[33], l[34], l[35], l[36], l[37], l[38], l[39], l[40], l[41], l[42], l[43], l[44], l[45], l[46], l[47], l[48], l[49], l[50], l[51], l[52], l[53], l[54], l[55], l[56], l[57], l[58], l[59], l[60], l[61], l[62], l[63], l[64], l[65], l[66], l[67], l[68], l[69], l[70], l[71], l[72], l[73], l[74], l[75], l[76], l[77], l[78], l[79], l[80], l[81], l[82], l[83], l[84], l[85], l[86], l[87], l[88], l[89], l[90], l[91], l[92], l[93], l[94], l[95], l[96], l[97], l[98], l[99], l[100], l[101], l[102], l[103], l[104], l[105], l[106], l[107], l[108], l[109], l[110], l[111], l[112], l[113], l[114], l[115], l[116], l[117], l[118], l[119], l[120], l[121], l[122], l[123], l[124], 2.75, -1.5f, "o"));
        System.out.println("manyInst " + t.manyInst(-0L, 1L * 1L, -2L, 3L * 3L, -4L, 5L * 5L, -6L, 7L * 7L, -8L, 9L * 9L, -10L, 11L * 11L, -12L, 13L * 13L, -14L, 15L * 15L, -16L, 17L * 17L, -18L, 19L * 19L, -20L, 21L * 21L, -22L, 23L * 23L, -24L, 25L * 25L, -26L, 27L * 27L, -28L, 29L * 29L, -30L, 31L * 31L, -32L, 33L * 33L, -34L, 35L * 35L, -36L, 37L * 37L, -38L, 39L * 39L, -40L, 41L * 41L, -42L, 43L * 43L, -44L, 45L * 45L, -46L, 47L * 47L, -48L, 49L * 49L, -50L, 51L * 51L, -52L, 53L * 53L, -54L, 55L * 55L, -56L, 57L * 57L, -58L, 59L * 59L, -60L, 61L * 61L, -62L, 63L * 63L, -64L, 65L * 65L, -66L, 67L * 67L, -68L, 69L * 69L, -70L, 71L * 71L, -72L, 73L * 73L, -74L, 75L * 75L, -76L, 77L * 77L, -78L, 79L * 79L, -80L, 81L * 81L, -82L, 83L * 83L, -84L, 85L * 85L, -86L, 87L * 87L, -88L, 89L * 89L, -90L, 91L * 91L, -92L, 93L * 93L, -94L, 95L * 95L, -96L, 97L * 97L, -98L, 99L * 99L, -100L, 101L * 101L, -102L, 103L * 103L, -104L, 105L * 105L, -106L, 107L * 107L, -108L, 109L * 109L, -110L, 111L * 111L, -112L, 113L * 113L, -114L, 115L * 115L, -116L, 117L * 117L, -118L, 119L * 119L, -120L, 121L * 121L, -122L, 123L * 123L, -124L, 125L * 125L, -126L));
        System.out.println("wideLocals " + Target.wideLocals(11));
        for (int x = -1; x <= 5; x++) {
            System.out.println("tableSwitch " + x + " " + t.tableSwitch(x));
        }
        for (int x : new int[] {-5, 1, 2, 1000, 100000}) {
            System.out.println("lookupSwitch " + Target.lookupSwitch(1L << 40, x));
        }
        System.out.println("tryCatch " + Target.tryCatch("42"));
        System.out.println("tryCatch " + Target.tryCatch("nope"));
        System.out.println("loops " + Target.loops(new int[] {1, 2, 3, 4, 5}));
        System.out.println("spin " + Target.spin(3));
        System.out.println("uninit " + Target.uninit(true) + " " + Target.uninit(false));
        System.out.println("farFrame " + Target.farFrame(5) + " " + Target.farFrame(-100000));
        System.out.println("farStack " + Target.farStack(5, new StringBuilder("<")) + " " + Target.farStack(-100000, new StringBuilder(">")));
        List<Object> g = t.generic("first", Arrays.asList(1, 2));
        System.out.println("generic " + g);
        System.out.println("erased " + Target.erased(t, new int[4], "s"));
        System.out.println("untouched " + Target.untouched(21));
        try {
            Target.tryCatch(null);
        } catch (RuntimeException e) {
            System.out.println("unexpected " + e);
        }
        System.out.println("done");
    }
}
