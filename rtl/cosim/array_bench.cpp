// Cycles per second of the verilated RTL array against the SystemC array on the same GEMM
// (README numbers come from this): bitsys_rtl_bench [M K N]
// The Verilated header comes before SystemC's: with SystemC seen first, Verilator's headers
// expect an unqualified sc_time_stamp().
#include "Varray_rtl_int8.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <systemc>

#include "models/system/systemc_engine.h"
#include "rtl/fidelity/rtl_grid.h"
#include "sim/pe/grid_gemm.h"
#include "sim/pe/pe_kind.h"

int sc_main(int argc, char** argv) {
  using namespace bitsys;
  const int64_t M = argc > 3 ? std::atoll(argv[1]) : 512, K = argc > 3 ? std::atoll(argv[2]) : 256,
                N = argc > 3 ? std::atoll(argv[3]) : 64;
  const int R = BENCH_ROWS, C = BENCH_COLS;
  const PeKind& kind = *find_pe_kind("int8");
  const ActPrecision ap;
  const WeightPrecision wp;
  const IntGemm ints = random_gemm(M, K, N, ap, wp, 5);
  const BeatGemm g = encode_gemm(kind, 1, ap, wp, ints);
  for (Dataflow df : {Dataflow::WS, Dataflow::OS}) {
    std::vector<int64_t> rtl_out, sc_out;
    RtlGrid<Varray_rtl_int8> rtl(R, C);
    auto t0 = std::chrono::steady_clock::now();
    const GridGemmRun r = run_gemm_on_grid(rtl, df, g, rtl_out);
    const double rtl_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t0 = std::chrono::steady_clock::now();
    const GemmRunResult s = SystemCEngine::instance().run_gemm({R, C, df, &kind}, g, sc_out);
    const double sc_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "%dx%d int8 %s, GEMM %lldx%lldx%lld: %llu cycles; Verilator RTL %.3f s = %.2f M cycles/s (%.0f M PE-cycles/s); "
        "SystemC %.3f s = %.2f M cycles/s (%.0f M PE-cycles/s); outputs %s\n",
        R, C, dataflow_info(df).name, static_cast<long long>(M), static_cast<long long>(K), static_cast<long long>(N),
        static_cast<unsigned long long>(r.cycles), rtl_s, r.cycles / rtl_s / 1e6, r.cycles * R * C / rtl_s / 1e6, sc_s,
        s.cycles / sc_s / 1e6, s.cycles * R * C / sc_s / 1e6,
        rtl_out == sc_out && r.cycles == s.cycles ? "and cycles equal" : "DIFFER");
  }
  return 0;
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
