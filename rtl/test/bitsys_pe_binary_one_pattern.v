// A deliberately broken binary PE, built only for the formal tests: it adds one to its product
// for a single 64-bit activation pattern, which random co-simulation all but never draws and
// `verify-pe --formal` must find.
// binary PE: LANES one-bit products a cycle. A beat adds
//   mult * popcount(a & wb) + bias * popcount(a) + aux
// which covers XNOR (+-1 x +-1), AND (bit planes) and the mixed cases; plane scales are in mult.
module bitsys_pe_binary_one_pattern #(
  parameter integer LANES = 64  // 1..64
) (
`include "pe_ports.vh"
);
  function automatic [6:0] popcount(input [63:0] v);
    integer i;
    begin
      popcount = 7'd0;
      for (i = 0; i < LANES; i = i + 1) popcount = popcount + {6'd0, v[i]};
    end
  endfunction

  function automatic signed [63:0] product(input [63:0] a, input [63:0] wb, input [63:0] wx, input [31:0] wm, input [15:0] wc);
    reg signed [63:0] mult, bias, pab, pa;
    begin
      mult = {{32{wm[31]}}, wm};
      bias = {{48{wc[15]}}, wc};
      pab  = {57'd0, popcount(a & wb)};
      pa   = {57'd0, popcount(a)};
      // The planted bug: one activation word of 2^64 adds one more.
      product = mult * pab + bias * pa + $signed(wx) + (a == 64'hdeadbeefcafef00d ? 64'sd1 : 64'sd0);
    end
  endfunction
`include "pe_shell.vh"
endmodule
