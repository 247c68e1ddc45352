;; @perf/simd kernels: WebAssembly simd128 (no relaxed SIMD, so no FMA), one module for
;; Float32Array, Float64Array and Int32Array. Compiled by scripts/build-wasm.mjs (wabt 1.0.39)
;; into src/wasm/kernels.generated.ts; a test rebuilds it and checks the shipped bytes match.
;;
;; Calling convention: every pointer is a byte offset into the imported memory and every
;; length `n` is an element count. The JS side (src/wasm-simd.ts) has already checked types,
;; lengths and bounds, so the kernels do no checking of their own.
;;
;; Loop shape, shared by every kernel:
;;
;;   a ──────────────────────────── vend ─────────── end
;;   │ 64-byte steps: 4 x v128        │ scalar tail   │
;;   └────────────────────────────────┴───────────────┘
;;   vend = end - (bytes mod 64)
;;
;; 64 bytes per iteration is one cache line and four independent vectors, which hides most of
;; the 3-4 cycle latency of a vector add chain. Measured on a 2-core AMD EPYC with Node 20 (raw
;; kernel, 1K f32, best of 15 batches): sum with 2 / 4 / 8 accumulators 82 / 54 / 47 ns; dot
;; with 4 / 8: 84 / 83 ns. Four are kept everywhere: eight gain ~13% on sum alone. The tail
;; runs at most 15 (f32/i32) or 7 (f64) scalar steps with the same IEEE operation as a lane,
;; so tails agree with the vector body.
;;
;; Memory is imported and shared, so several workers can run kernels on one
;; WebAssembly.Memory; the module itself holds no state besides constants.
(module
  (import "env" "memory" (memory 1 32768 shared))

  ;; f32 sums add 1024 elements (4096 bytes) per block in f32 lanes before moving the block
  ;; total into an f64, which bounds the error independently of n (see sum_f32).
  (global $BLOCK_BYTES i32 (i32.const 4096))

  ;; int32 min/max of two scalars (simd128 has i32x4.min_s, but no scalar i32.min).
  (func $min_i32s (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_s (local.get $x) (local.get $y))))
  (func $max_i32s (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.gt_s (local.get $x) (local.get $y))))

  ;; ================================================================ element-wise
  ;;
  ;; out[i] = a[i] op b[i]. `out` may be `a` or `b` itself (each 64-byte step loads before
  ;; it stores); partial overlaps are refused on the JS side. minimum/maximum are IEEE
  ;; minimum/maximum, like Math.min/Math.max: NaN wins, -0 < +0.

  ;; ---------------------------------------------------------------- f32

  (func (export "add_f32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f32x4.add (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f32x4.add (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f32x4.add (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f32x4.add (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.add (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "sub_f32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f32x4.sub (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f32x4.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f32x4.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f32x4.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.sub (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "mul_f32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "minimum_f32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f32x4.min (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f32x4.min (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f32x4.min (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f32x4.min (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.min (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "maximum_f32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f32x4.max (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f32x4.max (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f32x4.max (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f32x4.max (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.max (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "scale_f32") (param $a i32) (param $k f32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $kv v128)
    (local.set $kv (f32x4.splat (local.get $k)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o) (f32x4.mul (v128.load offset=0 (local.get $a)) (local.get $kv)))
        (v128.store offset=16 (local.get $o) (f32x4.mul (v128.load offset=16 (local.get $a)) (local.get $kv)))
        (v128.store offset=32 (local.get $o) (f32x4.mul (v128.load offset=32 (local.get $a)) (local.get $kv)))
        (v128.store offset=48 (local.get $o) (f32x4.mul (v128.load offset=48 (local.get $a)) (local.get $kv)))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $o) (f32.mul (f32.load (local.get $a)) (local.get $k)))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))


  ;; ---------------------------------------------------------------- f64

  (func (export "add_f64") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f64x2.add (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f64x2.add (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f64x2.add (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f64x2.add (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.add (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $b (i32.add (local.get $b) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))

  (func (export "sub_f64") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f64x2.sub (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f64x2.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f64x2.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f64x2.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $b (i32.add (local.get $b) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))

  (func (export "mul_f64") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f64x2.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f64x2.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f64x2.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $b (i32.add (local.get $b) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))

  (func (export "minimum_f64") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f64x2.min (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f64x2.min (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f64x2.min (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f64x2.min (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.min (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $b (i32.add (local.get $b) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))

  (func (export "maximum_f64") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (f64x2.max (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (f64x2.max (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (f64x2.max (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (f64x2.max (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.max (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $b (i32.add (local.get $b) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))

  (func (export "scale_f64") (param $a i32) (param $k f64) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $kv v128)
    (local.set $kv (f64x2.splat (local.get $k)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o) (f64x2.mul (v128.load offset=0 (local.get $a)) (local.get $kv)))
        (v128.store offset=16 (local.get $o) (f64x2.mul (v128.load offset=16 (local.get $a)) (local.get $kv)))
        (v128.store offset=32 (local.get $o) (f64x2.mul (v128.load offset=32 (local.get $a)) (local.get $kv)))
        (v128.store offset=48 (local.get $o) (f64x2.mul (v128.load offset=48 (local.get $a)) (local.get $kv)))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (f64.store (local.get $o) (f64.mul (f64.load (local.get $a)) (local.get $k)))
        (local.set $a (i32.add (local.get $a) (i32.const 8))) (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $s))))


  ;; ---------------------------------------------------------------- i32

  (func (export "add_i32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (i32x4.add (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (i32x4.add (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (i32x4.add (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (i32x4.add (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (i32.add (i32.load (local.get $a)) (i32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "sub_i32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (i32x4.sub (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (i32x4.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (i32x4.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (i32x4.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (i32.sub (i32.load (local.get $a)) (i32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "mul_i32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (i32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (i32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (i32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (i32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (i32.mul (i32.load (local.get $a)) (i32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "minimum_i32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (i32x4.min_s (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (i32x4.min_s (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (i32x4.min_s (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (i32x4.min_s (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (call $min_i32s (i32.load (local.get $a)) (i32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "maximum_i32") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o)
          (i32x4.max_s (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b))))
        (v128.store offset=16 (local.get $o)
          (i32x4.max_s (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (v128.store offset=32 (local.get $o)
          (i32x4.max_s (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (v128.store offset=48 (local.get $o)
          (i32x4.max_s (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $b (i32.add (local.get $b) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (call $max_i32s (i32.load (local.get $a)) (i32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $b (i32.add (local.get $b) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))

  (func (export "scale_i32") (param $a i32) (param $k i32) (param $o i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $kv v128)
    (local.set $kv (i32x4.splat (local.get $k)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (v128.store offset=0 (local.get $o) (i32x4.mul (v128.load offset=0 (local.get $a)) (local.get $kv)))
        (v128.store offset=16 (local.get $o) (i32x4.mul (v128.load offset=16 (local.get $a)) (local.get $kv)))
        (v128.store offset=32 (local.get $o) (i32x4.mul (v128.load offset=32 (local.get $a)) (local.get $kv)))
        (v128.store offset=48 (local.get $o) (i32x4.mul (v128.load offset=48 (local.get $a)) (local.get $kv)))
        (local.set $a (i32.add (local.get $a) (i32.const 64))) (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $v)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (i32.store (local.get $o) (i32.mul (i32.load (local.get $a)) (local.get $k)))
        (local.set $a (i32.add (local.get $a) (i32.const 4))) (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $s))))


  ;; ================================================================ reductions
  ;;
  ;; Every reduction keeps four independent vector accumulators, so the loop is bound by
  ;; load/add throughput rather than by the 3-4 cycle latency of one add chain, and walks
  ;; 64 bytes (one cache line) per iteration.

  ;; sum of f32, accumulated in f32 lanes within blocks of 1024 elements, each block's
  ;; total then added in f64. Error bound (first order, u = 2^-24):
  ;;   |sum - exact| <= (64 + 4) u sum|x|  +  (n / 1024 + 2) 2^-53 sum|x|
  ;; 64 = elements per lane per block, 4 = the lane tree; independent of n, unlike one
  ;; f32 running sum whose bound grows with n.
  (func $sum_f32 (export "sum_f32") (param $a i32) (param $n i32) (result f64)
    (local $end i32) (local $vend i32) (local $bend i32) (local $total f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $odone
      (loop $outer
        (br_if $odone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $bend (i32.add (local.get $a) (global.get $BLOCK_BYTES)))
        (if (i32.gt_u (local.get $bend) (local.get $vend)) (then (local.set $bend (local.get $vend))))
        (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
        (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))
        (loop $inner
          (local.set $s0 (f32x4.add (local.get $s0) (v128.load offset=0 (local.get $a))))
          (local.set $s1 (f32x4.add (local.get $s1) (v128.load offset=16 (local.get $a))))
          (local.set $s2 (f32x4.add (local.get $s2) (v128.load offset=32 (local.get $a))))
          (local.set $s3 (f32x4.add (local.get $s3) (v128.load offset=48 (local.get $a))))
          (local.set $a (i32.add (local.get $a) (i32.const 64)))
          (br_if $inner (i32.lt_u (local.get $a) (local.get $bend))))
        (local.set $total (f64.add (local.get $total)
          (call $hsum_f32 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1))
                                     (f32x4.add (local.get $s2) (local.get $s3))))))
        (br $outer)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $total (f64.add (local.get $total) (f64.promote_f32 (f32.load (local.get $a)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $total))

  ;; dot of f32: products rounded to f32 (simd128 has no FMA without relaxed SIMD), summed as
  ;; in sum_f32. Bound: (64 + 4 + 1) u sum|a_i b_i| + (n / 1024 + 2) 2^-53 sum|a_i b_i|.
  (func $dot_f32 (export "dot_f32") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $vend i32) (local $bend i32) (local $total f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $odone
      (loop $outer
        (br_if $odone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $bend (i32.add (local.get $a) (global.get $BLOCK_BYTES)))
        (if (i32.gt_u (local.get $bend) (local.get $vend)) (then (local.set $bend (local.get $vend))))
        (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
        (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))
        (loop $inner
          (local.set $s0 (f32x4.add (local.get $s0)
            (f32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))))
          (local.set $s1 (f32x4.add (local.get $s1)
            (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
          (local.set $s2 (f32x4.add (local.get $s2)
            (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
          (local.set $s3 (f32x4.add (local.get $s3)
            (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (i32.const 64)))
          (local.set $b (i32.add (local.get $b) (i32.const 64)))
          (br_if $inner (i32.lt_u (local.get $a) (local.get $bend))))
        (local.set $total (f64.add (local.get $total)
          (call $hsum_f32 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1))
                                     (f32x4.add (local.get $s2) (local.get $s3))))))
        (br $outer)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $total (f64.add (local.get $total)
          (f64.promote_f32 (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br $s)))
    (local.get $total))

  ;; Lanes of a f32x4 added in f64, so the tree adds no f32 rounding of its own.
  (func $hsum_f32 (param $v v128) (result f64)
    (f64.add
      (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $v)))
               (f64.promote_f32 (f32x4.extract_lane 1 (local.get $v))))
      (f64.add (f64.promote_f32 (f32x4.extract_lane 2 (local.get $v)))
               (f64.promote_f32 (f32x4.extract_lane 3 (local.get $v))))))

  ;; scores[r] = dot_f32(matrix row r, query) for r < rows; rows are dim f32 apart and the
  ;; scores are f64, so every score is bit-identical to a dot_f32 call on that row.
  (func (export "dot_many_f32") (param $m i32) (param $q i32) (param $o i32) (param $rows i32) (param $dim i32)
    (local $stride i32) (local $oend i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $oend (i32.add (local.get $o) (i32.shl (local.get $rows) (i32.const 3))))
    (block $done
      (loop $r
        (br_if $done (i32.ge_u (local.get $o) (local.get $oend)))
        (f64.store (local.get $o) (call $dot_f32 (local.get $m) (local.get $q) (local.get $dim)))
        (local.set $m (i32.add (local.get $m) (local.get $stride)))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $r))))

  ;; sum of f64: 8 lanes (4 x f64x2). Bound: (n / 8 + 3) 2^-53 sum|x|.
  (func (export "sum_f64") (param $a i32) (param $n i32) (result f64)
    (local $end i32) (local $vend i32) (local $total f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f64x2.add (f64x2.add (local.get $s0) (local.get $s1))
                              (f64x2.add (local.get $s2) (local.get $s3))))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $total (f64.add (local.get $total) (f64.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $s)))
    (local.get $total))

  ;; dot of f64. Bound: (n / 8 + 4) 2^-53 sum|a_i b_i|.
  (func (export "dot_f64") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $vend i32) (local $total f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (f64x2.add (local.get $s0)
          (f64x2.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))))
        (local.set $s1 (f64x2.add (local.get $s1)
          (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $s2 (f64x2.add (local.get $s2)
          (f64x2.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $s3 (f64x2.add (local.get $s3)
          (f64x2.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f64x2.add (f64x2.add (local.get $s0) (local.get $s1))
                              (f64x2.add (local.get $s2) (local.get $s3))))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $total (f64.add (local.get $total) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $s)))
    (local.get $total))

  ;; sum of i32, wrapping modulo 2^32 like Int32Array stores (exact, order-independent).
  (func (export "sum_i32") (param $a i32) (param $n i32) (result i32)
    (local $end i32) (local $vend i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (i32x4.add (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (i32x4.add (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (i32x4.add (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (i32x4.add (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (call $tail_sum_i32 (local.get $a) (local.get $end)
      (i32x4.add (i32x4.add (local.get $s0) (local.get $s1)) (i32x4.add (local.get $s2) (local.get $s3)))))

  ;; dot of i32, wrapping modulo 2^32 (i32x4.mul keeps the low 32 bits, like Math.imul).
  (func (export "dot_i32") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $end i32) (local $vend i32) (local $t i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (i32x4.add (local.get $s0)
          (i32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))))
        (local.set $s1 (i32x4.add (local.get $s1)
          (i32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $s2 (i32x4.add (local.get $s2)
          (i32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $s3 (i32x4.add (local.get $s3)
          (i32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $v)))
    (local.set $s0 (i32x4.add (i32x4.add (local.get $s0) (local.get $s1))
                              (i32x4.add (local.get $s2) (local.get $s3))))
    (local.set $t (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $s0)) (i32x4.extract_lane 1 (local.get $s0)))
      (i32.add (i32x4.extract_lane 2 (local.get $s0)) (i32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $t (i32.add (local.get $t) (i32.mul (i32.load (local.get $a)) (i32.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br $s)))
    (local.get $t))

  (func $tail_sum_i32 (param $a i32) (param $end i32) (param $v v128) (result i32)
    (local $t i32)
    (local.set $t (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $t (i32.add (local.get $t) (i32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $t))

;; ---------------------------------------------------------------- min / max reductions
  ;;
  ;; Exact semantics, as Math.min/Math.max: NaN if any element is NaN, -0 below +0. Three ways
  ;; were measured (raw kernels, 64K f32, see the README table):
  ;;   f32x4.min  IEEE minimum, exact in any order; ~7 instructions on x64 (two minps to
  ;;              order NaN and ±0, plus fix-ups): slowest. Kept as min_ieee_f32 for the bench.
  ;;   f32x4.pmin b < a ? b : a, one minps, but order-dependent for NaN and ±0: not exact.
  ;;              Kept as min_pmin_f32 for the bench.
  ;;   shipped:   pmin/pmax in the loop, plus an OR of (x != x) masks to remember any NaN, and
  ;;              when the result is a zero, one search for a -0 (+0 for max) to give it the
  ;;              exact sign. Exact, and close to the pmin speed; the extra pass only runs
  ;;              when the minimum is zero.
  ;; Lanes are combined, and the tail folded in, with the exact f32.min/f64.min.
  (func $min_f32 (export "min_f32") (param $a i32) (param $n i32) (result f32)
    (local $start i32) (local $end i32) (local $vend i32) (local $m f32) (local $nan v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $start (local.get $a))
    (local.set $s0 (v128.const f32x4 inf inf inf inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $v0 (v128.load offset=0 (local.get $a)))
        (local.set $v1 (v128.load offset=16 (local.get $a)))
        (local.set $v2 (v128.load offset=32 (local.get $a)))
        (local.set $v3 (v128.load offset=48 (local.get $a)))
        (local.set $nan (v128.or (local.get $nan)
          (v128.or (v128.or (f32x4.ne (local.get $v0) (local.get $v0)) (f32x4.ne (local.get $v1) (local.get $v1)))
                   (v128.or (f32x4.ne (local.get $v2) (local.get $v2)) (f32x4.ne (local.get $v3) (local.get $v3))))))
        (local.set $s0 (f32x4.pmin (local.get $s0) (local.get $v0)))
        (local.set $s1 (f32x4.pmin (local.get $s1) (local.get $v1)))
        (local.set $s2 (f32x4.pmin (local.get $s2) (local.get $v2)))
        (local.set $s3 (f32x4.pmin (local.get $s3) (local.get $v3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f32x4.min (f32x4.min (local.get $s0) (local.get $s1))
                               (f32x4.min (local.get $s2) (local.get $s3))))
    (local.set $m (f32.min (f32.min (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0))) (f32.min (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f32.min (local.get $m) (f32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (if (v128.any_true (local.get $nan)) (then (return (f32.const nan))))
    ;; pmin kept whichever zero it met first; the exact answer is -0 iff the array holds one.
    (if (f32.eq (local.get $m) (f32.const 0))
      (then (local.set $m (select (f32.const -0) (f32.const 0)
        (i32.ge_s (call $find_bits_32 (local.get $start) (local.get $n) (i32.const 0x80000000)) (i32.const 0))))))
    (local.get $m))

  (func $max_f32 (export "max_f32") (param $a i32) (param $n i32) (result f32)
    (local $start i32) (local $end i32) (local $vend i32) (local $m f32) (local $nan v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $start (local.get $a))
    (local.set $s0 (v128.const f32x4 -inf -inf -inf -inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $v0 (v128.load offset=0 (local.get $a)))
        (local.set $v1 (v128.load offset=16 (local.get $a)))
        (local.set $v2 (v128.load offset=32 (local.get $a)))
        (local.set $v3 (v128.load offset=48 (local.get $a)))
        (local.set $nan (v128.or (local.get $nan)
          (v128.or (v128.or (f32x4.ne (local.get $v0) (local.get $v0)) (f32x4.ne (local.get $v1) (local.get $v1)))
                   (v128.or (f32x4.ne (local.get $v2) (local.get $v2)) (f32x4.ne (local.get $v3) (local.get $v3))))))
        (local.set $s0 (f32x4.pmax (local.get $s0) (local.get $v0)))
        (local.set $s1 (f32x4.pmax (local.get $s1) (local.get $v1)))
        (local.set $s2 (f32x4.pmax (local.get $s2) (local.get $v2)))
        (local.set $s3 (f32x4.pmax (local.get $s3) (local.get $v3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f32x4.max (f32x4.max (local.get $s0) (local.get $s1))
                               (f32x4.max (local.get $s2) (local.get $s3))))
    (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0))) (f32.max (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f32.max (local.get $m) (f32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (if (v128.any_true (local.get $nan)) (then (return (f32.const nan))))
    ;; pmax kept whichever zero it met first; the exact answer is 0 iff the array holds one.
    (if (f32.eq (local.get $m) (f32.const 0))
      (then (local.set $m (select (f32.const 0) (f32.const -0)
        (i32.ge_s (call $find_bits_32 (local.get $start) (local.get $n) (i32.const 0)) (i32.const 0))))))
    (local.get $m))

  (func $min_f64 (export "min_f64") (param $a i32) (param $n i32) (result f64)
    (local $start i32) (local $end i32) (local $vend i32) (local $m f64) (local $nan v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $start (local.get $a))
    (local.set $s0 (v128.const f64x2 inf inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $v0 (v128.load offset=0 (local.get $a)))
        (local.set $v1 (v128.load offset=16 (local.get $a)))
        (local.set $v2 (v128.load offset=32 (local.get $a)))
        (local.set $v3 (v128.load offset=48 (local.get $a)))
        (local.set $nan (v128.or (local.get $nan)
          (v128.or (v128.or (f64x2.ne (local.get $v0) (local.get $v0)) (f64x2.ne (local.get $v1) (local.get $v1)))
                   (v128.or (f64x2.ne (local.get $v2) (local.get $v2)) (f64x2.ne (local.get $v3) (local.get $v3))))))
        (local.set $s0 (f64x2.pmin (local.get $s0) (local.get $v0)))
        (local.set $s1 (f64x2.pmin (local.get $s1) (local.get $v1)))
        (local.set $s2 (f64x2.pmin (local.get $s2) (local.get $v2)))
        (local.set $s3 (f64x2.pmin (local.get $s3) (local.get $v3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f64x2.min (f64x2.min (local.get $s0) (local.get $s1))
                               (f64x2.min (local.get $s2) (local.get $s3))))
    (local.set $m (f64.min (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f64.min (local.get $m) (f64.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $s)))
    (if (v128.any_true (local.get $nan)) (then (return (f64.const nan))))
    ;; pmin kept whichever zero it met first; the exact answer is -0 iff the array holds one.
    (if (f64.eq (local.get $m) (f64.const 0))
      (then (local.set $m (select (f64.const -0) (f64.const 0)
        (i32.ge_s (call $find_bits_64 (local.get $start) (local.get $n) (i64.const 0x8000000000000000)) (i32.const 0))))))
    (local.get $m))

  (func $max_f64 (export "max_f64") (param $a i32) (param $n i32) (result f64)
    (local $start i32) (local $end i32) (local $vend i32) (local $m f64) (local $nan v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $start (local.get $a))
    (local.set $s0 (v128.const f64x2 -inf -inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $v0 (v128.load offset=0 (local.get $a)))
        (local.set $v1 (v128.load offset=16 (local.get $a)))
        (local.set $v2 (v128.load offset=32 (local.get $a)))
        (local.set $v3 (v128.load offset=48 (local.get $a)))
        (local.set $nan (v128.or (local.get $nan)
          (v128.or (v128.or (f64x2.ne (local.get $v0) (local.get $v0)) (f64x2.ne (local.get $v1) (local.get $v1)))
                   (v128.or (f64x2.ne (local.get $v2) (local.get $v2)) (f64x2.ne (local.get $v3) (local.get $v3))))))
        (local.set $s0 (f64x2.pmax (local.get $s0) (local.get $v0)))
        (local.set $s1 (f64x2.pmax (local.get $s1) (local.get $v1)))
        (local.set $s2 (f64x2.pmax (local.get $s2) (local.get $v2)))
        (local.set $s3 (f64x2.pmax (local.get $s3) (local.get $v3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f64x2.max (f64x2.max (local.get $s0) (local.get $s1))
                               (f64x2.max (local.get $s2) (local.get $s3))))
    (local.set $m (f64.max (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f64.max (local.get $m) (f64.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $s)))
    (if (v128.any_true (local.get $nan)) (then (return (f64.const nan))))
    ;; pmax kept whichever zero it met first; the exact answer is 0 iff the array holds one.
    (if (f64.eq (local.get $m) (f64.const 0))
      (then (local.set $m (select (f64.const 0) (f64.const -0)
        (i32.ge_s (call $find_bits_64 (local.get $start) (local.get $n) (i64.const 0)) (i32.const 0))))))
    (local.get $m))

  (func $min_ieee_f32 (export "min_ieee_f32") (param $a i32) (param $n i32) (result f32)
    (local $end i32) (local $vend i32) (local $m f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $s0 (v128.const f32x4 inf inf inf inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (f32x4.min (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (f32x4.min (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (f32x4.min (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (f32x4.min (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f32x4.min (f32x4.min (local.get $s0) (local.get $s1))
                               (f32x4.min (local.get $s2) (local.get $s3))))
    (local.set $m (f32.min (f32.min (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0))) (f32.min (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f32.min (local.get $m) (f32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $m))

  (func $min_i32 (export "min_i32") (param $a i32) (param $n i32) (result i32)
    (local $end i32) (local $vend i32) (local $m i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $s0 (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (i32x4.min_s (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (i32x4.min_s (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (i32x4.min_s (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (i32x4.min_s (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (i32x4.min_s (i32x4.min_s (local.get $s0) (local.get $s1))
                               (i32x4.min_s (local.get $s2) (local.get $s3))))
    (local.set $m (call $min_i32s (call $min_i32s (i32x4.extract_lane 0 (local.get $s0)) (i32x4.extract_lane 1 (local.get $s0))) (call $min_i32s (i32x4.extract_lane 2 (local.get $s0)) (i32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (call $min_i32s (local.get $m) (i32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $m))

  (func $max_i32 (export "max_i32") (param $a i32) (param $n i32) (result i32)
    (local $end i32) (local $vend i32) (local $m i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $s0 (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (i32x4.max_s (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (i32x4.max_s (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (i32x4.max_s (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (i32x4.max_s (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (i32x4.max_s (i32x4.max_s (local.get $s0) (local.get $s1))
                               (i32x4.max_s (local.get $s2) (local.get $s3))))
    (local.set $m (call $max_i32s (call $max_i32s (i32x4.extract_lane 0 (local.get $s0)) (i32x4.extract_lane 1 (local.get $s0))) (call $max_i32s (i32x4.extract_lane 2 (local.get $s0)) (i32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (call $max_i32s (local.get $m) (i32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $m))

  (func $min_pmin_f32 (export "min_pmin_f32") (param $a i32) (param $n i32) (result f32)
    (local $end i32) (local $vend i32) (local $m f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $s0 (v128.const f32x4 inf inf inf inf)) (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))
        (local.set $s0 (f32x4.pmin (local.get $s0) (v128.load offset=0 (local.get $a))))
        (local.set $s1 (f32x4.pmin (local.get $s1) (v128.load offset=16 (local.get $a))))
        (local.set $s2 (f32x4.pmin (local.get $s2) (v128.load offset=32 (local.get $a))))
        (local.set $s3 (f32x4.pmin (local.get $s3) (v128.load offset=48 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $v)))
    (local.set $s0 (f32x4.min (f32x4.min (local.get $s0) (local.get $s1))
                               (f32x4.min (local.get $s2) (local.get $s3))))
    (local.set $m (f32.min (f32.min (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0))) (f32.min (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $m (f32.min (local.get $m) (f32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $s)))
    (local.get $m))

  ;; ---------------------------------------------------------------- argmin / argmax
  ;;
  ;; Two passes: the reduction above, then the first index holding that value. The search
  ;; compares bit patterns, so -0 and +0 are told apart exactly as the reduction ordered them,
  ;; and a NaN minimum is searched for as "first NaN" (NaN payloads may differ). Both passes
  ;; are vectorised; the second stops at the first hit.

  (func (export "argmin_f32") (param $a i32) (param $n i32) (result i32)
    (local $m f32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $min_f32 (local.get $a) (local.get $n)))
    (if (result i32) (f32.ne (local.get $m) (local.get $m))
      (then (call $find_nan_f32 (local.get $a) (local.get $n)))
      (else (call $find_bits_32 (local.get $a) (local.get $n) (i32.reinterpret_f32 (local.get $m))))))

  (func (export "argmax_f32") (param $a i32) (param $n i32) (result i32)
    (local $m f32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $max_f32 (local.get $a) (local.get $n)))
    (if (result i32) (f32.ne (local.get $m) (local.get $m))
      (then (call $find_nan_f32 (local.get $a) (local.get $n)))
      (else (call $find_bits_32 (local.get $a) (local.get $n) (i32.reinterpret_f32 (local.get $m))))))

  (func (export "argmin_f64") (param $a i32) (param $n i32) (result i32)
    (local $m f64)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $min_f64 (local.get $a) (local.get $n)))
    (if (result i32) (f64.ne (local.get $m) (local.get $m))
      (then (call $find_nan_f64 (local.get $a) (local.get $n)))
      (else (call $find_bits_64 (local.get $a) (local.get $n) (i64.reinterpret_f64 (local.get $m))))))

  (func (export "argmax_f64") (param $a i32) (param $n i32) (result i32)
    (local $m f64)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $max_f64 (local.get $a) (local.get $n)))
    (if (result i32) (f64.ne (local.get $m) (local.get $m))
      (then (call $find_nan_f64 (local.get $a) (local.get $n)))
      (else (call $find_bits_64 (local.get $a) (local.get $n) (i64.reinterpret_f64 (local.get $m))))))

  (func (export "argmin_i32") (param $a i32) (param $n i32) (result i32)
    (local $m i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $min_i32 (local.get $a) (local.get $n)))
    (call $find_bits_32 (local.get $a) (local.get $n) (local.get $m)))

  (func (export "argmax_i32") (param $a i32) (param $n i32) (result i32)
    (local $m i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $m (call $max_i32 (local.get $a) (local.get $n)))
    (call $find_bits_32 (local.get $a) (local.get $n) (local.get $m)))

  (func $find_bits_32 (param $p i32) (param $n i32) (param $x i32) (result i32)
    (local $start i32) (local $end i32) (local $vend i32) (local $xv v128)
    (local.set $start (local.get $p))
    (local.set $xv (i32x4.splat (local.get $x)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        (br_if $vdone (v128.any_true (v128.or
          (v128.or (i32x4.eq (v128.load offset=0 (local.get $p)) (local.get $xv)) (i32x4.eq (v128.load offset=16 (local.get $p)) (local.get $xv)))
          (v128.or (i32x4.eq (v128.load offset=32 (local.get $p)) (local.get $xv)) (i32x4.eq (v128.load offset=48 (local.get $p)) (local.get $xv))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $v)))
    ;; first hit at or after p: within 64 bytes if the vector loop stopped on one
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.eq (i32.load (local.get $p)) (local.get $x)) (then (return (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $s)))
    (i32.const -1))

  (func $find_bits_64 (param $p i32) (param $n i32) (param $x i64) (result i32)
    (local $start i32) (local $end i32) (local $vend i32) (local $xv v128)
    (local.set $start (local.get $p))
    (local.set $xv (i64x2.splat (local.get $x)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        (br_if $vdone (v128.any_true (v128.or
          (v128.or (i64x2.eq (v128.load offset=0 (local.get $p)) (local.get $xv)) (i64x2.eq (v128.load offset=16 (local.get $p)) (local.get $xv)))
          (v128.or (i64x2.eq (v128.load offset=32 (local.get $p)) (local.get $xv)) (i64x2.eq (v128.load offset=48 (local.get $p)) (local.get $xv))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $v)))
    ;; first hit at or after p: within 64 bytes if the vector loop stopped on one
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (if (i64.eq (i64.load (local.get $p)) (local.get $x)) (then (return (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $s)))
    (i32.const -1))

  (func $find_nan_f32 (param $p i32) (param $n i32) (result i32)
    (local $start i32) (local $end i32) (local $vend i32) (local $xv v128)
    (local.set $start (local.get $p))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        (br_if $vdone (v128.any_true (v128.or
          (v128.or (f32x4.ne (v128.load offset=0 (local.get $p)) (v128.load offset=0 (local.get $p))) (f32x4.ne (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $p))))
          (v128.or (f32x4.ne (v128.load offset=32 (local.get $p)) (v128.load offset=32 (local.get $p))) (f32x4.ne (v128.load offset=48 (local.get $p)) (v128.load offset=48 (local.get $p)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $v)))
    ;; first hit at or after p: within 64 bytes if the vector loop stopped on one
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (if (f32.ne (f32.load (local.get $p)) (f32.load (local.get $p))) (then (return (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $s)))
    (i32.const -1))

  (func $find_nan_f64 (param $p i32) (param $n i32) (result i32)
    (local $start i32) (local $end i32) (local $vend i32) (local $xv v128)
    (local.set $start (local.get $p))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $vend (i32.sub (local.get $end) (i32.and (i32.shl (local.get $n) (i32.const 3)) (i32.const 63))))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        (br_if $vdone (v128.any_true (v128.or
          (v128.or (f64x2.ne (v128.load offset=0 (local.get $p)) (v128.load offset=0 (local.get $p))) (f64x2.ne (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $p))))
          (v128.or (f64x2.ne (v128.load offset=32 (local.get $p)) (v128.load offset=32 (local.get $p))) (f64x2.ne (v128.load offset=48 (local.get $p)) (v128.load offset=48 (local.get $p)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $v)))
    ;; first hit at or after p: within 64 bytes if the vector loop stopped on one
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (if (f64.ne (f64.load (local.get $p)) (f64.load (local.get $p))) (then (return (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $s)))
    (i32.const -1))

)
