// The engine: owns the transport, the project as it plays and the current RenderPlan, and renders blocks.
//
// Threads: methods marked "control thread" build or collect plans (they allocate); methods marked
// "audio thread" never allocate, lock or throw; "any thread" methods only touch atomics.
// Edits reconcile: the engine keeps the project it plays (project()), applies edits to it (applyEdits,
// or setProject with a whole project, which is compared track by track) and builds a new plan that
// shares every part whose description did not change with the plan before (see RenderPlan.h), so an
// edit costs what it changed and leaves everything else playing as if nothing happened. A new plan
// travels to the audio thread through an atomic slot and is swapped in at a block boundary; only the
// parts that were replaced cross-fade. Plans the audio thread is done with go back through a small
// lock-free ring and are freed by collect() on the control thread.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dsp/Smoother.h"
#include "engine/AssetPcm.h"
#include "engine/MasterChain.h"
#include "engine/Metronome.h"
#include "engine/PeakMeter.h"
#include "engine/RenderPlan.h"
#include "engine/StemTap.h"
#include "master/LoudnessMeter.h"
#include "model/Project.h"
#include "model/ProjectEdit.h"

namespace mixdown {

class Engine {
 public:
  // Control thread. maxBlock is the largest block process() is called with at once (larger calls are
  // split internally).
  Engine(double sampleRate, int maxBlock);
  ~Engine();

  double sampleRate() const { return sampleRate_; }
  int maxBlock() const { return maxBlock_; }

  // Control thread: plays `project` with these assets, keeping every track, device and voice of the
  // current song whose description did not change (a reload of the same project changes nothing).
  // Returns the ids of assets the project uses that are not in `assets` (their clips stay silent).
  std::vector<std::string> setProject(const Project& project, const AssetLibrary& assets);
  // Control thread: applies a batch of edits to the project being played (all or none: on a problem
  // nothing changes and the problems come back). Strip and parameter edits reach the devices at once,
  // without a new plan; anything else builds a plan that rebuilds only the tracks the edits touched.
  struct EditResult {
    std::vector<ProjectIssue> issues;
    std::vector<std::string> missingAssets;
    bool newPlan = false;  // whether the edits needed a new plan
  };
  EditResult applyEdits(const std::vector<ProjectEdit>& edits);
  // Control thread: adds (or replaces) one decoded asset; only the tracks that play it are rebuilt.
  // Returns the assets still missing.
  std::vector<std::string> addAsset(std::shared_ptr<const AssetPcm> asset);
  // Control thread: the project as the engine plays it (after every edit so far).
  const Project& project() const { return model_; }
  const AssetLibrary& assets() const { return assets_; }
  // Control thread: frees plans the audio thread has retired. Called by setProject too.
  void collect();

  // Any thread: transport. play() counts in the bars setCountIn chose (none by default); play(n) counts
  // in n bars (0..2) this time. During a count-in the song does not move (the position stays put and
  // playing() is false; countingIn() is true) and clicks sound on the beats of the signature at the
  // position, at its tempo; then the song starts there, on the sample after the count-in's last.
  void play() { play(countInDefault_.load(std::memory_order_relaxed)); }
  void play(int countInBars) {
    countInRequest_.store(std::clamp(countInBars, 0, kMaxCountInBars), std::memory_order_relaxed);
    wantPlaying_.store(true);
  }
  void stop() { wantPlaying_.store(false); }
  static constexpr int kMaxCountInBars = 2;
  // Any thread: the bars of count-in play() gives (0..2).
  void setCountIn(int bars) { countInDefault_.store(std::clamp(bars, 0, kMaxCountInBars), std::memory_order_relaxed); }
  // Any thread: whether a count-in is running (the song waits for it).
  bool countingIn() const { return countingIn_.load(std::memory_order_relaxed); }
  // Any thread: the count-in's beat now sounding (1-based; 0 when none runs) and its length in beats.
  int countInBeat() const { return countInBeat_.load(std::memory_order_relaxed); }
  int countInBeats() const { return countInBeats_.load(std::memory_order_relaxed); }

  // Control thread (the one that applies edits; a single producer): a live note for the instrument of
  // track `trackId`, played at the start of the next block whether the transport runs or not, and never
  // part of the song (auditioning in the piano roll, a computer keyboard, MIDI input). velocity 0..1;
  // 0 is a note-off. The note reaches the audio thread through a fixed lock-free ring (no allocation on
  // either side); false when the ring is full, the track is unknown or its id is too long for a slot.
  bool liveNote(const std::string& trackId, int pitch, double velocity);
  // Control thread, as liveNote (the same ring, so a wheel and the notes around it keep their order): a
  // live controller for track `trackId`'s instrument: PitchBend -1..+1 of its bend range, ModWheel 0..1
  // (values clamped). Instruments that take neither ignore it. False as liveNote.
  enum class LiveControl { PitchBend, ModWheel };
  bool liveControl(const std::string& trackId, LiveControl control, double value);
  // Any thread: the metronome (off in a new engine; offline renders never turn it on). While playing, a
  // click on every beat of the time signature (see engine/Metronome.h), at `levelDb` (dB, accent peak;
  // clamped to -60..+6), added to the output after the master chain and the meters, delayed by the
  // plan's and the chain's latency so it lines up with the music. The count-in clicks at the same level
  // whether the metronome is on or not.
  void setMetronome(bool on, double levelDb);
  bool metronome() const { return metronomeOn_.load(std::memory_order_relaxed); }
  void seek(std::int64_t frame) { seekTo_.store(std::max<std::int64_t>(0, frame)); }
  void setLoop(bool enabled, std::int64_t startFrame, std::int64_t endFrame);
  bool playing() const { return playing_.load(std::memory_order_relaxed); }
  std::int64_t position() const { return position_.load(std::memory_order_relaxed); }
  // Any thread: end of the last clip in the current plan (frames).
  std::int64_t endFrame() const { return endFrame_.load(std::memory_order_relaxed); }

  // Control thread: the master chain from the model (setProject calls it too). Same shape: parameters
  // and bypass switches change in place; otherwise a new chain is built and handed over.
  void updateMasterChain(const std::vector<DeviceState>& devices);

  // Control thread: mixer changes that need no new plan. Track index as in the project.
  void setTrackStrip(int track, double gainDb, double pan, bool mute, bool solo);
  void setMasterGain(double gainDb);
  // Control thread: one parameter of a track's insert (the model's insert index), without a new plan.
  // Returns false if there is no such insert (or it is bypassed: then it is not in the plan).
  bool setInsertParam(int track, int insert, const std::string& paramId, double value);

  // Control thread (the one that calls setProject/collect): peak meters (linear), taken since the last
  // read; RMS (linear, running 300 ms). Track -1 is the master.
  void takePeak(int track, float& left, float& right);
  void rms(int track, float& left, float& right);
  // Control thread: the deepest gain reduction (dB, >= 0) of a track's insert (the model's index) since
  // the last read; -1 when the insert is not playing (bypassed, or no such insert).
  double takeInsertReduction(int track, int insert);
  // Any thread: stereo correlation of the master output (-1 .. +1).
  float masterCorrelation() const { return correlation_.value(); }
  int trackCount() const { return trackCount_.load(std::memory_order_relaxed); }
  // Control thread: the channels (1 or 2) the newest plan gives track `id`'s source (a stereo instrument,
  // a stereo asset, a bus), or 0 for no such track.
  int trackChannels(const std::string& id) const;

  // Loudness of the master output (after the chain) while playing, per BS.1770 / EBU R128.
  struct MasterLoudness {
    double momentary, shortTerm, integrated, range, truePeak, maxMomentary, maxShortTerm;  // LUFS, LU, dBTP
    double seconds;          // of playing measured since the last reset
    double limiterReduction; // dB, deepest since the last read (0 without a limiter)
  };
  // The audio thread, between process() calls (in the browser: the worklet's message handler, which
  // runs on the same thread as process()).
  MasterLoudness masterLoudness();
  // Any thread: integrated, range and maxima start again at the next block.
  void resetMasterLoudness() { resetLoudness_.store(true); }
  // Any thread: whether the master loudness is measured (on by default; offline renders turn it off, as
  // it costs about a quarter of the demo's render time).
  void setMasterLoudnessEnabled(bool on) { loudnessEnabled_.store(on); }
  // Any thread: the master chain's latency (samples); the output is that much behind the transport.
  int masterLatency() const;
  // Any thread: flush subnormals to zero while processing (x86 only; on by default). Tests turn it off to
  // run as the browser does, where WebAssembly has no such mode and every tail must end by itself.
  void setFlushToZero(bool on) { flushToZero_.store(on, std::memory_order_relaxed); }

  // Control thread, after setProject and before the next process(): taps the stem of every track of
  // the newest plan into `tap` (see StemTap.h; allocates its buffers), or stops tapping (nullptr). For
  // offline renders: while attached, the project must not change (a new plan's stems stay silent) and
  // each process() call must be at most maxBlock() frames (its stems are in tap->stems[k].out).
  void attachStems(StemTap* tap);

  // Audio thread: renders `frames` frames into outL/outR (overwritten). Output is always finite.
  void process(float* outL, float* outR, int frames) noexcept;

 private:
  void processChunk(float* outL, float* outR, int frames) noexcept;
  // Audio thread: starts a count-in of `bars` at timeline frame `pos`.
  void startCountIn(int bars, std::int64_t pos) noexcept;
  // Returns the timeline position after `frames` (loop wraps applied).
  std::int64_t renderTimeline(RenderPlan& plan, std::int64_t pos, int frames, float* l, float* r, int stemOffset) noexcept;
  // Audio thread: the attached stems after the master fader (gains_), their delay lines, finite.
  void finishStems(int frames) noexcept;
  void retire(RenderPlan* plan) noexcept;
  // Clip switches. An edit that changes nothing but some tracks' clips (a note drawn, a clip moved), made
  // while the audio thread plays the latest plan, needs no new plan: the control thread builds those
  // tracks' schedules (or regions), puts them in the latest plan's control-side fields and hands the
  // audio thread a switch through a small single-producer single-consumer ring; the audio thread moves
  // its own pointers at the next block (RenderPlan::switchClips) and hands the switch back, still holding
  // what was played before, for collect() to free. The cost is the tracks that changed, not the song.
  struct ClipSwitch {
    RenderPlan* plan = nullptr;  // the plan it applies to (the one the audio thread plays)
    int track = -1;
    const NoteSchedule* schedule = nullptr;          // the new one (owned by the plan), or null
    const std::vector<AudioRegion>* regions = nullptr;
    std::shared_ptr<const NoteSchedule> before;      // kept alive until the audio thread has switched
    std::shared_ptr<const std::vector<AudioRegion>> regionsBefore;
  };
  // Control thread: switches the clips of these tracks if nothing else about them changed and the ring
  // has room; false (nothing done) when a new plan is needed.
  bool switchClips(const std::vector<std::string>& ids);
  // Audio thread: applies the switches handed over; false if some must wait (no slot to hand one back).
  bool takeClipSwitches() noexcept;
  // Audio thread: hands the live notes queued so far to their tracks' instruments (see liveNote).
  void takeLiveNotes() noexcept;
  // Control thread: builds a plan from model_ reusing the latest one, and hands it over.
  std::vector<std::string> rebuild(const std::vector<std::string>* changed, bool timing);
  void applyLoop();

  const double sampleRate_;
  const int maxBlock_;

  std::atomic<RenderPlan*> pending_{nullptr};
  RenderPlan* current_ = nullptr;  // audio thread
  std::atomic<RenderPlan*> published_{nullptr};  // current_, for meter reads from the control thread
  RenderPlan* latest_ = nullptr;   // control thread: the newest plan built (pending or current)
  Project model_;                  // control thread: the project the latest plan plays
  bool hasModel_ = false;
  AssetLibrary assets_;            // control thread
  static constexpr int kRetireSlots = 16;
  std::array<std::atomic<RenderPlan*>, kRetireSlots> retired_{};
  static constexpr unsigned kSwitchSlots = 32;
  std::array<ClipSwitch*, kSwitchSlots> switches_{};            // written by the control thread at tail
  std::atomic<unsigned> switchHead_{0}, switchTail_{0};         // head: audio thread; tail: control thread
  std::array<std::atomic<ClipSwitch*>, kSwitchSlots> retiredSwitches_{};
  // Live notes: a single-producer single-consumer ring of plain values (the track named in place, with
  // the index it had in the control thread's project as a hint).
  struct LiveNote {
    std::array<char, 48> track{};  // NUL-terminated id
    int hint = -1;
    NoteEvent::Type type = NoteEvent::Type::NoteOn;  // NoteOn/NoteOff by velocity, or a controller
    std::uint8_t pitch = 0;
    float velocity = 0.0f;  // a controller's value (see NoteEvent)
  };
  bool pushLive(const std::string& trackId, NoteEvent::Type type, int pitch, float value);
  static constexpr unsigned kLiveSlots = 256;
  std::array<LiveNote, kLiveSlots> liveNotes_{};
  std::atomic<unsigned> liveHead_{0}, liveTail_{0};  // head: audio thread; tail: control thread

  std::atomic<bool> wantPlaying_{false};
  std::atomic<bool> playing_{false};
  std::atomic<std::int64_t> seekTo_{-1};
  std::atomic<std::int64_t> position_{0};
  std::atomic<bool> loopEnabled_{false};
  std::atomic<std::int64_t> loopStart_{0}, loopEnd_{0};
  std::atomic<std::int64_t> endFrame_{0};
  std::atomic<bool> flushToZero_{true};
  std::atomic<int> trackCount_{0};
  std::atomic<double> masterGainDb_{0.0};
  LinearSmoother masterGain_;
  std::vector<float> gains_;       // audio thread: the master fader's gain per sample of a chunk (maxBlock)
  std::atomic<StemTap*> stems_{nullptr};
  const RenderPlan* stemPlan_ = nullptr;  // the plan the attached stems were made for
  PeakMeter masterMeter_;
  CorrelationMeter correlation_;
  // Master chain: handed over like plans, kept across plan swaps (see MasterChain.h).
  std::atomic<MasterChain*> pendingChain_{nullptr};
  MasterChain* chain_ = nullptr;                 // audio thread
  std::atomic<MasterChain*> publishedChain_{nullptr};
  MasterChain* latestChain_ = nullptr;           // control thread: the newest chain handed over
  std::array<std::atomic<MasterChain*>, 4> retiredChains_{};
  LoudnessMeter loudness_;
  std::atomic<bool> resetLoudness_{false};
  std::atomic<bool> loudnessEnabled_{true};
  // Metronome and count-in: settings from any thread, state on the audio thread.
  std::atomic<bool> metronomeOn_{false};
  std::atomic<float> metronomeGain_{0.5f};  // linear (-6 dB)
  std::atomic<int> countInDefault_{0}, countInRequest_{0};
  std::atomic<bool> countingIn_{false};
  std::atomic<int> countInBeat_{0}, countInBeats_{0};
  Metronome metronome_;
  Timeline emptyTimeline_;             // for a count-in before any song is loaded
  std::int64_t countInFrames_ = 0;     // audio thread: the count-in's length (0: none running)
  std::int64_t countInDone_ = 0;       // audio thread: frames of it played
  double countInBeatFrames_ = 0.0;     // audio thread: frames per beat of the count-in (unrounded)
  int countInPerBar_ = 4;              // audio thread: beats per bar of the count-in
};

}  // namespace mixdown
