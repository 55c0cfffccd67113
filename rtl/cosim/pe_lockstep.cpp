#include "rtl/cosim/pe_lockstep.h"

#include <sys/wait.h>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>

#include "rtl/cosim/pe_model.h"
#include "sim/io/subprocess.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

using bitsys_rtl::PeResponse;
using bitsys_rtl::PeStimulus;

namespace {

ActPrecision draw_act(std::mt19937_64& rng) {
  return ActPrecision{static_cast<int>(1 + rng() % 8), (rng() & 1) != 0};
}

WeightPrecision draw_weights(std::mt19937_64& rng) {
  switch (rng() % 3) {
    case 0:
      return WeightPrecision::twos(static_cast<int>(1 + rng() % 8));
    case 1:
      return WeightPrecision::sign_magnitude(static_cast<uint8_t>((1u << (1 + rng() % 8)) - 1));
    default: {  // a CSQ mask; kept planes need not be contiguous
      uint8_t m = 0;
      while (!m) m = static_cast<uint8_t>(rng());
      return WeightPrecision::sign_magnitude(m);
    }
  }
}

}  // namespace

Stimulus make_stimulus(const PeKind& kind, int lanes, uint64_t cycles, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Stimulus s;
  s.cycles.reserve(cycles);
  const uint64_t mid_reset = cycles / 2;
  while (s.cycles.size() < cycles) {
    const ActPrecision ap = draw_act(rng);
    const WeightPrecision wp = draw_weights(rng);
    if (!kind.check(ap, wp).empty()) continue;
    // Half the episodes use every lane of the PE; the others a random number of them.
    const int l = rng() & 1 ? lanes : static_cast<int>(1 + rng() % static_cast<uint64_t>(lanes));
    const int df = static_cast<int>(rng() % 3);  // OS, WS, IS
    // A pool of valid encoded words and beats of this precision. K reaches three chunks of l
    // lanes, so every lane carries data; one episode in four holds every operand at an extreme
    // of its precision (all lanes set, the largest magnitudes, the accumulator's fastest growth).
    const int64_t K = 1 + static_cast<int64_t>(rng() % (3 * static_cast<uint64_t>(l)));
    IntGemm ints = random_gemm(3, K, 3, ap, wp, rng());
    const uint64_t corner = rng() % 8;
    if (corner < 2) {
      const bool high = corner == 0;
      std::fill(ints.A.begin(), ints.A.end(), static_cast<int32_t>(high ? ap.max_value() : ap.min_value()));
      std::fill(ints.W.begin(), ints.W.end(), static_cast<int32_t>(rng() & 1 ? wp.max_value() : wp.min_value()));
    }
    const BeatGemm g = encode_gemm(kind, l, ap, wp, ints);
    std::ostringstream name;
    name << (df == 0   ? "OS"
             : df == 1 ? "WS"
                       : "IS")
         << " " << ap.str() << " x " << wp.str() << " L" << l << " K" << K
         << (corner == 0   ? " max"
             : corner == 1 ? " min"
                           : "");
    s.episodes.push_back(name.str());
    s.episode_start.push_back(s.cycles.size());
    const uint64_t len = 50 + rng() % 400;
    for (uint64_t i = 0; i < len && s.cycles.size() < cycles; ++i) {
      PeStimulus t{};
      t.rst = s.cycles.size() == mid_reset || rng() % 20000 == 0;
      t.en = rng() % 10 != 0;
      t.df = static_cast<uint8_t>(df);
      t.load = df != 0 && rng() % 4 == 0;
      t.clear = df == 0 && rng() % 20 == 0;
      t.drain = df == 0 && rng() % 30 == 0;
      const bitsys_rtl::Operand a = operand_of(g.A[rng() % g.A.size()]), w = operand_of(g.W[rng() % g.W.size()]);
      // OS/WS: activations from the left, beats from above; IS the other way round.
      t.h = df == 2 ? w : a;
      t.v = df == 2 ? a : w;
      // Partial sums from above: mostly moderate, sometimes at the edges of the accumulator.
      constexpr int64_t kMax = (int64_t{1} << (bitsys_rtl::kAccBits - 1)) - 1, kMin = -kMax - 1;
      t.psum = rng() % 16 ? static_cast<int64_t>(rng() % (uint64_t{1} << 25)) - (int64_t{1} << 24)
                          : (rng() & 1 ? kMax - static_cast<int64_t>(rng() % 1024)
                                       : kMin + static_cast<int64_t>(rng() % 1024));
      s.cycles.push_back(t);
    }
  }
  return s;
}

std::optional<Mismatch> first_mismatch(const PeKind& kind, const Stimulus& stim, const std::vector<PeResponse>& rtl) {
  PeModel model(kind);
  size_t ep = 0;
  for (uint64_t c = 0; c < stim.cycles.size(); ++c) {
    while (ep + 1 < stim.episode_start.size() && stim.episode_start[ep + 1] <= c) ++ep;
    model.clock(stim.cycles[c]);
    const PeResponse g = model.outputs();
    const PeResponse& r = c < rtl.size() ? rtl[c] : PeResponse{};
    if (c >= rtl.size() || !(g.h == r.h) || !(g.v == r.v) || g.acc != r.acc) {
      Mismatch m;
      m.cycle = c;
      m.episode = stim.episodes.empty() ? "" : stim.episodes[ep];
      m.in = stim.cycles[c];
      m.rtl = r;
      m.golden = g;
      return m;
    }
  }
  return std::nullopt;
}

namespace {
std::string hex(const bitsys_rtl::Operand& o) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04x_%016llx_%016llx", o.c, static_cast<unsigned long long>(o.s),
                static_cast<unsigned long long>(o.w));
  return buf;
}
}  // namespace

std::string describe(const Mismatch& m) {
  const PeStimulus& i = m.in;
  std::ostringstream os;
  os << "first mismatch at cycle " << m.cycle << " (" << m.episode << ")\n";
  os << "  inputs: rst=" << int{i.rst} << " en=" << int{i.en} << " df=" << int{i.df} << " load=" << int{i.load}
     << " clear=" << int{i.clear} << " drain=" << int{i.drain} << " h=0x" << hex(i.h) << " v=0x" << hex(i.v)
     << " psum=" << i.psum << "\n";
  if (m.rtl.acc != m.golden.acc) os << "  acc: RTL " << m.rtl.acc << ", golden model " << m.golden.acc << "\n";
  if (!(m.rtl.h == m.golden.h))
    os << "  h_out: RTL 0x" << hex(m.rtl.h) << ", golden model 0x" << hex(m.golden.h) << "\n";
  if (!(m.rtl.v == m.golden.v))
    os << "  v_out: RTL 0x" << hex(m.rtl.v) << ", golden model 0x" << hex(m.golden.v) << "\n";
  return os.str();
}

std::vector<PeResponse> run_harness(const std::string& exe, const Stimulus& stim, const std::string& workdir,
                                    const std::string& vcd, uint64_t from, uint64_t to) {
  const std::string in = workdir + "/stimulus.bin", out = workdir + "/response.bin";
  {
    FILE* f = std::fopen(in.c_str(), "wb");
    if (!f || std::fwrite(stim.cycles.data(), sizeof(PeStimulus), stim.cycles.size(), f) != stim.cycles.size())
      throw std::runtime_error("cannot write " + in);
    std::fclose(f);
  }
  std::vector<std::string> argv = {exe, in, out};
  if (!vcd.empty()) argv.insert(argv.end(), {"--vcd", vcd, std::to_string(from), std::to_string(to)});
  // A harness runs 10^5 cycles in well under a second; minutes mean it hangs.
  const ProgramRun run = run_program(argv, 600, workdir + "/harness.log");
  if (!run.ok()) throw std::runtime_error(run.failure(exe));
  std::vector<PeResponse> r(stim.cycles.size());
  FILE* f = std::fopen(out.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + out);
  const size_t n = std::fread(r.data(), sizeof(PeResponse), r.size(), f);
  std::fclose(f);
  r.resize(n);
  return r;
}

}  // namespace bitsys
