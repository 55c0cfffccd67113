// bitserial PE: one weight bit plane times LANES 8-bit activations a cycle. Activations arrive
// offset-binary (a + 128 when signed); wb / wx are byte masks of the lanes adding +a / -a, bias
// removes the offset, mult is the plane's signed weight. Which planes exist (a CSQ mask, kept
// planes need not be contiguous) is the order of beats, not the PE's concern.
module bitsys_pe_bitserial #(
  parameter integer LANES = 8  // 1..8
) (
`include "pe_ports.vh"
);
  function automatic [10:0] bytesum(input [63:0] v);
    integer i;
    begin
      bytesum = 11'd0;
      for (i = 0; i < LANES; i = i + 1) bytesum = bytesum + {3'd0, v[8*i +: 8]};
    end
  endfunction

  function automatic signed [63:0] product(input [63:0] a, input [63:0] wb, input [63:0] wx, input [31:0] wm, input [15:0] wc);
    reg signed [63:0] pos, neg, bias, mult;
    begin
      pos  = {53'd0, bytesum(a & wb)};
      neg  = {53'd0, bytesum(a & wx)};
      bias = {{48{wc[15]}}, wc};
      mult = {{32{wm[31]}}, wm};
      product = (pos - neg - bias) * mult;
    end
  endfunction
`include "pe_shell.vh"
endmodule
