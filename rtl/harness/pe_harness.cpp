// Replays a stimulus file through a Verilated PE that follows the bitsys port contract and
// writes the registered outputs after every rising edge.
//   pe_harness STIMULUS RESPONSE [--vcd FILE FROM TO]
// The PE's Verilated class is VTOP (a compile definition), its header "VTOP.h".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "pe_io.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#define BITSYS_STR2(x) #x
#define BITSYS_STR(x) BITSYS_STR2(x)
#include BITSYS_STR(VTOP.h)

using bitsys_rtl::Operand;
using bitsys_rtl::PeResponse;
using bitsys_rtl::PeStimulus;

// Verilator holds a 144-bit port as five 32-bit words, least significant first.
template <class W>
Operand get(const W& port) {
  Operand o{};
  o.w = port[0] | (static_cast<uint64_t>(port[1]) << 32);
  o.s = port[2] | (static_cast<uint64_t>(port[3]) << 32);
  o.c = static_cast<uint16_t>(port[4]);
  return o;
}

int main(int argc, char** argv) {
  if (argc != 3 && argc != 7) {
    std::fprintf(stderr, "usage: %s STIMULUS RESPONSE [--vcd FILE FROM TO]\n", argv[0]);
    return 2;
  }
  FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 2;
  }
  std::vector<PeStimulus> stim;
  PeStimulus s;
  while (std::fread(&s, sizeof s, 1, in) == 1) stim.push_back(s);
  std::fclose(in);

  auto ctx = std::make_unique<VerilatedContext>();
  const bool trace = argc == 7 && std::strcmp(argv[3], "--vcd") == 0;
  if (trace) ctx->traceEverOn(true);
  auto pe = std::make_unique<VTOP>(ctx.get());
  std::unique_ptr<VerilatedVcdC> vcd;
  long from = 0, to = -1;
  if (trace) {
    from = std::atol(argv[5]);
    to = std::atol(argv[6]);
    vcd = std::make_unique<VerilatedVcdC>();
    pe->trace(vcd.get(), 99);
    vcd->open(argv[4]);
  }
  std::vector<PeResponse> out(stim.size());
  pe->clk = 0;
  pe->eval();
  for (size_t c = 0; c < stim.size(); ++c) {
    const PeStimulus& t = stim[c];
    pe->rst = t.rst;
    pe->en = t.en;
    pe->df = t.df;
    pe->load = t.load;
    pe->clear = t.clear;
    pe->drain = t.drain;
    bitsys_rtl::put_operand(pe->h_in, 0, t.h);
    bitsys_rtl::put_operand(pe->v_in, 0, t.v);
    pe->psum_in = static_cast<uint64_t>(t.psum) & ((uint64_t{1} << bitsys_rtl::kAccBits) - 1);
    pe->clk = 0;
    pe->eval();
    const bool dump = vcd && static_cast<long>(c) >= from && static_cast<long>(c) <= to;
    if (dump) vcd->dump(static_cast<uint64_t>(2 * c));
    pe->clk = 1;
    pe->eval();
    if (dump) vcd->dump(static_cast<uint64_t>(2 * c + 1));
    PeResponse& r = out[c];
    r.h = get(pe->h_out);
    r.v = get(pe->v_out);
    r.acc = bitsys_rtl::wrap_acc(static_cast<uint64_t>(pe->acc));
  }
  if (vcd) vcd->close();
  pe->final();
  FILE* o = std::fopen(argv[2], "wb");
  if (!o || std::fwrite(out.data(), sizeof(PeResponse), out.size(), o) != out.size()) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
    return 2;
  }
  std::fclose(o);
  return 0;
}
