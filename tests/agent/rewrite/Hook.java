// Test stand-in for the agent's native hook class: one static void method per hooked method,
// whose descriptor is the one agent/classfile.c builds (receiver + parameters).
import java.util.Arrays;
import java.util.List;

public class Hook {
    static void p(String s) {
        System.out.println("H " + s);
    }

    public static void clinit() { p("clinit()"); }
    public static void init(int id, String name) { p("init(" + id + ", " + name + ")"); }
    public static void initFlag(boolean flag) { p("initFlag(" + flag + ")"); }
    public static void noArgs() { p("noArgs()"); }
    public static void addInts(int a, int b) { p("addInts(" + a + ", " + b + ")"); }
    public static void mix(Target t, long a, double b, float c, boolean d, char e, short f, byte g,
                           Object o, int[] arr, String[][] s) {
        p("mix(" + t + ", " + a + ", " + b + ", " + c + ", " + d + ", " + (e < 128 ? String.valueOf(e) : "\\u" + Integer.toHexString(e)) + ", " + f
          + ", " + g + ", " + o + ", " + Arrays.toString(arr) + ", " + Arrays.deepToString(s) + ")");
    }
    public static void dbl(Target t, double d, float f) { p("dbl(" + t + ", " + d + ", " + f + ")"); }
    public static void chars(char c, short s, byte b, boolean z) {
        p("chars(" + c + ", " + s + ", " + b + ", " + z + ")");
    }
    public static void manySlots(int i0, long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7, long l8, long l9, long l10, long l11, long l12, long l13, long l14, long l15, long l16, long l17, long l18, long l19, long l20, long l21, long l22, long l23, long l24, long l25, long l26, long l27, long l28, long l29, long l30, long l31, long l32, long l33, long l34, long l35, long l36, long l37, long l38, long l39, long l40, long l41, long l42, long l43, long l44, long l45, long l46, long l47, long l48, long l49, long l50, long l51, long l52, long l53, long l54, long l55, long l56, long l57, long l58, long l59, long l60, long l61, long l62, long l63, long l64, long l65, long l66, long l67, long l68, long l69, long l70, long l71, long l72, long l73, long l74, long l75, long l76, long l77, long l78, long l79, long l80, long l81, long l82, long l83, long l84, long l85, long l86, long l87, long l88, long l89, long l90, long l91, long l92, long l93, long l94, long l95, long l96, long l97, long l98, long l99, long l100, long l101, long l102, long l103, long l104, long l105, long l106, long l107, long l108, long l109, long l110, long l111, long l112, long l113, long l114, long l115, long l116, long l117, long l118, long l119, long l120, long l121, long l122, long l123, long l124, double d, float f, Object o) {
        p("manySlots(" + i0 + ", sum=" + (l0 + l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10 + l11 + l12 + l13 + l14 + l15 + l16 + l17 + l18 + l19 + l20 + l21 + l22 + l23 + l24 + l25 + l26 + l27 + l28 + l29 + l30 + l31 + l32 + l33 + l34 + l35 + l36 + l37 + l38 + l39 + l40 + l41 + l42 + l43 + l44 + l45 + l46 + l47 + l48 + l49 + l50 + l51 + l52 + l53 + l54 + l55 + l56 + l57 + l58 + l59 + l60 + l61 + l62 + l63 + l64 + l65 + l66 + l67 + l68 + l69 + l70 + l71 + l72 + l73 + l74 + l75 + l76 + l77 + l78 + l79 + l80 + l81 + l82 + l83 + l84 + l85 + l86 + l87 + l88 + l89 + l90 + l91 + l92 + l93 + l94 + l95 + l96 + l97 + l98 + l99 + l100 + l101 + l102 + l103 + l104 + l105 + l106 + l107 + l108 + l109 + l110 + l111 + l112 + l113 + l114 + l115 + l116 + l117 + l118 + l119 + l120 + l121 + l122 + l123 + l124) + ", l0=" + l0 + ", l124=" + l124 + ", " + d + ", " + f + ", " + o + ")");
    }
    public static void manyInst(Target t, long m0, long m1, long m2, long m3, long m4, long m5, long m6, long m7, long m8, long m9, long m10, long m11, long m12, long m13, long m14, long m15, long m16, long m17, long m18, long m19, long m20, long m21, long m22, long m23, long m24, long m25, long m26, long m27, long m28, long m29, long m30, long m31, long m32, long m33, long m34, long m35, long m36, long m37, long m38, long m39, long m40, long m41, long m42, long m43, long m44, long m45, long m46, long m47, long m48, long m49, long m50, long m51, long m52, long m53, long m54, long m55, long m56, long m57, long m58, long m59, long m60, long m61, long m62, long m63, long m64, long m65, long m66, long m67, long m68, long m69, long m70, long m71, long m72, long m73, long m74, long m75, long m76, long m77, long m78, long m79, long m80, long m81, long m82, long m83, long m84, long m85, long m86, long m87, long m88, long m89, long m90, long m91, long m92, long m93, long m94, long m95, long m96, long m97, long m98, long m99, long m100, long m101, long m102, long m103, long m104, long m105, long m106, long m107, long m108, long m109, long m110, long m111, long m112, long m113, long m114, long m115, long m116, long m117, long m118, long m119, long m120, long m121, long m122, long m123, long m124, long m125, long m126) {
        p("manyInst(" + t + ", sum=" + (m0 + m1 + m2 + m3 + m4 + m5 + m6 + m7 + m8 + m9 + m10 + m11 + m12 + m13 + m14 + m15 + m16 + m17 + m18 + m19 + m20 + m21 + m22 + m23 + m24 + m25 + m26 + m27 + m28 + m29 + m30 + m31 + m32 + m33 + m34 + m35 + m36 + m37 + m38 + m39 + m40 + m41 + m42 + m43 + m44 + m45 + m46 + m47 + m48 + m49 + m50 + m51 + m52 + m53 + m54 + m55 + m56 + m57 + m58 + m59 + m60 + m61 + m62 + m63 + m64 + m65 + m66 + m67 + m68 + m69 + m70 + m71 + m72 + m73 + m74 + m75 + m76 + m77 + m78 + m79 + m80 + m81 + m82 + m83 + m84 + m85 + m86 + m87 + m88 + m89 + m90 + m91 + m92 + m93 + m94 + m95 + m96 + m97 + m98 + m99 + m100 + m101 + m102 + m103 + m104 + m105 + m106 + m107 + m108 + m109 + m110 + m111 + m112 + m113 + m114 + m115 + m116 + m117 + m118 + m119 + m120 + m121 + m122 + m123 + m124 + m125 + m126) + ", m0=" + m0 + ", m126=" + m126 + ")");
    }
    public static void wideLocals(int seed) { p("wideLocals(" + seed + ")"); }
    public static void tableSwitch(Target t, int x) { p("tableSwitch(" + t + ", " + x + ")"); }
    public static void lookupSwitch(long tag, int x) { p("lookupSwitch(" + tag + ", " + x + ")"); }
    public static void tryCatch(String s) { p("tryCatch(" + s + ")"); }
    public static void loops(int[] a) { p("loops(" + Arrays.toString(a) + ")"); }
    public static void spin(int n) { p("spin(" + n + ")"); }
    public static void uninit(boolean c) { p("uninit(" + c + ")"); }
    public static void farFrame(int x) { p("farFrame(" + x + ")"); }
    public static void farStack(int x, StringBuilder sb) { p("farStack(" + x + ", " + sb + ")"); }
    public static void generic(Target t, Object first, List<?> more) {
        p("generic(" + t + ", " + first + ", " + more + ")");
    }
    public static void erased(Object t, Object a, Object s) {
        p("erased(" + t + ", " + ((int[]) a).length + ", " + s + ")");
    }
}
