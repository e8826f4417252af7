// Two doubles side by side (left and right channel) for filters that run both channels with the same
// coefficients: one SSE2 / wasm simd128 instruction does what two scalar ones did. Lane-wise IEEE
// arithmetic, so every lane computes exactly the bits the scalar code computes (no reassociation, and
// the build forbids fused multiply-add contraction).
#pragma once

namespace mixdown {

// GCC and Clang vector extension (both toolchains we build with): +, -, * work lane by lane; v[0], v[1]
// read the lanes.
typedef double Double2 __attribute__((vector_size(16)));

// A coefficient in every lane (plain doubles pass through, so a template serves one lane or two).
template <typename Lane>
inline Lane splat(double v) {
  if constexpr (sizeof(Lane) == sizeof(double)) return v;
  else return Lane{v, v};
}

}  // namespace mixdown
