// The test binary's counted operator new (defined in core/RealtimeTests.cpp): while `inAudioThread` is
// set on a thread, every allocation on it adds one to `allocationsOnAudioThread`.
#pragma once

namespace mixdown::test {
extern thread_local bool inAudioThread;
extern thread_local long allocationsOnAudioThread;
}  // namespace mixdown::test
