// A deliberately broken binary PE, built only for the co-simulation tests: its popcount is
// off by one whenever activation lanes 0 and 1 are both set. The tests must catch it.
// binary PE: LANES one-bit products a cycle. A beat adds
//   mult * popcount(a & wb) + bias * popcount(a) + aux
// which covers XNOR (+-1 x +-1), AND (bit planes) and the mixed cases; plane scales are in mult.
module bitsys_pe_binary_broken #(
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
      pab  = {57'd0, popcount(a & wb)} + {63'd0, &a[1:0]};  // BROKEN: counts one extra when lanes 0 and 1 are set
      pa   = {57'd0, popcount(a)};
      product = mult * pab + bias * pa + $signed(wx);
    end
  endfunction
`include "pe_shell.vh"
endmodule
