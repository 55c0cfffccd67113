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

using bitsys_rtl::PeResponse;
using bitsys_rtl::PeStimulus;

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
    pe->os = t.os;
    pe->load = t.load;
    pe->clear = t.clear;
    pe->drain = t.drain;
    pe->a_in = t.a;
    pe->wb_in = t.wb;
    pe->wx_in = t.wx;
    pe->wm_in = t.wm;
    pe->wc_in = t.wc;
    pe->psum_in = static_cast<uint64_t>(t.psum);
    pe->clk = 0;
    pe->eval();
    const bool dump = vcd && static_cast<long>(c) >= from && static_cast<long>(c) <= to;
    if (dump) vcd->dump(static_cast<uint64_t>(2 * c));
    pe->clk = 1;
    pe->eval();
    if (dump) vcd->dump(static_cast<uint64_t>(2 * c + 1));
    PeResponse& r = out[c];
    r.a = pe->a_out;
    r.wb = pe->wb_out;
    r.wx = pe->wx_out;
    r.wm = pe->wm_out;
    r.wc = pe->wc_out;
    r.pad = 0;
    r.acc = static_cast<int64_t>(pe->acc);
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
