// Copyright 2026 The weft Authors.
//
// The fiber context switch: save the callee-saved registers of the System V
// x86-64 ABI on the current stack, store the stack pointer, load the target's,
// restore its registers and jump to its saved return address. `pop; jmp`
// instead of `ret` keeps the return-stack predictor in step (measured: 2.0 ns
// against 7.6 ns a switch on this machine class, ../shared/notes).
// The floating-point control words (MXCSR, x87 CW) are not switched: workloads
// that change rounding modes per thread are not supported.

#if defined(__x86_64__)
        .text
        .globl  weft_fiber_switch
        .type   weft_fiber_switch, @function
        .p2align 4
// void weft_fiber_switch(void** save_sp /* rdi */, void* load_sp /* rsi */)
weft_fiber_switch:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        popq    %rcx
        jmpq    *%rcx
        .size   weft_fiber_switch, .-weft_fiber_switch

// First code a new fiber runs: call entry(arg) with entry in r13, arg in r12
// (placed there by fiber.cc). entry never returns.
        .globl  weft_fiber_trampoline
        .type   weft_fiber_trampoline, @function
        .p2align 4
weft_fiber_trampoline:
        movq    %r12, %rdi
        callq   *%r13
        ud2
        .size   weft_fiber_trampoline, .-weft_fiber_trampoline
#else
#error "weft's fiber switch is written for x86-64 only"
#endif

        .section .note.GNU-stack,"",@progbits
