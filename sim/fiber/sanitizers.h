// Copyright 2026 The weft Authors.
//
// Which sanitizers this translation unit is built with (gcc and clang spell it
// differently).

#ifndef WEFT_SIM_FIBER_SANITIZERS_H_
#define WEFT_SIM_FIBER_SANITIZERS_H_

#if defined(__SANITIZE_ADDRESS__)
#define WEFT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define WEFT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WEFT_TSAN 1
#endif
#endif

#ifndef WEFT_ASAN
#define WEFT_ASAN 0
#endif
#ifndef WEFT_TSAN
#define WEFT_TSAN 0
#endif

#endif  // WEFT_SIM_FIBER_SANITIZERS_H_
