// Test fixture for agent/classfile.c: methods of every argument shape. Checked in as written;
// the long parameter lists (manySlots, manyInst) and wideLocals were expanded with a script.
import java.util.ArrayList;
import java.util.List;

public class Target {
    static final String GREETING;
    static {
        GREETING = "hello";
        System.out.println("Target.<clinit> body");
    }

    final int id;
    final String name;

    public Target(int id, String name) {
        this.id = id;
        this.name = name;
    }

    // Branches before this(...): frames holding uninitializedThis.
    public Target(boolean flag) {
        this(flag ? 1 : 0, flag ? "yes" : "no");
    }

    @Override
    public String toString() {
        return "Target#" + id;
    }

    static void noArgs() {
        System.out.println("noArgs body");
    }

    static int addInts(int a, int b) {
        return a + b;
    }

    long mix(long a, double b, float c, boolean d, char e, short f, byte g, Object o, int[] arr,
             String[][] s) {
        long r = a + (long) b + (long) c + (d ? 1 : 0) + e + f + g;
        if (arr != null) {
            for (int x : arr) {
                r += x;
            }
        }
        return r + (o == null ? 0 : o.hashCode() % 2) + (s == null ? 0 : s.length);
    }

    double dbl(double d, float f) {
        return d * f;
    }

    static String chars(char c, short s, byte b, boolean z) {
        return "" + c + s + b + z;
    }

    // 255 parameter slots: the largest a static method can have.
    static long manySlots(int i0, long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7, long l8, long l9, long l10, long l11, long l12, long l13, long l14, long l15, long l16, long l17, long l18, long l19, long l20, long l21, long l22, long l23, long l24, long l25, long l26, long l27, long l28, long l29, long l30, long l31, long l32, long l33, long l34, long l35, long l36, long l37, long l38, long l39, long l40, long l41, long l42, long l43, long l44, long l45, long l46, long l47, long l48, long l49, long l50, long l51, long l52, long l53, long l54, long l55, long l56, long l57, long l58, long l59, long l60, long l61, long l62, long l63, long l64, long l65, long l66, long l67, long l68, long l69, long l70, long l71, long l72, long l73, long l74, long l75, long l76, long l77, long l78, long l79, long l80, long l81, long l82, long l83, long l84, long l85, long l86, long l87, long l88, long l89, long l90, long l91, long l92, long l93, long l94, long l95, long l96, long l97, long l98, long l99, long l100, long l101, long l102, long l103, long l104, long l105, long l106, long l107, long l108, long l109, long l110, long l111, long l112, long l113, long l114, long l115, long l116, long l117, long l118, long l119, long l120, long l121, long l122, long l123, long l124,
                          double d, float f, Object o) {
        return i0 + l0 + l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10 + l11 + l12 + l13 + l14 + l15 + l16 + l17 + l18 + l19 + l20 + l21 + l22 + l23 + l24 + l25 + l26 + l27 + l28 + l29 + l30 + l31 + l32 + l33 + l34 + l35 + l36 + l37 + l38 + l39 + l40 + l41 + l42 + l43 + l44 + l45 + l46 + l47 + l48 + l49 + l50 + l51 + l52 + l53 + l54 + l55 + l56 + l57 + l58 + l59 + l60 + l61 + l62 + l63 + l64 + l65 + l66 + l67 + l68 + l69 + l70 + l71 + l72 + l73 + l74 + l75 + l76 + l77 + l78 + l79 + l80 + l81 + l82 + l83 + l84 + l85 + l86 + l87 + l88 + l89 + l90 + l91 + l92 + l93 + l94 + l95 + l96 + l97 + l98 + l99 + l100 + l101 + l102 + l103 + l104 + l105 + l106 + l107 + l108 + l109 + l110 + l111 + l112 + l113 + l114 + l115 + l116 + l117 + l118 + l119 + l120 + l121 + l122 + l123 + l124 + (long) d + (long) f + (o == null ? 0 : 1);
    }

    // 1 + 254 slots: the receiver plus 127 longs.
    long manyInst(long m0, long m1, long m2, long m3, long m4, long m5, long m6, long m7, long m8, long m9, long m10, long m11, long m12, long m13, long m14, long m15, long m16, long m17, long m18, long m19, long m20, long m21, long m22, long m23, long m24, long m25, long m26, long m27, long m28, long m29, long m30, long m31, long m32, long m33, long m34, long m35, long m36, long m37, long m38, long m39, long m40, long m41, long m42, long m43, long m44, long m45, long m46, long m47, long m48, long m49, long m50, long m51, long m52, long m53, long m54, long m55, long m56, long m57, long m58, long m59, long m60, long m61, long m62, long m63, long m64, long m65, long m66, long m67, long m68, long m69, long m70, long m71, long m72, long m73, long m74, long m75, long m76, long m77, long m78, long m79, long m80, long m81, long m82, long m83, long m84, long m85, long m86, long m87, long m88, long m89, long m90, long m91, long m92, long m93, long m94, long m95, long m96, long m97, long m98, long m99, long m100, long m101, long m102, long m103, long m104, long m105, long m106, long m107, long m108, long m109, long m110, long m111, long m112, long m113, long m114, long m115, long m116, long m117, long m118, long m119, long m120, long m121, long m122, long m123, long m124, long m125, long m126) {
        return id + m0 + m1 + m2 + m3 + m4 + m5 + m6 + m7 + m8 + m9 + m10 + m11 + m12 + m13 + m14 + m15 + m16 + m17 + m18 + m19 + m20 + m21 + m22 + m23 + m24 + m25 + m26 + m27 + m28 + m29 + m30 + m31 + m32 + m33 + m34 + m35 + m36 + m37 + m38 + m39 + m40 + m41 + m42 + m43 + m44 + m45 + m46 + m47 + m48 + m49 + m50 + m51 + m52 + m53 + m54 + m55 + m56 + m57 + m58 + m59 + m60 + m61 + m62 + m63 + m64 + m65 + m66 + m67 + m68 + m69 + m70 + m71 + m72 + m73 + m74 + m75 + m76 + m77 + m78 + m79 + m80 + m81 + m82 + m83 + m84 + m85 + m86 + m87 + m88 + m89 + m90 + m91 + m92 + m93 + m94 + m95 + m96 + m97 + m98 + m99 + m100 + m101 + m102 + m103 + m104 + m105 + m106 + m107 + m108 + m109 + m110 + m111 + m112 + m113 + m114 + m115 + m116 + m117 + m118 + m119 + m120 + m121 + m122 + m123 + m124 + m125 + m126;
    }

    // More than 256 locals: the body itself uses wide iload/istore.
    static int wideLocals(int seed) {
        int v0 = seed;
        int v1 = v0 + 1;
        int v2 = v1 + 2;
        int v3 = v2 + 3;
        int v4 = v3 + 4;
        int v5 = v4 + 5;
        int v6 = v5 + 6;
        int v7 = v6 + 0;
        int v8 = v7 + 1;
        int v9 = v8 + 2;
        int v10 = v9 + 3;
        int v11 = v10 + 4;
        int v12 = v11 + 5;
        int v13 = v12 + 6;
        int v14 = v13 + 0;
        int v15 = v14 + 1;
        int v16 = v15 + 2;
        int v17 = v16 + 3;
        int v18 = v17 + 4;
        int v19 = v18 + 5;
        int v20 = v19 + 6;
        int v21 = v20 + 0;
        int v22 = v21 + 1;
        int v23 = v22 + 2;
        int v24 = v23 + 3;
        int v25 = v24 + 4;
        int v26 = v25 + 5;
        int v27 = v26 + 6;
        int v28 = v27 + 0;
        int v29 = v28 + 1;
        int v30 = v29 + 2;
        int v31 = v30 + 3;
        int v32 = v31 + 4;
        int v33 = v32 + 5;
        int v34 = v33 + 6;
        int v35 = v34 + 0;
        int v36 = v35 + 1;
        int v37 = v36 + 2;
        int v38 = v37 + 3;
        int v39 = v38 + 4;
        int v40 = v39 + 5;
        int v41 = v40 + 6;
        int v42 = v41 + 0;
        int v43 = v42 + 1;
        int v44 = v43 + 2;
        int v45 = v44 + 3;
        int v46 = v45 + 4;
        int v47 = v46 + 5;
        int v48 = v47 + 6;
        int v49 = v48 + 0;
        int v50 = v49 + 1;
        int v51 = v50 + 2;
        int v52 = v51 + 3;
        int v53 = v52 + 4;
        int v54 = v53 + 5;
        int v55 = v54 + 6;
        int v56 = v55 + 0;
        int v57 = v56 + 1;
        int v58 = v57 + 2;
        int v59 = v58 + 3;
        int v60 = v59 + 4;
        int v61 = v60 + 5;
        int v62 = v61 + 6;
        int v63 = v62 + 0;
        int v64 = v63 + 1;
        int v65 = v64 + 2;
        int v66 = v65 + 3;
        int v67 = v66 + 4;
        int v68 = v67 + 5;
        int v69 = v68 + 6;
        int v70 = v69 + 0;
        int v71 = v70 + 1;
        int v72 = v71 + 2;
        int v73 = v72 + 3;
        int v74 = v73 + 4;
        int v75 = v74 + 5;
        int v76 = v75 + 6;
        int v77 = v76 + 0;
        int v78 = v77 + 1;
        int v79 = v78 + 2;
        int v80 = v79 + 3;
        int v81 = v80 + 4;
        int v82 = v81 + 5;
        int v83 = v82 + 6;
        int v84 = v83 + 0;
        int v85 = v84 + 1;
        int v86 = v85 + 2;
        int v87 = v86 + 3;
        int v88 = v87 + 4;
        int v89 = v88 + 5;
        int v90 = v89 + 6;
        int v91 = v90 + 0;
        int v92 = v91 + 1;
        int v93 = v92 + 2;
        int v94 = v93 + 3;
        int v95 = v94 + 4;
        int v96 = v95 + 5;
        int v97 = v96 + 6;
        int v98 = v97 + 0;
        int v99 = v98 + 1;
        int v100 = v99 + 2;
        int v101 = v100 + 3;
        int v102 = v101 + 4;
        int v103 = v102 + 5;
        int v104 = v103 + 6;
        int v105 = v104 + 0;
        int v106 = v105 + 1;
        int v107 = v106 + 2;
        int v108 = v107 + 3;
        int v109 = v108 + 4;
        int v110 = v109 + 5;
        int v111 = v110 + 6;
        int v112 = v111 + 0;
        int v113 = v112 + 1;
        int v114 = v113 + 2;
        int v115 = v114 + 3;
        int v116 = v115 + 4;
        int v117 = v116 + 5;
        int v118 = v117 + 6;
        int v119 = v118 + 0;
        int v120 = v119 + 1;
        int v121 = v120 + 2;
        int v122 = v121 + 3;
        int v123 = v122 + 4;
        int v124 = v123 + 5;
        int v125 = v124 + 6;
        int v126 = v125 + 0;
        int v127 = v126 + 1;
        int v128 = v127 + 2;
        int v129 = v128 + 3;
        int v130 = v129 + 4;
        int v131 = v130 + 5;
        int v132 = v131 + 6;
        int v133 = v132 + 0;
        int v134 = v133 + 1;
        int v135 = v134 + 2;
        int v136 = v135 + 3;
        int v137 = v136 + 4;
        int v138 = v137 + 5;
        int v139 = v138 + 6;
        int v140 = v139 + 0;
        int v141 = v140 + 1;
        int v142 = v141 + 2;
        int v143 = v142 + 3;
        int v144 = v143 + 4;
        int v145 = v144 + 5;
        int v146 = v145 + 6;
        int v147 = v146 + 0;
        int v148 = v147 + 1;
        int v149 = v148 + 2;
        int v150 = v149 + 3;
        int v151 = v150 + 4;
        int v152 = v151 + 5;
        int v153 = v152 + 6;
        int v154 = v153 + 0;
        int v155 = v154 + 1;
        int v156 = v155 + 2;
        int v157 = v156 + 3;
        int v158 = v157 + 4;
        int v159 = v158 + 5;
        int v160 = v159 + 6;
        int v161 = v160 + 0;
        int v162 = v161 + 1;
        int v163 = v162 + 2;
        int v164 = v163 + 3;
        int v165 = v164 + 4;
        int v166 = v165 + 5;
        int v167 = v166 + 6;
        int v168 = v167 + 0;
        int v169 = v168 + 1;
        int v170 = v169 + 2;
        int v171 = v170 + 3;
        int v172 = v171 + 4;
        int v173 = v172 + 5;
        int v174 = v173 + 6;
        int v175 = v174 + 0;
        int v176 = v175 + 1;
        int v177 = v176 + 2;
        int v178 = v177 + 3;
        int v179 = v178 + 4;
        int v180 = v179 + 5;
        int v181 = v180 + 6;
        int v182 = v181 + 0;
        int v183 = v182 + 1;
        int v184 = v183 + 2;
        int v185 = v184 + 3;
        int v186 = v185 + 4;
        int v187 = v186 + 5;
        int v188 = v187 + 6;
        int v189 = v188 + 0;
        int v190 = v189 + 1;
        int v191 = v190 + 2;
        int v192 = v191 + 3;
        int v193 = v192 + 4;
        int v194 = v193 + 5;
        int v195 = v194 + 6;
        int v196 = v195 + 0;
        int v197 = v196 + 1;
        int v198 = v197 + 2;
        int v199 = v198 + 3;
        int v200 = v199 + 4;
        int v201 = v200 + 5;
        int v202 = v201 + 6;
        int v203 = v202 + 0;
        int v204 = v203 + 1;
        int v205 = v204 + 2;
        int v206 = v205 + 3;
        int v207 = v206 + 4;
        int v208 = v207 + 5;
        int v209 = v208 + 6;
        int v210 = v209 + 0;
        int v211 = v210 + 1;
        int v212 = v211 + 2;
        int v213 = v212 + 3;
        int v214 = v213 + 4;
        int v215 = v214 + 5;
        int v216 = v215 + 6;
        int v217 = v216 + 0;
        int v218 = v217 + 1;
        int v219 = v218 + 2;
        int v220 = v219 + 3;
        int v221 = v220 + 4;
        int v222 = v221 + 5;
        int v223 = v222 + 6;
        int v224 = v223 + 0;
        int v225 = v224 + 1;
        int v226 = v225 + 2;
        int v227 = v226 + 3;
        int v228 = v227 + 4;
        int v229 = v228 + 5;
        int v230 = v229 + 6;
        int v231 = v230 + 0;
        int v232 = v231 + 1;
        int v233 = v232 + 2;
        int v234 = v233 + 3;
        int v235 = v234 + 4;
        int v236 = v235 + 5;
        int v237 = v236 + 6;
        int v238 = v237 + 0;
        int v239 = v238 + 1;
        int v240 = v239 + 2;
        int v241 = v240 + 3;
        int v242 = v241 + 4;
        int v243 = v242 + 5;
        int v244 = v243 + 6;
        int v245 = v244 + 0;
        int v246 = v245 + 1;
        int v247 = v246 + 2;
        int v248 = v247 + 3;
        int v249 = v248 + 4;
        int v250 = v249 + 5;
        int v251 = v250 + 6;
        int v252 = v251 + 0;
        int v253 = v252 + 1;
        int v254 = v253 + 2;
        int v255 = v254 + 3;
        int v256 = v255 + 4;
        int v257 = v256 + 5;
        int v258 = v257 + 6;
        int v259 = v258 + 0;
        int v260 = v259 + 1;
        int v261 = v260 + 2;
        int v262 = v261 + 3;
        int v263 = v262 + 4;
        int v264 = v263 + 5;
        int v265 = v264 + 6;
        int v266 = v265 + 0;
        int v267 = v266 + 1;
        int v268 = v267 + 2;
        int v269 = v268 + 3;
        int v270 = v269 + 4;
        int v271 = v270 + 5;
        int v272 = v271 + 6;
        int v273 = v272 + 0;
        int v274 = v273 + 1;
        int v275 = v274 + 2;
        int v276 = v275 + 3;
        int v277 = v276 + 4;
        int v278 = v277 + 5;
        int v279 = v278 + 6;
        int v280 = v279 + 0;
        int v281 = v280 + 1;
        int v282 = v281 + 2;
        int v283 = v282 + 3;
        int v284 = v283 + 4;
        int v285 = v284 + 5;
        int v286 = v285 + 6;
        int v287 = v286 + 0;
        int v288 = v287 + 1;
        int v289 = v288 + 2;
        int v290 = v289 + 3;
        int v291 = v290 + 4;
        int v292 = v291 + 5;
        int v293 = v292 + 6;
        int v294 = v293 + 0;
        int v295 = v294 + 1;
        int v296 = v295 + 2;
        int v297 = v296 + 3;
        int v298 = v297 + 4;
        int v299 = v298 + 5;
        return v299 + v150 + v255 + v256;
    }

    int tableSwitch(int x) {
        switch (x) {
            case 0: return 100;
            case 1: return 101 + id;
            case 2: return 102;
            case 3: return 103;
            case 4: return 104;
            default: return -1;
        }
    }

    static String lookupSwitch(long tag, int x) {
        switch (x) {
            case -5: return "minus five/" + tag;
            case 1: return "one/" + tag;
            case 1000: return "thousand/" + tag;
            case 100000: return "lakh/" + tag;
            default: return "other/" + tag;
        }
    }

    static int tryCatch(String s) {
        int r;
        try {
            r = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            r = -1;
        } finally {
            System.out.println("tryCatch finally " + s);
        }
        return r;
    }

    static int loops(int[] a) {
        int sum = 0;
        for (int i = 0; i < a.length; i++) {
            int k = 0;
            while (k < i) {
                sum += a[k];
                k++;
            }
        }
        return sum;
    }

    // The loop head is at offset 0: the first StackMapTable frame has offset_delta 0.
    static int spin(int n) {
        while (true) {
            if (n-- <= 0) {
                return 7;
            }
        }
    }

    // `new` followed by a branch: frames carry Uninitialized(offset of new).
    static Object uninit(boolean c) {
        return new StringBuilder(c ? "a" : "b").append(c ? 1 : 2);
    }

    // First frame (same_frame) sits at an offset near 63: shifting it needs same_frame_extended.
    static int farFrame(int x) {
        x = x * 3 + 7;
        x = x ^ 0x5555;
        x = x + x * 1000003;
        x = x - (x >> 3);
        x = x * 31 + 17;
        x = x - 99;
        x = x ^ (x >>> 7);
        x = x * 13;
        x = x + 5;
        if (x > 0) {
            x = -x;
        }
        return x;
    }

    // First frame (same_locals_1_stack_item) near offset 63.
    static String farStack(int x, StringBuilder sb) {
        x = x * 3 + 7;
        x = x ^ 0x5555;
        x = x + x * 1000003;
        x = x - (x >> 3);
        x = x * 31 + 17;
        x = x - 99;
        x = x ^ (x >>> 7);
        x = x * 13;
        sb.append(x > 0 ? "pos" : "neg");
        return sb.toString();
    }

    // Generic locals: LocalVariableTypeTable with -g.
    <T> List<T> generic(T first, List<? extends T> more) {
        List<T> out = new ArrayList<>();
        out.add(first);
        for (T t : more) {
            out.add(t);
        }
        return out;
    }

    // Hooked with CF_HOOK_ERASE_REFS: the hook takes Objects.
    static String erased(Target t, int[] a, String s) {
        return s + ":" + t + ":" + a.length;
    }

    // Not selected: must run unchanged and call no hook.
    static int untouched(int x) {
        return x * 2;
    }
}
