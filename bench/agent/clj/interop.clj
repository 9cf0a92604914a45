;; Reflection-hot Clojure: N (default 300 000) unhinted interop calls. (.length x) on an
;; un-hinted local compiles to clojure.lang.Reflector.invokeNoArgInstanceMember, i.e. a
;; reflective method lookup + Method.invoke per call.
(let [n (if-let [a (first *command-line-args*)] (Long/parseLong a) 300000)
      xs (object-array ["a" "bb" "ccc" (StringBuilder. "dddd")])]
  (loop [i 0 acc 0]
    (if (< i n)
      (let [x (aget xs (rem i 4))]
        (recur (inc i) (+ acc (.length x))))
      (println "interop" n acc))))
